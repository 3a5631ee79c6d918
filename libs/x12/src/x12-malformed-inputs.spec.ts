import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimsOf837 } from './claim-837';
import type { X12EnvelopeItem } from './x12-envelope';
import { x12DispositionOf } from './x12-layouts';
import { normalizeX12RecordEvents } from './normalize-x12-record';
import { remittanceOf835 } from './remittance-835';
import { segmentsOfText } from './x12-segments';
import { X12Error } from './x12.errors';
import { X12_SAMPLES, envelopeItemsOfText, rawEventOf, transactionSetsOfText } from './__tests__/x12-samples';

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

/** What the pipeline reads from a text: per transaction set, its claims' mapped fields, or the failure's code. */
async function claimsRead(text: string) {
  return (await envelopeItemsOfText(text)).map((item) => {
    if (item.kind === 'failure') return `failed: ${item.failure.error.code}`;
    return normalizeX12RecordEvents(rawEventOf(item.transaction), { patientTokenKey }).claims.map((event) => [
      event.claimId,
      event.claim.billedAmountCents,
      event.claim.totals,
      event.claim.diagnoses,
      event.claim.lines.map((line) => [line.hcpcsCode, line.chargeAmountCents, line.diagnosisCode, line.serviceDate]),
      event.dataQuality,
    ]);
  });
}

/** The text cut into lines of at most `columns` characters, as a mainframe transfer wraps a file without line breaks. */
function wrapped(text: string, columns: number): string {
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += columns) lines.push(text.slice(at, at + columns));
  return lines.join('\r\n');
}

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

  it('adds no failure for NUL bytes padding a file after its last IEA, alone or mixed with spaces and line breaks', async () => {
    for (const padding of ['\u0000', '\u0000'.repeat(512), '\r\n\u0000\u0000  \r\n', ' \u0000\r\n\u0000\u001A']) {
      expect([JSON.stringify(padding), outcomes(await envelopeItemsOfText(`${PROFESSIONAL}${padding}`))]).toEqual([
        JSON.stringify(padding),
        [['ok', '0021', 40]],
      ]);
    }
  });

  it('reads the interchange after NUL padding between two concatenated interchanges', async () => {
    const second = PROFESSIONAL.replace('ST*837*0021*', 'ST*837*0022*').replace('SE*40*0021', 'SE*40*0022');
    expect(outcomes(await envelopeItemsOfText(`${PROFESSIONAL}${'\u0000'.repeat(64)}${second}\u0000`))).toEqual([
      ['ok', '0021', 40],
      ['ok', '0022', 40],
    ]);
  });

  it('still fails a NUL run inside an interchange, where it is damage and not padding', async () => {
    const damaged = PROFESSIONAL.replace('GE*1*', '\u0000\u0000GE*1*');
    expect(outcomes(await envelopeItemsOfText(damaged))).toContainEqual(['failed', 'segment', 'X12_ENVELOPE_INVALID']);
  });

  it('reads a second interchange that a byte-order mark precedes, as when two saved files are concatenated', async () => {
    const second = PROFESSIONAL.replace('ST*837*0021*', 'ST*837*0022*').replace('SE*40*0021', 'SE*40*0022');
    expect(outcomes(await envelopeItemsOfText(`\uFEFF${PROFESSIONAL}\r\n\uFEFF${second}`))).toEqual([
      ['ok', '0021', 40],
      ['ok', '0022', 40],
    ]);
  });
});

describe('the repetition separator (ISA11)', () => {
  it('reads an interchange whose ISA11 repeats its component separator or terminator, or is the U of 4010, as one without repetitions', async () => {
    const expected = await claimsRead(PROFESSIONAL);
    for (const isa11 of [':', '~', 'U']) {
      const text = PROFESSIONAL.replace('*^*00501*', `*${isa11}*00501*`);
      expect([isa11, await claimsRead(text)]).toEqual([isa11, expected]);
    }
  });
});

describe('line breaks inside segments', () => {
  it('reads an interchange wrapped at 80 columns as the same interchange unwrapped, an 837 and an 835 alike', async () => {
    for (const text of [PROFESSIONAL, MANAGED_CARE]) {
      const unwrapped = await claimsRead(text);
      expect(unwrapped).toEqual([expect.any(Array)]);
      expect(await claimsRead(wrapped(text, 80))).toEqual(unwrapped);
    }
  });

  it('reads a second interchange whose ISA the wrap splits by its own separators', async () => {
    // `|` elements, `>` components: read with the first interchange's `*` and `:`, the second's claim would be lost.
    const second = PROFESSIONAL.replace(/\*/g, '|')
      .replace(/:/g, '>')
      .replace('|^|00501|', '|!|00501|')
      .replace(/0021/g, '0022');
    // Padding after the first IEA puts the second ISA's `I` in the last column, its `SA` on the next line.
    const padding = ' '.repeat((79 - (PROFESSIONAL.length % 80) + 80) % 80);
    const text = wrapped(`${PROFESSIONAL}${padding}${second}`, 80);
    expect(text).toContain('I\r\nSA|');
    const [first] = await claimsRead(PROFESSIONAL);
    expect(await claimsRead(text)).toEqual([first, first]);
  });

  it('reads a claim id a line break splits as the id without the break, so its 835 still joins it', async () => {
    const [claims] = await claimsRead(PROFESSIONAL.replace('CLM*26463774*', 'CLM*2646\r\n3774*'));
    expect(claims?.[0]).toEqual(expect.arrayContaining(['26463774', 10000]));
  });
});

describe('segment ids as written', () => {
  it('reads segment ids written in lower case or padded with spaces as the ids they spell', async () => {
    const loose = PROFESSIONAL.replace('ST*837*', 'st*837*')
      .replace('CLM*', 'clm *')
      .replace('SV1*HC:87070', 'Sv1*HC:87070')
      .replace('SE*40*', 'se*40*')
      .replace('GE*1*', 'GE *1*');
    expect(outcomes(await envelopeItemsOfText(loose))).toEqual([['ok', '0021', 40]]);
    expect(await claimsRead(loose)).toEqual(await claimsRead(PROFESSIONAL));
  });
});

describe('components padded with spaces', () => {
  it('reads a diagnosis qualifier or procedure code padded with spaces as the code, so each line points at its own diagnosis', async () => {
    const padded = PROFESSIONAL.replace('HI*BK:0340*BF:V7389~', 'HI*BK :0340*BF: V7389 ~').replace(
      'SV1*HC:99213*',
      'SV1*HC: 99213 *',
    );
    expect(padded).not.toBe(PROFESSIONAL);
    expect(await claimsRead(padded)).toEqual(await claimsRead(PROFESSIONAL));
  });
});

describe('amounts', () => {
  it('reads amounts zero-filled to the 18 digits an R element holds as the amounts, and still refuses one past 13 whole digits', async () => {
    const zeroFilled = PROFESSIONAL.replace('CLM*26463774*100.00*', 'CLM*26463774*0000000000000100.00*').replace(
      'SV1*HC:99213*40.00*',
      'SV1*HC:99213*000000000000000040*',
    );
    expect(await claimsRead(zeroFilled)).toEqual(await claimsRead(PROFESSIONAL));
    const [set] = await transactionSetsOfText(
      PROFESSIONAL.replace('CLM*26463774*100.00*', 'CLM*26463774*10000000000000.00*'),
    );
    const error = errorOf(() => claimsOf837(set!.segments, { kind: 'professional', patientTokenKey }));
    expect([error.code, error.location]).toEqual(['X12_AMOUNT_INVALID', { segmentNumber: 27, elementPosition: 2 }]);
  });
});

describe('dates taken from the envelope', () => {
  const ACKNOWLEDGEMENT = sample('pyx12', '834_ls_le_ls_5010.999.txt');

  it('refuses a 999 dated by a GS04 that is no calendar day (20130230) with X12_DATE_INVALID, never publishing 2013-02-30', async () => {
    const [set] = await transactionSetsOfText(ACKNOWLEDGEMENT.replace('*20130312*020630*', '*20130230*020630*'));
    const error = errorOf(() => normalizeX12RecordEvents(rawEventOf(set!), { patientTokenKey }));
    expect(error.code).toBe('X12_DATE_INVALID');
  });

  it('gives an 837 claim without BHT04 no submission date when GS04 is no calendar day, rather than an impossible one', async () => {
    const text = PROFESSIONAL.replace('BHT*0019*00*244579*20061015*', 'BHT*0019*00*244579**').replace(
      '*20131031*1147*1*X*',
      '*20130231*1147*1*X*',
    );
    const [set] = await transactionSetsOfText(text);
    const [event] = normalizeX12RecordEvents(rawEventOf(set!), { patientTokenKey }).claims;
    expect(event?.claim.submission?.submittedDate).toBeNull();
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
