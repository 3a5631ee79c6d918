import type { ClaimEvent } from '@claims/contracts';
import { mappedLayoutOf, rawEventsOf, readVendoredFile } from './__fixtures__/vendored-file';
import { CodeLists } from './code-lists';
import { loadSourceLayouts } from './layout-files';
import { normalizeMappedRecord } from './mapped-record';
import { rawRecordEvent } from './raw-record-event';
import { SourceRecordError } from './source-record.errors';

const layouts = loadSourceLayouts();
const options = { patientTokenKey: 'unit-test-key-0123456789', codeLists: CodeLists.none() };
const VENDORED = readVendoredFile('billing/billing-export-2024-03.csv');
const layout = mappedLayoutOf(layouts, VENDORED);

/** What each claim of a billing export (header of the vendored file) becomes: a claim event, or the refusal. */
function outcomesOf(rows: string[]): Array<ClaimEvent | SourceRecordError> {
  return rawEventsOf({ ...VENDORED, source: 'billing-export-spec.csv', rows }, layout).map((raw) => {
    try {
      const normalized = normalizeMappedRecord(layout, raw, options);
      if (normalized.kind !== 'claim') throw new Error('expected a claim');
      return normalized.event;
    } catch (error) {
      if (error instanceof SourceRecordError) return error;
      throw error;
    }
  });
}

const claimsOf = (outcomes: Array<ClaimEvent | SourceRecordError>): ClaimEvent[] =>
  outcomes.flatMap((outcome) => (outcome instanceof SourceRecordError ? [] : [outcome]));
const refusalsOf = (outcomes: Array<ClaimEvent | SourceRecordError>): string[] =>
  outcomes.flatMap((outcome) => (outcome instanceof SourceRecordError ? [`${outcome.code}: ${outcome.message}`] : []));

/** A one-line claim of the export: its id, status, charge and payment; the other columns as the fixture's. */
const row = (claimId: string, status: string, charge: string, paid: string): string =>
  `${claimId},1245319599,99213,E11.9,03/04/2024,Aetna,${charge},${paid},${status},Main Street Clinic`;

describe('the billing export layout on the hand-written fixtures', () => {
  it('reads the figures an analyst computes from the March 2024 export: 10 claims, 17 lines, billed and paid', () => {
    const claims = claimsOf(outcomesOf(VENDORED.rows));
    const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
    expect(claims).toHaveLength(10);
    expect(sum(claims.map((claim) => claim.claim.lines.length))).toBe(17);
    expect(sum(claims.map((claim) => claim.claim.billedAmountCents ?? 0))).toBe(624_040);
    expect(sum(claims.map((claim) => claim.claim.totals.paymentAmountCents))).toBe(72_685);
    const byStatus = new Map<string, number>();
    for (const claim of claims) {
      const status = claim.claim.adjudication?.status ?? 'none';
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    // Adjudicated 7 (5 paid, 2 denied): a denial rate of 2 / 7 by count and 1,640.00 / 2,775.00 by charges.
    expect(Object.fromEntries(byStatus)).toEqual({ paid: 5, denied: 2, pending: 2, rejected: 1 });
  });
});

describe('the billing export layout on awkward exports', () => {
  it('reads the status in any case and with spaces around it', () => {
    const claims = claimsOf(
      outcomesOf([row('S-1', 'Denied', '$100.00', '$0.00'), row('S-2', 'DENIED ', '$100.00', '')]),
    );
    expect(claims.map((claim) => [claim.eventType, claim.claim.adjudication?.status])).toEqual([
      ['adjudicated', 'denied'],
      ['adjudicated', 'denied'],
    ]);
  });

  it('reads a partially paid claim as adjudicated and partially paid, its line allowed, as docs/kpis counts it', () => {
    const claims = claimsOf(
      outcomesOf([
        row('P-1', 'Partially Paid', '$100.00', '$40.00'),
        row('P-2', 'partial', '$100.00', '$40.00'),
        row('P-3', 'partially_paid', '$100.00', '$40.00'),
      ]),
    );
    expect(
      claims.map((claim) => [
        claim.eventType,
        claim.claim.adjudication?.status,
        claim.claim.adjudication?.sourceStatus,
        claim.claim.lines[0]?.processingCategory,
      ]),
    ).toEqual([
      ['adjudicated', 'partially_paid', 'Partially Paid', 'allowed'],
      ['adjudicated', 'partially_paid', 'partial', 'allowed'],
      ['adjudicated', 'partially_paid', 'partially_paid', 'allowed'],
    ]);
  });

  it('still refuses a status it does not know rather than guessing it', () => {
    expect(refusalsOf(outcomesOf([row('S-3', 'appealed', '$100.00', '$0.00')]))).toEqual([
      'CODE_UNTRANSLATED: claim_status holds a value the layout does not translate',
    ]);
  });

  it('refuses a totals row at the end of the export, where it was counted as a claim of the file’s totals', () => {
    const outcomes = outcomesOf([
      row('X-1', 'paid', '$100.00', '$80.00'),
      row('X-2', 'paid', '$50.00', '$40.00'),
      'Total,,,,03/31/2024,,$150.00,$120.00,paid,',
      'TOTAL,,,,,,$150.00,$120.00,,',
    ]);
    expect(claimsOf(outcomes).map((claim) => claim.claimId)).toEqual(['X-1', 'X-2']);
    expect(refusalsOf(outcomes)).toEqual([
      'FIELD_MISSING: Procedure_code is blank',
      'FIELD_MISSING: service_date is blank',
    ]);
  });

  it('says a blank charge (FIELD_MISSING Claim_amnt) rather than reading it as 0.00 in silence', () => {
    const [claim] = claimsOf(outcomesOf([row('C-1', 'paid', '', '$80.00')]));
    expect(claim?.claim.lines[0]?.chargeAmountCents).toBeNull();
    expect(claim?.dataQuality.map((finding) => `${finding.code} ${finding.field}`)).toEqual([
      'FIELD_MISSING Claim_amnt',
    ]);
  });

  it('says a blank payer (FIELD_MISSING Payer) and counts the claim under UNSPECIFIED, the default the layout names', () => {
    const [claim] = claimsOf(outcomesOf([row('P-1', 'paid', '$100.00', '$80.00').replace(',Aetna,', ',,')]));
    expect(claim?.claim.payer).toBe('UNSPECIFIED');
    expect(claim?.dataQuality.map((finding) => `${finding.code} ${finding.field}`)).toEqual(['FIELD_MISSING Payer']);
  });

  it('reads a blank payment on a denied row as nothing paid, without a finding', () => {
    const [claim] = claimsOf(outcomesOf([row('D-1', 'denied', '$100.00', '')]));
    expect([claim?.claim.totals.paymentAmountCents, claim?.claim.adjudication?.status, claim?.dataQuality]).toEqual([
      0,
      'denied',
      [],
    ]);
  });

  it.each([
    ['1.234,56', 'a European amount'],
    ['12.', 'a decimal point without cents'],
    ['.5', 'cents without dollars'],
    ['1.234', 'three decimals'],
    ['USD 12.00', 'a currency code'],
  ])('refuses %s (%s) as AMOUNT_INVALID rather than misreading it', (charge) => {
    expect(refusalsOf(outcomesOf([row('A-1', 'paid', `"${charge}"`, '$0.00')]))).toEqual([
      'AMOUNT_INVALID: Claim_amnt is not a dollar amount',
    ]);
  });

  it('reads thousands without decimals, a minus after the dollar sign, and a quoted Location with commas and quotes', () => {
    const claims = claimsOf(
      outcomesOf([
        row('A-2', 'paid', '"1,234"', '$0.00').replace('Main Street Clinic', '"Smith, ""Jr."" Clinic, Suite 2"'),
        row('A-3', 'paid', '$-12.00', '$0.00'),
      ]),
    );
    expect(claims.map((claim) => [claim.claim.billedAmountCents, claim.claim.serviceLocation?.name])).toEqual([
      [123_400, 'Smith, "Jr." Clinic, Suite 2'],
      [-1_200, 'Main Street Clinic'],
    ]);
    expect(claims[1]?.dataQuality.map((finding) => finding.code)).toEqual(['NEGATIVE_AMOUNT']);
  });

  it('refuses a row with a trailing delimiter its header lacks, naming the column counts', () => {
    expect(refusalsOf(outcomesOf([`${row('T-1', 'paid', '$100.00', '$80.00')},`]))).toEqual([
      'COLUMN_COUNT_MISMATCH: expected 10 columns, found 11',
    ]);
  });

  it('says a column count mismatch may be two rows joined by a lone CR, in a file whose other lines end in LF', () => {
    const joined = `${row('CR-1', 'paid', '$100.00', '$80.00')}\r${row('CR-2', 'paid', '$50.00', '$40.00')}`;
    expect(refusalsOf(outcomesOf([joined]))).toEqual([
      'COLUMN_COUNT_MISMATCH: expected 10 columns, found 19 ' +
        '(the row holds a carriage return: rows ending in CR alone, amid rows ending in LF?)',
    ]);
  });
});

describe('the billing export layout on rows that hold no claim', () => {
  it('refuses a row of delimiters only as ROW_BLANK, where it was refused for a blank claim id', () => {
    expect(refusalsOf(outcomesOf([',,,,,,,,,', ' , ,"",,,,,,,\t']))).toEqual([
      'ROW_BLANK: the row holds only delimiters: no field has a value',
      'ROW_BLANK: the row holds only delimiters: no field has a value',
    ]);
  });

  it('refuses a row of fewer delimiters than the header as ROW_BLANK, where it was a column count mismatch', () => {
    expect(refusalsOf(outcomesOf([',,,,,']))).toEqual([
      'ROW_BLANK: the row holds only delimiters: no field has a value',
    ]);
  });

  it('reads the claims around a row of delimiters only, which ends none of them', () => {
    const claims = claimsOf(
      outcomesOf([row('B-1', 'paid', '$10.00', '$8.00'), ',,,,,,,,,', row('B-1', 'paid', '$20.00', '$15.00')]),
    );
    expect(claims.map((claim) => [claim.claimId, claim.claim.lines.length])).toEqual([['B-1', 2]]);
  });

  it('refuses the header row repeated mid-file (two exports joined) as HEADER_REPEATED, not as a bad date', () => {
    expect(refusalsOf(outcomesOf([row('H-1', 'paid', '$10.00', '$8.00'), VENDORED.header]))).toEqual([
      "HEADER_REPEATED: the row repeats the file's header row (files joined into one?): it holds no claim",
    ]);
  });

  it('refuses a repeated header that carries its own byte-order mark, quotes or other case as HEADER_REPEATED', () => {
    const quoted = VENDORED.header
      .split(',')
      .map((name) => `"${name.toUpperCase()}"`)
      .join(',');
    expect(
      refusalsOf(outcomesOf([`\uFEFF${VENDORED.header}`, quoted])).map((refusal) => refusal.split(':')[0]),
    ).toEqual(['HEADER_REPEATED', 'HEADER_REPEATED']);
  });

  it('refuses a header row in another column order mid-file as HEADER_REPEATED, saying later rows follow the first', () => {
    const reordered = VENDORED.header.replace('Claim_amnt,Paid_amnt', 'Paid_amnt,Claim_amnt');
    expect(refusalsOf(outcomesOf([reordered]))).toEqual([
      "HEADER_REPEATED: the row is the file's header row with its columns in another order (files joined into one?): " +
        'it holds no claim, and the rows after it are read by the first header',
    ]);
  });

  it('dead-letters a raw event whose header names a read column twice as HEADER_MISMATCH, reading neither', () => {
    // As a feed publishing its own raw events would send it: the ingestor refuses such a file at its header.
    const raw = rawRecordEvent({
      layout: layout.name,
      record: `${row('D-1', 'paid', '$10.00', '$8.00')},$99.00`,
      recordNumber: 1,
      source: 'billing-export-spec.csv',
      fileId: VENDORED.fileId,
      publishedAt: '2024-01-02T03:04:05.000Z',
      header: `${VENDORED.header},Claim_amnt`,
      claimId: 'D-1',
    });
    let refusal: unknown = null;
    try {
      normalizeMappedRecord(layout, raw, options);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({
      code: 'HEADER_MISMATCH',
      message:
        'the header row names Claim_amnt twice (columns 7 and 11), a column layout billing.claim-export reads: ' +
        'which of them holds its values is ambiguous',
    });
  });
});
