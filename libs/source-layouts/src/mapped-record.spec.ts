import { ClaimEventSchema, sha256Hex, type ClaimEvent, type MemberReferenceEvent } from '@claims/contracts';
import { CodeLists } from './code-lists';
import { parseLayoutDefinition } from './layout-definition';
import { MappedLayout } from './mapped-layout';
import { normalizeMappedRecord } from './mapped-record';
import { rawRecordEvent } from './raw-record-event';
import { sourceRecordErrorOf } from './__fixtures__/source-record-error';

const CLAIM_LAYOUT = `
name: test.segments
kind: claim
delimiter: '|'
quote: null
columns: [CLM, SEG, MBR, FROM, THRU, RCVD, STATUS, NPI, DX1, DX2, HCPCS_1, HCPCS_2, PAID, REASON]
grouping:
  key: [CLM]
  orderBy: SEG
  firstRow: { column: SEG, equals: '1' }
occurredAt: [receivedDate, serviceThroughDate]
fields:
  claimId: { column: CLM }
  memberId: { column: MBR }
  claimType: { value: institutional_outpatient }
  eventType: { column: STATUS, translate: { map: { paid: adjudicated, pend: pended } } }
  adjudicationStatus: { column: STATUS, translate: { map: { paid: paid, pend: pending } } }
  payer: { value: TEST }
  serviceFromDate: { column: FROM, type: date, format: [CCYYMMDD, MM/DD/YYYY] }
  serviceThroughDate: { column: THRU, type: date, format: CCYYMMDD }
  receivedDate: { column: RCVD, type: date, format: CCYYMMDD }
  attendingNpi: { column: NPI, type: npi }
  pendReason: { column: REASON, missing: flag }
  paymentAmount: { column: PAID, type: amount }
diagnoses:
  - { column: 'DX{n}', count: 2, system: ICD-9-CM, codeList: icd-9-cm }
lines:
  repeat: 2
  fields:
    hcpcsCode: { column: 'HCPCS_{n}', type: code, codeList: hcpcs }
    processingCategory: { column: STATUS, translate: { map: { paid: allowed }, otherwise: unknown } }
`;
const HEADER = 'CLM|SEG|MBR|FROM|THRU|RCVD|STATUS|NPI|DX1|DX2|HCPCS_1|HCPCS_2|PAID|REASON';
const layout = new MappedLayout(parseLayoutDefinition(CLAIM_LAYOUT, 'test.yaml'), 'test.yaml');
const codeLists = new CodeLists(
  new Map([
    ['icd-9-cm', new Set(['4280'])],
    ['hcpcs', new Set(['J1100'])],
  ]),
);
const options = { patientTokenKey: 'unit-test-key-0123456789', codeLists };

function rawOf(rows: string[], mapped = layout, header = HEADER, source = 'test.txt') {
  return rawRecordEvent({
    layout: mapped.name,
    record: rows.join('\n'),
    recordNumber: 4,
    recordCount: rows.length,
    source,
    fileId: sha256Hex('file'),
    publishedAt: '2024-01-02T03:04:05.000Z',
    claimId: 'C1',
    header,
  });
}
function claimOf(rows: string[]): ClaimEvent {
  const normalized = normalizeMappedRecord(layout, rawOf(rows), options);
  if (normalized.kind !== 'claim') throw new Error('expected a claim');
  return normalized.event;
}
const codes = (event: { dataQuality: Array<{ code: string; field: string }> }): string[] =>
  event.dataQuality.map((finding) => `${finding.code}:${finding.field}`);

const FIRST = 'C1|1|M1|20080101|20080105|20080110|paid|1245319599|4280|V999|99213|J1100|100.00|';
const SECOND = 'C1|2|M1||||paid||OTHER||J9999||20.00|';

describe('normalizeMappedRecord on a claim spanning rows', () => {
  it('assembles segments that come out of order: claim fields from the first segment, lines from all', () => {
    const event = claimOf([SECOND, FIRST]);
    expect(ClaimEventSchema.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      schemaVersion: 2,
      claimId: 'C1',
      eventType: 'adjudicated',
      lineage: { recordNumber: 4, recordCount: 2 },
      claim: { serviceFromDate: '2008-01-01', serviceThroughDate: '2008-01-05', totals: { paymentAmountCents: 10000 } },
    });
    expect(event.claim.lines.map((line) => [line.lineNumber, line.hcpcsCode, line.processingCategory])).toEqual([
      [1, '99213', 'allowed'],
      [2, 'J1100', 'allowed'],
      [3, 'J9999', 'allowed'],
    ]);
  });

  it('takes the event time from the first listed date present', () => {
    expect(claimOf([FIRST]).occurredAt).toBe('2008-01-10');
    expect(claimOf([FIRST.replace('|20080110|', '||')]).occurredAt).toBe('2008-01-05');
  });

  it('tries each declared date format in order', () => {
    expect(claimOf([FIRST.replace('|20080101|', '|1/2/2008|')]).claim.serviceFromDate).toBe('2008-01-02');
  });

  it('dead-letters a claim whose first segment is not among its adjacent rows', () => {
    const error = sourceRecordErrorOf(() => claimOf([SECOND]));
    expect(error.code).toBe('GROUP_FIRST_ROW_MISSING');
    expect(error.message).toContain('SEG 1');
  });

  it('reports data-quality findings instead of failing: unknown codes, NPI check digit, flagged blanks', () => {
    const event = claimOf([FIRST.replace('1245319599', '1234567890').replace('J1100', 'J2222')]);
    expect(codes(event)).toEqual([
      'NPI_CHECK_DIGIT_INVALID:NPI',
      'FIELD_MISSING:REASON',
      'CODE_UNKNOWN:HCPCS_2',
      'CODE_UNKNOWN:DX2',
    ]);
  });

  it('flags a service date after the received date and a negative amount', () => {
    const event = claimOf([FIRST.replace('|20080110|', '|20071231|').replace('|100.00|', '|-5.00|')]);
    expect(codes(event)).toEqual(expect.arrayContaining(['SERVICE_DATE_AFTER_RECEIVED:FROM', 'NEGATIVE_AMOUNT:PAID']));
  });

  it('translates a status ignoring case, and dead-letters one it cannot translate into a required field', () => {
    expect(claimOf([FIRST.replace('|paid|', '|PEND|')])).toMatchObject({
      eventType: 'pended',
      claim: { adjudication: { status: 'pending' } },
    });
    const error = sourceRecordErrorOf(() => claimOf([FIRST.replace('|paid|', '|appealed|')]));
    expect(error).toMatchObject({
      code: 'CODE_UNTRANSLATED',
      message: 'STATUS holds a value the layout does not translate',
    });
  });

  it('dead-letters a blank claim id with CLAIM_ID_MISSING and a blank required date with FIELD_MISSING', () => {
    expect(sourceRecordErrorOf(() => claimOf([FIRST.replace('C1|', '|')])).code).toBe('CLAIM_ID_MISSING');
    expect(sourceRecordErrorOf(() => claimOf([FIRST.replace('|20080101|', '||')])).message).toBe('FROM is blank');
  });

  it('refuses a row with fewer columns than its header, naming the row of the claim', () => {
    const error = sourceRecordErrorOf(() => claimOf([FIRST, 'C1|2|M1']));
    expect(error).toMatchObject({
      code: 'COLUMN_COUNT_MISMATCH',
      message: 'expected 14 columns, found 3 in row 2 of the claim',
    });
  });

  it('names the row of the claim whose order column is no whole number', () => {
    const error = sourceRecordErrorOf(() => claimOf([FIRST, SECOND.replace('C1|2|', 'C1|2a|')]));
    expect(error).toMatchObject({ code: 'NUMBER_INVALID', message: 'SEG is not a whole number in row 2 of the claim' });
  });

  it("names the row of the claim that holds a faulty value, in the file's order, as every row is dead-lettered with it", () => {
    // The claim fields come from segment 1, the second row in the file here; a line's from its own row.
    const badDate = sourceRecordErrorOf(() => claimOf([SECOND, FIRST.replace('|20080101|', '|20081301|')]));
    expect(badDate).toMatchObject({
      code: 'DATE_INVALID',
      message: 'FROM is not a calendar date in row 2 of the claim',
    });
    const longCode = sourceRecordErrorOf(() => claimOf([FIRST, SECOND.replace('|J9999|', `|${'J'.repeat(5000)}|`)]));
    expect(longCode).toMatchObject({
      code: 'FIELD_TOO_LONG',
      message: expect.stringMatching(/^HCPCS_1 is longer .* in row 2 of the claim$/),
    });
    // A claim of one row has no row to name.
    expect(sourceRecordErrorOf(() => claimOf([FIRST.replace('|20080101|', '|20081301|')])).message).toBe(
      'FROM is not a calendar date',
    );
  });

  it('reads columns by the file header, in whatever order the file has them', () => {
    const columns = HEADER.split('|');
    const values = FIRST.split('|');
    const reversedHeader = [...columns].reverse().join('|');
    const normalized = normalizeMappedRecord(
      layout,
      rawOf([[...values].reverse().join('|')], layout, reversedHeader),
      options,
    );
    expect(normalized.event).toMatchObject({ claimId: 'C1', claim: { serviceFromDate: '2008-01-01' } });
  });

  it("reads each file's numbered columns by its own header, files of one layout interleaved", () => {
    // HCPCS_1 and HCPCS_2 trade places in the second file: a column's slot is found per header, not once per layout.
    const swappedHeader = HEADER.replace('HCPCS_1|HCPCS_2', 'HCPCS_2|HCPCS_1');
    const swappedRow = FIRST.replace('|99213|J1100|', '|J1100|99213|');
    const hcpcsOf = (header: string, row: string): Array<string | null> => {
      const normalized = normalizeMappedRecord(layout, rawOf([row], layout, header), options);
      if (normalized.kind !== 'claim') throw new Error('expected a claim');
      return normalized.event.claim.lines.map((line) => line.hcpcsCode);
    };
    for (let round = 0; round < 2; round += 1) {
      expect(hcpcsOf(HEADER, FIRST)).toEqual(['99213', 'J1100']);
      expect(hcpcsOf(swappedHeader, swappedRow)).toEqual(['99213', 'J1100']);
      expect(hcpcsOf(HEADER.replace('HCPCS_2', 'OTHER'), FIRST)).toEqual(['99213']);
    }
  });

  it('never puts a value into an error message', () => {
    const error = sourceRecordErrorOf(() => claimOf([FIRST.replace('|100.00|', '|SECRET-99|')]));
    expect(error.code).toBe('AMOUNT_INVALID');
    expect(error.message).not.toContain('SECRET');
  });
});

const MEMBER_LAYOUT = `
name: test.members
kind: member_reference
delimiter: ','
columns: [ID, BORN, SEX, STATE, CHF, DIAB, MONTHS_A]
fields:
  memberId: { column: ID }
  referenceYear: { fromSource: 'members_(\\d{4})', type: integer }
  birthDate: { column: BORN, type: date, format: CCYYMMDD }
  sex: { column: SEX, translate: { map: { '1': male, '2': female }, otherwise: unknown } }
  ssaStateCode: { column: STATE, type: code }
  coverageMonthsPartA: { column: MONTHS_A, type: integer }
chronicConditions:
  flags: { heart_failure: CHF, diabetes: DIAB }
  yes: ['1']
  no: ['2']
`;

describe('normalizeMappedRecord on a member reference', () => {
  const members = new MappedLayout(parseLayoutDefinition(MEMBER_LAYOUT, 'members.yaml'), 'members.yaml');
  const memberOf = (row: string, source = 'members_2009.csv'): MemberReferenceEvent => {
    const normalized = normalizeMappedRecord(
      members,
      rawOf([row], members, 'ID,BORN,SEX,STATE,CHF,DIAB,MONTHS_A', source),
      options,
    );
    if (normalized.kind !== 'member_reference') throw new Error('expected a member reference');
    return normalized.event;
  };

  it('maps demographics, coverage and chronic-condition flags, the year from the file name', () => {
    expect(memberOf('00013D2EFD8E45D1,19230901,2,10,1,2,12').member).toMatchObject({
      referenceYear: 2009,
      birthDate: '1923-09-01',
      sex: 'female',
      ssaStateCode: '10',
      coverageMonths: { partA: 12, partB: null },
      chronicConditions: { heart_failure: true, diabetes: false },
    });
  });

  it('tokenizes the member id: the event never carries it', () => {
    const event = memberOf('00013D2EFD8E45D1,19230901,2,10,1,2,12');
    expect(JSON.stringify(event)).not.toContain('00013D2EFD8E45D1');
    expect(event.member.patientToken).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same row of two years two identities, so neither replaces the other as a duplicate', () => {
    const row = '00013D2EFD8E45D1,19230901,2,10,1,2,12';
    expect(memberOf(row, 'members_2008.csv').eventId).not.toBe(memberOf(row, 'members_2009.csv').eventId);
  });

  it('dead-letters a value the canonical schema refuses, naming the path', () => {
    expect(sourceRecordErrorOf(() => memberOf('X,19230901,2,10,1,2,13'))).toMatchObject({
      code: 'MAPPED_VALUE_INVALID',
      message: 'the mapped event is invalid at member.coverageMonths.partA',
    });
  });
});
