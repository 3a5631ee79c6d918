import {
  ProviderGroupReferenceSchema,
  ProviderReferenceSchema,
  ServiceLocationReferenceSchema,
} from '@claims/contracts';
import { z } from 'zod';

/**
 * The body of a reference fix as the OpenAPI document shows it, from the
 * contract schemas the route checks the record with: which record the route's
 * kind segment takes (providers, provider-groups, locations).
 */
export const REFERENCE_FIX_JSON_SCHEMA = z.toJSONSchema(
  z.strictObject({
    effectiveDate: z.string().meta({ description: 'YYYY-MM-DD: the first day the fix holds (event time)' }),
    record: z
      .union([ProviderReferenceSchema, ProviderGroupReferenceSchema, ServiceLocationReferenceSchema])
      .meta({ description: 'A provider, provider group or service location record, as the kind segment says' }),
  }),
  { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' },
) as Record<string, unknown>;
