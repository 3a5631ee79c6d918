import {
  DIMENSION_COUNTER_CELLS_AS_OF_SQL,
  DIMENSION_COUNTER_CELLS_SQL,
  cellsOfEachDimension,
  claimFilterSql,
  filteredDimensionCellsSql,
  filteredTopDimensionCellsSql,
  hasClaimFilter,
  topDimensionCellsSql,
  type ClaimFilter,
  type DimensionCounterCellRow,
  type DimensionCounterMeasure,
  type FilteredDimensionCellRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Reads the denial and cost counters: key ranges of kpi_dimension_counter,
 * the SQL in @claims/kpi; `asOf`, of its day-keyed twin summed up to that
 * event day. A filtered read is computed from the claims the filter keeps
 * (the counters are one-dimensional sums), for the family read alone; it is
 * never asked together with `asOf` (the query parsers refuse the pair).
 */
@Injectable()
export class DenialCostRepository {
  constructor(private readonly dataSource: DataSource) {}

  async cells(
    family: string,
    dimension: string,
    filter: ClaimFilter = {},
    asOf: string | null = null,
  ): Promise<DimensionCounterCellRow[]> {
    const [cells = []] = await this.cellsByDimension(family, [dimension], filter, asOf);
    return cells;
  }

  /**
   * One family's cells by each of `dimensions`, in that order. Filtered, the
   * claims are read once for them all: the family's computation is the cost,
   * not the dimensions picked from it.
   */
  async cellsByDimension(
    family: string,
    dimensions: readonly string[],
    filter: ClaimFilter = {},
    asOf: string | null = null,
  ): Promise<DimensionCounterCellRow[][]> {
    if (!hasClaimFilter(filter)) {
      return Promise.all(
        dimensions.map(
          (dimension) =>
            (asOf === null
              ? this.dataSource.query(DIMENSION_COUNTER_CELLS_SQL, [family, dimension])
              : this.dataSource.query(DIMENSION_COUNTER_CELLS_AS_OF_SQL, [family, dimension, asOf])) as Promise<
              DimensionCounterCellRow[]
            >,
        ),
      );
    }
    const { sql, parameters } = claimFilterSql(filter, 3);
    const rows: FilteredDimensionCellRow[] = await this.dataSource.query(filteredDimensionCellsSql(sql, [family]), [
      family,
      dimensions,
      ...parameters,
    ]);
    return cellsOfEachDimension(rows, dimensions);
  }

  /** The top `limit` values of one family's dimension by a measure, among the claims a filter keeps if given. */
  top(
    family: string,
    dimension: string,
    orderBy: DimensionCounterMeasure,
    limit: number,
    filter: ClaimFilter = {},
  ): Promise<DimensionCounterCellRow[]> {
    if (!hasClaimFilter(filter)) {
      return this.dataSource.query(topDimensionCellsSql(orderBy), [family, dimension, limit]);
    }
    const { sql, parameters } = claimFilterSql(filter, 4);
    return this.dataSource.query(filteredTopDimensionCellsSql(orderBy, sql, [family]), [
      family,
      [dimension],
      limit,
      ...parameters,
    ]);
  }
}
