import { DENIAL_SOURCES, type DenialRates, type DenialRootCauses } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import type { ApiPrincipal } from '../auth/bearer-token.guard';
import { DenialCostService, type PaymentsResponse, type VolumeResponse } from '../kpis/denial-cost.service';
import { PendedQueueService, type PendFlowResponse, type PendedQueueResponse } from '../kpis/pended-queue.service';
import {
  DENIAL_RATES_CELLS,
  DENIAL_ROOT_CAUSES_CELLS,
  PAYMENTS_CELLS,
  PENDED_QUEUE_CELLS,
  PEND_FLOW_CELLS,
  VOLUME_CELLS,
} from '../kpis/small-cells';
import type { Withheld } from '../privacy/small-cell';
import { SmallCellPolicy } from '../privacy/small-cell.policy';
import type { KpiReportQuery } from './kpi-report.query';

/** The most pend reasons the report lists: the reason codes are a short list, so this is all of them in practice. */
export const REPORT_PEND_REASONS = 20;

/**
 * Every figure one report shows, as the KPI routes answer them for the same
 * filters and the same caller: small cells withheld (null, named in
 * `suppressed`) where the routes would withhold them.
 */
export interface KpiReportData {
  filters: KpiReportQuery;
  generatedAt: Date;
  /** The small-cell threshold applied to this caller's figures; null when none is withheld from them. */
  smallCellThreshold: number | null;
  pendedQueue: Withheld<PendedQueueResponse>;
  flow: Withheld<PendFlowResponse>;
  /** One answer per denial source rule, in DENIAL_SOURCES order: each counts its own unit, never summed. */
  denials: Array<Withheld<DenialRates>>;
  rootCauses: Withheld<DenialRootCauses>;
  payments: Withheld<PaymentsResponse>;
  volume: Withheld<VolumeResponse>;
}

/**
 * Gathers the report's figures through the services behind the KPI routes,
 * with the defaults the dashboard uses (reasons, claims by category, payer,
 * claim type), so the PDF and the JSON never disagree.
 */
@Injectable()
export class KpiReportService {
  constructor(
    private readonly pendedQueue: PendedQueueService,
    private readonly denialCost: DenialCostService,
    private readonly smallCells: SmallCellPolicy,
  ) {}

  /** The figures as `viewer` may see them: the route's interceptor never sees a PDF, so the policy is applied here. */
  async gather(filters: KpiReportQuery, generatedAt: Date, viewer: ApiPrincipal | undefined): Promise<KpiReportData> {
    const asOf = filters.asOf;
    const [pendedQueue, flow, denials, rootCauses, payments, volume] = await Promise.all([
      this.pendedQueue.summary({ asOf: filters.asOf, groupBy: 'reason', limit: REPORT_PEND_REASONS }),
      this.pendedQueue.flow({ from: filters.from, to: filters.to }),
      // The counters at the same end of day as the queue; without one, live (the watermark's day: no later event is folded).
      Promise.all(
        DENIAL_SOURCES.map((source) => this.denialCost.denials({ source, groupBy: 'payer', filter: {}, asOf })),
      ),
      this.denialCost.denialRootCauses({ source: 'remittance', groupBy: 'category', filter: {}, asOf }),
      this.denialCost.payments({ groupBy: 'payer', filter: {}, asOf }),
      this.denialCost.volume({ groupBy: 'claim_type', filter: {}, asOf }),
    ]);
    const policy = this.smallCells;
    return {
      filters,
      generatedAt,
      smallCellThreshold: policy.withholdsFrom(viewer) ? policy.threshold : null,
      pendedQueue: policy.apply(viewer, pendedQueue, PENDED_QUEUE_CELLS),
      flow: policy.apply(viewer, flow, PEND_FLOW_CELLS),
      denials: denials.map((answer) => policy.apply(viewer, answer, DENIAL_RATES_CELLS)),
      rootCauses: policy.apply(viewer, rootCauses, DENIAL_ROOT_CAUSES_CELLS),
      payments: policy.apply(viewer, payments, PAYMENTS_CELLS),
      volume: policy.apply(viewer, volume, VOLUME_CELLS),
    };
  }
}
