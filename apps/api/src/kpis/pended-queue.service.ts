import {
  addDays,
  daysBetween,
  daysToClearFigures,
  openPendByValue,
  openPendFigures,
  pendDailyFlow,
  pendWorkItem,
  type ClearedWithinSla,
  type OpenPendByValue,
  type PendAgeBucket,
  type PendDailyFlow,
  type PendGroupByDimension,
  type PendWorkItem,
} from '@claims/kpi';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { EARLIEST_CALENDAR_DATE } from '../http/query-fields';
import { KpiRepository } from './kpi.repository';
import { PendedQueueRepository } from './pended-queue.repository';
import {
  MAX_FLOW_DAYS,
  encodeWorkQueueCursor,
  type PendFlowQuery,
  type PendedQueueQuery,
  type WorkQueueQuery,
} from './pended-queue.query';

export interface PendedQueueResponse {
  /** The date the figures are as of: the one asked for, else the event-time watermark; null before any event. */
  asOf: string | null;
  /** The event-time watermark: the latest event date folded. */
  watermark: string | null;
  groupBy: PendGroupByDimension;
  open: { claims: number; amountCents: number };
  ageBuckets: PendAgeBucket[];
  averageAgeDays: number | null;
  oldestAgeDays: number | null;
  byDimension: OpenPendByValue[];
  daysToClear: { p50: number | null; p90: number | null; clearedClaims: number };
  clearedWithinSla: ClearedWithinSla;
}

export interface PendFlowResponse {
  from: string | null;
  to: string | null;
  watermark: string | null;
  days: PendDailyFlow[];
  totals: { inflowClaims: number; outflowClaims: number; netClaims: number; netAmountCents: number };
}

export interface WorkQueueResponse {
  asOf: string | null;
  watermark: string | null;
  items: PendWorkItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The pended-queue KPIs, the daily flow and the work queue, in event time. */
@Injectable()
export class PendedQueueService {
  constructor(
    private readonly repository: PendedQueueRepository,
    private readonly kpis: KpiRepository,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'pendSlaDays'>,
  ) {}

  /** Without a filter, from the day histogram; with one, the same figures from the claims that pass it. */
  async summary(query: PendedQueueQuery): Promise<PendedQueueResponse> {
    const filter = query.filter ?? {};
    const watermark = (await this.kpis.watermark()).eventTimeWatermark;
    const asOf = query.asOf ?? watermark;
    if (asOf === null) {
      return {
        asOf,
        watermark,
        groupBy: query.groupBy,
        ...summaryFigures(openPendFigures(undefined)),
        byDimension: [],
        ...daysToClearFigures([], this.config.pendSlaDays),
      };
    }
    const [all, byDimension, daysToClear] = await Promise.all([
      this.repository.openByDimension(asOf, 'all', 1, filter),
      this.repository.openByDimension(asOf, query.groupBy, query.limit, filter),
      this.repository.daysToClear(asOf, filter),
    ]);
    return {
      asOf,
      watermark,
      groupBy: query.groupBy,
      ...summaryFigures(openPendFigures(all[0])),
      byDimension: openPendByValue(byDimension),
      ...daysToClearFigures(daysToClear, this.config.pendSlaDays),
    };
  }

  /**
   * Daily inflow, outflow and net. `to` defaults to the watermark (or to
   * `from`, when that is later) and `from` to 29 days before `to`; a range
   * longer than MAX_FLOW_DAYS (possible only with a defaulted end) keeps its
   * last MAX_FLOW_DAYS days.
   */
  async flow(query: PendFlowQuery): Promise<PendFlowResponse> {
    const watermark = (await this.kpis.watermark()).eventTimeWatermark;
    // A start past the watermark with the end left out would otherwise answer a range that ends before it starts.
    const defaultTo = watermark !== null && query.from !== null && query.from > watermark ? query.from : watermark;
    const to = query.to ?? defaultTo ?? query.from;
    if (to === null) return { from: null, to: null, watermark, days: [], totals: flowTotals([]) };
    let from = query.from ?? addDays(to, -29);
    if (daysBetween(from, to) >= MAX_FLOW_DAYS) from = addDays(to, -(MAX_FLOW_DAYS - 1));
    // A defaulted start before year 1 is a date Postgres cannot read (it has no year 0): start at year 1.
    if (from < EARLIEST_CALENDAR_DATE) from = EARLIEST_CALENDAR_DATE;
    const days = from <= to ? pendDailyFlow(await this.repository.dailyFlow(from, to, query.filter ?? {})) : [];
    return { from, to, watermark, days, totals: flowTotals(days) };
  }

  async workQueue(query: WorkQueueQuery): Promise<WorkQueueResponse> {
    const watermark = (await this.kpis.watermark()).eventTimeWatermark;
    const asOf = query.asOf ?? watermark;
    const { sort, filter, ageDays } = query;
    if (asOf === null) return { asOf, watermark, items: [], nextCursor: null };
    // One more than asked, to tell whether another page follows.
    const rows = await this.repository.workQueue({
      asOf,
      sort,
      filter,
      ageDays,
      after: query.after,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? encodeWorkQueueCursor({
            asOf,
            sort,
            filter,
            ageDays,
            // The amount as the database wrote it: exact past 2^53 cents.
            after: { key: sort === 'age' ? last.pended_on : last.amount_cents, claimId: last.claim_id },
          })
        : null;
    return { asOf, watermark, items: page.map(pendWorkItem), nextCursor };
  }
}

function summaryFigures(
  figures: ReturnType<typeof openPendFigures>,
): Pick<PendedQueueResponse, 'open' | 'ageBuckets' | 'averageAgeDays' | 'oldestAgeDays'> {
  return {
    open: { claims: figures.claims, amountCents: figures.amountCents },
    ageBuckets: figures.ageBuckets,
    averageAgeDays: figures.averageAgeDays,
    oldestAgeDays: figures.oldestAgeDays,
  };
}

function flowTotals(days: readonly PendDailyFlow[]): PendFlowResponse['totals'] {
  const sum = (pick: (day: PendDailyFlow) => number): number => days.reduce((total, day) => total + pick(day), 0);
  return {
    inflowClaims: sum((day) => day.inflowClaims),
    outflowClaims: sum((day) => day.outflowClaims),
    netClaims: sum((day) => day.netClaims),
    netAmountCents: sum((day) => day.netAmountCents),
  };
}
