import { daysBetween } from '@claims/kpi';
import { z } from 'zod';
import { CalendarDate, parseQuery } from '../http/query-fields';
import { MAX_FLOW_DAYS } from '../kpis/pended-queue.query';

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
  const data = parseQuery(KpiReportQuerySchema, query);
  const { from, to, asOf } = data;
  return { from: from ?? null, to: to ?? null, asOf: asOf ?? null };
}
