/**
 * Awkward-but-valid and malformed directory rows: each bad row is refused
 * with a reason naming the field (never its value) and the rows around it go
 * on; each valid row is read whole, whatever its quoting.
 */
import path from 'node:path';
import { EMPTY_ENRICHMENT_CODES, enrichClaim } from './enrich';
import {
  claimEvent,
  cleanDirectory,
  NPI,
  providerRecord,
  providerVersion,
} from './enrich/__fixtures__/reference-fixtures';
import { decidePend } from './pend/decide-pend';
import { NO_DUPLICATES } from './pend/duplicate-fingerprints';
import { loadShippedPendRuleSet } from './pend/pend-rule-set';
import { loadReferenceCodes } from './reference/code-lists';
import { parseNppesProviders } from './reference/nppes-providers';
import { parseProviderDirectoryFile } from './reference/provider-directory-file';
import { forEachCsvRow, type RejectedRow } from './reference/reference-rows';
import { ReferenceTables } from './tables';

const DATA_DIR = path.join(__dirname, '../../../data');
const codes = loadReferenceCodes(path.join(DATA_DIR, 'codes'));

const NPPES_HEADER = [
  'NPI',
  'Entity Type Code',
  'Provider Organization Name (Legal Business Name)',
  'Provider Last Name (Legal Name)',
  'Provider First Name',
  'Provider First Line Business Practice Location Address',
  'Provider Business Practice Location Address City Name',
  'Provider Business Practice Location Address State Name',
  'Provider Business Practice Location Address Postal Code',
]
  .map((name) => `"${name}"`)
  .join(',');

/** An NPPES row, every field quoted as NPPES writes them. */
const nppesRow = (...fields: string[]): string => fields.map((field) => `"${field}"`).join(',');

/** A file's text split into lines the way the reference command reads it. */
const linesOf = (...rows: string[]): string[] => rows.join('\r\n').split(/\r?\n/);

describe('an NPPES row with a quoted line break', () => {
  const text = linesOf(
    NPPES_HEADER,
    nppesRow('1679576722', '1', '', 'WIEBE', 'DAVID', '3500 CENTRAL AVE', 'KEARNEY', 'NE', '688472944'),
    nppesRow('1234567893', '2', 'LAKESIDE CLINIC, INC', '', '', '100 MAIN ST\r\nSUITE 2', 'AUSTIN', 'TX', '78701'),
    nppesRow('1588667638', '1', '', 'LOPEZ', 'ANA', '1 A ST', 'AUSTIN', 'tx', '78701-1234'),
  );

  it('is read whole as one data row, and the rows around it go on', () => {
    const { items, rejected } = parseNppesProviders(text, codes);

    expect(rejected).toEqual([]);
    expect(items.map((item) => item.record.npi)).toEqual(['1679576722', '1234567893', '1588667638']);
    expect(items[1]?.record).toMatchObject({
      organizationName: 'LAKESIDE CLINIC, INC',
      practiceAddress: { address1: '100 MAIN ST\nSUITE 2', city: 'AUSTIN', state: 'TX', zip: '78701' },
    });
  });

  it('counts the joined lines as one data row when numbering a later rejection', () => {
    const { rejected } = parseNppesProviders([...text, nppesRow('12345', '1', '', 'X', 'Y', '', '', '', '')], codes);

    expect(rejected).toEqual([{ rowNumber: 4, reason: expect.stringMatching(/^npi: /) }]);
  });

  it('is read whole through parseProviderDirectoryFile too', () => {
    const parsed = parseProviderDirectoryFile(text, 'npidata.csv', codes, { publishedAt: '2024-01-01T00:00:00.000Z' });

    expect(parsed.rejected).toEqual([]);
    expect(parsed.events.map((event) => event.key)).toEqual(['1679576722', '1234567893', '1588667638']);
  });
});

describe('a clinician file row with a quoted line break', () => {
  it('is read whole, its group and location with it', () => {
    const header = 'NPI,lst_nm,frst_nm,pri_spec,org_nm,org_pac_id,adr_ln_1,cty,st,zip';
    const parsed = parseProviderDirectoryFile(
      linesOf(
        header,
        '1043872153,OKAFOR,NGOZI,INTERNAL MEDICINE,"LAKESHORE INTERNAL MEDICINE\nASSOCIATES, LLC",7719034625,1550 N LAKE SHORE DR,CHICAGO,IL,60610',
        '1192763542,BRENNAN,PATRICK,FAMILY PRACTICE,,,2701 W HOWARD ST,CHICAGO,IL,60645',
      ),
      'clinicians.csv',
      codes,
      { publishedAt: '2024-01-01T00:00:00.000Z' },
    );

    expect(parsed.rejected).toEqual([]);
    expect(parsed.events.filter((event) => event.kind === 'provider').map((event) => event.key)).toEqual([
      '1043872153',
      '1192763542',
    ]);
    expect(parsed.events.find((event) => event.kind === 'provider_group')?.record).toMatchObject({
      groupKey: '7719034625',
      name: 'LAKESHORE INTERNAL MEDICINE\nASSOCIATES, LLC',
    });
  });
});

describe('forEachCsvRow with a stray quote', () => {
  function walk(lines: string[]): { rows: Array<[string[], number]>; rejected: RejectedRow[] } {
    const rows: Array<[string[], number]> = [];
    const rejected: RejectedRow[] = [];
    forEachCsvRow(lines, {
      header: () => undefined,
      row: (fields, rowNumber) => rows.push([fields, rowNumber]),
      rejected: (rejection) => rejected.push(rejection),
    });
    return { rows, rejected };
  }

  it('rejects the row holding a quote that never closes, and reads every row after it', () => {
    const { rows, rejected } = walk(['a,b', '1,"open', '2,x', '3,y']);

    expect(rejected).toEqual([{ rowNumber: 1, reason: expect.stringContaining('unterminated quoted field') }]);
    expect(rows).toEqual([
      [['2', 'x'], 2],
      [['3', 'y'], 3],
    ]);
  });

  it('does not join two rows with stray quotes into one, losing the good row between them', () => {
    const { rows, rejected } = walk(['a,b', '1,ab"c', '2,x', '3,d"e', '4,z']);

    expect(rows).toEqual([
      [['2', 'x'], 2],
      [['4', 'z'], 4],
    ]);
    expect(rejected.map((rejection) => rejection.rowNumber)).toEqual([1, 3]);
  });

  it('keeps a blank line inside a quoted field as part of it', () => {
    expect(walk(['a,b', '1,"first', '', 'third"', '2,x']).rows).toEqual([
      [['1', 'first\n\nthird'], 1],
      [['2', 'x'], 2],
    ]);
  });
});

describe('an NPPES row with an entity type other than 1 or 2', () => {
  it('is refused naming the field, never its value (a slipped column may hold a name there)', () => {
    const { items, rejected } = parseNppesProviders(
      [
        NPPES_HEADER,
        nppesRow('1679576722', 'WIEBE', '', 'WIEBE', 'DAVID', '3500 CENTRAL AVE', 'KEARNEY', 'NE', '68847'),
        nppesRow('1588667638', '1', '', 'LOPEZ', 'ANA', '1 A ST', 'AUSTIN', 'TX', '78701'),
      ],
      codes,
    );

    expect(rejected).toEqual([{ rowNumber: 1, reason: expect.stringContaining('Entity Type Code') }]);
    expect(rejected[0]?.reason).not.toContain('WIEBE');
    expect(items.map((item) => item.record.npi)).toEqual(['1588667638']);
  });
});

describe('an organization in the directory without its name', () => {
  const nameless = providerRecord(NPI.organization, {
    entityType: 'organization',
    firstName: null,
    lastName: null,
    organizationName: null,
    credential: null,
  });
  const tablesWith = (...extra: ReturnType<typeof providerVersion>[]): ReferenceTables => {
    const tables = new ReferenceTables();
    const directory = cleanDirectory();
    for (const version of [...directory.versions, ...extra]) tables.apply(version);
    for (const member of directory.members) tables.applyMember(member);
    return tables;
  };
  const event = claimEvent({ billingNpi: NPI.organization });

  it('is incomplete, as a person without a last name is', () => {
    const tables = tablesWith(providerVersion(NPI.organization, '2007-01-01', nameless));

    expect(enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES).lookupMisses).toEqual([
      { lookup: 'provider', role: 'billing', key: NPI.organization, reason: 'incomplete' },
    ]);
  });

  it('pends PROVIDER_INCOMPLETE, cleared on the day the named version takes effect', () => {
    const tables = tablesWith(
      providerVersion(NPI.organization, '2007-01-01', nameless),
      providerVersion(NPI.organization, '2008-05-01', { ...nameless, organizationName: 'LAKESIDE BILLING LLC' }),
    );
    const decision = decidePend(
      event,
      enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES),
      tables,
      loadShippedPendRuleSet(),
      NO_DUPLICATES,
    );

    expect(decision).toMatchObject({ status: 'cleared', clearedOn: '2008-05-01', clearedBy: 'reference' });
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['PROVIDER_INCOMPLETE']);
  });
});
