import { isIsoCalendarDate } from '@claims/contracts';
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/**
 * The query vocabulary every route parses alike, so one filter means one
 * thing everywhere and a bad one is refused the same way: a 400
 * `REQUEST_INVALID` naming the fields (never their values).
 */

/**
 * The first day a YYYY-MM-DD date names in Postgres: it has no year 0 (1 BC
 * comes before 0001), so `0000-…` fails there as a 500. A date the API
 * derives (a default range's start) is kept on or after it too.
 */
export const EARLIEST_CALENDAR_DATE = '0001-01-01';

/** YYYY-MM-DD, and a day the calendar has (no 2024-02-30, no year 0: isIsoCalendarDate). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isIsoCalendarDate, 'not a calendar date');

/**
 * Text a query parameter (or a cursor) carries, `min` to `max` characters and
 * no NUL: a Postgres text value cannot hold one, so such a value names nothing
 * stored and is refused here rather than failing in the database as a 500.
 */
export const queryText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[^\0]*$/, 'no NUL character');

/** A whole number written in decimal digits, within [min, max]. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** The 400 naming the fields at fault. */
export function invalidRequest(fields: readonly string[]): BadRequestException {
  return new BadRequestException({ code: 'REQUEST_INVALID', fields: [...new Set(fields)] });
}

const NO_PARAMETERS = z.object({}).strict();

/** The query of a route that takes no parameter: one sent anyway is a 400 naming it, never silently ignored. */
export function refuseQueryParameters(query: unknown): void {
  parseQuery(NO_PARAMETERS, query);
}

/** Parses a query against its schema; an unknown parameter or a bad value is a 400 naming it. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.output<Schema> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw invalidRequest(
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(query)'],
      ),
    );
  }
  return parsed.data;
}
