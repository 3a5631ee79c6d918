import {
  ColumnIndex,
  describeIssues,
  fieldAt,
  forEachCsvRow,
  isBlankAddress,
  isoDateOfUsDate,
  postalAddressOf,
  textOrNull,
  type RejectedRow,
} from './reference-rows';

describe('ColumnIndex', () => {
  const columns = new ColumnIndex(['\uFEFFNPI', ' lst_nm ', 'City/Town', 'npi']);

  it('finds a column trimmed, case-blind and past a byte-order mark, keeping the first of a repeated name', () => {
    expect(columns.find('npi')).toBe(0);
    expect(columns.find('LST_NM')).toBe(1);
  });

  it('finds the first of several names a column has gone by', () => {
    expect(columns.find('Provider Last Name', 'lst_nm')).toBe(1);
    expect(columns.find('cty', 'City/Town')).toBe(2);
    expect(columns.find('zip')).toBeUndefined();
  });
});

describe('fieldAt and textOrNull', () => {
  it('read a missing column or a short row as blank, and blank as null', () => {
    expect(fieldAt(['a', ' b '], 1)).toBe('b');
    expect(fieldAt(['a'], 3)).toBe('');
    expect(fieldAt(['a'], undefined)).toBe('');
    expect(textOrNull('')).toBeNull();
    expect(textOrNull('MD')).toBe('MD');
  });
});

describe('forEachCsvRow', () => {
  it('hands over the header, then data rows numbered from 1, skipping blank lines and reporting malformed rows', () => {
    const headers: Array<number | undefined> = [];
    const rows: Array<[string[], number]> = [];
    const rejected: RejectedRow[] = [];
    forEachCsvRow(['', 'a,b', 'x,"y,z"', '   ', '"bad"x,1', '1,2'], {
      header: (columns) => headers.push(columns.find('b')),
      row: (fields, rowNumber) => rows.push([fields, rowNumber]),
      rejected: (rejection) => rejected.push(rejection),
    });
    expect(headers).toEqual([1]);
    expect(rows).toEqual([
      [['x', 'y,z'], 1],
      [['1', '2'], 3],
    ]);
    expect(rejected).toEqual([{ rowNumber: 2, reason: expect.stringContaining('closing quote') }]);
  });
});

describe('forEachCsvRow with a NUL character', () => {
  it('rejects the row holding it, naming the NUL, and goes on with the next row', () => {
    const rows: number[] = [];
    const rejected: RejectedRow[] = [];
    forEachCsvRow(['npi,name', '1234567893,ACME\u0000CLINIC', '1234567894,ACME'], {
      header: () => undefined,
      row: (_, rowNumber) => rows.push(rowNumber),
      rejected: (rejection) => rejected.push(rejection),
    });
    expect(rows).toEqual([2]);
    expect(rejected).toEqual([{ rowNumber: 1, reason: 'the row holds a NUL character (U+0000), which is not text' }]);
  });
});

describe('postalAddressOf', () => {
  it('keeps a US address, upper-casing the state and removing a ZIP+4 hyphen', () => {
    expect(postalAddressOf({ address1: '1 MAIN ST', city: 'AUSTIN', state: 'tx', zip: '78701-1234' })).toEqual({
      address1: '1 MAIN ST',
      city: 'AUSTIN',
      state: 'TX',
      zip: '787011234',
    });
  });

  it('nulls parts the contract cannot hold: a province, a foreign or short postal code, an over-long line', () => {
    expect(postalAddressOf({ address1: 'x'.repeat(201), city: '', state: 'ONTARIO', zip: '2134' })).toEqual({
      address1: null,
      city: null,
      state: null,
      zip: null,
    });
  });

  it('tells an address with no part at all', () => {
    expect(isBlankAddress({ address1: null, city: null, state: null, zip: null })).toBe(true);
    expect(isBlankAddress({ address1: null, city: null, state: 'TX', zip: null })).toBe(false);
  });
});

describe('isoDateOfUsDate', () => {
  it('turns MM/DD/YYYY into YYYY-MM-DD', () => {
    expect(isoDateOfUsDate('05/23/2005')).toBe('2005-05-23');
    expect(isoDateOfUsDate('02/29/2012')).toBe('2012-02-29');
  });

  it('answers null for other forms and for dates the calendar lacks', () => {
    expect(isoDateOfUsDate('')).toBeNull();
    expect(isoDateOfUsDate('2005-05-23')).toBeNull();
    expect(isoDateOfUsDate('5/23/2005')).toBeNull();
    expect(isoDateOfUsDate('02/29/2013')).toBeNull();
    expect(isoDateOfUsDate('13/01/2013')).toBeNull();
  });
});

describe('describeIssues', () => {
  it('writes zod issues on one line, with their paths', () => {
    expect(
      describeIssues([
        { path: ['npi'], message: 'Invalid string' },
        { path: [], message: 'Bad record' },
      ]),
    ).toBe('npi: Invalid string; (record): Bad record');
  });
});
