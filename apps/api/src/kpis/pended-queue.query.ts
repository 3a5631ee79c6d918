import { PEND_GROUP_BY_DIMENSIONS, daysBetween, type PendGroupByDimension } from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, invalidRequest, parseQuery, wholeNumber } from '../http/query-fields';

/** The longest flow range one request may ask for: ten years of days. */
export const MAX_FLOW_DAYS = 3660;

const PendedQueueQuerySchema = z
  .object({
    asOf: CalendarDate.optional(),
    groupBy: z.enum(PEND_GROUP_BY_DIMENSIONS).optional(),
    /** The most dimension values listed, largest open count first. */
    limit: wholeNumber(1, 1000).optional(),
  })
  .strict();

const PendFlowQuerySchema = z
  .object({ from: CalendarDate.optional(), to: CalendarDate.optional() })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from after to', path: ['from'] })
  .refine((query) => !query.from || !query.to || daysBetween(query.from, query.to) < MAX_FLOW_DAYS, {
    message: `at most ${MAX_FLOW_DAYS} days`,
    path: ['to'],
  });

const WorkQueueQuerySchema = z
  .object({
    asOf: CalendarDate.optional(),
    limit: wholeNumber(1, 500).optional(),
    cursor: z.string().max(1024).optional(),
  })
  .strict();

/** Where the next work-queue page starts: after this claim, in a queue seen as of this date. */
export interface WorkQueueCursor {
  asOf: string;
  pendedOn: string;
  claimId: string;
}

export function encodeWorkQueueCursor(cursor: WorkQueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.asOf, cursor.pendedOn, cursor.claimId]), 'utf8').toString('base64url');
}

const CursorSchema = z.tuple([CalendarDate, CalendarDate, z.string().min(1).max(512)]);

/** The cursor a page handed out, or null when it is not one (tampered, truncated). */
export function decodeWorkQueueCursor(encoded: string): WorkQueueCursor | null {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    if (!parsed.success) return null;
    const [asOf, pendedOn, claimId] = parsed.data;
    return { asOf, pendedOn, claimId };
  } catch {
    return null;
  }
}

export interface PendedQueueQuery {
  asOf: string | null;
  groupBy: PendGroupByDimension;
  limit: number;
}

export function parsePendedQueueQuery(query: unknown): PendedQueueQuery {
  const { asOf, groupBy, limit } = parseQuery(PendedQueueQuerySchema, query);
  return { asOf: asOf ?? null, groupBy: groupBy ?? 'reason', limit: limit ?? 100 };
}

export interface PendFlowQuery {
  from: string | null;
  to: string | null;
}

export function parsePendFlowQuery(query: unknown): PendFlowQuery {
  const { from, to } = parseQuery(PendFlowQuerySchema, query);
  return { from: from ?? null, to: to ?? null };
}

export interface WorkQueueQuery {
  /** The as-of date asked for, else the cursor's, else null (the watermark). */
  asOf: string | null;
  limit: number;
  after: { pendedOn: string; claimId: string } | null;
}

export function parseWorkQueueQuery(query: unknown): WorkQueueQuery {
  const { asOf, limit, cursor } = parseQuery(WorkQueueQuerySchema, query);
  const decoded = cursor === undefined ? null : decodeWorkQueueCursor(cursor);
  if (cursor !== undefined && decoded === null) throw invalidRequest(['cursor']);
  // A cursor belongs to the queue as of one date; paging on at another would skip or repeat claims.
  if (decoded && asOf !== undefined && decoded.asOf !== asOf) throw invalidRequest(['cursor', 'asOf']);
  return {
    asOf: asOf ?? decoded?.asOf ?? null,
    limit: limit ?? 50,
    after: decoded ? { pendedOn: decoded.pendedOn, claimId: decoded.claimId } : null,
  };
}
