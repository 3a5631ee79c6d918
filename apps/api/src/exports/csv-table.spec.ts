import { toCsv } from './csv';
import { csvColumnsOf, csvHeadersOfSchema, flatRowOf } from './csv-table';
import { nextPageLink } from './csv-table.interceptor';

describe('csvColumnsOf', () => {
  it('keeps the rows’ field order, nested objects one level deep as parent.child', () => {
    const rows = [
      { value: 'MEDICARE', claims: 12, daysToClear: { p50: 8, p90: 13 } },
      { value: 'AETNA', claims: 3, daysToClear: { p50: null, p90: null }, suppressed: ['claims'] },
    ];
    expect(toCsv(csvColumnsOf(rows), rows)).toBe(
      '"value","claims","daysToClear.p50","daysToClear.p90","suppressed"\r\n' +
        '"MEDICARE",12,8,13,\r\n' +
        '"AETNA",3,,,"claims"\r\n',
    );
  });

  it('joins lists with semicolons and neutralises a formula a row carries', () => {
    const rows = [{ claimId: '=HYPERLINK("x")', reasons: ['NPI_INVALID', '@SUM(A1)'] }];
    expect(toCsv(csvColumnsOf(rows), rows)).toBe(
      '"claimId","reasons"\r\n"\'=HYPERLINK(""x"")","NPI_INVALID;@SUM(A1)"\r\n',
    );
  });

  it('writes the declared header for no rows, and ignores it once rows give the columns', () => {
    expect(toCsv(csvColumnsOf([], ['payer', 'paidClaims', 'suppressed']), [])).toBe(
      '"payer","paidClaims","suppressed"\r\n',
    );
    const rows = [{ payer: 'AETNA', paidClaims: 4 }];
    expect(toCsv(csvColumnsOf(rows, ['payer', 'paidClaims', 'suppressed']), rows)).toBe(
      '"payer","paidClaims"\r\n"AETNA",4\r\n',
    );
  });
});

describe('csvHeadersOfSchema', () => {
  const ageBucket = {
    type: 'object',
    properties: {
      bucket: { type: 'string', enum: ['0-30', '90+'] },
      minAgeDays: { type: 'number' },
      claims: { type: 'number', nullable: true },
    },
  };
  const rowSchema = {
    type: 'object',
    properties: {
      value: { type: 'string' },
      reasons: { type: 'array', items: { type: 'string' } },
      daysToClear: {
        type: 'object',
        nullable: true,
        properties: { p50: { type: 'number' }, byQueue: { type: 'object', additionalProperties: { type: 'number' } } },
      },
      ageBuckets: { type: 'array', items: ageBucket },
      steps: { type: 'array', items: { type: 'object', properties: { days: { type: 'number' } } } },
      byPayer: { type: 'object', additionalProperties: { type: 'number' } },
      claims: { type: 'number', nullable: true },
      suppressed: { type: 'array', items: { type: 'string' } },
    },
  };

  it('names the columns a row of the schema flattens to, in the order a row of it gives them', () => {
    const row = {
      value: 'AETNA',
      reasons: ['N01'],
      daysToClear: { p50: 8, byQueue: { coding: 3 } },
      ageBuckets: [
        { bucket: '0-30', minAgeDays: 0, claims: 4 },
        { bucket: '90+', minAgeDays: 91, claims: null },
      ],
      claims: null,
      suppressed: ['ageBuckets.90+.claims'],
    };
    const declared = csvHeadersOfSchema(rowSchema);
    expect(declared).toEqual([
      'value',
      'reasons',
      'daysToClear.p50',
      'daysToClear.byQueue',
      'ageBuckets.0-30.minAgeDays',
      'ageBuckets.0-30.claims',
      'ageBuckets.90+.minAgeDays',
      'ageBuckets.90+.claims',
      'claims',
      'suppressed',
    ]);
    expect(declared).toEqual([...flatRowOf(row).keys()]);
  });

  it('leaves out the columns only rows can name: map keys and unlabelled list positions', () => {
    const headers = csvHeadersOfSchema(rowSchema);
    expect(headers.filter((header) => header.startsWith('steps') || header.startsWith('byPayer'))).toEqual([]);
  });

  it('names no column for a schema that is no object', () => {
    expect(csvHeadersOfSchema(undefined)).toEqual([]);
    expect(csvHeadersOfSchema({ type: 'string' })).toEqual([]);
  });
});

describe('flatRowOf', () => {
  it('gives the leaves by header, nested objects one level deep, lists and deeper objects as one leaf', () => {
    const row = { value: 'AETNA', reasons: ['N01'], daysToClear: { p50: 8, byQueue: { coding: 3 } }, claims: null };
    expect([...flatRowOf(row)]).toEqual([
      ['value', 'AETNA'],
      ['reasons', ['N01']],
      ['daysToClear.p50', 8],
      ['daysToClear.byQueue', { coding: 3 }],
      ['claims', null],
    ]);
  });

  it('gives a list of objects one column per object and field, labelled by the object’s first text field or its position', () => {
    const row = {
      value: 'MEDICARE',
      ageBuckets: [
        { bucket: '0-30', minAgeDays: 0, claims: 4, amountCents: 1200 },
        { bucket: '90+', minAgeDays: 91, claims: null, amountCents: null },
      ],
      steps: [{ days: 3 }, { days: 5 }],
    };
    expect([...flatRowOf(row)]).toEqual([
      ['value', 'MEDICARE'],
      ['ageBuckets.0-30.minAgeDays', 0],
      ['ageBuckets.0-30.claims', 4],
      ['ageBuckets.0-30.amountCents', 1200],
      ['ageBuckets.90+.minAgeDays', 91],
      ['ageBuckets.90+.claims', null],
      ['ageBuckets.90+.amountCents', null],
      ['steps.1.days', 3],
      ['steps.2.days', 5],
    ]);
    expect(toCsv(csvColumnsOf([row]), [row])).not.toContain('[object Object]');
  });

  it('keeps the first of two leaves spelt alike', () => {
    expect(flatRowOf({ 'a.b': 1, a: { b: 2 } }).get('a.b')).toBe(1);
    expect(flatRowOf({ a: { b: 2 }, 'a.b': 1 }).get('a.b')).toBe(2);
  });
});

describe('csvColumnsOf over many columns', () => {
  it('reads each row’s fields once, however many columns the table has', () => {
    let reads = 0;
    const counted = (row: Record<string, unknown>) =>
      new Proxy(row, {
        ownKeys(target) {
          reads += 1;
          return Reflect.ownKeys(target);
        },
      });
    const rows = [counted({ a: 1, b: 2, c: 3, d: 4 }), counted({ a: 5, b: 6, c: 7, d: 8 })];
    expect(toCsv(csvColumnsOf(rows), rows)).toBe('"a","b","c","d"\r\n1,2,3,4\r\n5,6,7,8\r\n');
    expect(reads).toBe(rows.length);
  });
});

describe('nextPageLink', () => {
  it('names the same listing with the cursor of the next page in place of this one, its filters kept', () => {
    expect(nextPageLink('/v1/kpis/payments/claims?payer=A%20%26%20B&cursor=page-2&limit=2', 'page-3')).toBe(
      '</v1/kpis/payments/claims?payer=A+%26+B&cursor=page-3&limit=2>; rel="next"',
    );
    expect(nextPageLink('/v1/kpis/pended-queue/work-queue', 'eyJhc09mIjoi')).toBe(
      '</v1/kpis/pended-queue/work-queue?cursor=eyJhc09mIjoi>; rel="next"',
    );
  });
});
