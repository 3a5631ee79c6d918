import {
  CLAIM_FILTER_FIELDS,
  PEND_QUEUE_FILTER_FIELDS,
  PEND_QUEUE_FILTER_MAX_LENGTH,
  type ClaimFilterField,
  type PendQueueFilterField,
} from '@claims/kpi';
import { applyDecorators } from '@nestjs/common';
import { ApiQuery, type ApiQueryOptions } from '@nestjs/swagger';
import { MAX_AGE_DAYS } from './pended-queue.query';

/**
 * Query parameters as the OpenAPI document shows them, for routes whose
 * parameters a zod schema in their *.query.ts checks (the 400 names any
 * other). Strings on the wire; the schemas say what the parser accepts.
 */
export const dateQuery = (name: string, description: string): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'string', format: 'date', example: '2010-06-30' },
});

export const wholeNumberQuery = (name: string, maximum: number, description: string): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'integer', minimum: 1, maximum },
});

/** An age in whole days, 0 (pended on the as-of date) to MAX_AGE_DAYS. */
export const ageDaysQuery = (name: string, description: string): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'integer', minimum: 0, maximum: MAX_AGE_DAYS },
});

export const enumQuery = (
  name: string,
  values: readonly string[],
  options: { required?: boolean; description?: string } = {},
): ApiQueryOptions => ({
  name,
  required: options.required ?? false,
  ...(options.description === undefined ? {} : { description: options.description }),
  schema: { type: 'string', enum: [...values] },
});

export const textQuery = (name: string, description: string, maxLength: number): ApiQueryOptions => ({
  name,
  required: false,
  description,
  schema: { type: 'string', minLength: 1, maxLength },
});

export const CURSOR_QUERY: ApiQueryOptions = {
  name: 'cursor',
  required: false,
  description: 'The nextCursor of the previous page (opaque)',
  schema: { type: 'string' },
};

const PEND_QUEUE_FILTER_DESCRIPTIONS: Readonly<Record<PendQueueFilterField, string>> = {
  payer: 'Only claims of this payer (exact)',
  providerGroup: 'Only claims of this provider group key (exact; `(unknown)` for none)',
  renderingProvider: 'Only claims of this rendering provider NPI (exact; `(unknown)` for none)',
  state:
    'Only claims of this state as the queue records it (exact: `MD`, or a member state name; `(unknown)` for none)',
  claimType: 'Only claims of this claim type (exact)',
  reason: 'Only claims listing this pend reason code (`(none)`: claims listing none)',
  queue: 'Only claims in this work queue (exact; `(unassigned)` for none)',
};

/** The pended-queue filters (one exact value each, combined with AND), as the OpenAPI document shows them. */
export const PEND_QUEUE_FILTER_QUERIES: readonly ApiQueryOptions[] = PEND_QUEUE_FILTER_FIELDS.map((field) =>
  textQuery(field, PEND_QUEUE_FILTER_DESCRIPTIONS[field], PEND_QUEUE_FILTER_MAX_LENGTH),
);

/** Documents every pended-queue filter on a route. */
export const ApiPendQueueFilterQueries = (): MethodDecorator =>
  applyDecorators(...PEND_QUEUE_FILTER_QUERIES.map((options) => ApiQuery(options)));

const CLAIM_FILTER_DESCRIPTIONS: Readonly<Record<ClaimFilterField, string>> = {
  payer: 'Only claims of this payer (exact)',
  providerGroup: 'Only claims of this provider group key (exact; `(unknown)` for none)',
  renderingProvider: 'Only claims of this rendering provider NPI (exact)',
  state: 'Only claims of this state (exact: `MD`, or a member state name; `(unknown)` for none)',
  claimType: 'Only claims of this claim type (exact)',
  serviceFrom: 'Only claims whose service-through date is on or after this date',
  serviceTo: 'Only claims whose service-through date is on or before this date',
};

/**
 * Documents the claim filters of a route (all of them unless `fields` says
 * which): with any of them the figures are computed from the claims the
 * filters keep.
 */
export const ApiClaimFilterQueries = (fields: readonly ClaimFilterField[] = CLAIM_FILTER_FIELDS): MethodDecorator =>
  applyDecorators(
    ...fields.map((field) =>
      ApiQuery(
        field === 'serviceFrom' || field === 'serviceTo'
          ? dateQuery(field, CLAIM_FILTER_DESCRIPTIONS[field])
          : textQuery(field, CLAIM_FILTER_DESCRIPTIONS[field], PEND_QUEUE_FILTER_MAX_LENGTH),
      ),
    ),
  );
