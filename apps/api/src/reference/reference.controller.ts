import {
  ProviderGroupReferenceSchema,
  ProviderReferenceSchema,
  ServiceLocationReferenceSchema,
  type ReferenceKind,
} from '@claims/contracts';
import { BadRequestException, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { RequirePermission } from '../auth/bearer-token.guard';
import { JsonBody } from '../http/json-body';
import { CalendarDate, refuseQueryParameters } from '../http/query-fields';
import { REFERENCE_FIX_JSON_SCHEMA } from './reference.schemas';
import { ReferencePublisher, type PublishedReference } from './reference.publisher';

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
    // The day a location opens is the day the claims waiting on it clear: a day the calendar has.
    record: ServiceLocationReferenceSchema.extend({ effectiveDate: CalendarDate.nullable() }),
    key: (record: { locationKey: string }) => record.locationKey,
  },
} as const;

/**
 * A fix names the first day it holds (event time, not the clock): the
 * pended claims it lets through are cleared on that day, so the KPIs come out
 * the same whenever the fix is keyed in. A day the calendar lacks
 * (2024-02-30) would clear them on a date Postgres refuses to store.
 */
const FixSchema = z.object({ effectiveDate: CalendarDate, record: z.unknown() }).strict();

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
  @ApiUnsupportedMediaTypeResponse({ description: 'BODY_CONTENT_TYPE: the body is not sent as application/json' })
  async publish(
    @Param('kind') kindSegment: string,
    @JsonBody() body: unknown,
    @Query() query: Record<string, unknown>,
  ): Promise<PublishedReference> {
    refuseQueryParameters(query);
    // Own keys only: `constructor`, `__proto__` or `toString` name members every object inherits, not a kind.
    const route = Object.hasOwn(KINDS, kindSegment) ? KINDS[kindSegment as keyof typeof KINDS] : undefined;
    if (route === undefined) {
      throw new BadRequestException({ code: 'REFERENCE_KIND_UNKNOWN', known: Object.keys(KINDS) });
    }
    const fix = FixSchema.safeParse(body);
    const record = fix.success ? route.record.safeParse(fix.data.record) : null;
    if (!fix.success || record === null || !record.success) {
      // The record's issues are named from inside it; the fix's own from the body (`effectiveDate`, `record`).
      const fields = fix.success
        ? (record?.error?.issues ?? []).map((issue) => ['record', ...issue.path].join('.'))
        : fix.error.issues.flatMap((issue) =>
            issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(body)'],
          );
      throw new BadRequestException({ code: 'REQUEST_INVALID', fields: [...new Set(fields)] });
    }
    const data = record.data as never;
    return this.publisher.publish(route.kind as ReferenceKind, route.key(data), fix.data.effectiveDate, data);
  }
}
