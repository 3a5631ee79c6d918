import { providerAdjustmentSummary, type ProviderAdjustmentSummary } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import type { ProviderAdjustmentsQuery } from './provider-adjustments.query';
import { ProviderAdjustmentsRepository } from './provider-adjustments.repository';

export interface ProviderAdjustmentsResponse extends ProviderAdjustmentSummary {
  /** The filters applied; null is no bound. */
  from: string | null;
  to: string | null;
  groupBy: ProviderAdjustmentsQuery['groupBy'];
}

/** 835 provider-level adjustments (docs/kpis/denials-and-payment.md, "Provider-level adjustments"). */
@Injectable()
export class ProviderAdjustmentsService {
  constructor(private readonly repository: ProviderAdjustmentsRepository) {}

  async summary(query: ProviderAdjustmentsQuery): Promise<ProviderAdjustmentsResponse> {
    const [totals, rows] = await Promise.all([this.repository.totals(query), this.repository.grouped(query)]);
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      ...providerAdjustmentSummary(query.groupBy, totals, rows),
    };
  }
}
