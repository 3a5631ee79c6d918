import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNppesRows, ProviderDirectoryFormatError } from './nppes';

const PROVIDERS_DIR = path.join(__dirname, '../../../data/providers');
const linesOf = (fileName: string): string[] => readFileSync(path.join(PROVIDERS_DIR, fileName), 'utf8').split(/\r?\n/);

const HEADER =
  '"NPI","Entity Type Code","Provider Organization Name (Legal Business Name)","Provider Last Name (Legal Name)",' +
  '"Provider First Name","Provider Business Practice Location Address State Name","Healthcare Provider Taxonomy Code_1"';

describe('parseNppesRows on the vendored 329-column NPPES extract (nppes_first10.csv)', () => {
  const entries = parseNppesRows(linesOf('nppes_first10.csv'));

  it('reads all ten providers, in file order', () => {
    expect(entries.map((entry) => entry.npi)).toEqual([
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

  it('names an individual (entity type 1) "first last", with taxonomy and practice state', () => {
    expect(entries[0]).toEqual({
      npi: '1679576722',
      entityType: 'individual',
      displayName: 'DAVID WIEBE',
      taxonomyCode: '207X00000X',
      practiceState: 'NE',
    });
  });

  it('names an organization (entity type 2) by its legal business name, comma included', () => {
    expect(entries[2]).toEqual({
      npi: '1497758544',
      entityType: 'organization',
      displayName: 'CUMBERLAND COUNTY HOSPITAL SYSTEM, INC',
      taxonomyCode: '251G00000X',
      practiceState: 'NC',
    });
  });

  it('finds two organizations and eight individuals', () => {
    expect(entries.filter((entry) => entry.entityType === 'organization').map((entry) => entry.displayName)).toEqual([
      'CUMBERLAND COUNTY HOSPITAL SYSTEM, INC',
      'NAPA VALLEY HOSPICE & ADULT DAY SERVICES',
    ]);
    expect(entries.filter((entry) => entry.entityType === 'individual')).toHaveLength(8);
  });

  it('reads every practice state and primary taxonomy', () => {
    expect(entries.map((entry) => entry.practiceState)).toEqual([
      'NE',
      'FL',
      'NC',
      'TX',
      'TX',
      'CA',
      'OH',
      'NY',
      'TX',
      'TX',
    ]);
    expect(entries.map((entry) => entry.taxonomyCode)).toEqual([
      '207X00000X',
      '207RC0000X',
      '251G00000X',
      '2085R0202X',
      '174400000X',
      '251G00000X',
      '207RC0000X',
      '231H00000X',
      '207R00000X',
      '208000000X',
    ]);
  });
});

describe('parseNppesRows on the vendored 330-column NPPES record (npidata_1063947125.csv)', () => {
  it('reads the organization by header name despite the extra column', () => {
    expect(parseNppesRows(linesOf('npidata_1063947125.csv'))).toEqual([
      {
        npi: '1063947125',
        entityType: 'organization',
        displayName: 'LOVETTSVILLE DENTAL ARTS',
        taxonomyCode: '261QD0000X',
        practiceState: 'VA',
      },
    ]);
  });
});

describe('parseNppesRows on hand-written rows', () => {
  it('reads columns by header name, whatever their order', () => {
    const header = '"Provider First Name","Entity Type Code","NPI","Provider Last Name (Legal Name)"';
    expect(parseNppesRows([header, '"ANA","1","1234567893","LOPEZ"'])).toEqual([
      {
        npi: '1234567893',
        entityType: 'individual',
        displayName: 'ANA LOPEZ',
        taxonomyCode: null,
        practiceState: null,
      },
    ]);
  });

  it('reads blank taxonomy and state as null', () => {
    expect(parseNppesRows([HEADER, '"1234567893","1","","LOPEZ","ANA","",""'])).toEqual([
      {
        npi: '1234567893',
        entityType: 'individual',
        displayName: 'ANA LOPEZ',
        taxonomyCode: null,
        practiceState: null,
      },
    ]);
  });

  it('names an individual with only a last name by that name alone', () => {
    const [entry] = parseNppesRows([HEADER, '"1234567893","1","","LOPEZ","","TX","207Q00000X"']);
    expect(entry?.displayName).toBe('LOPEZ');
  });

  it('skips blank lines and rows whose NPI is not ten digits', () => {
    const rows = [
      '',
      HEADER,
      '   ',
      '"12345","1","","LOPEZ","ANA","TX",""',
      '"","2","ACME","","","TX",""',
      '"1063947125","2","LOVETTSVILLE DENTAL ARTS","","","VA","261QD0000X"',
      '',
    ];
    expect(parseNppesRows(rows).map((entry) => entry.npi)).toEqual(['1063947125']);
  });

  it('returns no entries for a header alone', () => {
    expect(parseNppesRows([HEADER])).toEqual([]);
  });

  it('rejects a header without the Entity Type Code column as a permanent format error', () => {
    let thrown: unknown;
    try {
      parseNppesRows(['"NPI","Provider First Name"', '"1234567893","ANA"']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderDirectoryFormatError);
    expect(thrown).toMatchObject({
      code: 'PROVIDER_DIRECTORY_FORMAT',
      retriable: false,
      message: 'NPPES header lacks the "Entity Type Code" column',
    });
  });

  it('rejects a header without the NPI column', () => {
    expect(() => parseNppesRows(['"Entity Type Code"'])).toThrow('NPPES header lacks the "NPI" column');
  });
});
