import {
  ProviderGroupReferenceSchema,
  ProviderReferenceSchema,
  ServiceLocationReferenceSchema,
  type ReferenceKind,
} from '@claims/contracts';
import { BadRequestException, Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '../auth/bearer-token.guard';
import { REFERENCE_FIX_JSON_SCHEMA } from './reference.schemas';
import { ReferencePublisher, type PublishedReference } from './reference.publisher';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** The route's kind segment, and each kind's record and key. */
const KINDS = {
  providers: { kind: 'provider', record: ProviderReferenceSchema, key: (record: { npi: string }) => record.npi },
  'provider-groups': {
    kind: 'provider_group',
    record: ProviderGroupReferenceSchema,
    key: (record: { groupKey: string }) => record.groupKey,
  },
  locations: {
    kind: 'service_location',
    record: ServiceLocationReferenceSchema,
    key: (record: { locationKey: string }) => record.locationKey,
  },
} as const;

/**
 * A fix names the first day it holds (event time, not the clock): the
 * pended claims it lets through are cleared on that day, so the KPIs come out
 * the same whenever the fix is keyed in.
 */
const FixSchema = z.object({ effectiveDate: IsoDate, record: z.unknown() }).strict();

/** Reference fixes, published to the reference topics that every enricher follows (admin). */
@Controller('v1/reference')
export class ReferenceController {
  constructor(private readonly publisher: ReferencePublisher) {}

  /** Publishes one directory version: a provider, provider group or service location fix. */
  @Post(':kind')
  @HttpCode(202)
  @RequirePermission('reference:write')
  @ApiParam({ name: 'kind', enum: Object.keys(KINDS) })
  @ApiBody({ schema: REFERENCE_FIX_JSON_SCHEMA })
  async publish(@Param('kind') kindSegment: string, @Body() body: unknown): Promise<PublishedReference> {
    // Own keys only: `constructor`, `__proto__` or `toString` name members every object inherits, not a kind.
    const route = Object.hasOwn(KINDS, kindSegment) ? KINDS[kindSegment as keyof typeof KINDS] : undefined;
    if (route === undefined) {
      throw new BadRequestException({ code: 'REFERENCE_KIND_UNKNOWN', known: Object.keys(KINDS) });
    }
    const fix = FixSchema.safeParse(body);
    const record = fix.success ? route.record.safeParse(fix.data.record) : null;
    if (!fix.success || record === null || !record.success) {
      const issues = fix.success ? (record?.error?.issues ?? []) : fix.error.issues;
      throw new BadRequestException({
        code: 'REQUEST_INVALID',
        fields: [...new Set(issues.map((issue) => ['record', ...issue.path].join('.')))],
      });
    }
    const data = record.data as never;
    return this.publisher.publish(route.kind as ReferenceKind, route.key(data), fix.data.effectiveDate, data);
  }
}
