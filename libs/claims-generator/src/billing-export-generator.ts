import type { BillingClaimStatus, ExpectedBillingKpis } from './expected-kpis';
import type { RecordGenerator } from './record-generator';
import { SeededRandom, WeightedChoice } from './seeded-random';
import {
  calendarDays,
  csvField,
  formatDollarsWithSeparators,
  formatIsoDate,
  formatUsDate,
  npiPool,
} from './value-formats';

/**
 * A billing system's claim export (CSV), in the shape of the hand-written
 * fixtures in data/billing (mapping: layouts/billing-export.yaml): one row per
 * service line, the rows of a claim adjacent and sharing Claim_ID, and the
 * inconsistencies such exports have: status in any case, amounts with and
 * without `$` and thousands separators, US and ISO dates mixed.
 */
export const BILLING_EXPORT_COLUMNS: readonly string[] = [
  'Claim_ID',
  'Provider_ID',
  'Procedure_code',
  'Diagnosis_code',
  'service_date',
  'Payer',
  'Claim_amnt',
  'Paid_amnt',
  'claim_status',
  'Location',
];

const SERVICE_DAYS = calendarDays('2023-01-01', '2024-12-31');
/** CPT (HCPCS level I) and HCPCS level II codes of an outpatient practice. */
const PROCEDURE_CODES = [
  '99213',
  '99214',
  '99203',
  '99285',
  '99396',
  '83036',
  '36415',
  '93000',
  '80053',
  '85025',
  '97110',
  '97140',
  '96372',
  '90471',
  '81002',
  'J1100',
  'G0008',
];
/** ICD-10-CM, written with the dot as billing systems show it. */
const DIAGNOSIS_CODES = [
  'E11.9',
  'I10',
  'J06.9',
  'R07.9',
  'M54.5',
  'Z00.00',
  'E78.5',
  'N18.3',
  'M25.561',
  'F41.1',
  'J45.909',
  'K21.9',
  'Z23',
];
const PAYERS = new WeightedChoice<string>([
  ['Medicare', 25],
  ['UnitedHealthcare', 18],
  ['Aetna', 14],
  ['Blue Cross Blue Shield', 16],
  ['Cigna', 10],
  ['Humana', 9],
  ['Medicaid', 8],
]);
const LOCATIONS = [
  'Main Street Clinic',
  'Riverside Cardiology',
  'Northgate Urgent Care',
  'St. Anne Emergency',
  'Lakeside Family Medicine',
  'Westside Physical Therapy',
  'Northgate Behavioral Health',
];
const STATUSES = new WeightedChoice<BillingClaimStatus>([
  ['paid', 65],
  ['denied', 15],
  ['pending', 12],
  ['rejected', 8],
]);
const LINES_PER_CLAIM = new WeightedChoice<number>([
  [1, 50],
  [2, 25],
  [3, 15],
  [4, 7],
  [5, 3],
]);

type AmountStyle = 'dollar-sign' | 'separators-only' | 'plain';
const AMOUNT_STYLES = new WeightedChoice<AmountStyle>([
  ['dollar-sign', 60],
  ['separators-only', 15],
  ['plain', 25],
]);

function formatAmount(cents: number, style: AmountStyle): string {
  if (style === 'plain') return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return formatDollarsWithSeparators(cents, style === 'dollar-sign');
}

/** Mostly lower case, as the export's own values; some rows typed by hand. */
function statusAsWritten(random: SeededRandom, status: BillingClaimStatus): string {
  const draw = random.nextFloat();
  if (draw < 0.85) return status;
  if (draw < 0.95) return `${status.charAt(0).toUpperCase()}${status.slice(1)}`;
  return status.toUpperCase();
}

function serviceDateAsWritten(random: SeededRandom, date: Date): string {
  const draw = random.nextFloat();
  if (draw < 0.4) return formatIsoDate(date);
  return formatUsDate(date, draw < 0.85);
}

/** Billing-system export: 10 columns, one row per service line. */
export class BillingExportRecordGenerator implements RecordGenerator<ExpectedBillingKpis> {
  private readonly providerNpis: string[];

  constructor(private readonly random: SeededRandom) {
    this.providerNpis = npiPool(random, 800, 0.02);
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedBillingKpis): void {
    const random = this.random;
    const status = STATUSES.pick(random);
    const lineCount = LINES_PER_CLAIM.pick(random);
    // The claim-level fields repeat on every line, as the export writes them.
    const claimId = `BX-${claimNumber}`;
    const providerNpi = random.pick(this.providerNpis);
    const diagnosisCode = random.pick(DIAGNOSIS_CODES);
    const serviceDate = serviceDateAsWritten(random, random.pick(SERVICE_DAYS));
    const payer = PAYERS.pick(random);
    const location = random.pick(LOCATIONS);
    expected.claims += 1;
    expected.claimsByStatus[status] += 1;
    expected.lines += lineCount;
    if (status === 'paid') expected.linesAllowed += lineCount;

    for (let line = 0; line < lineCount; line += 1) {
      const procedureCode = random.pick(PROCEDURE_CODES);
      const chargeCents = random.intBetween(12, 2_500) * 100 + (random.chance(0.3) ? random.intBetween(1, 19) * 5 : 0);
      const paidCents = status === 'paid' ? Math.floor((chargeCents * random.intBetween(55, 90)) / 100) : 0;
      const style = AMOUNT_STYLES.pick(random);
      // Pending lines have no paid amount yet; denied and rejected ones show a zero.
      const paidAmount = status === 'pending' ? '' : formatAmount(paidCents, style);
      expected.chargeAmountCents += chargeCents;
      expected.paidAmountCents += paidCents;
      rows.push(
        [
          claimId,
          providerNpi,
          procedureCode,
          diagnosisCode,
          serviceDate,
          payer,
          formatAmount(chargeCents, style),
          paidAmount,
          statusAsWritten(random, status),
          location,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
}
