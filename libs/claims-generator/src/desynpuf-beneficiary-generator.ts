import { SYNPUF_SERVICE_DAYS } from './desynpuf-claim-generators';
import type { ExpectedMemberKpis } from './expected-kpis';
import type { RecordGenerator } from './record-generator';
import { SeededRandom, WeightedChoice } from './seeded-random';
import { formatCents } from './value-formats';

/*
 * Shares measured on the 2008 beneficiary sample
 * (data/desynpuf/sample2/DE1_0_2008_Beneficiary_Summary_File_Sample_2.csv); codes per the DE-SynPUF Codebook.
 */
/** BENE_SEX_IDENT_CD: 1 male, 2 female. */
const SEX_CODES = new WeightedChoice<string>([
  ['2', 111],
  ['1', 89],
]);
/** BENE_RACE_CD: 1 white, 2 black, 3 others, 5 Hispanic. */
const RACE_CODES = new WeightedChoice<string>([
  ['1', 164],
  ['2', 21],
  ['3', 9],
  ['5', 6],
]);
/** Prevalence of each SP_* chronic condition, in DESYNPUF_CHRONIC_CONDITION_COLUMNS order. */
const CHRONIC_CONDITION_SHARES = [0.155, 0.285, 0.15, 0.07, 0.145, 0.19, 0.36, 0.375, 0.215, 0.15, 0.035];

/** Months of coverage: a full year for most members, a part year for those who joined or left. */
function coverageMonths(random: SeededRandom, fullYearShare: number, noneShare: number): number {
  const draw = random.nextFloat();
  if (draw < fullYearShare) return 12;
  if (draw < fullYearShare + noneShare) return 0;
  return random.intBetween(1, 11);
}

/** A yearly reimbursement total: zero for most members, else round tens of dollars up to `maximumDollars`. */
function yearlyAmount(random: SeededRandom, nonZeroShare: number, maximumDollars: number): string {
  return formatCents(random.chance(nonZeroShare) ? random.intBetween(1, maximumDollars / 10) * 1000 : 0);
}

/**
 * DE-SynPUF Beneficiary Summary: 32 columns, one member per row. Member
 * reference data, not claims: the record number makes the member id unique
 * within the file.
 */
export class BeneficiaryRecordGenerator implements RecordGenerator<ExpectedMemberKpis> {
  constructor(private readonly random: SeededRandom) {}

  appendRecord(memberNumber: number, rows: string[], expected: ExpectedMemberKpis): void {
    const random = this.random;
    // 16 hex digits like the real DESYNPUF_ID; the low eight encode the member number, so ids never repeat.
    const memberId = `${random.hex(8)}${(memberNumber % 2 ** 32).toString(16).toUpperCase().padStart(8, '0')}`;
    const birthDate = `${random.intBetween(1909, 1983)}${String(random.intBetween(1, 12)).padStart(2, '0')}01`;
    // The SynPUF dates deaths to the first of the month, like births.
    const deathDate = random.chance(0.015) ? `${random.pick(SYNPUF_SERVICE_DAYS).slice(0, 6)}01` : '';
    const partDMonths = random.chance(0.5) ? 12 : random.chance(0.85) ? 0 : random.intBetween(1, 11);
    expected.members += 1;
    if (deathDate !== '') expected.deceasedMembers += 1;
    rows.push(
      [
        memberId,
        birthDate,
        deathDate,
        SEX_CODES.pick(random),
        RACE_CODES.pick(random),
        random.chance(0.09) ? 'Y' : '0',
        // SSA state codes 01–54 (data/codes/tuva/terminology__ssa_fips_state.csv), county codes in tens as sampled.
        String(random.intBetween(1, 54)).padStart(2, '0'),
        String(random.intBetween(0, 99) * 10).padStart(3, '0'),
        String(coverageMonths(random, 0.895, 0.045)),
        String(coverageMonths(random, 0.79, 0.14)),
        String(coverageMonths(random, 0.2, 0.78)),
        // PLAN_CVRG_MOS_NUM is the one month count the SynPUF writes with two digits.
        String(partDMonths).padStart(2, '0'),
        ...CHRONIC_CONDITION_SHARES.map((share) => (random.chance(share) ? '1' : '2')),
        yearlyAmount(random, 0.12, 90_000),
        // The inpatient deductible comes in multiples of the 2008 Part A deductible ($1,024).
        formatCents(random.chance(0.12) ? random.intBetween(1, 4) * 102_400 : 0),
        yearlyAmount(random, 0.01, 6_000),
        yearlyAmount(random, 0.44, 3_000),
        yearlyAmount(random, 0.4, 600),
        yearlyAmount(random, 0.01, 300),
        yearlyAmount(random, 0.65, 5_000),
        yearlyAmount(random, 0.62, 1_500),
        yearlyAmount(random, 0.1, 200),
      ].join(','),
    );
  }
}
