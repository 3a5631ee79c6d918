import {
  DIMENSION_COUNTER_CELLS_SQL,
  claimFilterSql,
  filteredDimensionCellsSql,
  hasClaimFilter,
  topDimensionCellsSql,
  type ClaimFilter,
  type DimensionCounterCellRow,
  type DimensionCounterMeasure,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Reads the denial and cost counters: key ranges of kpi_dimension_counter,
 * the SQL in @claims/kpi. A filtered read is computed from the claims the
 * filter keeps (the counters are one-dimensional sums).
 */
@Injectable()
export class DenialCostRepository {
  constructor(private readonly dataSource: DataSource) {}

  cells(family: string, dimension: string, filter: ClaimFilter = {}): Promise<DimensionCounterCellRow[]> {
    if (!hasClaimFilter(filter)) return this.dataSource.query(DIMENSION_COUNTER_CELLS_SQL, [family, dimension]);
    const { sql, parameters } = claimFilterSql(filter, 3);
    return this.dataSource.query(filteredDimensionCellsSql(sql), [family, dimension, ...parameters]);
  }

  top(
    family: string,
    dimension: string,
    orderBy: DimensionCounterMeasure,
    limit: number,
  ): Promise<DimensionCounterCellRow[]> {
    return this.dataSource.query(topDimensionCellsSql(orderBy), [family, dimension, limit]);
  }
}
