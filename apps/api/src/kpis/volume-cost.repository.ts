import {
  CHRONIC_CONDITIONS_SQL,
  LATEST_MEMBER_YEAR_SQL,
  MEMBER_CLAIMS_BY_MONTH_SQL,
  MEMBER_MONTHS_SQL,
  PROVIDER_VOLUME_COST_SQL,
  type ChronicConditionSqlRow,
  type MemberClaimsSqlRow,
  type MemberMonthsSqlRow,
  type ProviderVolumeCostSqlRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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

  memberClaimsByMonth(year: number): Promise<MemberClaimsSqlRow[]> {
    return this.dataSource.query(MEMBER_CLAIMS_BY_MONTH_SQL, [year]);
  }

  chronicConditions(year: number): Promise<ChronicConditionSqlRow[]> {
    return this.dataSource.query(CHRONIC_CONDITIONS_SQL, [year]);
  }

  providerVolumeCost(minClaims: number): Promise<ProviderVolumeCostSqlRow[]> {
    return this.dataSource.query(PROVIDER_VOLUME_COST_SQL, [minClaims]);
  }
}
