import { countCarrierLine, type ExpectedCarrierKpis, type ExpectedInstitutionalKpis } from './expected-kpis';
import type { RecordGenerator } from './record-generator';
import { SeededRandom, WeightedChoice } from './seeded-random';
import { calendarDays, formatCcyymmdd, formatCents } from './value-formats';

/**
 * Record generators for the DE-SynPUF claim layouts, one row per claim (the
 * inpatient and outpatient claims fit one segment). The shapes follow the
 * public sample (data/desynpuf/sample2): claim-line counts, diagnosis counts,
 * processing-indicator mix and round-dollar amounts drawn from distributions
 * measured on it, so record sizes and parse costs are realistic. They moved
 * here from bench/src/generator with their random draws in the same order:
 * the same seed still gives the bytes it gave the benchmark.
 */

/** CCYYMMDD for every day of 2008–2010, the SynPUF years: computed once instead of per record. */
export const SYNPUF_SERVICE_DAYS: readonly string[] = calendarDays('2008-01-01', '2010-12-31').map(formatCcyymmdd);
const LAST_DAY = SYNPUF_SERVICE_DAYS.length - 1;

const ICD9_DIAGNOSES = [
  '4280',
  '4019',
  '25000',
  '2724',
  '41401',
  '42731',
  '5990',
  '486',
  '496',
  '7802',
  '78650',
  '78079',
  'V5861',
  '2449',
  '53081',
  '2859',
  '311',
  '71590',
  '7242',
  '42831',
  '4660',
  '5119',
  'V7231',
  '7295',
  '3051',
  '27651',
  '5849',
  '7881',
];
const HCPCS_CODES = [
  '99213',
  '99214',
  '99232',
  '99233',
  '99212',
  '99215',
  '93000',
  '36415',
  '85025',
  '80053',
  '80061',
  '71020',
  '97110',
  '97140',
  '99223',
  '99231',
  'G0008',
  'J1170',
  'A0425',
  '43239',
  '72193',
  '93555',
  '93543',
  '88305',
  '76700',
  '90732',
];
/** NPIs present in data/providers: a few lines find their provider, as in a real feed. */
const DIRECTORY_NPIS = ['1679576722', '1588667638', '1497758544', '1306849450', '1215930367', '1063947125'];

/** LINE_PRCSG_IND_CD frequencies from the carrier sample, with the rarer codebook values kept present. */
const PROCESSING_INDICATORS = new WeightedChoice<string>([
  ['A', 8400],
  ['O', 800],
  ['C', 300],
  ['S', 180],
  ['M', 110],
  ['N', 30],
  ['R', 30],
  ['X', 25],
  ['@', 20],
  ['<', 15],
  ['D', 15],
  ['', 25], // blank indicator: a data-quality finding, counted as '(blank)'
]);
/** Claim lines per carrier claim in the sample: mostly one or two. */
const CARRIER_LINE_COUNTS = new WeightedChoice<number>([
  [1, 560],
  [2, 235],
  [3, 90],
  [4, 45],
  [5, 8],
  [6, 25],
  [7, 10],
  [8, 5],
  [9, 15],
  [10, 5],
  [11, 2],
  [12, 5],
  [13, 5],
]);
const CARRIER_DIAGNOSIS_COUNTS = new WeightedChoice<number>([
  [1, 45],
  [2, 19],
  [3, 18],
  [4, 15],
  [5, 1],
  [6, 1],
  [8, 1],
]);
const CARRIER_LINE_SLOTS = 13;

/** Pools of identifiers drawn once, so members, providers and groups recur across claims as they do in a feed. */
class IdentifierPools {
  readonly members: string[];
  readonly npis: string[];
  readonly taxNumbers: string[];
  readonly providerNumbers: string[];

  constructor(random: SeededRandom) {
    this.members = Array.from({ length: 20_000 }, () => random.hex(16));
    this.npis = Array.from({ length: 4_000 }, () => random.digits(10));
    this.taxNumbers = Array.from({ length: 1_500 }, () => random.digits(9));
    this.providerNumbers = Array.from(
      { length: 600 },
      () => `${random.digits(4)}${String.fromCharCode(65 + random.intBetween(0, 25), 65 + random.intBetween(0, 25))}`,
    );
  }
}

/** DE-SynPUF carrier (Part B professional) claims: 142 columns, up to 13 lines. */
export class CarrierRecordGenerator implements RecordGenerator<ExpectedCarrierKpis> {
  private readonly pools: IdentifierPools;

  constructor(private readonly random: SeededRandom) {
    this.pools = new IdentifierPools(random);
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedCarrierKpis): void {
    const random = this.random;
    const fromDay = random.intBetween(0, LAST_DAY);
    const throughDay = Math.min(LAST_DAY, fromDay + (random.chance(0.7) ? 0 : random.intBetween(1, 7)));
    const diagnoses = Array.from({ length: 8 }, () => '');
    const diagnosisCount = CARRIER_DIAGNOSIS_COUNTS.pick(random);
    for (let index = 0; index < diagnosisCount; index += 1) diagnoses[index] = random.pick(ICD9_DIAGNOSES);

    const lineCount = CARRIER_LINE_COUNTS.pick(random);
    const slot = (): string[] => Array.from({ length: CARRIER_LINE_SLOTS }, () => '');
    const zeroSlot = (): string[] => Array.from({ length: CARRIER_LINE_SLOTS }, () => '0.00');
    const npi = slot();
    const tax = slot();
    const hcpcs = slot();
    const payment = zeroSlot();
    const deductible = zeroSlot();
    const primaryPayer = zeroSlot();
    const coinsurance = zeroSlot();
    const allowed = zeroSlot();
    const indicator = slot();
    const lineDiagnosis = slot();
    const claimNpi = random.chance(0.05) ? random.pick(DIRECTORY_NPIS) : random.pick(this.pools.npis);
    const claimTax = random.pick(this.pools.taxNumbers);

    for (let line = 0; line < lineCount; line += 1) {
      const code = PROCESSING_INDICATORS.pick(random);
      const paymentCents = code === 'A' && random.chance(0.92) ? random.intBetween(1, 30) * 1000 : 0;
      const deductibleCents = random.chance(0.1) ? random.intBetween(1, 10) * 1000 : 0;
      const coinsuranceCents = paymentCents > 0 && random.chance(0.8) ? random.intBetween(1, 5) * 1000 : 0;
      const primaryPayerCents = code === 'S' ? random.intBetween(1, 20) * 1000 : 0;
      const allowedCents = paymentCents + deductibleCents + coinsuranceCents;
      npi[line] = random.chance(0.8) ? claimNpi : random.pick(this.pools.npis);
      tax[line] = claimTax;
      // About 1 % of sample lines carry an indicator but no HCPCS code.
      hcpcs[line] = random.chance(0.01) ? '' : random.pick(HCPCS_CODES);
      payment[line] = formatCents(paymentCents);
      deductible[line] = formatCents(deductibleCents);
      primaryPayer[line] = formatCents(primaryPayerCents);
      coinsurance[line] = formatCents(coinsuranceCents);
      allowed[line] = formatCents(allowedCents);
      indicator[line] = code;
      lineDiagnosis[line] = diagnoses[0] ?? '';

      countCarrierLine(expected, code, paymentCents, allowedCents);
    }
    expected.claims += 1;

    rows.push(
      [
        random.pick(this.pools.members),
        String(claimNumber),
        SYNPUF_SERVICE_DAYS[fromDay],
        SYNPUF_SERVICE_DAYS[throughDay],
        ...diagnoses,
        ...npi,
        ...tax,
        ...hcpcs,
        ...payment,
        ...deductible,
        ...primaryPayer,
        ...coinsurance,
        ...allowed,
        ...indicator,
        ...lineDiagnosis,
      ].join(','),
    );
  }
}

/** Part A deductible per SynPUF year, as the inpatient sample carries it. */
const INPATIENT_DEDUCTIBLE_CENTS_BY_YEAR: Readonly<Record<string, number>> = {
  '2008': 102_400,
  '2009': 106_800,
  '2010': 110_000,
};

function filled(count: number, total: number, make: () => string): string[] {
  return Array.from({ length: total }, (_, index) => (index < count ? make() : ''));
}

/** DE-SynPUF inpatient (Part A institutional) claims: 81 columns. */
export class InpatientRecordGenerator implements RecordGenerator<ExpectedInstitutionalKpis> {
  private readonly pools: IdentifierPools;

  constructor(private readonly random: SeededRandom) {
    this.pools = new IdentifierPools(random);
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedInstitutionalKpis): void {
    const random = this.random;
    const fromDay = random.intBetween(0, LAST_DAY - 30);
    const stayDays = random.intBetween(1, 15);
    const from = SYNPUF_SERVICE_DAYS[fromDay] ?? '';
    const through = SYNPUF_SERVICE_DAYS[fromDay + stayDays] ?? '';
    const paymentCents = random.chance(0.05) ? 0 : random.intBetween(10, 600) * 10_000;
    expected.claims += 1;
    expected.claimPaymentAmountCents += paymentCents;
    const attending = random.pick(this.pools.npis);
    rows.push(
      [
        random.pick(this.pools.members),
        String(claimNumber),
        '1',
        from,
        through,
        random.pick(this.pools.providerNumbers),
        formatCents(paymentCents),
        '0.00',
        attending,
        random.chance(0.58) ? random.pick(this.pools.npis) : '',
        random.chance(0.1) ? attending : '',
        from,
        random.pick(ICD9_DIAGNOSES),
        '0.00',
        formatCents(INPATIENT_DEDUCTIBLE_CENTS_BY_YEAR[from.slice(0, 4)] ?? 0),
        '0.00',
        '0.00',
        String(stayDays),
        through,
        String(random.intBetween(1, 999)).padStart(3, '0'),
        ...filled(random.intBetween(6, 10), 10, () => random.pick(ICD9_DIAGNOSES)),
        ...filled(random.intBetween(0, 6), 6, () => random.digits(4)),
        ...filled(0, 45, () => ''),
      ].join(','),
    );
  }
}

/** DE-SynPUF outpatient (Part B institutional) claims: 76 columns. */
export class OutpatientRecordGenerator implements RecordGenerator<ExpectedInstitutionalKpis> {
  private readonly pools: IdentifierPools;

  constructor(private readonly random: SeededRandom) {
    this.pools = new IdentifierPools(random);
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedInstitutionalKpis): void {
    const random = this.random;
    const fromDay = random.intBetween(0, LAST_DAY);
    const throughDay = Math.min(LAST_DAY, fromDay + (random.chance(0.8) ? 0 : random.intBetween(1, 20)));
    const paymentCents = random.intBetween(0, 300) * 1000;
    expected.claims += 1;
    expected.claimPaymentAmountCents += paymentCents;
    rows.push(
      [
        random.pick(this.pools.members),
        String(claimNumber),
        '1',
        SYNPUF_SERVICE_DAYS[fromDay],
        SYNPUF_SERVICE_DAYS[throughDay],
        random.pick(this.pools.providerNumbers),
        formatCents(paymentCents),
        '0.00',
        random.pick(this.pools.npis),
        random.chance(0.1) ? random.pick(this.pools.npis) : '',
        random.chance(0.05) ? random.pick(this.pools.npis) : '',
        '0.00',
        ...filled(random.intBetween(1, 5), 10, () => random.pick(ICD9_DIAGNOSES)),
        ...filled(random.chance(0.1) ? random.intBetween(1, 2) : 0, 6, () => random.digits(4)),
        random.chance(0.05) ? formatCents(random.intBetween(1, 13) * 1000) : '0.00',
        formatCents(random.intBetween(0, 8) * 1000),
        random.chance(0.4) ? random.pick(ICD9_DIAGNOSES) : '',
        ...filled(random.intBetween(0, 13), 45, () => random.pick(HCPCS_CODES)),
      ].join(','),
    );
  }
}
