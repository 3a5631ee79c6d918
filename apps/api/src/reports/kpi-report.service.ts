import { DENIAL_SOURCES, type DenialRates, type DenialRootCauses } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DenialCostService, type PaymentsResponse, type VolumeResponse } from '../kpis/denial-cost.service';
import { PendedQueueService, type PendFlowResponse, type PendedQueueResponse } from '../kpis/pended-queue.service';
import type { KpiReportQuery } from './kpi-report.query';

/** The most pend reasons the report lists: the reason codes are a short list, so this is all of them in practice. */
export const REPORT_PEND_REASONS = 20;

/** Every figure one report shows, as the KPI routes answer them for the same filters. */
export interface KpiReportData {
  filters: KpiReportQuery;
  generatedAt: Date;
  pendedQueue: PendedQueueResponse;
  flow: PendFlowResponse;
  /** One answer per denial source rule, in DENIAL_SOURCES order: each counts its own unit, never summed. */
  denials: DenialRates[];
  rootCauses: DenialRootCauses;
  payments: PaymentsResponse;
  volume: VolumeResponse;
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
  ) {}

  async gather(filters: KpiReportQuery, generatedAt: Date): Promise<KpiReportData> {
    const [pendedQueue, flow, denials, rootCauses, payments, volume] = await Promise.all([
      this.pendedQueue.summary({ asOf: filters.asOf, groupBy: 'reason', limit: REPORT_PEND_REASONS }),
      this.pendedQueue.flow({ from: filters.from, to: filters.to }),
      Promise.all(DENIAL_SOURCES.map((source) => this.denialCost.denials({ source, groupBy: 'payer' }))),
      this.denialCost.denialRootCauses({ source: 'remittance', groupBy: 'category' }),
      this.denialCost.payments('payer'),
      this.denialCost.volume('claim_type'),
    ]);
    return { filters, generatedAt, pendedQueue, flow, denials, rootCauses, payments, volume };
  }
}
