import { claimLifecycleFigures, type ClaimLifecycleFigures } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import type { ClaimLifecycleQuery } from './claim-lifecycle.query';
import { ClaimLifecycleRepository } from './claim-lifecycle.repository';

export interface ClaimLifecycleResponse extends ClaimLifecycleFigures {
  /** The filters applied: first submission date range and payer; null is no bound. */
  from: string | null;
  to: string | null;
  payer: string | null;
}

/** The X12 claim lifecycle KPIs (docs/kpis/claim-lifecycle.md). */
@Injectable()
export class ClaimLifecycleService {
  constructor(private readonly repository: ClaimLifecycleRepository) {}

  async summary(query: ClaimLifecycleQuery): Promise<ClaimLifecycleResponse> {
    const [firstPass, acknowledgement, setAcknowledgement, payerLag, unmatched] = await Promise.all([
      this.repository.firstPass(query),
      this.repository.acknowledgements(query),
      this.repository.setAcknowledgements(query),
      this.repository.payerLag(query),
      this.repository.unmatched(query),
    ]);
    return {
      from: query.from,
      to: query.to,
      payer: query.payer,
      ...claimLifecycleFigures({ firstPass, acknowledgement, setAcknowledgement, payerLag, unmatched }),
    };
  }
}
