import {
  CLAIMS_RECEIVED_BATCH_SQL,
  DAILY_COUNTER_DIFFERENCES_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  FILE_ACCOUNTING_SQL,
  PEND_HISTOGRAM_DIFFERENCES_SQL,
  STREAMED_COUNTERS_AS_OF_SQL,
  STREAMED_COUNTERS_SQL,
  type DailyCounterDifferenceRow,
  type FileAccountingRow,
  type KpiCounterRow,
  type PendHistogramDifferenceRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Watermark {
  eventTimeWatermark: string | null;
  lastCommittedAt: string | null;
}

@Injectable()
export class KpiRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The first family's counters: live, or as they stood at the end of event day `asOf`. */
  streamedCounters(asOf: string | null = null): Promise<KpiCounterRow[]> {
    return asOf === null
      ? this.dataSource.query(STREAMED_COUNTERS_SQL)
      : this.dataSource.query(STREAMED_COUNTERS_AS_OF_SQL, [asOf]);
  }

  batchCounters(): Promise<KpiCounterRow[]> {
    return this.dataSource.query(CLAIMS_RECEIVED_BATCH_SQL);
  }

  /** Every streamed counter: the first family's and the denial and cost cells', one measure a row. */
  async allStreamedCounters(): Promise<KpiCounterRow[]> {
    const [counters, cells] = await Promise.all([
      this.streamedCounters(),
      this.dataSource.query(STREAMED_DIMENSION_COUNTERS_SQL) as Promise<KpiCounterRow[]>,
    ]);
    return [...counters, ...cells];
  }

  /** The batch SQL of every counter, in the same shape. */
  async allBatchCounters(): Promise<KpiCounterRow[]> {
    const [counters, cells] = await Promise.all([
      this.batchCounters(),
      this.dataSource.query(DIMENSION_COUNTER_BATCH_SQL) as Promise<KpiCounterRow[]>,
    ]);
    return [...counters, ...cells];
  }

  /** The cells where the streamed pend histogram differs from its batch SQL over claim_pend, `limit` at most. */
  pendHistogramDifferences(limit: number): Promise<PendHistogramDifferenceRow[]> {
    return this.dataSource.query(PEND_HISTOGRAM_DIFFERENCES_SQL, [limit]);
  }

  /** The counters whose day-keyed deltas, summed over every day, differ from the live counter; `limit` at most. */
  dailyCounterDifferences(limit: number): Promise<DailyCounterDifferenceRow[]> {
    return this.dataSource.query(DAILY_COUNTER_DIFFERENCES_SQL, [limit]);
  }

  fileAccounting(): Promise<FileAccountingRow[]> {
    return this.dataSource.query(FILE_ACCOUNTING_SQL);
  }

  /** Dead letters that name no source record (a foreign or unreadable message): counted, never tied to a file. */
  async untracedDeadLetters(): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*)::text AS n FROM dead_letter WHERE file_id IS NULL`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async watermark(): Promise<Watermark> {
    const rows: Array<{ watermark: string | null; committed_at: Date | null }> = await this.dataSource.query(
      `SELECT to_char(max(event_time_watermark), 'YYYY-MM-DD') AS watermark, max(committed_at) AS committed_at FROM kpi_watermark`,
    );
    return {
      eventTimeWatermark: rows[0]?.watermark ?? null,
      lastCommittedAt: rows[0]?.committed_at?.toISOString() ?? null,
    };
  }
}
