import { daysBetween } from '@claims/kpi';
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { MAX_FLOW_DAYS } from '../kpis/pended-queue.query';

const isCalendarDate = (value: string): boolean => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
};

const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

/** The dashboard's filter bar: the flow's date range and the queue's as-of date. */
const KpiReportQuerySchema = z
  .object({ from: CalendarDate.optional(), to: CalendarDate.optional(), asOf: CalendarDate.optional() })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from after to', path: ['from'] })
  .refine((query) => !query.from || !query.to || daysBetween(query.from, query.to) < MAX_FLOW_DAYS, {
    message: `at most ${MAX_FLOW_DAYS} days`,
    path: ['to'],
  });

/** The filters of a report; null is the route's default (the watermark, the 30 days to it). */
export interface KpiReportQuery {
  from: string | null;
  to: string | null;
  asOf: string | null;
}

export function parseKpiReportQuery(query: unknown): KpiReportQuery {
  const parsed = KpiReportQuerySchema.safeParse(query);
  if (!parsed.success) {
    const fields = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || '(query)'],
    );
    throw new BadRequestException({ code: 'REQUEST_INVALID', fields: [...new Set(fields)] });
  }
  const { from, to, asOf } = parsed.data;
  return { from: from ?? null, to: to ?? null, asOf: asOf ?? null };
}
