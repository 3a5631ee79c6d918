import {
  adjustmentRows,
  type AdjustmentRow,
  DIMENSION_COUNTER_FAMILY,
  ROOT_CAUSE_GROUP_DIMENSIONS,
  TOP_KIND_CELLS,
  denialFamily,
  denialRates,
  denialRootCauses,
  shippedCarcRootCauses,
  type CarcRootCauses,
  type DenialRootCauses,
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
import type {
  AdjustmentsQuery,
  DenialRootCausesQuery,
  DenialsQuery,
  PaymentsQuery,
  TopQuery,
  VolumeQuery,
} from './denial-cost.query';

export interface PaymentsResponse {
  groupBy: string;
  rows: PaymentRow[];
}

export interface VolumeResponse {
  groupBy: string;
  rows: VolumeRow[];
}

export interface AdjustmentsResponse {
  groupBy: AdjustmentsQuery['groupBy'];
  filter: AdjustmentsQuery['filter'];
  rows: AdjustmentRow[];
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
  /** Read when the API starts: a rules file that does not validate stops the start, as it stops the fold's. */
  private readonly rootCauses: CarcRootCauses = shippedCarcRootCauses();

  constructor(private readonly repository: DenialCostRepository) {}

  /** Denied 835 units by CAQH CORE scenario, category or CARC, with the CARCs the mapping lacks. */
  async denialRootCauses(query: DenialRootCausesQuery): Promise<DenialRootCauses> {
    const family = denialFamily(query.source);
    const [cells = [], carcCells = []] = await this.repository.cellsByDimension(
      family,
      [ROOT_CAUSE_GROUP_DIMENSIONS[query.groupBy], ROOT_CAUSE_GROUP_DIMENSIONS.carc],
      query.filter,
      query.asOf,
    );
    return denialRootCauses(query.source, query.groupBy, cells, carcCells, this.rootCauses);
  }

  async denials(query: DenialsQuery): Promise<DenialRates> {
    return denialRates(
      query.source,
      query.groupBy,
      await this.repository.cells(denialFamily(query.source), query.groupBy, query.filter, query.asOf),
    );
  }

  async payments({ groupBy, filter, asOf }: PaymentsQuery): Promise<PaymentsResponse> {
    const cells = await this.repository.cells(DIMENSION_COUNTER_FAMILY.claims, groupBy, filter, asOf);
    return { groupBy, rows: paymentRows(cells) };
  }

  async volume({ groupBy, filter, asOf }: VolumeQuery): Promise<VolumeResponse> {
    const cells = await this.repository.cells(DIMENSION_COUNTER_FAMILY.claims, groupBy, filter, asOf);
    return { groupBy, rows: volumeRows(cells) };
  }

  async adjustments({ groupBy, filter, asOf }: AdjustmentsQuery): Promise<AdjustmentsResponse> {
    const cells = await this.repository.cells(DIMENSION_COUNTER_FAMILY.adjustments, groupBy, filter, asOf);
    return { groupBy, filter, rows: adjustmentRows(cells) };
  }

  async top(query: TopQuery): Promise<TopResponse> {
    const cells = TOP_KIND_CELLS[query.kind];
    const orderBy =
      query.by === 'paid' ? 'paid_amount_cents' : query.by === 'cost' ? 'billed_amount_cents' : cells.countMeasure;
    const rows = await this.repository.top(cells.family, cells.dimension, orderBy, query.limit, query.filter);
    return { kind: query.kind, by: query.by, counts: cells.counts, rows: topRows(query.kind, rows) };
  }
}
