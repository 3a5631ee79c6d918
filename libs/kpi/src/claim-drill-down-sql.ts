import { claimLevelPatientCentsSql } from './denial-cost-sql';

/**
 * The drill-down of a payment or volume figure: the claims behind one cell
 * of `GET /v1/kpis/payments` or `/volume` (family `claims` of the batch SQL),
 * each with the amounts that family sums, computed as DIMENSION_COUNTER_BATCH_SQL
 * computes them, so the rows of a cell add up to the cell.
 *
 * $1 month (YYYY-MM of the service-through date, the `month` dimension) or
 * NULL for any; keyset paging after claim id $2 ('' first), $3 rows at most;
 * `claimFilter` the claim filters (claimFilterSql over claim_state's
 * unqualified columns) from $4 on. Walks claim_state in claim id order, so a
 * page stops once it is full.
 */
export function claimDrillDownSql(claimFilter: string): string {
  return `
SELECT c.claim_id, c.payer, c.claim_type, to_char(c.service_through_date, 'YYYY-MM') AS month, c.provider_group,
       c.state, c.layout, lt.lines,
       coalesce(c.billed_amount_cents, lt.charge_cents, 0)::text AS billed_amount_cents,
       c.allowed_amount_cents::text AS allowed_amount_cents, c.payment_amount_cents::text AS paid_amount_cents,
       (lt.patient_cents + ${claimLevelPatientCentsSql('c')})::text AS patient_responsibility_amount_cents
  FROM claim_state c
 CROSS JOIN LATERAL (
   SELECT count(*)::integer AS lines, sum(coalesce(l.charge_amount_cents, 0)) AS charge_cents,
          coalesce(sum(l.deductible_amount_cents + l.coinsurance_amount_cents), 0) AS patient_cents
     FROM claim_line_state l
    WHERE l.claim_id = c.claim_id
 ) AS lt
 WHERE c.layout IS NOT NULL
   AND ($1::text IS NULL OR to_char(c.service_through_date, 'YYYY-MM') = $1)
   AND c.claim_id > $2::text${claimFilter}
 ORDER BY c.claim_id
 LIMIT $3
`;
}

export interface ClaimDrillDownRow {
  claim_id: string;
  payer: string;
  claim_type: string;
  month: string | null;
  provider_group: string;
  state: string;
  layout: string;
  lines: number;
  billed_amount_cents: string;
  allowed_amount_cents: string;
  paid_amount_cents: string;
  patient_responsibility_amount_cents: string;
}
