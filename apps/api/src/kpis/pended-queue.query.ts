import {
  PEND_GROUP_BY_DIMENSIONS,
  PEND_QUEUE_FILTER_FIELDS,
  PEND_WORK_QUEUE_SORTS,
  daysBetween,
  pendQueueFilterEntries,
  type PendGroupByDimension,
  type PendQueueFilter,
  type PendQueueFilterField,
  type PendWorkQueueAfter,
  type PendWorkQueueSort,
} from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, invalidRequest, parseQuery, queryText, wholeNumber } from '../http/query-fields';
import { CLAIM_FIELD_FILTERS, PEND_FIELD_FILTERS } from './filter-fields';

/** The longest flow range one request may ask for: ten years of days. */
export const MAX_FLOW_DAYS = 3660;

/** The filter vocabulary the three pended-queue routes share (see @claims/kpi PEND_QUEUE_FILTER_FIELDS). */
const PendQueueFilterShape = {
  ...CLAIM_FIELD_FILTERS,
  ...PEND_FIELD_FILTERS,
} satisfies Record<PendQueueFilterField, z.ZodType>;

/** The filters given, and only those, in the one field order. */
function filterOf(parsed: PendQueueFilter): PendQueueFilter {
  return Object.fromEntries(pendQueueFilterEntries(parsed));
}

const PendedQueueQuerySchema = z
  .object({
    asOf: CalendarDate.optional(),
    groupBy: z.enum(PEND_GROUP_BY_DIMENSIONS).optional(),
    /** The most dimension values listed, largest open count first. */
    limit: wholeNumber(1, 1000).optional(),
    ...PendQueueFilterShape,
  })
  .strict();

const PendFlowQuerySchema = z
  .object({ from: CalendarDate.optional(), to: CalendarDate.optional(), ...PendQueueFilterShape })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from after to', path: ['from'] })
  .refine((query) => !query.from || !query.to || daysBetween(query.from, query.to) < MAX_FLOW_DAYS, {
    message: `at most ${MAX_FLOW_DAYS} days`,
    path: ['to'],
  });

/**
 * A cursor carries the filters (seven values of 128 characters, each
 * character up to six in JSON) and the last claim id, then a third more in
 * base64url. Past this the request line would outgrow what Node's HTTP
 * parser reads (16 KiB of headers) anyway.
 */
const MAX_CURSOR_LENGTH = 16_384;

/** The oldest age a work-queue age range may name: a hundred years of days. */
export const MAX_AGE_DAYS = 36_600;
const AgeDays = wholeNumber(0, MAX_AGE_DAYS);

const WorkQueueQuerySchema = z
  .object({
    asOf: CalendarDate.optional(),
    limit: wholeNumber(1, 500).optional(),
    sort: z.enum(PEND_WORK_QUEUE_SORTS).optional(),
    cursor: z.string().max(MAX_CURSOR_LENGTH).optional(),
    minAgeDays: AgeDays.optional(),
    maxAgeDays: AgeDays.optional(),
    ...PendQueueFilterShape,
  })
  .strict()
  .refine(
    (query) => query.minAgeDays === undefined || query.maxAgeDays === undefined || query.minAgeDays <= query.maxAgeDays,
    { message: 'minAgeDays above maxAgeDays', path: ['minAgeDays'] },
  );

/** Claims aged (as of the queue's date) from `min` to `max` days inclusive; null: no bound on that side. */
export interface WorkQueueAgeRange {
  min: number | null;
  max: number | null;
}

const NO_AGE_RANGE: WorkQueueAgeRange = { min: null, max: null };

/**
 * Where the next work-queue page starts: after this claim (its sort key: the
 * pend date, or the amount in cents as decimal digits), in the queue as of
 * this date, in this sort, under these filters.
 */
export interface WorkQueueCursor {
  asOf: string;
  sort: PendWorkQueueSort;
  filter: PendQueueFilter;
  ageDays: WorkQueueAgeRange;
  after: PendWorkQueueAfter;
}

export function encodeWorkQueueCursor(cursor: WorkQueueCursor): string {
  const body = {
    asOf: cursor.asOf,
    sort: cursor.sort,
    filter: filterOf(cursor.filter),
    ...(cursor.ageDays.min === null && cursor.ageDays.max === null ? {} : { ageDays: cursor.ageDays }),
    after: cursor.after,
  };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The claim id a page ended on, as stored: the pipeline bounds claim ids only
 * by its layouts' field length (up to 65,536 characters), so the cursor
 * bounds it by its own length, never below what a page can hand out.
 */
const ClaimId = queryText(1, MAX_CURSOR_LENGTH);
/** Postgres's bigint range: a key past it would fail in the query (a 500), not name a claim. */
const MIN_BIGINT = -(2n ** 63n);
const MAX_BIGINT = 2n ** 63n - 1n;
const AmountCents = z
  .string()
  .regex(/^-?\d{1,19}$/)
  .refine((key) => BigInt(key) >= MIN_BIGINT && BigInt(key) <= MAX_BIGINT, 'out of the bigint range');

const CursorAgeRange = z
  .object({
    min: z.number().int().min(0).max(MAX_AGE_DAYS).nullable(),
    max: z.number().int().min(0).max(MAX_AGE_DAYS).nullable(),
  })
  .strict();

const CursorSchema = z.union([
  z
    .object({
      asOf: CalendarDate,
      sort: z.literal('age'),
      filter: z.object(PendQueueFilterShape).strict(),
      ageDays: CursorAgeRange.optional(),
      after: z.object({ key: CalendarDate, claimId: ClaimId }).strict(),
    })
    .strict(),
  z
    .object({
      asOf: CalendarDate,
      sort: z.literal('amount'),
      filter: z.object(PendQueueFilterShape).strict(),
      ageDays: CursorAgeRange.optional(),
      after: z.object({ key: AmountCents, claimId: ClaimId }).strict(),
    })
    .strict(),
  // A page handed out before the filters (asOf, pend date, claim id): oldest first, unfiltered.
  z.tuple([CalendarDate, CalendarDate, ClaimId]),
]);

/** The cursor a page handed out, or null when it is not one (tampered, truncated). */
export function decodeWorkQueueCursor(encoded: string): WorkQueueCursor | null {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    if (Array.isArray(parsed.data)) {
      const [asOf, pendedOn, claimId] = parsed.data;
      return { asOf, sort: 'age', filter: {}, ageDays: NO_AGE_RANGE, after: { key: pendedOn, claimId } };
    }
    const { asOf, sort, filter, ageDays, after } = parsed.data;
    return { asOf, sort, filter: filterOf(filter), ageDays: ageDays ?? NO_AGE_RANGE, after };
  } catch {
    return null;
  }
}

export interface PendedQueueQuery {
  asOf: string | null;
  groupBy: PendGroupByDimension;
  limit: number;
  /** Absent or empty: the whole queue. */
  filter?: PendQueueFilter;
}

export function parsePendedQueueQuery(query: unknown): PendedQueueQuery {
  const { asOf, groupBy, limit, ...filter } = parseQuery(PendedQueueQuerySchema, query);
  return { asOf: asOf ?? null, groupBy: groupBy ?? 'reason', limit: limit ?? 100, filter: filterOf(filter) };
}

export interface PendFlowQuery {
  from: string | null;
  to: string | null;
  /** Absent or empty: the whole queue. */
  filter?: PendQueueFilter;
}

export function parsePendFlowQuery(query: unknown): PendFlowQuery {
  const { from, to, ...filter } = parseQuery(PendFlowQuerySchema, query);
  return { from: from ?? null, to: to ?? null, filter: filterOf(filter) };
}

export interface WorkQueueQuery {
  /** The as-of date asked for, else the cursor's, else null (the watermark). */
  asOf: string | null;
  limit: number;
  sort: PendWorkQueueSort;
  filter: PendQueueFilter;
  /** The claims' age range as of `asOf`; both null: every age. */
  ageDays: WorkQueueAgeRange;
  after: PendWorkQueueAfter | null;
}

export function parseWorkQueueQuery(query: unknown): WorkQueueQuery {
  const {
    asOf,
    limit,
    sort: sortAsked,
    cursor,
    minAgeDays,
    maxAgeDays,
    ...filterAsked
  } = parseQuery(WorkQueueQuerySchema, query);
  const sort = sortAsked ?? 'age';
  const filter = filterOf(filterAsked);
  const ageDays: WorkQueueAgeRange = { min: minAgeDays ?? null, max: maxAgeDays ?? null };
  const decoded = cursor === undefined ? null : decodeWorkQueueCursor(cursor);
  if (cursor !== undefined && decoded === null) throw invalidRequest(['cursor']);
  if (decoded) {
    // A cursor belongs to one list: the queue as of one date (which it supplies when the request leaves it out),
    // in one sort, under one set of filters (which the request repeats); paging on in another would skip or repeat.
    if (asOf !== undefined && decoded.asOf !== asOf) throw invalidRequest(['cursor', 'asOf']);
    if (decoded.sort !== sort) throw invalidRequest(['cursor', 'sort']);
    const differing: string[] = PEND_QUEUE_FILTER_FIELDS.filter((field) => decoded.filter[field] !== filter[field]);
    if (decoded.ageDays.min !== ageDays.min) differing.push('minAgeDays');
    if (decoded.ageDays.max !== ageDays.max) differing.push('maxAgeDays');
    if (differing.length > 0) throw invalidRequest(['cursor', ...differing]);
  }
  return {
    asOf: asOf ?? decoded?.asOf ?? null,
    limit: limit ?? 50,
    sort,
    filter,
    ageDays,
    after: decoded?.after ?? null,
  };
}
