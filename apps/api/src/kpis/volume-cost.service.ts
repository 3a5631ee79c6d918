import {
  chronicConditionRows,
  pmpmSummary,
  scoreProviderOutliers,
  type ChronicConditionRow,
  type PmpmSummary,
  type ProviderOutliers,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import type { ChronicConditionsQuery, OutlierProvidersQuery, PmpmQuery } from './volume-cost.query';
import { VolumeCostRepository } from './volume-cost.repository';

export interface PmpmResponse extends PmpmSummary {
  /** The coverage year read; null when no beneficiary summary states one (every figure is then empty). */
  year: number | null;
  groupBy: PmpmQuery['groupBy'];
  filter: PmpmQuery['filter'];
}

export interface ChronicConditionsResponse {
  year: number | null;
  filter: ChronicConditionsQuery['filter'];
  /** Members with a beneficiary summary for the year. */
  members: number;
  conditions: ChronicConditionRow[];
}

export interface OutlierProvidersResponse extends ProviderOutliers, OutlierProvidersQuery {}

/**
 * Cost per member per month, chronic-condition prevalence and cost, outlier
 * providers (docs/kpis/volume-and-cost.md). Aggregates only: no member
 * identifier leaves the database; providers are named by NPI (public).
 */
@Injectable()
export class VolumeCostService {
  constructor(private readonly repository: VolumeCostRepository) {}

  async pmpm(query: PmpmQuery): Promise<PmpmResponse> {
    const year = query.year ?? (await this.repository.latestMemberYear());
    if (year === null) {
      return {
        year,
        groupBy: query.groupBy,
        filter: query.filter,
        ...pmpmSummary(query.groupBy, NO_MEMBER_MONTHS, []),
      };
    }
    const [memberMonths, claims] = await Promise.all([
      this.repository.memberMonths(year),
      this.repository.memberClaimsByMonth(year, query.filter),
    ]);
    return { year, groupBy: query.groupBy, filter: query.filter, ...pmpmSummary(query.groupBy, memberMonths, claims) };
  }

  async chronicConditions(query: ChronicConditionsQuery): Promise<ChronicConditionsResponse> {
    const year = query.year ?? (await this.repository.latestMemberYear());
    if (year === null) return { year, filter: query.filter, members: 0, conditions: [] };
    const [memberMonths, conditions] = await Promise.all([
      this.repository.memberMonths(year),
      this.repository.chronicConditions(year, query.filter),
    ]);
    return { year, filter: query.filter, members: memberMonths.members, conditions: chronicConditionRows(conditions) };
  }

  async outlierProviders(query: OutlierProvidersQuery): Promise<OutlierProvidersResponse> {
    const providers = await this.repository.providerVolumeCost(query.minClaims, query.filter);
    return { ...query, ...scoreProviderOutliers(providers, query) };
  }
}

const NO_MEMBER_MONTHS = { members: 0, medical_member_months: 0, pharmacy_member_months: 0 };
