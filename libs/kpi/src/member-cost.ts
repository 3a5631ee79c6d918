import type { ClaimType, Enrichment } from '@claims/contracts';
import { roundedRatio } from './rounded-ratio';

/**
 * Cost per member per month and chronic-condition cost (docs/kpis/volume-and-cost.md).
 * Both read the claims of one calendar year (service-through date) against
 * that year's beneficiary summaries in reference_member, joined by patient
 * token: exact indexed reads at request time, not streamed counters, because
 * a claim's member may be folded after the claim (the two topics are not
 * ordered) and the numerator depends on that join.
 */

/**
 * Which coverage months a claim type's cost is spread over: `medical` (Parts A
 * and B: every claim type but Part D) over the months with Part A or Part B,
 * `pharmacy` (Part D events) over the Part D months.
 */
export const PMPM_BENEFITS = ['medical', 'pharmacy'] as const;
export type PmpmBenefit = (typeof PMPM_BENEFITS)[number];

export function pmpmBenefitOf(claimType: string): PmpmBenefit {
  return claimType === ('pharmacy' satisfies ClaimType) ? 'pharmacy' : 'medical';
}

export const PMPM_GROUPINGS = ['claim_type', 'month'] as const;
export type PmpmGrouping = (typeof PMPM_GROUPINGS)[number];

/** The latest coverage year any beneficiary summary states: the default year of the member KPIs. */
export const LATEST_MEMBER_YEAR_SQL = `
SELECT max(reference_period)::integer AS year
  FROM reference_member
 WHERE reference_period ~ '^[0-9]{4}$'
`;

/**
 * $1 the year. Members of the year and their member months: medical
 * months are the larger of the Part A and Part B months (a beneficiary summary
 * counts each part's months, not which months, so the larger is the months
 * with either part when one part's months lie within the other's).
 */
export const MEMBER_MONTHS_SQL = `
SELECT count(*)::integer AS members,
       coalesce(sum(greatest(coalesce(coverage_months_part_a, 0), coalesce(coverage_months_part_b, 0))), 0)::integer
         AS medical_member_months,
       coalesce(sum(coalesce(coverage_months_part_d, 0)), 0)::integer AS pharmacy_member_months
  FROM reference_member
 WHERE reference_period = $1::integer::text
`;

export interface MemberMonthsSqlRow {
  members: number;
  medical_member_months: number;
  pharmacy_member_months: number;
}

/**
 * $1 the year. The year's claims by month and claim type, split by whether
 * the claim's member has a beneficiary summary for that year (known) or not.
 * `claimFilter`: a claimIdFilterSql over `c.claim_id` from $2 on ('' for every claim).
 */
export const memberClaimsByMonthSql = (claimFilter: string): string => `
SELECT to_char(c.service_through_date, 'YYYY-MM') AS month, c.claim_type,
       count(*) FILTER (WHERE m.patient_token IS NOT NULL)::integer AS claims,
       coalesce(sum(c.payment_amount_cents) FILTER (WHERE m.patient_token IS NOT NULL), 0)::text AS paid_amount_cents,
       count(*) FILTER (WHERE m.patient_token IS NULL)::integer AS unmatched_claims,
       coalesce(sum(c.payment_amount_cents) FILTER (WHERE m.patient_token IS NULL), 0)::text
         AS unmatched_paid_amount_cents
  FROM claim_state c
  LEFT JOIN reference_member m ON m.patient_token = c.patient_token AND m.reference_period = $1::integer::text
 WHERE c.layout IS NOT NULL
   AND c.service_through_date >= make_date($1::integer, 1, 1)
   AND c.service_through_date < make_date($1::integer + 1, 1, 1)${claimFilter}
 GROUP BY 1, 2
 ORDER BY 1, 2
`;
export const MEMBER_CLAIMS_BY_MONTH_SQL = memberClaimsByMonthSql('');

export interface MemberClaimsSqlRow {
  month: string;
  claim_type: string;
  claims: number;
  paid_amount_cents: string;
  unmatched_claims: number;
  unmatched_paid_amount_cents: string;
}

/**
 * $1 the year. Per chronic condition a beneficiary summary flags (present as
 * true or false in chronic_conditions), the members with a stated flag, those
 * flagged, and the paid cents of the year's claims of each side.
 * `claimFilter`: a claimIdFilterSql over `c.claim_id` from $2 on, narrowing
 * the claims whose paid cents count; the members are the year's all the same.
 */
export const chronicConditionsSql = (claimFilter: string): string => `
WITH members AS (
  SELECT m.patient_token, m.chronic_conditions
    FROM reference_member m
   WHERE m.reference_period = $1::integer::text
), member_paid AS (
  SELECT c.patient_token, sum(c.payment_amount_cents) AS paid_amount_cents
    FROM claim_state c
   WHERE c.layout IS NOT NULL
     AND c.service_through_date >= make_date($1::integer, 1, 1)
     AND c.service_through_date < make_date($1::integer + 1, 1, 1)
     AND c.patient_token IN (SELECT patient_token FROM members)${claimFilter}
   GROUP BY c.patient_token
)
SELECT f.key AS condition,
       count(*)::integer AS members,
       count(*) FILTER (WHERE f.value = 'true'::jsonb)::integer AS members_with,
       coalesce(sum(p.paid_amount_cents) FILTER (WHERE f.value = 'true'::jsonb), 0)::text AS paid_with_cents,
       coalesce(sum(p.paid_amount_cents) FILTER (WHERE f.value = 'false'::jsonb), 0)::text AS paid_without_cents
  FROM members m
  CROSS JOIN LATERAL jsonb_each(m.chronic_conditions) AS f(key, value)
  LEFT JOIN member_paid p ON p.patient_token = m.patient_token
 WHERE f.value IN ('true'::jsonb, 'false'::jsonb)
 GROUP BY f.key
 ORDER BY f.key
`;
export const CHRONIC_CONDITIONS_SQL = chronicConditionsSql('');

export interface ChronicConditionSqlRow {
  condition: string;
  members: number;
  members_with: number;
  paid_with_cents: string;
  paid_without_cents: string;
}

/** cents / a count of members or member months, to the cent (half away from zero); null when there are none. */
export function centsPer(cents: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return roundHalfAway(cents / denominator);
}

function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : roundedRatio(numerator, denominator, 4);

export interface PmpmFigures {
  claims: number;
  paidAmountCents: number;
  /** Member months of the benefit: for a month, the year's divided by 12 (to 2 decimals). */
  memberMonths: number;
  /** paidAmountCents / memberMonths, to the cent; null without member months. */
  pmpmCents: number | null;
}

export interface PmpmRow extends PmpmFigures {
  /** The claim type, or the month (YYYY-MM). */
  key: string;
  benefit: PmpmBenefit;
}

export interface PmpmSummary {
  members: number;
  /** Per benefit: the year's claims of known members over the year's member months. */
  totals: Array<PmpmFigures & { benefit: PmpmBenefit }>;
  rows: PmpmRow[];
  /** The year's claims whose member has no beneficiary summary for the year: left out of every figure above. */
  unmatched: { claims: number; paidAmountCents: number };
}

/**
 * PMPM per benefit and by claim type (each over its benefit's year member
 * months, so the claim types of a benefit add up to its total) or by month
 * and benefit (over a twelfth of the year's member months: a beneficiary
 * summary states how many months, not which).
 */
export function pmpmSummary(
  groupBy: PmpmGrouping,
  memberMonths: MemberMonthsSqlRow,
  claims: readonly MemberClaimsSqlRow[],
): PmpmSummary {
  const yearMonths: Record<PmpmBenefit, number> = {
    medical: memberMonths.medical_member_months,
    pharmacy: memberMonths.pharmacy_member_months,
  };
  const grouped = new Map<string, { key: string; benefit: PmpmBenefit; claims: number; paid: number }>();
  const totals = new Map(PMPM_BENEFITS.map((benefit) => [benefit, { claims: 0, paid: 0 }]));
  const unmatched = { claims: 0, paidAmountCents: 0 };
  for (const row of claims) {
    const benefit = pmpmBenefitOf(row.claim_type);
    const key = groupBy === 'month' ? row.month : row.claim_type;
    const cell = grouped.get(`${key}|${benefit}`) ?? { key, benefit, claims: 0, paid: 0 };
    cell.claims += row.claims;
    cell.paid += Number(row.paid_amount_cents);
    grouped.set(`${key}|${benefit}`, cell);
    const total = totals.get(benefit);
    if (total) {
      total.claims += row.claims;
      total.paid += Number(row.paid_amount_cents);
    }
    unmatched.claims += row.unmatched_claims;
    unmatched.paidAmountCents += Number(row.unmatched_paid_amount_cents);
  }
  const monthsOf = (benefit: PmpmBenefit): number =>
    groupBy === 'month' ? Math.round((yearMonths[benefit] / 12) * 100) / 100 : yearMonths[benefit];
  const pmpmOf = (benefit: PmpmBenefit, paid: number): number | null =>
    groupBy === 'month' ? centsPer(paid * 12, yearMonths[benefit]) : centsPer(paid, yearMonths[benefit]);
  return {
    members: memberMonths.members,
    totals: PMPM_BENEFITS.map((benefit) => {
      const total = totals.get(benefit) ?? { claims: 0, paid: 0 };
      return {
        benefit,
        claims: total.claims,
        paidAmountCents: total.paid,
        memberMonths: yearMonths[benefit],
        pmpmCents: centsPer(total.paid, yearMonths[benefit]),
      };
    }),
    rows: [...grouped.values()]
      .sort((a, b) => a.key.localeCompare(b.key) || a.benefit.localeCompare(b.benefit))
      .map((cell) => ({
        key: cell.key,
        benefit: cell.benefit,
        claims: cell.claims,
        paidAmountCents: cell.paid,
        memberMonths: monthsOf(cell.benefit),
        pmpmCents: pmpmOf(cell.benefit, cell.paid),
      })),
    unmatched,
  };
}

export interface ChronicConditionRow {
  /** The condition's name in the layout (DE-SynPUF SP_CHF → heart_failure). */
  condition: string;
  /** Members of the year whose summary states the flag (yes or no). */
  members: number;
  membersWithCondition: number;
  /** membersWithCondition / members, to 4 decimals. */
  prevalence: number | null;
  paidWithConditionCents: number;
  paidWithoutConditionCents: number;
  /** The year's paid cents per member with the condition, to the cent; null without such members. */
  paidPerMemberWithConditionCents: number | null;
  paidPerMemberWithoutConditionCents: number | null;
}

export function chronicConditionRows(rows: readonly ChronicConditionSqlRow[]): ChronicConditionRow[] {
  return rows.map((row) => {
    const paidWith = Number(row.paid_with_cents);
    const paidWithout = Number(row.paid_without_cents);
    const without = row.members - row.members_with;
    return {
      condition: row.condition,
      members: row.members,
      membersWithCondition: row.members_with,
      prevalence: ratio(row.members_with, row.members),
      paidWithConditionCents: paidWith,
      paidWithoutConditionCents: paidWithout,
      paidPerMemberWithConditionCents: centsPer(paidWith, row.members_with),
      paidPerMemberWithoutConditionCents: centsPer(paidWithout, without),
    };
  });
}

/**
 * The rendering provider's specialty as enrichment resolved it for the line's
 * NPI: the directory's specialty (or the NUCC name of its taxonomy), else the
 * bare taxonomy code (an enrichment of v1 carries only that); null when the
 * provider was not found.
 */
export function renderingSpecialtyOf(enrichment: Enrichment, renderingNpi: string | null): string | null {
  if (renderingNpi === null) return null;
  const provider = enrichment.providers?.find((entry) => entry.role === 'rendering' && entry.npi === renderingNpi);
  if (provider) return provider.specialty ?? provider.taxonomyCode;
  return enrichment.renderingProviders.find((entry) => entry.npi === renderingNpi)?.taxonomyCode ?? null;
}
