import {
  CLAIMS_RECEIVED_BATCH_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  FILE_ACCOUNTING_SQL,
  PEND_HISTOGRAM_DIFFERENCES_SQL,
  STREAMED_COUNTERS_SQL,
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

  streamedCounters(): Promise<KpiCounterRow[]> {
    return this.dataSource.query(STREAMED_COUNTERS_SQL);
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
