import type { ClaimEvent } from '@claims/contracts';
import { mappedLayoutOf, rawEventsOf, readVendoredFile, type VendoredFile } from './__fixtures__/vendored-file';
import { CodeLists } from './code-lists';
import { loadSourceLayouts } from './layout-files';
import { normalizeMappedRecord } from './mapped-record';
import { SourceRecordError } from './source-record.errors';

const layouts = loadSourceLayouts();
const options = { patientTokenKey: 'billing-sources-spec-key', codeLists: CodeLists.none() };
const BILLING = readVendoredFile('billing/billing-export-2024-03.csv');
const PENDED = readVendoredFile('pended/pended-queue-2024-03-15.csv');

type Outcome = ClaimEvent | SourceRecordError;

/** What each record of a file (rows replaced by `rows`, when given) becomes, by its first row's number. */
function recordsOf(file: VendoredFile, rows: string[] = file.rows): Array<{ row: number; outcome: Outcome }> {
  const layout = mappedLayoutOf(layouts, file);
  return rawEventsOf({ ...file, rows }, layout).map((raw) => {
    try {
      const normalized = normalizeMappedRecord(layout, raw, options);
      if (normalized.kind !== 'claim') throw new Error('expected a claim');
      return { row: raw.lineage.recordNumber, outcome: normalized.event };
    } catch (error) {
      if (error instanceof SourceRecordError) return { row: raw.lineage.recordNumber, outcome: error };
      throw error;
    }
  });
}

const outcomesOf = (file: VendoredFile, rows?: string[]): Outcome[] =>
  recordsOf(file, rows).map(({ outcome }) => outcome);

const claimsOf = (outcomes: Outcome[]): ClaimEvent[] =>
  outcomes.flatMap((outcome) => (outcome instanceof SourceRecordError ? [] : [outcome]));

/** The first row of a vendored file with some of its columns rewritten (the row holds no quoted cell). */
function firstRowWith(file: VendoredFile, values: Record<string, string>): string {
  const columns = file.header.split(',');
  const cells = (file.rows[0] ?? '').split(',');
  for (const [column, value] of Object.entries(values)) cells[columns.indexOf(column)] = value;
  return cells.join(',');
}

/**
 * The figures an outside checker computes from the raw CSVs (a Python script of
 * its own, csv.DictReader and Decimal, not this code): a claim is the adjacent
 * rows of one Claim_ID, a line is a row, billed is Σ Claim_amnt and paid is
 * Σ Paid_amnt (blank: nothing; "-$25.00" a recoupment); claim_status read in
 * any case as docs/kpis/denials-and-payment.md maps it (paid, partially paid,
 * denied: adjudicated; pending, pended: pended; rejected); the payer is the
 * claim's first row's; a claim's dates run from its earliest row to its latest.
 *
 * Per claim: id, lines, billed cents, paid cents, adjudication status, event type, payer, service from, through.
 */
type BillingClaimFigures = [string, number, number, number, string, string, string, string, string];
const BILLING_MARCH_CLAIMS: BillingClaimFigures[] = [
  ['BX-240301-0001', 3, 24500, 18785, 'paid', 'adjudicated', 'Aetna', '2024-03-04', '2024-03-04'],
  ['BX-240301-0002', 2, 146000, 0, 'denied', 'adjudicated', 'UnitedHealthcare', '2024-03-05', '2024-03-05'],
  ['BX-240301-0003', 1, 240000, 0, 'pending', 'pended', 'Cigna', '2024-03-07', '2024-03-07'],
  ['BX-240301-0004', 1, 97540, 0, 'rejected', 'rejected', 'Medicare', '2024-03-08', '2024-03-08'],
  ['BX-240301-0005', 3, 15500, 12400, 'paid', 'adjudicated', 'Blue Cross Blue Shield', '2024-03-11', '2024-03-11'],
  ['BX-240301-0006', 1, 31000, 24800, 'paid', 'adjudicated', 'Humana', '2024-03-12', '2024-03-12'],
  ['BX-240301-0007', 1, 18500, -2500, 'paid', 'adjudicated', 'Humana', '2024-03-12', '2024-03-12'],
  ['BX-240301-0008', 2, 9000, 0, 'pending', 'pended', 'Aetna', '2024-03-14', '2024-03-14'],
  ['BX-240301-0009', 2, 18000, 0, 'denied', 'adjudicated', 'Medicaid', '2024-03-15', '2024-03-15'],
  ['BX-240301-0010', 1, 24000, 19200, 'paid', 'adjudicated', 'Cigna', '2024-03-18', '2024-03-18'],
];
/** billing-export-with-errors.csv: the two claims the checker finds sound, and why each other one is not. */
const BILLING_WITH_ERRORS_CLAIMS: BillingClaimFigures[] = [
  ['BX-240302-0001', 1, 18500, 14250, 'paid', 'adjudicated', 'Aetna', '2024-03-19', '2024-03-19'],
  ['BX-240302-0006', 1, 9500, 7600, 'paid', 'adjudicated', 'Medicaid', '2024-03-22', '2024-03-22'],
];
const BILLING_WITH_ERRORS_REFUSALS = [
  'row 2 DATE_INVALID', // 03/32/2024
  'row 3 AMOUNT_INVALID', // "12,34.00"
  'row 4 CLAIM_ID_MISSING',
  'row 5 CODE_UNTRANSLATED', // appealed
  'row 6 AMOUNT_INVALID', // "twenty" in the claim's second row (7): the whole claim, not its first line alone
];

/**
 * The pended-queue rows as the checker reads them: a blank clear date waits (pended), any other clears;
 * the row is dated by the later of its clear and received dates; dates ISO or US; billed "$12,950.00".
 * Per row: id, event type, payer, pend reason, queue, received, clear, event date, billed cents, state, NPI.
 */
type PendedRowFigures = [string, string, string, string, string, string, string | null, string, number, string, string];
const PENDED_ROWS: PendedRowFigures[] = [
  [
    'PQ-2024-000101',
    'pended',
    'Aetna',
    'NPI_NOT_FOUND',
    'Provider Data',
    '2024-02-20',
    null,
    '2024-02-20',
    31000,
    'IL',
    '1245319599',
  ],
  [
    'PQ-2024-000102',
    'cleared',
    'Aetna',
    'MEMBER_NOT_ELIGIBLE',
    'Eligibility',
    '2024-02-21',
    '2024-03-04',
    '2024-03-04',
    148000,
    'OH',
    '1345678902',
  ],
  [
    'PQ-2024-000103',
    'pended',
    'Cigna',
    'AMOUNT_OVER_THRESHOLD',
    'Medical Review',
    '2024-03-01',
    null,
    '2024-03-01',
    1295000,
    'TX',
    '1456789019',
  ],
  [
    'PQ-2024-000104',
    'pended',
    'UnitedHealthcare',
    'DUPLICATE_SUSPECT',
    'Claims Integrity',
    '2024-03-02',
    null,
    '2024-03-02',
    18500,
    'IL',
    '1234567890',
  ],
  [
    'PQ-2024-000105',
    'cleared',
    'Humana',
    'NPI_CHECK_DIGIT',
    'Provider Data',
    '2024-03-08',
    '2024-03-15',
    '2024-03-15',
    64000,
    'CO',
    '1567890128',
  ],
  [
    'PQ-2024-000106',
    'pended',
    'Medicaid',
    'MEMBER_NOT_FOUND',
    'Eligibility',
    '2024-03-09',
    null,
    '2024-03-09',
    9500,
    'IL',
    '1678901236',
  ],
  [
    'PQ-2024-000107',
    'cleared',
    'Blue Cross Blue Shield',
    'LOCATION_NOT_EFFECTIVE',
    'Provider Data',
    '2024-03-12',
    '2024-03-14',
    '2024-03-14',
    24000,
    'WA',
    '1789012345',
  ],
];

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

function billingFiguresOf(claim: ClaimEvent): BillingClaimFigures {
  return [
    claim.claimId,
    claim.claim.lines.length,
    // What the denial and payment KPIs take as billed: the stated total, else the lines' charges.
    claim.claim.billedAmountCents ?? sum(claim.claim.lines.map((line) => line.chargeAmountCents ?? 0)),
    claim.claim.totals.paymentAmountCents,
    claim.claim.adjudication?.status ?? 'none',
    claim.eventType,
    claim.claim.payer,
    claim.claim.serviceFromDate,
    claim.claim.serviceThroughDate,
  ];
}

function pendedFiguresOf(claim: ClaimEvent): PendedRowFigures {
  return [
    claim.claimId,
    claim.eventType,
    claim.claim.payer,
    claim.claim.pend?.reason ?? 'none',
    claim.claim.pend?.queue ?? 'none',
    claim.claim.receivedDate ?? 'none',
    claim.claim.clearDate ?? null,
    claim.occurredAt,
    claim.claim.billedAmountCents ?? 0,
    claim.claim.serviceLocation?.state ?? 'none',
    claim.claim.renderingProvider?.npi ?? 'none',
  ];
}

describe('the billing exports, mapped, against the figures a checker computes from the raw CSV', () => {
  it('reads each claim of the March 2024 export as the checker does: lines, billed, paid, status, payer, dates', () => {
    expect(claimsOf(outcomesOf(BILLING)).map(billingFiguresOf)).toEqual(BILLING_MARCH_CLAIMS);
  });

  it('gives the March 2024 totals: 10 claims, 17 lines, 6,240.40 billed, 726.85 paid, by status as the checker sums them', () => {
    const claims = claimsOf(outcomesOf(BILLING)).map(billingFiguresOf);
    const byStatus: Record<string, [number, number]> = {};
    for (const [, , billed, , status] of claims) {
      const cell = (byStatus[status] ??= [0, 0]);
      cell[0] += 1;
      cell[1] += billed;
    }
    expect({
      claims: claims.length,
      lines: sum(claims.map(([, lines]) => lines)),
      billed: sum(claims.map(([, , billed]) => billed)),
      paid: sum(claims.map(([, , , paid]) => paid)),
      byStatus,
    }).toEqual({
      claims: 10,
      lines: 17,
      billed: 624_040,
      paid: 72_685,
      // The billing_export denial rule (unit one claim): 7 adjudicated (paid, denied), 2 denied, 1,640.00 of 2,775.00.
      byStatus: { paid: [5, 113_500], denied: [2, 164_000], pending: [2, 249_000], rejected: [1, 97_540] },
    });
  });

  it('says what the checker sees in the March 2024 export: the NPI failing its check digit and the recoupment', () => {
    const findings = claimsOf(outcomesOf(BILLING)).flatMap((claim) =>
      claim.dataQuality.map((finding) => `${claim.claimId} ${finding.code} ${finding.field}`),
    );
    expect(findings).toEqual([
      'BX-240301-0004 NPI_CHECK_DIGIT_INVALID Provider_ID',
      'BX-240301-0007 NEGATIVE_AMOUNT Paid_amnt',
    ]);
  });

  it('folds the two sound claims of the export with errors and refuses each other one for its own fault', () => {
    const file = readVendoredFile('billing/billing-export-with-errors.csv');
    const records = recordsOf(file);
    expect(claimsOf(records.map(({ outcome }) => outcome)).map(billingFiguresOf)).toEqual(BILLING_WITH_ERRORS_CLAIMS);
    expect(
      records
        .sort((left, right) => left.row - right.row)
        .flatMap(({ row, outcome }) => (outcome instanceof SourceRecordError ? [`row ${row} ${outcome.code}`] : [])),
    ).toEqual(BILLING_WITH_ERRORS_REFUSALS);
  });
});

describe('the pended-queue export, mapped, against the figures a checker computes from the raw CSV', () => {
  it('reads each row as the checker does: waiting or cleared, payer, reason, queue, pend and clear dates, dollars', () => {
    expect(claimsOf(outcomesOf(PENDED)).map(pendedFiguresOf)).toEqual(PENDED_ROWS);
  });

  it('gives the totals: 7 claims, no lines, 15,900.00 billed, 4 still waiting with 13,540.00', () => {
    const claims = claimsOf(outcomesOf(PENDED));
    const waiting = claims.filter((claim) => claim.eventType === 'pended');
    expect({
      claims: claims.length,
      lines: sum(claims.map((claim) => claim.claim.lines.length)),
      billed: sum(claims.map((claim) => claim.claim.billedAmountCents ?? 0)),
      waiting: waiting.length,
      waitingBilled: sum(waiting.map((claim) => claim.claim.billedAmountCents ?? 0)),
    }).toEqual({ claims: 7, lines: 0, billed: 1_590_000, waiting: 4, waitingBilled: 1_354_000 });
  });

  it('says the blank member id, the NPI failing its check digit and the service after receipt the checker sees', () => {
    const findings = claimsOf(outcomesOf(PENDED)).flatMap((claim) =>
      claim.dataQuality.map((finding) => `${claim.claimId} ${finding.code} ${finding.field}`),
    );
    expect(findings).toEqual([
      'PQ-2024-000104 NPI_CHECK_DIGIT_INVALID Rendering Provider NPI',
      'PQ-2024-000104 SERVICE_DATE_AFTER_RECEIVED Date of Service',
      'PQ-2024-000106 MEMBER_ID_MISSING Member ID',
    ]);
  });

  it('dates the row of a later export that clears a waiting claim by its clear date, after the row that had it waiting', () => {
    // The next week's export: every claim of this one that waited has cleared, written as US dates.
    const later = PENDED.rows.map((row) => row.replace(/^(PQ-[^,]*,[^,]*,[^,]*,[^,]*),,/, '$1,3/22/2024,'));
    const waiting = claimsOf(outcomesOf(PENDED)).filter((claim) => claim.eventType === 'pended');
    const cleared = new Map(claimsOf(outcomesOf(PENDED, later)).map((claim) => [claim.claimId, claim]));
    expect(waiting).toHaveLength(4);
    for (const before of waiting) {
      const after = cleared.get(before.claimId);
      expect([after?.eventType, after?.claim.clearDate, after?.occurredAt]).toEqual([
        'cleared',
        '2024-03-22',
        '2024-03-22',
      ]);
      // The episode keeps the day it entered the queue: the received date both rows state.
      expect(after?.claim.receivedDate).toBe(before.claim.receivedDate);
      expect(after !== undefined && after.occurredAt > before.occurredAt).toBe(true);
    }
  });
});

describe('the pended-queue export on rows the vendored file does not hold', () => {
  it('says a blank Billed Amount (FIELD_MISSING), where the waiting claim counted 0.00 of open dollars in silence', () => {
    const [claim] = claimsOf(outcomesOf(PENDED, [firstRowWith(PENDED, { 'Billed Amount': '' })]));
    expect(claim?.claim.billedAmountCents).toBeNull();
    expect(claim?.dataQuality.map((finding) => `${finding.code} ${finding.field}`)).toEqual([
      'FIELD_MISSING Billed Amount',
    ]);
  });
});

/** A one-line claim of the billing export; the other columns as the vendored file's first claim. */
const billingRow = (
  claimId: string,
  { status = 'paid', charge = '$100.00', paid = '$80.00', date = '03/04/2024', payer = 'Aetna' } = {},
): string => `${claimId},1245319599,99213,E11.9,${date},${payer},${charge},${paid},${status},Main Street Clinic`;

const refusalOf = (outcomes: Outcome[]): string =>
  outcomes.map((outcome) => (outcome instanceof SourceRecordError ? outcome.code : 'read')).join(' ');

describe('the billing export on the values such exports write', () => {
  it.each([
    ['"$1,234.50"', 123_450, []],
    ['(12.00)', -1_200, ['NEGATIVE_AMOUNT Claim_amnt']],
    ['1234.5', 123_450, []],
    ['', null, ['FIELD_MISSING Claim_amnt']],
  ])('reads the charge %p as %p cents, saying %p', (charge, cents, findings) => {
    const [claim] = claimsOf(outcomesOf(BILLING, [billingRow('A-1', { charge })]));
    expect([
      claim?.claim.lines[0]?.chargeAmountCents,
      claim?.dataQuality.map((finding) => `${finding.code} ${finding.field}`),
    ]).toEqual([cents, findings]);
  });

  it('reads a blank payment as nothing paid and "(12.00)" as a recoupment it says', () => {
    const claims = claimsOf(
      outcomesOf(BILLING, [billingRow('P-1', { paid: '' }), billingRow('P-2', { paid: '(12.00)' })]),
    );
    expect(
      claims.map((claim) => [claim.claim.totals.paymentAmountCents, claim.dataQuality.map((finding) => finding.code)]),
    ).toEqual([
      [0, []],
      [-1_200, ['NEGATIVE_AMOUNT']],
    ]);
  });

  it.each([
    ['03/04/2024', '2024-03-04'],
    ['3/4/2024', '2024-03-04'],
    ['2024-03-04', '2024-03-04'],
    // Month first, as the layout declares: a day-first export is not told apart where both read as dates.
    ['04/03/2024', '2024-04-03'],
  ])('reads the service date %s as %s', (date, iso) => {
    const [claim] = claimsOf(outcomesOf(BILLING, [billingRow('D-1', { date })]));
    expect([claim?.claim.serviceFromDate, claim?.occurredAt]).toEqual([iso, iso]);
  });

  it.each(['2024-3-4', '03-04-2024', '3/4/24', '13/03/2024', '03/04/2024 00:00'])(
    'refuses the service date %s (DATE_INVALID) rather than guessing it',
    (date) => {
      expect(refusalOf(outcomesOf(BILLING, [billingRow('D-2', { date })]))).toBe('DATE_INVALID');
    },
  );

  it.each([
    ['PAID', 'adjudicated', 'paid', 'allowed'],
    [' Denied ', 'adjudicated', 'denied', 'not_allowed'],
    ['Partially Paid', 'adjudicated', 'partially_paid', 'allowed'],
    ['PENDED', 'pended', 'pending', 'unknown'],
    ['Pending', 'pended', 'pending', 'unknown'],
    ['Rejected', 'rejected', 'rejected', 'unknown'],
  ])(
    'reads the status %p as event type %s, adjudication %s, its line %s',
    (status, eventType, adjudication, category) => {
      const [claim] = claimsOf(outcomesOf(BILLING, [billingRow('S-1', { status })]));
      expect([
        claim?.eventType,
        claim?.claim.adjudication?.status,
        claim?.claim.adjudication?.sourceStatus,
        claim?.claim.lines[0]?.processingCategory,
      ]).toEqual([eventType, adjudication, status.trim(), category]);
    },
  );

  it.each(['partially  paid', 'Partially-Paid', 'appealed', ''])(
    'refuses the status %p (CODE_UNTRANSLATED), a spelling the layout does not list',
    (status) => {
      expect(refusalOf(outcomesOf(BILLING, [billingRow('S-2', { status })]))).toBe('CODE_UNTRANSLATED');
    },
  );

  it('spans a claim over its rows’ service dates, month and ISO written alike, its event dated by the latest', () => {
    const [claim] = claimsOf(
      outcomesOf(BILLING, [billingRow('M-1', { date: '2024-03-29' }), billingRow('M-1', { date: '4/2/2024' })]),
    );
    expect([claim?.claim.serviceFromDate, claim?.claim.serviceThroughDate, claim?.occurredAt]).toEqual([
      '2024-03-29',
      '2024-04-02',
      '2024-04-02',
    ]);
  });

  it('counts a claim whose rows disagree on payer or status as its first row says (data/billing/README.md, known limits)', () => {
    const [claim] = claimsOf(
      outcomesOf(BILLING, [
        billingRow('M-2', { status: 'denied', paid: '$0.00', payer: 'Cigna' }),
        billingRow('M-2', { status: 'paid', paid: '$80.00', payer: 'Aetna' }),
      ]),
    );
    // Each line keeps its own row's status, the claim its first row's: denied, with 80.00 paid.
    expect([
      claim?.claim.payer,
      claim?.claim.adjudication?.status,
      claim?.claim.totals.paymentAmountCents,
      claim?.claim.lines.map((line) => line.processingCategory),
      claim?.dataQuality,
    ]).toEqual(['Cigna', 'denied', 8_000, ['not_allowed', 'allowed'], []]);
  });
});

describe('the pended-queue export on the values such exports write', () => {
  it.each([
    ['"$1,234.50"', 123_450, []],
    ['(12.00)', -1_200, ['NEGATIVE_AMOUNT Billed Amount']],
    ['1234.5', 123_450, []],
  ])('reads the billed amount %p as %p cents, saying %p', (billed, cents, findings) => {
    const [claim] = claimsOf(outcomesOf(PENDED, [firstRowWith(PENDED, { 'Billed Amount': billed })]));
    expect([
      claim?.claim.billedAmountCents,
      claim?.dataQuality.map((finding) => `${finding.code} ${finding.field}`),
    ]).toEqual([cents, findings]);
  });

  it('reads received and clear dates written in US or ISO form, and a clear date of spaces as still waiting', () => {
    const claims = claimsOf(
      outcomesOf(PENDED, [
        firstRowWith(PENDED, { 'Received Date': '2/20/2024', 'Clear Date': '2024-03-18' }),
        firstRowWith(PENDED, { 'Received Date': '2024-02-20', 'Clear Date': '03/18/2024' }),
        firstRowWith(PENDED, { 'Clear Date': '  ' }),
      ]),
    );
    expect(
      claims.map((claim) => [claim.eventType, claim.claim.receivedDate, claim.claim.clearDate, claim.occurredAt]),
    ).toEqual([
      ['cleared', '2024-02-20', '2024-03-18', '2024-03-18'],
      ['cleared', '2024-02-20', '2024-03-18', '2024-03-18'],
      ['pended', '2024-02-20', null, '2024-02-20'],
    ]);
  });

  it('refuses a clear date that is no date (DATE_INVALID) rather than reading the claim as cleared or waiting', () => {
    expect(refusalOf(outcomesOf(PENDED, [firstRowWith(PENDED, { 'Clear Date': 'N/A' })]))).toBe('DATE_INVALID');
  });
});
