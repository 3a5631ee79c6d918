import type { Enrichment } from '@claims/contracts';
import {
  centsPer,
  chronicConditionRows,
  pmpmBenefitOf,
  pmpmSummary,
  renderingSpecialtyOf,
  type MemberClaimsSqlRow,
} from './member-cost';

const claims = (
  month: string,
  claimType: string,
  count: number,
  paid: number,
  unmatched = 0,
  unmatchedPaid = 0,
): MemberClaimsSqlRow => ({
  month,
  claim_type: claimType,
  claims: count,
  paid_amount_cents: String(paid),
  unmatched_claims: unmatched,
  unmatched_paid_amount_cents: String(unmatchedPaid),
});

// Two members: 12 + 6 medical months, 12 + 0 Part D months.
const memberMonths = { members: 2, medical_member_months: 18, pharmacy_member_months: 12 };
const rows = [
  claims('2009-01', 'professional', 2, 9_000, 1, 500),
  claims('2009-01', 'pharmacy', 1, 1_200),
  claims('2009-02', 'institutional_inpatient', 1, 100_000),
  claims('2009-02', 'professional', 1, 1_000),
];

describe('pmpmSummary', () => {
  it('spreads medical claims over the Part A/B months and Part D events over the Part D months', () => {
    const summary = pmpmSummary('claim_type', memberMonths, rows);
    expect(summary.totals).toEqual([
      { benefit: 'medical', claims: 4, paidAmountCents: 110_000, memberMonths: 18, pmpmCents: 6_111 },
      { benefit: 'pharmacy', claims: 1, paidAmountCents: 1_200, memberMonths: 12, pmpmCents: 100 },
    ]);
    expect(summary.rows).toEqual([
      {
        key: 'institutional_inpatient',
        benefit: 'medical',
        claims: 1,
        paidAmountCents: 100_000,
        memberMonths: 18,
        pmpmCents: 5_556,
      },
      { key: 'pharmacy', benefit: 'pharmacy', claims: 1, paidAmountCents: 1_200, memberMonths: 12, pmpmCents: 100 },
      { key: 'professional', benefit: 'medical', claims: 3, paidAmountCents: 10_000, memberMonths: 18, pmpmCents: 556 },
    ]);
    expect(summary.unmatched).toEqual({ claims: 1, paidAmountCents: 500 });
    expect(summary.members).toBe(2);
  });

  it('by month, divides by a twelfth of the year member months', () => {
    const summary = pmpmSummary('month', memberMonths, rows);
    expect(summary.rows).toEqual([
      { key: '2009-01', benefit: 'medical', claims: 2, paidAmountCents: 9_000, memberMonths: 1.5, pmpmCents: 6_000 },
      { key: '2009-01', benefit: 'pharmacy', claims: 1, paidAmountCents: 1_200, memberMonths: 1, pmpmCents: 1_200 },
      { key: '2009-02', benefit: 'medical', claims: 2, paidAmountCents: 101_000, memberMonths: 1.5, pmpmCents: 67_333 },
    ]);
  });

  it('has no PMPM without member months', () => {
    const summary = pmpmSummary('claim_type', { members: 0, medical_member_months: 0, pharmacy_member_months: 0 }, []);
    expect(summary.totals.map((total) => total.pmpmCents)).toEqual([null, null]);
    expect(summary.rows).toEqual([]);
  });
});

describe('centsPer and pmpmBenefitOf', () => {
  it('rounds half away from zero and answers null for no denominator', () => {
    expect(centsPer(5, 2)).toBe(3);
    expect(centsPer(-5, 2)).toBe(-3);
    expect(centsPer(100, 0)).toBeNull();
  });

  it('counts only Part D events as pharmacy', () => {
    expect(pmpmBenefitOf('pharmacy')).toBe('pharmacy');
    expect(pmpmBenefitOf('dme')).toBe('medical');
  });
});

describe('chronicConditionRows', () => {
  it('gives prevalence to 4 decimals and paid per member on each side of the flag', () => {
    expect(
      chronicConditionRows([
        { condition: 'diabetes', members: 3, members_with: 1, paid_with_cents: '9000', paid_without_cents: '1001' },
        { condition: 'cancer', members: 2, members_with: 0, paid_with_cents: '0', paid_without_cents: '0' },
      ]),
    ).toEqual([
      {
        condition: 'diabetes',
        members: 3,
        membersWithCondition: 1,
        prevalence: 0.3333,
        paidWithConditionCents: 9000,
        paidWithoutConditionCents: 1001,
        paidPerMemberWithConditionCents: 9000,
        paidPerMemberWithoutConditionCents: 501,
      },
      {
        condition: 'cancer',
        members: 2,
        membersWithCondition: 0,
        prevalence: 0,
        paidWithConditionCents: 0,
        paidWithoutConditionCents: 0,
        paidPerMemberWithConditionCents: null,
        paidPerMemberWithoutConditionCents: 0,
      },
    ]);
  });
});

describe('chronicConditionRows prevalence rounding', () => {
  it('rounds a prevalence that is exactly half a unit of the 4th decimal up (57 of 800 = 0.07125)', () => {
    const [row] = chronicConditionRows([
      { condition: 'copd', members: 800, members_with: 57, paid_with_cents: '0', paid_without_cents: '0' },
    ]);
    expect(row?.prevalence).toBe(0.0713);
  });
});

describe('renderingSpecialtyOf', () => {
  const enrichment: Enrichment = {
    renderingProviders: [
      {
        npi: '2',
        lookupStatus: 'found',
        checkDigitValid: true,
        displayName: null,
        taxonomyCode: '207Q00000X',
        practiceState: null,
      },
    ],
    providers: [
      {
        role: 'rendering',
        npi: '1',
        found: true,
        name: null,
        credential: null,
        taxonomyCode: '207RC0000X',
        specialty: 'Cardiovascular Disease Physician',
        groupKey: null,
        groupName: null,
      },
      {
        role: 'billing',
        npi: '3',
        found: true,
        name: null,
        credential: null,
        taxonomyCode: null,
        specialty: 'Clinic',
        groupKey: null,
        groupName: null,
      },
    ],
  };

  it("reads the rendering provider's specialty, else its taxonomy code, never another role's", () => {
    expect(renderingSpecialtyOf(enrichment, '1')).toBe('Cardiovascular Disease Physician');
    expect(renderingSpecialtyOf(enrichment, '2')).toBe('207Q00000X');
    expect(renderingSpecialtyOf(enrichment, '3')).toBeNull();
    expect(renderingSpecialtyOf(enrichment, null)).toBeNull();
  });
});
