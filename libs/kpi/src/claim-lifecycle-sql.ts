/**
 * The claim lifecycle KPIs (docs/kpis/claim-lifecycle.md), read at query time
 * from x12_claim_lifecycle (one row per billing NPI and patient control
 * number, recomputed from the claim's parts at every fold, so it is exact
 * whatever the order of arrival) and x12_transaction_set_verdict (one row per
 * 999 verdict). Ratios are computed from exact counts, never stored.
 *
 * Parameters, unless a query says otherwise: $1 from, $2 to (first
 * submission date, inclusive, either NULL for open), $3 payer (NULL for all). Only claims whose 837 was
 * folded have a submission date; answers still waiting for their 837 are
 * counted apart (CLAIM_LIFECYCLE_UNMATCHED_SQL).
 *
 * The builders take `claimFilter`, the other claim filters (provider group,
 * rendering provider, state, claim type, service dates) as a
 * claimIdFilterSql over `l.patient_control_number` (an 837's claim id is its
 * patient control number), placeholders from $4 on (from $2 on for the
 * unmatched answers); '' for every claim. The constants are the unfiltered SQL.
 */
const SUBMITTED_IN_RANGE = `l.submitted
     AND ($1::date IS NULL OR l.first_submitted_on >= $1::date)
     AND ($2::date IS NULL OR l.first_submitted_on <= $2::date)
     AND ($3::text IS NULL OR l.payer = $3::text)`;

/**
 * First-pass clean claims: of the claims the payer decided (first decided
 * 835 status paid, partially paid or denied), those paid on that first
 * decision with no pend, no 999 rejection of their first transaction set, no
 * 277CA rejection and no resubmission.
 */
export const claimLifecycleFirstPassSql = (claimFilter: string): string => `
SELECT count(*)::bigint AS adjudicated_claims,
       count(*) FILTER (
         WHERE l.first_adjudication_status IN ('paid', 'partially_paid')
           AND NOT l.pended AND NOT l.resubmitted AND NOT l.ever_rejected_by_acknowledgement
           AND NOT EXISTS (
             SELECT 1 FROM x12_transaction_set_verdict v
              WHERE v.status = 'rejected' AND v.sender_id = l.first_set_sender_id
                AND v.group_control_number = l.first_set_group_control_number
                AND v.transaction_control_number = l.first_set_transaction_control_number)
       )::bigint AS clean_claims
  FROM x12_claim_lifecycle l
 WHERE ${SUBMITTED_IN_RANGE}
   AND l.first_adjudication_status IS NOT NULL${claimFilter}
`;
export const CLAIM_LIFECYCLE_FIRST_PASS_SQL = claimLifecycleFirstPassSql('');

/**
 * 277CA rejection rate: of the claims a 277CA answered, those any 277CA
 * rejected (STC01-1 A3, A6, A7, A8).
 */
export const claimLifecycleAcknowledgementSql = (claimFilter: string): string => `
SELECT count(*)::bigint AS acknowledged_claims,
       count(*) FILTER (WHERE l.ever_rejected_by_acknowledgement)::bigint AS rejected_claims
  FROM x12_claim_lifecycle l
 WHERE ${SUBMITTED_IN_RANGE}
   AND l.acknowledgement_count > 0${claimFilter}
`;
export const CLAIM_LIFECYCLE_ACKNOWLEDGEMENT_SQL = claimLifecycleAcknowledgementSql('');

/**
 * 999 rejection rate: of the transaction sets a 999 answered (sender, GS06,
 * ST02), those any 999 rejected (IK501 R, M, W, X). A 999 names no payer and
 * no claim, so it takes $1/$2 only, bounding the 999's own date (GS04): no
 * payer or claim filter narrows it.
 */
export const CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL = `
SELECT count(*)::bigint AS acknowledged_sets,
       count(*) FILTER (WHERE s.rejected)::bigint AS rejected_sets
  FROM (
    SELECT bool_or(v.status = 'rejected') AS rejected
      FROM x12_transaction_set_verdict v
     WHERE ($1::date IS NULL OR v.acknowledged_on >= $1::date)
       AND ($2::date IS NULL OR v.acknowledged_on <= $2::date)
     GROUP BY v.sender_id, v.group_control_number, v.transaction_control_number
  ) AS s
`;

/**
 * Payer lag: whole days from the first submission (BHT04) to the first
 * payment (the 835's payment date), by payer; percentile_disc gives the
 * nearest-rank p50 and p90, a lag some claim really had.
 */
export const claimLifecyclePayerLagSql = (claimFilter: string): string => `
SELECT l.payer, count(*)::bigint AS paid_claims,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY l.first_paid_on - l.first_submitted_on) AS p50_days,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY l.first_paid_on - l.first_submitted_on) AS p90_days
  FROM x12_claim_lifecycle l
 WHERE ${SUBMITTED_IN_RANGE}
   AND l.first_paid_on IS NOT NULL${claimFilter}
 GROUP BY l.payer
 ORDER BY l.payer
`;
export const CLAIM_LIFECYCLE_PAYER_LAG_SQL = claimLifecyclePayerLagSql('');

/**
 * Answers (835 claim payments, 277CA claim verdicts) whose 837 has not been
 * folded: they have no submission date, so only $1, the payer they name, and
 * the claim filters (over what the answers' own events told the claim state)
 * narrow them.
 */
export const claimLifecycleUnmatchedSql = (claimFilter: string): string => `
SELECT coalesce(sum(l.adjudication_count), 0)::bigint AS adjudications,
       coalesce(sum(l.acknowledgement_count), 0)::bigint AS acknowledgements
  FROM x12_claim_lifecycle l
 WHERE NOT l.submitted
   AND ($1::text IS NULL OR l.payer = $1::text)${claimFilter}
`;
export const CLAIM_LIFECYCLE_UNMATCHED_SQL = claimLifecycleUnmatchedSql('');

export interface ClaimLifecycleFirstPassRow {
  adjudicated_claims: string;
  clean_claims: string;
}
export interface ClaimLifecycleAcknowledgementRow {
  acknowledged_claims: string;
  rejected_claims: string;
}
export interface ClaimLifecycleSetAcknowledgementRow {
  acknowledged_sets: string;
  rejected_sets: string;
}
export interface ClaimLifecyclePayerLagRow {
  payer: string;
  paid_claims: string;
  p50_days: number;
  p90_days: number;
}
export interface ClaimLifecycleUnmatchedRow {
  adjudications: string;
  acknowledgements: string;
}

/** A count over a count; null when nothing is in the denominator (no rate, rather than a made-up 0). */
export interface LifecycleRate {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export function lifecycleRate(numerator: number, denominator: number): LifecycleRate {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

export interface ClaimLifecycleFigures {
  firstPassCleanClaimRate: LifecycleRate;
  functionalAcknowledgementRejectionRate: LifecycleRate;
  claimAcknowledgementRejectionRate: LifecycleRate;
  payerLag: Array<{ payer: string; paidClaims: number; p50Days: number; p90Days: number }>;
  unmatched: { adjudications: number; acknowledgements: number };
}

/** The query rows to the figures the API serves (counts arrive from Postgres as text). */
export function claimLifecycleFigures(rows: {
  firstPass: ClaimLifecycleFirstPassRow | undefined;
  acknowledgement: ClaimLifecycleAcknowledgementRow | undefined;
  setAcknowledgement: ClaimLifecycleSetAcknowledgementRow | undefined;
  payerLag: readonly ClaimLifecyclePayerLagRow[];
  unmatched: ClaimLifecycleUnmatchedRow | undefined;
}): ClaimLifecycleFigures {
  const count = (value: string | undefined): number => Number(value ?? 0);
  return {
    firstPassCleanClaimRate: lifecycleRate(
      count(rows.firstPass?.clean_claims),
      count(rows.firstPass?.adjudicated_claims),
    ),
    functionalAcknowledgementRejectionRate: lifecycleRate(
      count(rows.setAcknowledgement?.rejected_sets),
      count(rows.setAcknowledgement?.acknowledged_sets),
    ),
    claimAcknowledgementRejectionRate: lifecycleRate(
      count(rows.acknowledgement?.rejected_claims),
      count(rows.acknowledgement?.acknowledged_claims),
    ),
    payerLag: rows.payerLag.map((row) => ({
      payer: row.payer,
      paidClaims: count(row.paid_claims),
      p50Days: Number(row.p50_days),
      p90Days: Number(row.p90_days),
    })),
    unmatched: {
      adjudications: count(rows.unmatched?.adjudications),
      acknowledgements: count(rows.unmatched?.acknowledgements),
    },
  };
}
