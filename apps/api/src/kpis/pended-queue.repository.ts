import {
  pendDailyFlowQuery,
  pendDaysToClearQuery,
  pendOpenByDimensionQuery,
  pendWorkQueueQuery,
  type PendDailyFlowRow,
  type PendDaysToClearRow,
  type PendDimension,
  type PendOpenRow,
  type PendQueueFilter,
  type PendSqlQuery,
  type PendWorkQueueAfter,
  type PendWorkQueueRow,
  type PendWorkQueueSort,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Reads the pended-queue KPIs: the SQL lives in @claims/kpi, parameterised
 * only, and picks its source there (the day histogram without a filter,
 * claim_pend with one).
 */
@Injectable()
export class PendedQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  openByDimension(
    asOf: string,
    dimension: PendDimension,
    limit: number,
    filter: PendQueueFilter,
  ): Promise<PendOpenRow[]> {
    return this.run(pendOpenByDimensionQuery(asOf, dimension, limit, filter));
  }

  daysToClear(asOf: string, filter: PendQueueFilter): Promise<PendDaysToClearRow[]> {
    return this.run(pendDaysToClearQuery(asOf, filter));
  }

  dailyFlow(from: string, to: string, filter: PendQueueFilter): Promise<PendDailyFlowRow[]> {
    return this.run(pendDailyFlowQuery(from, to, filter));
  }

  workQueue(options: {
    asOf: string;
    sort: PendWorkQueueSort;
    filter: PendQueueFilter;
    after: PendWorkQueueAfter | null;
    limit: number;
    ageDays: { min: number | null; max: number | null };
  }): Promise<PendWorkQueueRow[]> {
    return this.run(pendWorkQueueQuery(options));
  }

  private run<Row>(query: PendSqlQuery): Promise<Row[]> {
    return this.dataSource.query(query.text, query.parameters);
  }
}
