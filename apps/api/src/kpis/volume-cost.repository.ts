import {
  LATEST_MEMBER_YEAR_SQL,
  MEMBER_MONTHS_SQL,
  chronicConditionsSql,
  claimIdFilterSql,
  memberClaimsByMonthSql,
  providerVolumeCostSql,
  type ChronicConditionSqlRow,
  type ClaimFilter,
  type MemberClaimsSqlRow,
  type MemberMonthsSqlRow,
  type ProviderVolumeCostSqlRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Each query's claim_state alias: the claim filters keep its rows by claim id. */
const CLAIM_ID = 'c.claim_id';

/** Reads the member and provider cost KPIs: the SQL lives in @claims/kpi, parameterised only. */
@Injectable()
export class VolumeCostRepository {
  constructor(private readonly dataSource: DataSource) {}

  async latestMemberYear(): Promise<number | null> {
    const rows: Array<{ year: number | null }> = await this.dataSource.query(LATEST_MEMBER_YEAR_SQL);
    return rows[0]?.year ?? null;
  }

  async memberMonths(year: number): Promise<MemberMonthsSqlRow> {
    const rows: MemberMonthsSqlRow[] = await this.dataSource.query(MEMBER_MONTHS_SQL, [year]);
    return rows[0] ?? { members: 0, medical_member_months: 0, pharmacy_member_months: 0 };
  }

  memberClaimsByMonth(year: number, filter: ClaimFilter): Promise<MemberClaimsSqlRow[]> {
    return this.filteredQuery(memberClaimsByMonthSql, year, filter);
  }

  chronicConditions(year: number, filter: ClaimFilter): Promise<ChronicConditionSqlRow[]> {
    return this.filteredQuery(chronicConditionsSql, year, filter);
  }

  providerVolumeCost(minClaims: number, filter: ClaimFilter): Promise<ProviderVolumeCostSqlRow[]> {
    return this.filteredQuery(providerVolumeCostSql, minClaims, filter);
  }

  /** $1 `first`, then the claim filters from $2. */
  private filteredQuery<Row>(
    sqlOf: (claimFilter: string) => string,
    first: number,
    filter: ClaimFilter,
  ): Promise<Row[]> {
    const { sql, parameters } = claimIdFilterSql(CLAIM_ID, filter, 2);
    return this.dataSource.query(sqlOf(sql), [first, ...parameters]);
  }
}
