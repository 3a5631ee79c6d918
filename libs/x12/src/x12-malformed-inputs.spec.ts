import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimsOf837 } from './claim-837';
import type { X12EnvelopeItem } from './x12-envelope';
import { x12DispositionOf } from './x12-layouts';
import { remittanceOf835 } from './remittance-835';
import { segmentsOfText } from './x12-segments';
import { X12Error } from './x12.errors';
import { X12_SAMPLES, envelopeItemsOfText, transactionSetsOfText } from './__tests__/x12-samples';

/** Awkward-but-valid and malformed input a clearinghouse feed sends, read end to end by the pure functions. */

const patientTokenKey = 'unit-test-key-0123456789';
const sample = (...path: string[]): string => readFileSync(join(X12_SAMPLES, ...path), 'utf8').replace(/\r?\n/g, '');
/** One interchange of one 837P transaction set (a dependent's claim of four lines), without line breaks. */
const PROFESSIONAL = sample('linuxforhealth', '837_005010X222A2', 'demo.example1.837');
/** One 837I transaction set of two claims, each with a DTP*434 statement period. */
const INSTITUTIONAL = sample('linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i');
/** An 835 whose service lines are dated by DTM*150 and DTM*151 (service period start and end). */
const MANAGED_CARE = sample('linuxforhealth', '835_005010X221A1', 'managed-care.835');

const outcomes = (items: X12EnvelopeItem[]) =>
  items.map((item) =>
    item.kind === 'transaction'
      ? ['ok', item.transaction.controlNumber, item.transaction.segments.length]
      : ['failed', item.failure.scope, item.failure.error.code],
  );

const separators = { element: '*', repetition: '^', component: ':', segment: '~' };

function errorOf(run: () => unknown): X12Error {
  try {
    run();
  } catch (error) {
    if (error instanceof X12Error) return error;
    throw error;
  }
  throw new Error('expected an X12Error');
}

describe('layout between segments', () => {
  it('reads a file whose lines end in spaces or tabs after the terminator as the same file without them', async () => {
    const plain = outcomes(await envelopeItemsOfText(PROFESSIONAL));
    expect(plain).toEqual([['ok', '0021', 40]]);
    expect(outcomes(await envelopeItemsOfText(PROFESSIONAL.replace(/~/g, '~  \r\n')))).toEqual(plain);
    expect(outcomes(await envelopeItemsOfText(PROFESSIONAL.replace(/~/g, '~\t\n')))).toEqual(plain);
  });

  it('adds no failure for spaces, blank lines or a DOS end-of-file mark (Ctrl-Z) after the last IEA, as a padded file ends', async () => {
    expect(outcomes(await envelopeItemsOfText(`${PROFESSIONAL}   `))).toEqual([['ok', '0021', 40]]);
    expect(outcomes(await envelopeItemsOfText(`${PROFESSIONAL}\r\n    \r\n\r\n`))).toEqual([['ok', '0021', 40]]);
    expect(outcomes(await envelopeItemsOfText(`${PROFESSIONAL}\r\n\u001A`))).toEqual([['ok', '0021', 40]]);
  });

  it('reads a second interchange that a byte-order mark precedes, as when two saved files are concatenated', async () => {
    const second = PROFESSIONAL.replace('ST*837*0021*', 'ST*837*0022*').replace('SE*40*0021', 'SE*40*0022');
    expect(outcomes(await envelopeItemsOfText(`\uFEFF${PROFESSIONAL}\r\n\uFEFF${second}`))).toEqual([
      ['ok', '0021', 40],
      ['ok', '0022', 40],
    ]);
  });
});

describe('error reasons carry no content of the file', () => {
  it('names a segment its guide lacks by at most three characters of its tag, never the member data a lost separator ran into it', async () => {
    // Written with another element separator, the NM1 is one tag of 24 characters holding the patient's name.
    const [set] = await transactionSetsOfText(PROFESSIONAL.replace('NM1*QC*1*SMITH*TED~', 'NM1|QC|1|SMITH|TED~'));
    const error = errorOf(() => x12DispositionOf(set!));
    expect(error.code).toBe('X12_SEGMENT_UNKNOWN');
    expect(error.location).toEqual({ segmentNumber: 23, elementPosition: 0 });
    expect(error.message).not.toMatch(/SMITH|TED/);
  });

  it('says an SE01, GE01 or IEA01 that is not a count is none, without repeating what it holds', async () => {
    const damaged = PROFESSIONAL.replace('SE*40*0021', 'SE*SMITH TED*0021')
      .replace('GE*1*1~', 'GE*JS00111223333*1~')
      .replace('IEA*1*', 'IEA*19730501*');
    const reasons = (await envelopeItemsOfText(damaged)).flatMap((item) =>
      item.kind === 'failure' ? [item.failure.error.message] : [],
    );
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).not.toMatch(/SMITH|JS00111223333|19730501/);
    const [first] = await envelopeItemsOfText(PROFESSIONAL.replace('SE*40*0021', 'SE*SMITH TED*0021'));
    expect(first?.kind === 'failure' && first.failure.error.message).toBe(
      'SE01 says no count of segments, the transaction set has 40 (segment 42, element 1)',
    );
  });
});

describe('dates are read exactly', () => {
  const claimsOf = async (text: string, kind: 'professional' | 'institutional') => {
    const [set] = await transactionSetsOfText(text);
    return claimsOf837(set!.segments, { kind, patientTokenKey });
  };

  it('refuses a D8 date with characters past its eighth, rather than reading its first eight', async () => {
    const text = PROFESSIONAL.replace('DTP*472*D8*20061003', 'DTP*472*D8*200610031');
    const error = await claimsOf(text, 'professional').then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error instanceof X12Error && [error.code, error.location]).toEqual([
      'X12_DATE_INVALID',
      { segmentNumber: 32, elementPosition: 3 },
    ]);
  });

  it('refuses an RD8 range that ends before it starts, or holds more than two dates', async () => {
    for (const range of ['20050316-20050315', '20050301-20050310-20050315']) {
      const text = INSTITUTIONAL.replace('DTP*434*RD8*20050315-20050315', `DTP*434*RD8*${range}`);
      const error = await claimsOf(text, 'institutional').then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect([range, error instanceof X12Error && [error.code, error.location]]).toEqual([
        range,
        ['X12_DATE_INVALID', { segmentNumber: 22, elementPosition: 3 }],
      ]);
    }
  });

  it('still reads the day of a DT date and time (837I admission, CCYYMMDDHHMM) and a one-day RD8', async () => {
    const text = INSTITUTIONAL.replace(
      'DTP*434*RD8*20050315-20050315~',
      'DTP*434*RD8*20050315-20050315~DTP*435*DT*200503141130~',
    ).replace('SE*48*', 'SE*49*');
    const [claim] = await claimsOf(text, 'institutional');
    expect(claim).toMatchObject({
      admissionDate: '2005-03-14',
      serviceFromDate: '2005-03-15',
      serviceThroughDate: '2005-03-15',
    });
  });
});

describe('835 service periods', () => {
  it("ends a claim without DTM*233 on its lines' last DTM*151 (service period end), not on their first day", () => {
    const remittance = remittanceOf835(segmentsOfText(MANAGED_CARE, separators), patientTokenKey);
    expect(
      remittance.claims.map((claim) => [
        claim.claimId,
        claim.serviceFromDate,
        claim.serviceThroughDate,
        claim.lines[0]?.serviceDate,
      ]),
    ).toEqual([
      ['5554555444', '2002-03-01', '2002-03-04', '2002-03-01'],
      ['8765432112', '2002-03-10', '2002-03-12', '2002-03-10'],
    ]);
  });

  it('keeps DTM*232/233 (the claim statement period) over its lines’ dates', () => {
    const text = MANAGED_CARE.replace(
      'CLP*5554555444*1*800.00*450.00*300.00*12*94060555410000~',
      'CLP*5554555444*1*800.00*450.00*300.00*12*94060555410000~DTM*232*20020228~DTM*233*20020305~',
    );
    const [claim] = remittanceOf835(segmentsOfText(text, separators), patientTokenKey).claims;
    expect([claim?.serviceFromDate, claim?.serviceThroughDate]).toEqual(['2002-02-28', '2002-03-05']);
  });
});

describe('835 adjustment codes', () => {
  it('reads a group code and CARC written in lower case as the code lists spell them (co-a2 is CO-A2)', () => {
    const lowered = MANAGED_CARE.replace('CAS*CO*A2*50.00~', 'CAS*co*a2*50.00~').replace(
      'CAS*PR*1*300.00~',
      'CAS*pr*1*300.00~',
    );
    expect(lowered).not.toBe(MANAGED_CARE);
    expect(remittanceOf835(segmentsOfText(lowered, separators), patientTokenKey)).toEqual(
      remittanceOf835(segmentsOfText(MANAGED_CARE, separators), patientTokenKey),
    );
  });
});
