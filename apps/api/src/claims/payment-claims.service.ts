import type { ClaimFilter } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { claimPage } from './cell-cursor';
import { ClaimsRepository } from './claims.repository';
import { encodePaymentClaimsCursor, type PaymentClaimsQuery } from './payment-claims.query';

export interface PaymentClaimsResponse {
  month: string | null;
  filter: ClaimFilter;
  /** The claims of the cell by claim id, each with what the payment and volume figures sum of it. */
  items: Array<{
    claimId: string;
    payer: string;
    claimType: string;
    /** YYYY-MM of the service-through date; null when the claim has none. */
    month: string | null;
    providerGroup: string;
    state: string;
    layout: string;
    lines: number;
    billedAmountCents: number;
    allowedAmountCents: number;
    paidAmountCents: number;
    patientResponsibilityAmountCents: number;
  }>;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The claims behind a payment or volume figure (docs/kpis/denials-and-payment.md, "Drill-down"). */
@Injectable()
export class PaymentClaimsService {
  constructor(private readonly repository: ClaimsRepository) {}

  async paymentClaims(query: PaymentClaimsQuery): Promise<PaymentClaimsResponse> {
    const rows = await this.repository.paymentClaims(
      query.month,
      query.filter,
      query.afterClaimId ?? '',
      query.limit + 1,
    );
    const page = claimPage(
      rows,
      query.limit,
      (row) => ({
        claimId: row.claim_id,
        payer: row.payer,
        claimType: row.claim_type,
        month: row.month,
        providerGroup: row.provider_group,
        state: row.state,
        layout: row.layout,
        lines: row.lines,
        billedAmountCents: Number(row.billed_amount_cents),
        allowedAmountCents: Number(row.allowed_amount_cents),
        paidAmountCents: Number(row.paid_amount_cents),
        patientResponsibilityAmountCents: Number(row.patient_responsibility_amount_cents),
      }),
      (lastClaimId) => encodePaymentClaimsCursor(query, lastClaimId),
    );
    return { month: query.month, filter: query.filter, ...page };
  }
}
