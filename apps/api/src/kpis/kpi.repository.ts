import { CLAIMS_RECEIVED_BATCH_SQL, STREAMED_COUNTERS_SQL, type KpiCounterRow } from '@claims/kpi';
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
