import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/**
 * The query vocabulary every route parses alike, so one filter means one
 * thing everywhere and a bad one is refused the same way: a 400
 * `REQUEST_INVALID` naming the fields (never their values).
 */

const isCalendarDate = (value: string): boolean => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
};

/** YYYY-MM-DD, and a day the calendar has (no 2024-02-30). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

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
