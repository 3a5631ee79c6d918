import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** When the KPI tables last changed: the metrics service stamps kpi_watermark in every fold transaction. */
@Injectable()
export class KpiFreshnessRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest fold commit, or null before the first. */
  async lastCommittedAt(): Promise<Date | null> {
    const rows: Array<{ committed_at: Date | null }> = await this.dataSource.query(
      `SELECT max(committed_at) AS committed_at FROM kpi_watermark`,
    );
    return rows[0]?.committed_at ?? null;
  }
}
