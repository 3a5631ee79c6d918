import {
  PEND_DAILY_FLOW_SQL,
  PEND_DAYS_TO_CLEAR_SQL,
  PEND_OPEN_BY_DIMENSION_SQL,
  PEND_WORK_QUEUE_SQL,
  type PendDailyFlowRow,
  type PendDaysToClearRow,
  type PendDimension,
  type PendOpenRow,
  type PendWorkQueueRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads the pended-queue KPIs: the SQL lives in @claims/kpi, parameterised only. */
@Injectable()
export class PendedQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  openByDimension(asOf: string, dimension: PendDimension, limit: number): Promise<PendOpenRow[]> {
    return this.dataSource.query(PEND_OPEN_BY_DIMENSION_SQL, [asOf, dimension, limit]);
  }

  daysToClear(asOf: string): Promise<PendDaysToClearRow[]> {
    return this.dataSource.query(PEND_DAYS_TO_CLEAR_SQL, [asOf]);
  }

  dailyFlow(from: string, to: string): Promise<PendDailyFlowRow[]> {
    return this.dataSource.query(PEND_DAILY_FLOW_SQL, [from, to]);
  }

  workQueue(
    asOf: string,
    after: { pendedOn: string; claimId: string } | null,
    limit: number,
  ): Promise<PendWorkQueueRow[]> {
    return this.dataSource.query(PEND_WORK_QUEUE_SQL, [
      asOf,
      after?.pendedOn ?? '-infinity',
      after?.claimId ?? '',
      limit,
    ]);
  }
}
