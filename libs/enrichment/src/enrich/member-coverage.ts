import type { ClaimType } from '@claims/contracts';
import type { MemberCoverageRecord } from '../tables';

/** The Medicare benefit that pays for a claim type: Part A facility stays, Part B services and supplies, Part D drugs. */
export type MedicareBenefit = 'partA' | 'partB' | 'partD';

export const BENEFIT_BY_CLAIM_TYPE: Readonly<Record<ClaimType, MedicareBenefit>> = {
  professional: 'partB',
  dme: 'partB',
  institutional_outpatient: 'partB',
  institutional_inpatient: 'partA',
  snf: 'partA',
  hha: 'partA',
  hospice: 'partA',
  pharmacy: 'partD',
};

/** Whole years between two ISO dates; null when the birth date is later than the service date. */
export function ageInWholeYears(birthDate: string, onDate: string): number | null {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // ISO month-day strings compare as dates do: one fewer year until the birthday.
  const age = onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
  return age >= 0 && age <= 150 ? age : null;
}

/**
 * Whether the member's benefit for the claim held in the service month.
 *
 * Deviation, forced by the data: DE-SynPUF (and the RIF summary) give only
 * how many months of the year each part covered (BENE_HI_CVRAGE_TOT_MONS,
 * BENE_SMI_CVRAGE_TOT_MONS, BENE_HMO_CVRAGE_TOT_MONS, PLAN_CVRG_MOS_NUM),
 * not which months. We count them from January: 7 months of Part B cover
 * January to July. A member who enrolled mid-year is therefore judged as if
 * covered early and lapsed late; rules/README.md says the same.
 *
 * Medicare Advantage (HMO) months stand in for Parts A and B, which the plan
 * replaces, and not for Part D, which is a separate enrolment. A service after
 * the death date is never covered. Null when the months are unknown.
 */
export function coveredInServiceMonth(
  member: MemberCoverageRecord,
  claimType: ClaimType,
  serviceDate: string,
): boolean | null {
  if (member.deathDate !== null && serviceDate > member.deathDate) return false;
  const month = Number(serviceDate.slice(5, 7));
  const benefit = BENEFIT_BY_CLAIM_TYPE[claimType];
  const partMonths =
    benefit === 'partA' ? member.partAMonths : benefit === 'partB' ? member.partBMonths : member.partDMonths;
  const planMonths = benefit === 'partD' ? null : member.hmoMonths;
  if ((partMonths !== null && month <= partMonths) || (planMonths !== null && month <= planMonths)) return true;
  return partMonths === null ? null : false;
}
