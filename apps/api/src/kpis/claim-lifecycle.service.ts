import { claimLifecycleFigures, type ClaimLifecycleFigures } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import type { ClaimLifecycleQuery } from './claim-lifecycle.query';
import { ClaimLifecycleRepository } from './claim-lifecycle.repository';

export interface ClaimLifecycleResponse extends ClaimLifecycleFigures {
  /** The filters applied: first submission date range and payer; null is no bound. */
  from: string | null;
  to: string | null;
  payer: string | null;
  /** The claim filters applied (none to the 999 rate, which answers transaction sets, not claims). */
  filter: ClaimLifecycleQuery['filter'];
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
      filter: query.filter,
      ...claimLifecycleFigures({ firstPass, acknowledgement, setAcknowledgement, payerLag, unmatched }),
    };
  }
}
