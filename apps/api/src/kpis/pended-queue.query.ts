import { PEND_GROUP_BY_DIMENSIONS, daysBetween, type PendGroupByDimension } from '@claims/kpi';
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/** The longest flow range one request may ask for: ten years of days. */
export const MAX_FLOW_DAYS = 3660;

const isCalendarDate = (value: string): boolean => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
};

const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

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

function invalid(fields: readonly string[]): BadRequestException {
  return new BadRequestException({ code: 'REQUEST_INVALID', fields: [...new Set(fields)] });
}

function parse<Schema extends z.ZodType>(schema: Schema, query: unknown): z.output<Schema> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(query)'],
      ),
    );
  }
  return parsed.data;
}

export interface PendedQueueQuery {
  asOf: string | null;
  groupBy: PendGroupByDimension;
  limit: number;
}

export function parsePendedQueueQuery(query: unknown): PendedQueueQuery {
  const { asOf, groupBy, limit } = parse(PendedQueueQuerySchema, query);
  return { asOf: asOf ?? null, groupBy: groupBy ?? 'reason', limit: limit ?? 100 };
}

export interface PendFlowQuery {
  from: string | null;
  to: string | null;
}

export function parsePendFlowQuery(query: unknown): PendFlowQuery {
  const { from, to } = parse(PendFlowQuerySchema, query);
  return { from: from ?? null, to: to ?? null };
}

export interface WorkQueueQuery {
  /** The as-of date asked for, else the cursor's, else null (the watermark). */
  asOf: string | null;
  limit: number;
  after: { pendedOn: string; claimId: string } | null;
}

export function parseWorkQueueQuery(query: unknown): WorkQueueQuery {
  const { asOf, limit, cursor } = parse(WorkQueueQuerySchema, query);
  const decoded = cursor === undefined ? null : decodeWorkQueueCursor(cursor);
  if (cursor !== undefined && decoded === null) throw invalid(['cursor']);
  // A cursor belongs to the queue as of one date; paging on at another would skip or repeat claims.
  if (decoded && asOf !== undefined && decoded.asOf !== asOf) throw invalid(['cursor', 'asOf']);
  return {
    asOf: asOf ?? decoded?.asOf ?? null,
    limit: limit ?? 50,
    after: decoded ? { pendedOn: decoded.pendedOn, claimId: decoded.claimId } : null,
  };
}
