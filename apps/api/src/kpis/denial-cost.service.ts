import {
  DIMENSION_COUNTER_FAMILY,
  TOP_KIND_CELLS,
  denialFamily,
  denialRates,
  paymentRows,
  topRows,
  volumeRows,
  type DenialRates,
  type PaymentRow,
  type TopKind,
  type TopRow,
  type VolumeRow,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { DenialCostRepository } from './denial-cost.repository';
import type { DenialsQuery, TopQuery } from './denial-cost.query';

export interface PaymentsResponse {
  groupBy: string;
  rows: PaymentRow[];
}

export interface VolumeResponse {
  groupBy: string;
  rows: VolumeRow[];
}

export interface TopResponse {
  kind: TopKind;
  by: TopQuery['by'];
  /** What each row's `count` counts. */
  counts: string;
  rows: TopRow[];
}

/** The denial-and-payment and volume-and-cost KPIs, from their pre-aggregated counters. */
@Injectable()
export class DenialCostService {
  constructor(private readonly repository: DenialCostRepository) {}

  async denials(query: DenialsQuery): Promise<DenialRates> {
    return denialRates(
      query.source,
      query.groupBy,
      await this.repository.cells(denialFamily(query.source), query.groupBy),
    );
  }

  async payments(groupBy: string): Promise<PaymentsResponse> {
    return { groupBy, rows: paymentRows(await this.repository.cells(DIMENSION_COUNTER_FAMILY.claims, groupBy)) };
  }

  async volume(groupBy: string): Promise<VolumeResponse> {
    return { groupBy, rows: volumeRows(await this.repository.cells(DIMENSION_COUNTER_FAMILY.claims, groupBy)) };
  }

  async top(query: TopQuery): Promise<TopResponse> {
    const cells = TOP_KIND_CELLS[query.kind];
    const rows = await this.repository.top(
      cells.family,
      cells.dimension,
      query.by === 'paid' ? 'paid_amount_cents' : query.by === 'cost' ? 'billed_amount_cents' : cells.countMeasure,
      query.limit,
    );
    return { kind: query.kind, by: query.by, counts: cells.counts, rows: topRows(query.kind, rows) };
  }
}
