import { ClaimEventSchema, derivedEventId, type ClaimEvent } from '@claims/contracts';
import { parseCsvRecord } from './csv';
import {
  DESYNPUF_CARRIER_COLUMNS,
  isDesynpufCarrierHeader,
  lineProcessingCategory,
  normalizeCarrierRecord,
  readDesynpufCarrierClaimId,
  tokenizePatientId,
} from './desynpuf-carrier';
import { CARRIER_SAMPLE_FILE_NAME, carrierInput, readCarrierSample } from './__fixtures__/desynpuf-carrier-sample';
import { sourceRecordErrorCodeOf, sourceRecordErrorOf } from './__fixtures__/source-record-error';

const OPTIONS = { patientTokenKey: 'unit-test-key' };
const sample = readCarrierSample();
/** Column names read straight from the file's own (quoted) header. */
const sampleColumns = sample.header.split(',').map((name) => name.replace(/"/g, ''));
const firstRecord = sample.records[0] ?? '';
const secondRecord = sample.records[1] ?? '';

/** A copy of a data record with some columns replaced (data rows are unquoted). */
function withFields(record: string, replacements: Record<string, string>): string {
  const fields = record.split(',');
  for (const [name, value] of Object.entries(replacements)) {
    const index = sampleColumns.indexOf(name);
    if (index === -1) throw new Error(`no column ${name}`);
    fields[index] = value;
  }
  return fields.join(',');
}

const normalize = (record: string): ClaimEvent => normalizeCarrierRecord(carrierInput(record), OPTIONS);

describe('DESYNPUF_CARRIER_COLUMNS', () => {
  it('lists the 142 columns of the CMS carrier layout, starting with the claim columns', () => {
    expect(DESYNPUF_CARRIER_COLUMNS).toHaveLength(142);
    expect(DESYNPUF_CARRIER_COLUMNS.slice(0, 5)).toEqual([
      'DESYNPUF_ID',
      'CLM_ID',
      'CLM_FROM_DT',
      'CLM_THRU_DT',
      'ICD9_DGNS_CD_1',
    ]);
    expect(DESYNPUF_CARRIER_COLUMNS[141]).toBe('LINE_ICD9_DGNS_CD_13');
  });
});

describe('isDesynpufCarrierHeader', () => {
  it('recognises the header of the real sample file', () => {
    expect(isDesynpufCarrierHeader(parseCsvRecord(sample.header))).toBe(true);
  });

  it('ignores case and surrounding whitespace in column names', () => {
    expect(isDesynpufCarrierHeader(parseCsvRecord(sample.header).map((name) => ` ${name.toLowerCase()} `))).toBe(true);
  });

  it('rejects a header with a column missing', () => {
    expect(isDesynpufCarrierHeader(parseCsvRecord(sample.header).slice(0, 141))).toBe(false);
  });

  it('rejects a header with two columns swapped', () => {
    const header = parseCsvRecord(sample.header);
    [header[2], header[3]] = [header[3] ?? '', header[2] ?? ''];
    expect(isDesynpufCarrierHeader(header)).toBe(false);
  });
});

describe('readDesynpufCarrierClaimId', () => {
  it('reads the second field of the first sample record', () => {
    expect(readDesynpufCarrierClaimId(firstRecord)).toBe('737473360654133');
  });

  it('strips quotes and whitespace around the claim id', () => {
    expect(readDesynpufCarrierClaimId('"7F5AC1D788A6E462"," 737473360654133 ",20080803')).toBe('737473360654133');
  });

  it('reads a claim id that is the last field', () => {
    expect(readDesynpufCarrierClaimId('7F5AC1D788A6E462,737473360654133')).toBe('737473360654133');
  });

  it('returns null for a blank claim id', () => {
    expect(readDesynpufCarrierClaimId('7F5AC1D788A6E462,,20080803')).toBeNull();
  });

  it('returns null for a record with no comma', () => {
    expect(readDesynpufCarrierClaimId('7F5AC1D788A6E462')).toBeNull();
  });
});

describe('lineProcessingCategory', () => {
  it.each([
    ['A', 'allowed'],
    ['O', 'not_allowed'],
    ['C', 'not_allowed'],
    ['M', 'not_allowed'],
    ['N', 'not_allowed'],
    ['S', 'msp_cob'],
    ['X', 'msp_cob'],
    ['@', 'msp_cob'],
    ['R', 'reprocessed'],
    ['W', 'unknown'],
  ])('maps indicator %p to %p', (code, category) => {
    expect(lineProcessingCategory(code)).toBe(category);
  });

  it('maps a missing indicator to unknown', () => {
    expect(lineProcessingCategory(null)).toBe('unknown');
  });
});

describe('tokenizePatientId', () => {
  it('returns 32 hex characters that do not contain the member id', () => {
    const token = tokenizePatientId('7F5AC1D788A6E462', 'key');
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(token.toUpperCase()).not.toContain('7F5AC1D788A6E462');
  });

  it('depends on the key, so the token cannot be recomputed without it', () => {
    expect(tokenizePatientId('7F5AC1D788A6E462', 'key-1')).not.toBe(tokenizePatientId('7F5AC1D788A6E462', 'key-2'));
  });
});

describe('normalizeCarrierRecord on the first sample record', () => {
  const event = normalize(firstRecord);

  it('produces an event the normalized-topic schema accepts', () => {
    expect(ClaimEventSchema.safeParse(event).success).toBe(true);
  });

  it('reads claim 737473360654133 as an adjudicated professional Medicare claim', () => {
    expect(event.claimId).toBe('737473360654133');
    expect(event.schemaVersion).toBe(1);
    expect(event.eventType).toBe('adjudicated');
    expect(event.layout).toBe('desynpuf.carrier');
    expect(event.claim.claimType).toBe('professional');
    expect(event.claim.payer).toBe('MEDICARE');
  });

  it('dates the event by the claim through date, 2008-08-08', () => {
    expect(event.claim.serviceFromDate).toBe('2008-08-03');
    expect(event.claim.serviceThroughDate).toBe('2008-08-08');
    expect(event.occurredAt).toBe('2008-08-08');
  });

  it('lists the eight claim diagnoses as ICD-9-CM codes in order', () => {
    expect(event.claim.diagnoses).toEqual(
      ['4289', '4148', '4660', '5119', '4010', '496', '5990', '4168'].map((code) => ({ code, system: 'ICD-9-CM' })),
    );
  });

  it('keeps the six used line slots and drops the seven blank ones', () => {
    expect(event.claim.lines.map((line) => line.lineNumber)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('carries each line’s HCPCS code, rendering NPI, tax number and diagnosis', () => {
    expect(event.claim.lines.map((line) => line.hcpcsCode)).toEqual([
      '99232',
      '99232',
      '99232',
      '93555',
      '99232',
      '93543',
    ]);
    expect(event.claim.lines.map((line) => line.renderingNpi)).toEqual([
      '2487983099',
      '4507614241',
      '2487983099',
      '4507614241',
      '2487983099',
      '2487983099',
    ]);
    expect(new Set(event.claim.lines.map((line) => line.taxId))).toEqual(new Set(['032349648']));
    expect(new Set(event.claim.lines.map((line) => line.diagnosisCode))).toEqual(new Set(['42831']));
  });

  it('converts every line amount to integer cents', () => {
    const amounts = event.claim.lines.map((line) => [
      line.paymentAmountCents,
      line.allowedAmountCents,
      line.coinsuranceAmountCents,
      line.deductibleAmountCents,
      line.primaryPayerPaidAmountCents,
    ]);
    expect(amounts).toEqual([
      [9000, 11000, 2000, 0, 0],
      [6000, 7000, 1000, 0, 0],
      [5000, 7000, 1000, 0, 0],
      [3000, 4000, 1000, 0, 0],
      [14000, 7000, 1000, 0, 0],
      [5000, 7000, 1000, 0, 0],
    ]);
  });

  it("marks every line with indicator 'A' as allowed", () => {
    expect(event.claim.lines.map((line) => [line.processingIndicatorCode, line.processingCategory])).toEqual(
      Array.from({ length: 6 }, () => ['A', 'allowed']),
    );
  });

  it('totals the payment (420.00) and allowed (430.00) amounts over the lines', () => {
    expect(event.claim.totals).toEqual({ paymentAmountCents: 42000, allowedAmountCents: 43000 });
  });

  it('reports no data-quality findings', () => {
    expect(event.dataQuality).toEqual([]);
  });

  it('passes the lineage and publication time through unchanged', () => {
    const input = carrierInput(firstRecord, 7, 'f'.repeat(64));
    const normalized = normalizeCarrierRecord(input, OPTIONS);
    expect(normalized.lineage).toEqual({
      source: CARRIER_SAMPLE_FILE_NAME,
      fileId: 'f'.repeat(64),
      recordNumber: 7,
      recordSha256: input.lineage.recordSha256,
    });
    expect(normalized.publishedAt).toBe(input.publishedAt);
    expect(normalized.rawEventId).toBe(input.rawEventId);
  });

  it('derives the event id from the raw event id', () => {
    const input = carrierInput(firstRecord);
    expect(normalizeCarrierRecord(input, OPTIONS).eventId).toBe(derivedEventId('claims.normalized', input.rawEventId));
  });

  it('produces the identical event, event id included, for the same input twice', () => {
    const again = normalize(firstRecord);
    expect(again.eventId).toBe(event.eventId);
    expect(again).toEqual(event);
  });

  it('gives a different record a different event id', () => {
    expect(normalize(secondRecord).eventId).not.toBe(event.eventId);
  });

  it('gives a correction of the same claim (changed bytes) a different event id', () => {
    const corrected = normalize(withFields(firstRecord, { LINE_NCH_PMT_AMT_1: '95.00' }));
    expect(corrected.claimId).toBe(event.claimId);
    expect(corrected.eventId).not.toBe(event.eventId);
  });

  it('replaces the member id with a stable token that is not the raw DESYNPUF_ID', () => {
    expect(event.claim.patientToken).not.toBe('7F5AC1D788A6E462');
    expect(event.claim.patientToken.toUpperCase()).not.toContain('7F5AC1D788A6E462');
    expect(event.claim.patientToken).toBe(tokenizePatientId('7F5AC1D788A6E462', OPTIONS.patientTokenKey));
    expect(normalize(firstRecord).claim.patientToken).toBe(event.claim.patientToken);
    expect(JSON.stringify(event)).not.toContain('7F5AC1D788A6E462');
  });

  it("gives the same member's other claim the same patient token", () => {
    // The second sample record is another claim of member 7F5AC1D788A6E462.
    const second = normalize(secondRecord);
    expect(second.claimId).toBe('737453360048588');
    expect(second.claim.patientToken).toBe(event.claim.patientToken);
  });
});

describe('normalizeCarrierRecord on records that cannot be trusted', () => {
  it('rejects a record with one column missing as COLUMN_COUNT_MISMATCH', () => {
    const shortRecord = firstRecord.split(',').slice(0, 141).join(',');
    const error = sourceRecordErrorOf(() => normalize(shortRecord));
    expect(error.code).toBe('COLUMN_COUNT_MISMATCH');
    expect(error.message).toBe('expected 142 columns, found 141');
  });

  it('refuses a row of delimiters only as ROW_BLANK, whatever its count of delimiters', () => {
    for (const row of [','.repeat(141), ',,,,,', ' , ,"",']) {
      const error = sourceRecordErrorOf(() => normalize(row));
      expect([error.code, error.message]).toEqual(['ROW_BLANK', 'the row holds only delimiters: no field has a value']);
    }
  });

  it('refuses the header row repeated mid-file (two files joined) as HEADER_REPEATED, not as a bad value', () => {
    const { header } = readCarrierSample();
    for (const row of [header, header.replace(/"/g, '')]) {
      const error = sourceRecordErrorOf(() => normalize(row));
      expect([error.code, error.message]).toEqual([
        'HEADER_REPEATED',
        "the row repeats the file's header row (files joined into one?): it holds no claim",
      ]);
    }
  });

  it('rejects a record with an extra column as COLUMN_COUNT_MISMATCH', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(`${firstRecord},`))).toBe('COLUMN_COUNT_MISMATCH');
  });

  it('rejects a record with a blank CLM_ID as CLAIM_ID_MISSING', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { CLM_ID: '' })))).toBe('CLAIM_ID_MISSING');
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { CLM_ID: '   ' })))).toBe(
      'CLAIM_ID_MISSING',
    );
  });

  it('rejects a record with an unparseable amount as AMOUNT_INVALID, naming the line field', () => {
    const error = sourceRecordErrorOf(() => normalize(withFields(firstRecord, { LINE_ALOWD_CHRG_AMT_3: '70.0O' })));
    expect(error.code).toBe('AMOUNT_INVALID');
    expect(error.message).toBe('LINE_ALOWD_CHRG_AMT_3 is not a dollar amount');
  });

  it('rejects an unparseable amount even in an otherwise blank line slot', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { LINE_NCH_PMT_AMT_13: 'abc' })))).toBe(
      'AMOUNT_INVALID',
    );
  });

  it('rejects an impossible through date as DATE_INVALID', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { CLM_THRU_DT: '20080230' })))).toBe(
      'DATE_INVALID',
    );
  });

  it('rejects a 900 KB field as FIELD_TOO_LONG, naming the column and not the value', () => {
    const error = sourceRecordErrorOf(() => normalize(withFields(firstRecord, { HCPCS_CD_1: 'X'.repeat(900_000) })));
    expect(error.code).toBe('FIELD_TOO_LONG');
    expect(error.message).toBe('HCPCS_CD_1 is longer than 64 characters');
  });

  it('rejects CLM_THRU_DT 99991231, outside the plausible service dates, as DATE_OUT_OF_RANGE', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { CLM_THRU_DT: '99991231' })))).toBe(
      'DATE_OUT_OF_RANGE',
    );
  });

  it('rejects CLM_FROM_DT 00000101, a year no calendar it is stored in has, as DATE_INVALID', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { CLM_FROM_DT: '00000101' })))).toBe(
      'DATE_INVALID',
    );
  });

  it('rejects a record with a stray quote as CSV_MALFORMED', () => {
    expect(sourceRecordErrorCodeOf(() => normalize(withFields(firstRecord, { HCPCS_CD_1: '992"32' })))).toBe(
      'CSV_MALFORMED',
    );
  });
});

describe('normalizeCarrierRecord data-quality findings', () => {
  it('flags a blank member id and still tokenizes a per-claim stand-in', () => {
    const event = normalize(withFields(firstRecord, { DESYNPUF_ID: '' }));
    expect(event.dataQuality).toEqual([
      { code: 'MEMBER_ID_MISSING', field: 'DESYNPUF_ID', message: 'member id is blank' },
    ]);
    expect(event.claim.patientToken).toBe(tokenizePatientId('missing:737473360654133', OPTIONS.patientTokenKey));
  });

  it('flags a through date before the from date', () => {
    const event = normalize(withFields(firstRecord, { CLM_FROM_DT: '20080809' }));
    expect(event.dataQuality).toEqual([
      { code: 'SERVICE_DATES_REVERSED', field: 'CLM_THRU_DT', message: 'through date precedes from date' },
    ]);
    expect(event.occurredAt).toBe('2008-08-08');
  });

  it('flags an indicator outside the codebook and groups its line as unknown', () => {
    const event = normalize(withFields(firstRecord, { LINE_PRCSG_IND_CD_2: 'W' }));
    expect(event.claim.lines[1]?.processingIndicatorCode).toBe('W');
    expect(event.claim.lines[1]?.processingCategory).toBe('unknown');
    expect(event.dataQuality).toEqual([
      {
        code: 'LINE_PROCESSING_INDICATOR_UNKNOWN',
        field: 'LINE_PRCSG_IND_CD_2',
        message: 'line processing indicator is blank or not in the CCW codebook',
      },
    ]);
  });

  it('keeps a line slot that has only an amount, flagging its blank indicator', () => {
    const event = normalize(withFields(firstRecord, { LINE_COINSRNC_AMT_9: '5.00' }));
    const line9 = event.claim.lines.find((line) => line.lineNumber === 9);
    expect(line9).toEqual({
      lineNumber: 9,
      hcpcsCode: null,
      renderingNpi: null,
      taxId: null,
      diagnosisCode: null,
      paymentAmountCents: 0,
      allowedAmountCents: 0,
      deductibleAmountCents: 0,
      coinsuranceAmountCents: 500,
      primaryPayerPaidAmountCents: 0,
      processingIndicatorCode: null,
      processingCategory: 'unknown',
    });
    expect(event.dataQuality.map((finding) => finding.field)).toEqual(['LINE_PRCSG_IND_CD_9']);
  });

  it.each([
    ['a performing provider tax number', 'TAX_NUM_8', '123456789', { taxId: '123456789' }],
    ['a line diagnosis', 'LINE_ICD9_DGNS_CD_8', '4019', { diagnosisCode: '4019' }],
  ])(
    'keeps a line slot that has only %s, as any other filled slot, flagging its blank indicator',
    (_, column, value, kept) => {
      const event = normalize(withFields(firstRecord, { [column]: value }));
      expect(event.claim.lines.find((line) => line.lineNumber === 8)).toMatchObject({
        ...kept,
        paymentAmountCents: 0,
        processingCategory: 'unknown',
      });
      expect(event.dataQuality.map((finding) => finding.field)).toEqual(['LINE_PRCSG_IND_CD_8']);
    },
  );

  it('keeps a line slot that has an indicator but no HCPCS code', () => {
    const event = normalize(withFields(firstRecord, { LINE_PRCSG_IND_CD_7: 'O' }));
    expect(event.claim.lines).toHaveLength(7);
    expect(event.claim.lines[6]).toMatchObject({ lineNumber: 7, hcpcsCode: null, processingCategory: 'not_allowed' });
  });
});

describe('normalizeCarrierRecord over the whole sample file', () => {
  const events = sample.records.map((record, index) =>
    normalizeCarrierRecord(carrierInput(record, index + 1, sample.fileId), OPTIONS),
  );
  const allLines = events.flatMap((event) => event.claim.lines);

  /** Independent reading of the file: a plain split, and the line rule "any code or non-zero amount". */
  const independent = (() => {
    const column = (name: string): number => sampleColumns.indexOf(name);
    const indicatorCounts: Record<string, number> = {};
    let lines = 0;
    let paymentCents = 0;
    for (const record of sample.records) {
      const fields = record.split(',');
      for (let slot = 1; slot <= 13; slot += 1) {
        const value = (prefix: string): string => fields[column(`${prefix}_${slot}`)] ?? '';
        const codes = ['LINE_PRCSG_IND_CD', 'HCPCS_CD', 'PRF_PHYSN_NPI'].map(value);
        const amounts = [
          'LINE_NCH_PMT_AMT',
          'LINE_ALOWD_CHRG_AMT',
          'LINE_BENE_PTB_DDCTBL_AMT',
          'LINE_COINSRNC_AMT',
          'LINE_BENE_PRMRY_PYR_PD_AMT',
        ].map((prefix) => Number(value(prefix)));
        if (codes.every((code) => code === '') && amounts.every((amount) => amount === 0)) continue;
        lines += 1;
        paymentCents += Math.round(Number(value('LINE_NCH_PMT_AMT')) * 100);
        const indicator = value('LINE_PRCSG_IND_CD');
        indicatorCounts[indicator] = (indicatorCounts[indicator] ?? 0) + 1;
      }
    }
    return { lines, indicatorCounts, paymentCents };
  })();

  it('finds the 142-column header and 200 data records in the file', () => {
    expect(sampleColumns).toEqual(DESYNPUF_CARRIER_COLUMNS);
    expect(sample.records).toHaveLength(200);
  });

  it('normalizes all 200 records into schema-valid events with distinct claim and event ids', () => {
    expect(events).toHaveLength(200);
    expect(events.filter((event) => !ClaimEventSchema.safeParse(event).success)).toEqual([]);
    expect(new Set(events.map((event) => event.claimId)).size).toBe(200);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(200);
  });

  it('numbers the lineage records 1 to 200 and stamps them all with the file id', () => {
    expect(events.map((event) => event.lineage.recordNumber)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(events.map((event) => event.lineage.fileId))).toEqual(new Set([sample.fileId]));
  });

  it('finds 407 lines, as an independent split of the file does', () => {
    expect(independent.lines).toBe(407);
    expect(allLines).toHaveLength(independent.lines);
  });

  it('counts the processing indicators A=341, O=36, C=13, S=8, M=5, N=1, @=1, X=1, R=1, as the file does', () => {
    const counts: Record<string, number> = {};
    for (const line of allLines) {
      const code = line.processingIndicatorCode ?? '(blank)';
      counts[code] = (counts[code] ?? 0) + 1;
    }
    const expected = { A: 341, O: 36, C: 13, S: 8, M: 5, N: 1, '@': 1, X: 1, R: 1 };
    expect(independent.indicatorCounts).toEqual(expected);
    expect(counts).toEqual(expected);
  });

  it('groups the sample lines into 341 allowed, 55 not allowed, 10 MSP/COB and 1 reprocessed', () => {
    const byCategory: Record<string, number> = {};
    for (const line of allLines) byCategory[line.processingCategory] = (byCategory[line.processingCategory] ?? 0) + 1;
    expect(byCategory).toEqual({ allowed: 341, not_allowed: 55, msp_cob: 10, reprocessed: 1 });
  });

  it('finds 39 lines with an indicator but no HCPCS code', () => {
    expect(allLines.filter((line) => line.hcpcsCode === null && line.processingIndicatorCode !== null)).toHaveLength(
      39,
    );
  });

  it('sums line payments to 22820.00, matching the independent sum, and allowed amounts to 28940.00', () => {
    const payment = events.reduce((sum, event) => sum + event.claim.totals.paymentAmountCents, 0);
    const allowed = events.reduce((sum, event) => sum + event.claim.totals.allowedAmountCents, 0);
    expect(payment).toBe(independent.paymentCents);
    expect(payment).toBe(2282000);
    expect(allowed).toBe(2894000);
  });

  it('reports no data-quality findings anywhere in the sample', () => {
    expect(events.flatMap((event) => event.dataQuality)).toEqual([]);
  });

  it('gives the sample’s 3 members 3 distinct patient tokens', () => {
    const members = new Set(sample.records.map((record) => record.split(',')[0]));
    const tokens = new Set(events.map((event) => event.claim.patientToken));
    expect(members.size).toBe(3);
    expect(tokens.size).toBe(3);
    for (const member of members) expect(tokens.has(member ?? '')).toBe(false);
  });
});
