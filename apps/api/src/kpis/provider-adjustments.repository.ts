import {
  PROVIDER_ADJUSTMENT_TOTALS_SQL,
  providerAdjustmentSql,
  type ProviderAdjustmentSqlRow,
  type ProviderAdjustmentTotalsSqlRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ProviderAdjustmentsQuery } from './provider-adjustments.query';

/** Reads the provider-adjustment KPI: the SQL lives in @claims/kpi, parameterised only. */
@Injectable()
export class ProviderAdjustmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async totals(query: ProviderAdjustmentsQuery): Promise<ProviderAdjustmentTotalsSqlRow | undefined> {
    const rows: ProviderAdjustmentTotalsSqlRow[] = await this.dataSource.query(PROVIDER_ADJUSTMENT_TOTALS_SQL, [
      query.from,
      query.to,
    ]);
    return rows[0];
  }

  grouped(query: ProviderAdjustmentsQuery): Promise<ProviderAdjustmentSqlRow[]> {
    return this.dataSource.query(providerAdjustmentSql(query.groupBy), [query.from, query.to]);
  }
}
