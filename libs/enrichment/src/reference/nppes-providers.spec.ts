import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProviderReferenceSchema } from '@claims/contracts';
import { loadReferenceCodes } from './code-lists';
import { parseNppesProviders } from './nppes-providers';
import { ReferenceFormatError } from './reference.errors';

const DATA_DIR = path.join(__dirname, '../../../../data');
const codes = loadReferenceCodes(path.join(DATA_DIR, 'codes'));
const linesOf = (fileName: string): string[] =>
  readFileSync(path.join(DATA_DIR, 'providers', fileName), 'utf8').split(/\r?\n/);

const HEADER = [
  'NPI',
  'Entity Type Code',
  'Provider Organization Name (Legal Business Name)',
  'Provider Last Name (Legal Name)',
  'Provider First Name',
  'Provider Credential Text',
  'Provider First Line Business Practice Location Address',
  'Provider Business Practice Location Address City Name',
  'Provider Business Practice Location Address State Name',
  'Provider Business Practice Location Address Postal Code',
  'Provider Enumeration Date',
  'Last Update Date',
  'Healthcare Provider Taxonomy Code_1',
  'Healthcare Provider Primary Taxonomy Switch_1',
  'Healthcare Provider Taxonomy Code_2',
  'Healthcare Provider Primary Taxonomy Switch_2',
]
  .map((name) => `"${name}"`)
  .join(',');

/** A hand-written row under HEADER, every field quoted as NPPES writes them. */
function row(
  fields: Partial<
    Record<
      | 'npi'
      | 'type'
      | 'org'
      | 'last'
      | 'first'
      | 'cred'
      | 'addr'
      | 'city'
      | 'state'
      | 'zip'
      | 'enumerated'
      | 'updated'
      | 'tax1'
      | 'switch1'
      | 'tax2'
      | 'switch2',
      string
    >
  >,
): string {
  return [
    fields.npi ?? '1234567893',
    fields.type ?? '1',
    fields.org ?? '',
    fields.last ?? 'LOPEZ',
    fields.first ?? 'ANA',
    fields.cred ?? '',
    fields.addr ?? '100 MAIN ST',
    fields.city ?? 'AUSTIN',
    fields.state ?? 'TX',
    fields.zip ?? '78701',
    fields.enumerated ?? '',
    fields.updated ?? '',
    fields.tax1 ?? '',
    fields.switch1 ?? '',
    fields.tax2 ?? '',
    fields.switch2 ?? '',
  ]
    .map((value) => `"${value}"`)
    .join(',');
}

describe('parseNppesProviders on the vendored 329-column extract (nppes_first10.csv)', () => {
  const { items, rejected } = parseNppesProviders(linesOf('nppes_first10.csv'), codes);

  it('reads all ten providers in file order and rejects none', () => {
    expect(rejected).toEqual([]);
    expect(items.map((item) => item.record.npi)).toEqual([
      '1679576722',
      '1588667638',
      '1497758544',
      '1306849450',
      '1215930367',
      '1023011178',
      '1932102084',
      '1841293990',
      '1750384806',
      '1669475711',
    ]);
  });

  it('reads an individual with credential, taxonomy, specialty, practice address and enumeration date', () => {
    expect(items[0]).toEqual({
      effectiveDate: '2005-05-23',
      record: {
        npi: '1679576722',
        entityType: 'individual',
        firstName: 'DAVID',
        lastName: 'WIEBE',
        organizationName: null,
        credential: 'M.D.',
        taxonomyCode: '207X00000X',
        specialty: 'Orthopaedic Surgery Physician',
        groupKey: null,
        locationKey: null,
        practiceAddress: { address1: '3500 CENTRAL AVE', city: 'KEARNEY', state: 'NE', zip: '688472944' },
      },
    });
  });

  it('reads an organization by its legal business name, without person fields', () => {
    expect(items[2]?.record).toMatchObject({
      entityType: 'organization',
      organizationName: 'CUMBERLAND COUNTY HOSPITAL SYSTEM, INC',
      firstName: null,
      lastName: null,
      credential: null,
      specialty: 'Community Based Hospice Care Agency',
    });
  });

  it('takes the taxonomy flagged primary, not the first listed', () => {
    // GRESSOT lists 174400000X first (switch N) and 207RH0003X second (switch Y).
    expect(items[4]?.record).toMatchObject({
      taxonomyCode: '207RH0003X',
      specialty: 'Hematology & Oncology Physician',
    });
  });

  it('produces records the contract accepts', () => {
    for (const item of items) expect(ProviderReferenceSchema.safeParse(item.record).success).toBe(true);
  });
});

describe('parseNppesProviders on the vendored 330-column record (npidata_1063947125.csv)', () => {
  it('reads the organization by header name despite the extra column', () => {
    expect(parseNppesProviders(linesOf('npidata_1063947125.csv'), codes)).toEqual({
      items: [
        {
          effectiveDate: '2017-04-26',
          record: {
            npi: '1063947125',
            entityType: 'organization',
            firstName: null,
            lastName: null,
            organizationName: 'LOVETTSVILLE DENTAL ARTS',
            credential: null,
            taxonomyCode: '261QD0000X',
            specialty: 'Dental Clinic/Center',
            groupKey: null,
            locationKey: null,
            practiceAddress: { address1: '2 N LIGHT ST', city: 'LOVETTSVILLE', state: 'VA', zip: '201808613' },
          },
        },
      ],
      withdrawals: [],
      rejected: [],
    });
  });
});

describe('parseNppesProviders on hand-written rows', () => {
  const parse = (...rows: string[]) => parseNppesProviders([HEADER, ...rows], codes);

  it('reads columns by header name, whatever their order', () => {
    const header = '"Provider First Name","Entity Type Code","NPI","Provider Last Name (Legal Name)"';
    const { items } = parseNppesProviders([header, '"ANA","1","1234567893","LOPEZ"'], codes);
    expect(items[0]?.record).toMatchObject({ npi: '1234567893', firstName: 'ANA', lastName: 'LOPEZ' });
    expect(items[0]?.record.practiceAddress).toBeNull();
  });

  it('takes the first taxonomy when none is flagged primary', () => {
    const { items } = parse(row({ tax1: '207Q00000X', tax2: '207R00000X' }));
    expect(items[0]?.record).toMatchObject({ taxonomyCode: '207Q00000X', specialty: 'Family Medicine Physician' });
  });

  it('leaves the specialty null for a taxonomy code the NUCC list does not hold', () => {
    const { items } = parse(row({ tax1: '999999999X' }));
    expect(items[0]?.record).toMatchObject({ taxonomyCode: '999999999X', specialty: null });
  });

  it('dates a version by its last update when the enumeration date is absent', () => {
    expect(parse(row({ updated: '02/29/2012' })).items[0]?.effectiveDate).toBe('2012-02-29');
  });

  it('dates a version from the beginning of time when neither date is a calendar date', () => {
    expect(parse(row({ enumerated: '2005-05-23', updated: '02/30/2012' })).items[0]?.effectiveDate).toBe('0001-01-01');
  });

  it('reads a hyphenated ZIP+4 and nulls address parts the contract cannot hold', () => {
    const { items } = parse(
      row({ zip: '78701-1234' }),
      row({ npi: '1679576722', state: 'ONTARIO', zip: 'K1A 0B1', city: '' }),
    );
    expect(items[0]?.record.practiceAddress?.zip).toBe('787011234');
    expect(items[1]?.record.practiceAddress).toEqual({ address1: '100 MAIN ST', city: null, state: null, zip: null });
  });

  it('reads no US state or ZIP from a practice address abroad, even where its parts look like them', () => {
    const header = [
      '"NPI","Entity Type Code","Provider Last Name (Legal Name)"',
      '"Provider First Line Business Practice Location Address"',
      '"Provider Business Practice Location Address City Name"',
      '"Provider Business Practice Location Address State Name"',
      '"Provider Business Practice Location Address Postal Code"',
      '"Provider Business Practice Location Address Country Code (If outside U.S.)"',
    ].join(',');
    const { items, rejected } = parseNppesProviders(
      [
        header,
        '"1234567893","1","GARZA","AV CONSTITUCION 100","MONTERREY","NL","64000","MX"',
        '"1679576722","1","WIEBE","1 MAIN ST","LINCOLN","NE","688472944","US"',
      ],
      codes,
    );
    expect(rejected).toEqual([]);
    expect(items.map((item) => item.record.practiceAddress)).toEqual([
      { address1: 'AV CONSTITUCION 100', city: 'MONTERREY', state: null, zip: null },
      { address1: '1 MAIN ST', city: 'LINCOLN', state: 'NE', zip: '688472944' },
    ]);
  });

  it('skips a row without entity type or deactivation date without counting it as rejected', () => {
    const deactivated = row({ type: '', last: '', first: '', addr: '', city: '', state: '', zip: '' });
    expect(parse(deactivated)).toEqual({ items: [], withdrawals: [], rejected: [] });
  });

  it('rejects, with its data row number, a row whose NPI is not ten digits, and keeps reading', () => {
    const result = parse(row({ npi: '12345' }), row({}));
    expect(result.items).toHaveLength(1);
    expect(result.rejected).toEqual([{ rowNumber: 1, reason: expect.stringContaining('npi') }]);
  });

  it('rejects a row with an entity type other than 1 or 2', () => {
    expect(parse(row({ type: '3' })).rejected).toEqual([
      { rowNumber: 1, reason: 'Entity Type Code: expected 1 (individual) or 2 (organization)' },
    ]);
  });

  it('rejects a row whose taxonomy is no NUCC-shaped code', () => {
    expect(parse(row({ tax1: 'GP' })).rejected[0]?.reason).toContain('taxonomyCode');
  });

  it('rejects a malformed CSV row without stopping', () => {
    const result = parse('"1234567893"x,"1"', row({}));
    expect(result.rejected).toEqual([{ rowNumber: 1, reason: expect.stringContaining('closing quote') }]);
    expect(result.items).toHaveLength(1);
  });

  it('skips blank lines, counting only data rows', () => {
    const result = parseNppesProviders(['', HEADER, '  ', row({}), '', row({ npi: 'x' })], codes);
    expect(result.rejected.map((rejection) => rejection.rowNumber)).toEqual([2]);
  });

  it('returns nothing for a header alone or no lines at all', () => {
    expect(parse()).toEqual({ items: [], withdrawals: [], rejected: [] });
    expect(parseNppesProviders([], codes)).toEqual({ items: [], withdrawals: [], rejected: [] });
  });

  it('throws a permanent REFERENCE_FORMAT error for a header without Entity Type Code', () => {
    let thrown: unknown;
    try {
      parseNppesProviders(['"NPI","Provider First Name"', '"1234567893","ANA"'], codes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReferenceFormatError);
    expect(thrown).toMatchObject({
      code: 'REFERENCE_FORMAT',
      retriable: false,
      message: 'NPPES header lacks the "Entity Type Code" column',
    });
  });

  it('throws for a header without NPI', () => {
    expect(() => parseNppesProviders(['"Entity Type Code"'], codes)).toThrow('NPPES header lacks the "NPI" column');
  });
});

describe('parseNppesProviders on deactivated and reactivated NPIs', () => {
  const DATED_HEADER = [
    'NPI',
    'Entity Type Code',
    'Provider Last Name (Legal Name)',
    'Provider Enumeration Date',
    'Last Update Date',
    'NPI Deactivation Date',
    'NPI Reactivation Date',
  ]
    .map((name) => `"${name}"`)
    .join(',');
  const datedRow = (...fields: string[]): string => fields.map((value) => `"${value}"`).join(',');
  const parse = (...rows: string[]) => parseNppesProviders([DATED_HEADER, ...rows], codes);

  it('withdraws an NPI NPPES deactivated (only its number and deactivation date left) from that date', () => {
    expect(parse(datedRow('1234567893', '', '', '', '', '03/01/2010', ''))).toEqual({
      items: [],
      withdrawals: [{ npi: '1234567893', effectiveDate: '2010-03-01' }],
      rejected: [],
    });
  });

  it('holds a reactivated NPI from enumeration, withdraws it at deactivation and holds it again from reactivation', () => {
    const parsed = parse(datedRow('1234567893', '1', 'LOPEZ', '05/23/2005', '07/01/2012', '03/01/2010', '06/01/2012'));
    expect(parsed.items.map((item) => [item.effectiveDate, item.record.lastName])).toEqual([
      ['2005-05-23', 'LOPEZ'],
      ['2012-06-01', 'LOPEZ'],
    ]);
    expect(parsed.withdrawals).toEqual([{ npi: '1234567893', effectiveDate: '2010-03-01' }]);
  });

  it('keeps a listed NPI withdrawn from a deactivation no reactivation follows', () => {
    const parsed = parse(datedRow('1234567893', '1', 'LOPEZ', '05/23/2005', '', '03/01/2010', '01/01/2009'));
    expect(parsed.items.map((item) => item.effectiveDate)).toEqual(['2005-05-23']);
    expect(parsed.withdrawals).toEqual([{ npi: '1234567893', effectiveDate: '2010-03-01' }]);
  });

  it('holds a listed NPI on no day when it was deactivated on or before the day its record starts', () => {
    const result = parse(
      // Deactivated the day it was enumerated.
      datedRow('1234567893', '1', 'LOPEZ', '03/01/2010', '', '03/01/2010', ''),
      // No enumeration date: the last update, which the deactivation itself stamped, falls after it.
      datedRow('1679576722', '1', 'WIEBE', '', '03/05/2010', '03/01/2010', ''),
    );
    expect(result).toEqual({
      items: [],
      withdrawals: [
        { npi: '1234567893', effectiveDate: '2010-03-01' },
        { npi: '1679576722', effectiveDate: '2010-03-01' },
      ],
      rejected: [],
    });
  });

  it('holds a reactivated NPI from its reactivation when its record starts after the deactivation', () => {
    const parsed = parse(datedRow('1234567893', '1', 'LOPEZ', '', '07/01/2012', '03/01/2010', '06/01/2012'));
    expect(parsed.items.map((item) => [item.effectiveDate, item.record.lastName])).toEqual([['2012-06-01', 'LOPEZ']]);
    expect(parsed.withdrawals).toEqual([{ npi: '1234567893', effectiveDate: '2010-03-01' }]);
  });

  it('rejects a row whose deactivation or reactivation date is no MM/DD/YYYY calendar date, rather than hold the NPI as active', () => {
    const result = parse(
      datedRow('1234567893', '', '', '', '', '2010-03-01', ''),
      datedRow('1245319599', '1', 'LOPEZ', '05/23/2005', '', '13/01/2010', ''),
      datedRow('1679576722', '1', 'WIEBE', '05/23/2005', '', '03/01/2010', '06/31/2012'),
    );
    expect(result).toEqual({
      items: [],
      withdrawals: [],
      rejected: [
        { rowNumber: 1, reason: 'NPI Deactivation Date: expected a MM/DD/YYYY calendar date' },
        { rowNumber: 2, reason: 'NPI Deactivation Date: expected a MM/DD/YYYY calendar date' },
        { rowNumber: 3, reason: 'NPI Reactivation Date: expected a MM/DD/YYYY calendar date' },
      ],
    });
  });

  it('rejects a row an unquoted comma shifted, rather than read its deactivation as a reactivation, and keeps a row short of its trailing blank columns', () => {
    const result = parseNppesProviders(
      [DATED_HEADER, '1234567893,1,LOPEZ, JR,05/23/2005,,03/01/2010,', '"1679576722","1","WIEBE","05/23/2005"'],
      codes,
    );
    expect(result).toEqual({
      items: [{ effectiveDate: '2005-05-23', record: expect.objectContaining({ npi: '1679576722' }) }],
      withdrawals: [],
      rejected: [
        {
          rowNumber: 1,
          reason:
            'the row has 8 fields where the header names 7: a value holding an unquoted comma shifts every column after it',
        },
      ],
    });
  });

  it('rejects a deactivated row whose NPI is not ten digits, naming no value', () => {
    expect(parse(datedRow('12345', '', '', '', '', '03/01/2010', '')).rejected).toEqual([
      { rowNumber: 1, reason: 'npi: a deactivated NPI that is not ten digits' },
    ]);
  });

  describe('an NPI on two rows with different data', () => {
    const older = datedRow('1234567893', '1', 'OLDNAME', '05/23/2005', '07/08/2007', '', '');
    const newer = datedRow('1234567893', '1', 'NEWNAME', '05/23/2005', '05/29/2014', '', '');

    it('is read from the row with the later last update, whatever the rows order', () => {
      for (const rows of [
        [older, newer],
        [newer, older],
      ]) {
        const parsed = parse(...rows);
        expect(parsed.items.map((item) => item.record.lastName)).toEqual(['NEWNAME']);
        expect(parsed.rejected).toEqual([
          {
            rowNumber: rows.indexOf(older) + 1,
            reason: `NPI repeated with other data on data row ${rows.indexOf(newer) + 1}, which is kept: it states the later date`,
          },
        ]);
      }
    });

    it('is read from the same row whatever the order when both state the same date', () => {
      const other = datedRow('1234567893', '1', 'OTHERNAME', '05/23/2005', '07/08/2007', '', '');
      const forward = parse(older, other).items;
      const backward = parse(other, older).items;
      expect(forward).toHaveLength(1);
      expect(backward).toEqual(forward);
    });

    it('ends an earlier listing at a later deactivation, the listing holding before it, whatever the rows order', () => {
      const deactivated = datedRow('1234567893', '', '', '', '', '03/01/2016', '');
      for (const rows of [
        [newer, deactivated],
        [deactivated, older, newer],
        [older, deactivated, newer],
      ]) {
        expect(parse(...rows)).toMatchObject({
          items: [{ effectiveDate: '2005-05-23', record: { lastName: 'NEWNAME' } }],
          withdrawals: [{ effectiveDate: '2016-03-01' }],
        });
      }
    });

    it('lets a listing dated after a deactivation stand alone, the deactivation row rejected', () => {
      const deactivated = datedRow('1234567893', '', '', '', '', '03/01/2016', '');
      const laterListing = datedRow('1234567893', '1', 'NEWNAME', '05/23/2005', '05/29/2017', '', '');
      expect(parse(deactivated, laterListing)).toEqual({
        items: [{ effectiveDate: '2005-05-23', record: expect.objectContaining({ lastName: 'NEWNAME' }) }],
        withdrawals: [],
        rejected: [
          {
            rowNumber: 1,
            reason: 'NPI repeated with other data on data row 2, which is kept: it states the later date',
          },
        ],
      });
    });
  });

  it('reads the same row twice as one, rejecting neither', () => {
    const same = datedRow('1234567893', '1', 'LOPEZ', '05/23/2005', '07/08/2007', '', '');
    expect(parse(same, same)).toMatchObject({ items: [{ effectiveDate: '2005-05-23' }], rejected: [] });
  });
});
