import { DIMENSION_COUNTER_FAMILIES, dimensionCounterBatchSql } from '@claims/kpi';
import type { DataSource } from 'typeorm';

export interface BatchRow {
  kpi: string;
  dimension: string;
  value: string;
}

/**
 * For every family, its rows of the batch SQL computed for it alone and as
 * picked from the all-family batch SQL, over the claims a filter keeps
 * (`claimFilter` from claimFilterSql with its values from $1 on).
 */
export async function familyRowsAloneAndAmongAll(
  dataSource: DataSource,
  claimFilter: string,
  parameters: string[],
): Promise<{ alone: Array<[string, BatchRow[]]>; amongAll: Array<[string, BatchRow[]]> }> {
  const rowsOf = (sql: string): Promise<BatchRow[]> =>
    dataSource.query(`SELECT * FROM (${sql}) AS b ORDER BY kpi, dimension`, parameters);
  const all = await rowsOf(dimensionCounterBatchSql(claimFilter));
  const alone: Array<[string, BatchRow[]]> = [];
  for (const family of DIMENSION_COUNTER_FAMILIES) {
    alone.push([family, await rowsOf(dimensionCounterBatchSql(claimFilter, [family]))]);
  }
  return {
    alone,
    amongAll: DIMENSION_COUNTER_FAMILIES.map((family) => [
      family,
      all.filter((row) => row.kpi.startsWith(`${family}.`)),
    ]),
  };
}

/** The families that have rows. */
export const familiesWithRows = (rows: Array<[string, BatchRow[]]>): string[] =>
  rows.filter(([, familyRows]) => familyRows.length > 0).map(([family]) => family);
