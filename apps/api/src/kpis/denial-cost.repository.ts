import {
  DIMENSION_COUNTER_CELLS_SQL,
  topDimensionCellsSql,
  type DimensionCounterCellRow,
  type DimensionCounterMeasure,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Reads the denial and cost counters: key ranges of kpi_dimension_counter, the SQL in @claims/kpi. */
@Injectable()
export class DenialCostRepository {
  constructor(private readonly dataSource: DataSource) {}

  cells(family: string, dimension: string): Promise<DimensionCounterCellRow[]> {
    return this.dataSource.query(DIMENSION_COUNTER_CELLS_SQL, [family, dimension]);
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
