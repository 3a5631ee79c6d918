import { overdueSubmissionOf, type OverdueSubmission } from '@claims/kpi';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { encodeOverdueSubmissionsCursor, type OverdueSubmissionsQuery } from './overdue-submissions.query';
import { OverdueSubmissionsRepository } from './overdue-submissions.repository';

export interface OverdueSubmissionsResponse {
  /** The date the list is as of: the one asked for, else the acknowledgement clock; null before anything folded. */
  asOf: string | null;
  /** The acknowledgement clock: the later of the event-time watermark and the latest submission date folded. */
  clock: string | null;
  payer: string | null;
  /** The SLAs applied: ACK_SLA_HOURS, and ACK_SLA_HOURS_BY_PAYER keyed by payer (trimmed, upper case). */
  slaHours: { default: number; byPayer: Record<string, number> };
  items: OverdueSubmission[];
  nextCursor: string | null;
}

/** Submitted X12 claims past their payer's acknowledgement SLA (docs/kpis/acknowledgement-slas.md). */
@Injectable()
export class OverdueSubmissionsService {
  constructor(
    private readonly repository: OverdueSubmissionsRepository,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'acknowledgementSla'>,
  ) {}

  async list(query: OverdueSubmissionsQuery): Promise<OverdueSubmissionsResponse> {
    const policy = this.config.acknowledgementSla;
    const clock = await this.repository.clock();
    const asOf = query.asOf ?? clock;
    const answer = {
      asOf,
      clock,
      payer: query.payer,
      slaHours: { default: policy.defaultHours, byPayer: Object.fromEntries(policy.hoursByPayer) },
    };
    if (asOf === null || clock === null) return { ...answer, items: [], nextCursor: null };
    const rows = await this.repository.page(query, asOf, clock, policy, query.limit + 1);
    const items = rows.slice(0, query.limit).map((row) => overdueSubmissionOf(row, asOf));
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last
        ? encodeOverdueSubmissionsCursor({
            asOf,
            payer: query.payer,
            submittedOn: last.submittedOn,
            patientControlNumber: last.patientControlNumber,
            billingNpi: last.billingNpi,
          })
        : null;
    return { ...answer, items, nextCursor };
  }
}
