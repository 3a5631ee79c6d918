import type { ExpectedPendedQueueKpis } from './expected-kpis';
import type { RecordGenerator } from './record-generator';
import { SeededRandom, WeightedChoice } from './seeded-random';
import {
  calendarDays,
  csvField,
  formatDollarsWithSeparators,
  formatIsoDate,
  formatUsDate,
  npiPool,
  npiWithCheckDigit,
} from './value-formats';

/**
 * A payer's pended-claims work-queue export (CSV), in the shape of the
 * hand-written fixture in data/pended (mapping: layouts/pended-queue-export.yaml):
 * one row per claim, waiting (blank clear date) or cleared. Names, member ids,
 * addresses and comments are made up; the comments are written the way
 * adjudicators write them, member details included, to stand for PHI.
 */
export const PENDED_QUEUE_COLUMNS: readonly string[] = [
  'Claim Number',
  'Member ID',
  'Date of Service',
  'Received Date',
  'Clear Date',
  'Payer',
  'Pend Reason',
  'Pend Queue',
  'Rendering Provider First Name',
  'Rendering Provider Last Name',
  'Rendering Provider NPI',
  'Provider Group',
  'Service Location Address 1',
  'Service Location City',
  'Service Location State',
  'Service Location Zip',
  'Billed Amount',
  'Adjudicator Comments',
];

const MILLISECONDS_PER_DAY = 86_400_000;
const SERVICE_DAYS = calendarDays('2023-01-01', '2024-12-31');

interface PendReason {
  reason: string;
  queue: string;
  /** Free-text comments an adjudicator might write for this reason; `{date}` and `{claim}` are filled in. */
  comments: readonly string[];
}

const PEND_REASONS = new WeightedChoice<PendReason>([
  [
    {
      reason: 'NPI_NOT_FOUND',
      queue: 'Provider Data',
      comments: ['Rendering NPI not on file; requested W-9 and NPPES printout from office.'],
    },
    20,
  ],
  [
    {
      reason: 'NPI_CHECK_DIGIT',
      queue: 'Provider Data',
      comments: ['NPI fails check digit; called office {date}, awaiting corrected claim.'],
    },
    8,
  ],
  [
    {
      reason: 'LOCATION_NOT_EFFECTIVE',
      queue: 'Provider Data',
      comments: ['New service location effective {date}; waiting for the load.'],
    },
    10,
  ],
  [
    {
      reason: 'MEMBER_NOT_ELIGIBLE',
      queue: 'Eligibility',
      comments: [
        'Member called {date}, confirmed coverage through employer plan; retro-term under review.',
        'Spouse says member has "other coverage"; COB questionnaire mailed {date}.',
      ],
    },
    22,
  ],
  [
    {
      reason: 'MEMBER_NOT_FOUND',
      queue: 'Eligibility',
      comments: ['No member ID on claim; searched by name/DOB, two candidates. Holding for provider callback.'],
    },
    10,
  ],
  [
    {
      reason: 'AMOUNT_OVER_THRESHOLD',
      queue: 'Medical Review',
      comments: [
        'High-dollar review: op note requested. Patient DOB mismatch on claim vs. enrollment file.',
        'Itemized bill requested {date}; "implant invoice" missing.',
      ],
    },
    15,
  ],
  [
    {
      reason: 'DUPLICATE_SUSPECT',
      queue: 'Claims Integrity',
      comments: ['Possible duplicate of {claim}; same DOS and CPT. Awaiting provider response.'],
    },
    15,
  ],
]);
const PAYERS = ['Aetna', 'UnitedHealthcare', 'Cigna', 'Humana', 'Medicaid', 'Blue Cross Blue Shield', 'Medicare'];
const FIRST_NAMES = ['Maria', 'James', 'Priya', 'Daniel', 'Elena', 'Samuel', 'Grace', 'Ahmed', 'Olivia', 'Wei'];
const LAST_NAMES = ['Alvarez', 'Okafor', 'Natarajan', 'Kim', 'Rossi', 'Brooks', 'Liu', 'Haddad', 'Novak', 'Chen'];
const PROVIDER_GROUPS = [
  'Lakeside Family Medicine',
  'Riverside Cardiology',
  'Northgate Urgent Care',
  'Main Street Clinic',
  'Westside Physical Therapy',
  'Northgate Behavioral Health',
];
/** Made-up street addresses in real city/state/zip combinations. */
const SERVICE_LOCATIONS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['1200 Lakeshore Dr', 'Chicago', 'IL', '60611'],
  ['45 River Rd Suite 300', 'Columbus', 'OH', '43215'],
  ['88 Northgate Blvd', 'Austin', 'TX', '78701'],
  ['310 Main St', 'Springfield', 'IL', '62701'],
  ['77 West Ave', 'Denver', 'CO', '80202'],
  ['9 Harbor Way', 'Seattle', 'WA', '98101'],
  ['2150 Peachtree Rd NE', 'Atlanta', 'GA', '30309'],
  ['500 Boylston St, Floor 2', 'Boston', 'MA', '02116'],
];

interface RenderingProvider {
  firstName: string;
  lastName: string;
  npi: string;
  group: string;
}

/** Pended-queue export: 18 columns, one row per claim. */
export class PendedQueueRecordGenerator implements RecordGenerator<ExpectedPendedQueueKpis> {
  private readonly members: string[];
  private readonly providers: RenderingProvider[];

  constructor(private readonly random: SeededRandom) {
    this.members = Array.from({ length: 20_000 }, () => `MBR${random.digits(8)}`);
    this.providers = npiPool(random, 600, 0).map((npi) => ({
      firstName: random.pick(FIRST_NAMES),
      lastName: random.pick(LAST_NAMES),
      npi,
      group: random.pick(PROVIDER_GROUPS),
    }));
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedPendedQueueKpis): void {
    const random = this.random;
    const pend = PEND_REASONS.pick(random);
    const provider = random.pick(this.providers);
    const serviceDate = random.pick(SERVICE_DAYS);
    // A claim is received days after its service; a few arrive dated before it, a data-quality finding.
    const receivedDate = addDays(
      serviceDate,
      random.chance(0.01) ? -random.intBetween(1, 5) : random.intBetween(1, 20),
    );
    const waiting = random.chance(0.55);
    const clearDate = waiting ? null : addDays(receivedDate, random.intBetween(1, 30));
    // One export session writes all dates of a row alike: ISO or US.
    const writtenDate = random.chance(0.7) ? formatIsoDate : (date: Date) => formatUsDate(date, true);
    const billedCents =
      pend.reason === 'AMOUNT_OVER_THRESHOLD'
        ? random.intBetween(10_000, 60_000) * 100
        : random.intBetween(40, 3_000) * 100 + (random.chance(0.2) ? 50 : 0);
    // The claim's NPI is what made it pend for a check-digit failure.
    const npi =
      pend.reason === 'NPI_CHECK_DIGIT' ? withWrongCheckDigit(provider.npi, random.intBetween(1, 9)) : provider.npi;
    const [address, city, state, zip] = random.pick(SERVICE_LOCATIONS);
    const memberId = pend.reason === 'MEMBER_NOT_FOUND' && random.chance(0.5) ? '' : random.pick(this.members);
    const comments = random.chance(0.1)
      ? ''
      : random
          .pick(pend.comments)
          .replace('{date}', formatUsDate(addDays(receivedDate, random.intBetween(1, 10)), false))
          .replace('{claim}', `PQ-${Math.max(1, claimNumber - random.intBetween(1, 500))}`);

    expected.claims += 1;
    if (waiting) expected.claimsWaiting += 1;
    else expected.claimsCleared += 1;
    expected.claimsByPendReason[pend.reason] = (expected.claimsByPendReason[pend.reason] ?? 0) + 1;
    expected.billedAmountCents += billedCents;
    rows.push(
      [
        `PQ-${claimNumber}`,
        memberId,
        writtenDate(serviceDate),
        writtenDate(receivedDate),
        clearDate === null ? '' : writtenDate(clearDate),
        random.pick(PAYERS),
        pend.reason,
        pend.queue,
        provider.firstName,
        provider.lastName,
        npi,
        provider.group,
        address,
        city,
        state,
        zip,
        formatDollarsWithSeparators(billedCents, true),
        comments,
      ]
        .map(csvField)
        .join(','),
    );
  }
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * MILLISECONDS_PER_DAY);
}

function withWrongCheckDigit(npi: string, offset: number): string {
  const valid = npiWithCheckDigit(npi.slice(0, 9));
  return `${valid.slice(0, 9)}${(Number(valid[9]) + offset) % 10}`;
}
