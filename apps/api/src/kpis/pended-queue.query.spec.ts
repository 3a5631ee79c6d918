import { BadRequestException } from '@nestjs/common';
import {
  decodeWorkQueueCursor,
  encodeWorkQueueCursor,
  parsePendFlowQuery,
  parsePendedQueueQuery,
  parseWorkQueueQuery,
} from './pended-queue.query';

const refusedFields = (parse: () => unknown): string[] => {
  try {
    parse();
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { fields: string[] }).fields;
    throw error;
  }
  throw new Error('expected a 400');
};

const everyFilter = {
  payer: 'MEDICARE',
  providerGroup: 'TIN-1',
  renderingProvider: '1234567893',
  state: 'MD',
  claimType: 'professional',
  reason: 'PROVIDER_NOT_FOUND',
  queue: 'provider-data',
};

describe('parsePendedQueueQuery', () => {
  it('defaults to the watermark, grouping by reason', () => {
    expect(parsePendedQueueQuery({})).toEqual({ asOf: null, groupBy: 'reason', limit: 100, filter: {} });
    expect(parsePendedQueueQuery({ asOf: '2024-02-29', groupBy: 'rendering_provider', limit: '5' })).toEqual({
      asOf: '2024-02-29',
      groupBy: 'rendering_provider',
      limit: 5,
      filter: {},
    });
  });

  it('refuses a date that is not a calendar date, an unknown dimension and an unknown parameter, naming each', () => {
    expect(refusedFields(() => parsePendedQueueQuery({ asOf: '2023-02-29' }))).toEqual(['asOf']);
    expect(refusedFields(() => parsePendedQueueQuery({ asOf: '20240301' }))).toEqual(['asOf']);
    expect(refusedFields(() => parsePendedQueueQuery({ groupBy: 'member' }))).toEqual(['groupBy']);
    expect(refusedFields(() => parsePendedQueueQuery({ group_by: 'payer' }))).toEqual(['group_by']);
    expect(refusedFields(() => parsePendedQueueQuery({ asOf: ['2024-03-01', '2024-03-02'] }))).toEqual(['asOf']);
    expect(refusedFields(() => parsePendedQueueQuery({ limit: '0' }))).toEqual(['limit']);
  });

  it('takes each filter of the shared vocabulary as one exact value, alongside asOf and groupBy', () => {
    expect(parsePendedQueueQuery({ ...everyFilter, groupBy: 'payer' })).toEqual({
      asOf: null,
      groupBy: 'payer',
      limit: 100,
      filter: everyFilter,
    });
    expect(parsePendedQueueQuery({ reason: "x'); DROP TABLE claim_pend; --" }).filter).toEqual({
      reason: "x'); DROP TABLE claim_pend; --",
    });
  });

  it('refuses an empty, repeated or over-long filter value and a misspelt filter, naming each', () => {
    expect(refusedFields(() => parsePendedQueueQuery({ payer: '' }))).toEqual(['payer']);
    expect(refusedFields(() => parsePendedQueueQuery({ state: ['MD', 'VA'] }))).toEqual(['state']);
    expect(refusedFields(() => parsePendedQueueQuery({ queue: 'q'.repeat(129) }))).toEqual(['queue']);
    expect(parsePendedQueueQuery({ queue: 'q'.repeat(128) }).filter).toEqual({ queue: 'q'.repeat(128) });
    expect(refusedFields(() => parsePendedQueueQuery({ provider_group: 'TIN-1' }))).toEqual(['provider_group']);
    expect(refusedFields(() => parsePendedQueueQuery({ renderingNpi: '1234567893' }))).toEqual(['renderingNpi']);
  });
});

describe('parsePendFlowQuery', () => {
  it('takes an inclusive range, either end optional', () => {
    expect(parsePendFlowQuery({ from: '2024-03-01', to: '2024-03-01' })).toEqual({
      from: '2024-03-01',
      to: '2024-03-01',
      filter: {},
    });
    expect(parsePendFlowQuery({})).toEqual({ from: null, to: null, filter: {} });
  });

  it('refuses a range that ends before it starts or spans more than ten years', () => {
    expect(refusedFields(() => parsePendFlowQuery({ from: '2024-03-02', to: '2024-03-01' }))).toEqual(['from']);
    expect(refusedFields(() => parsePendFlowQuery({ from: '2000-01-01', to: '2024-03-01' }))).toEqual(['to']);
  });

  it('takes the same filters as the summary and refuses an unknown parameter', () => {
    expect(parsePendFlowQuery({ from: '2024-03-01', payer: 'ACME', reason: '(none)' })).toEqual({
      from: '2024-03-01',
      to: null,
      filter: { payer: 'ACME', reason: '(none)' },
    });
    expect(refusedFields(() => parsePendFlowQuery({ asOf: '2024-03-01' }))).toEqual(['asOf']);
    expect(refusedFields(() => parsePendFlowQuery({ claimType: 'c'.repeat(129) }))).toEqual(['claimType']);
  });
});

describe('parseWorkQueueQuery', () => {
  const cursor = encodeWorkQueueCursor({
    asOf: '2024-03-31',
    sort: 'age',
    filter: {},
    ageDays: { min: null, max: null },
    after: { key: '2024-03-01', claimId: 'c|7' },
  });
  const filteredByAmount = encodeWorkQueueCursor({
    asOf: '2024-03-31',
    sort: 'amount',
    filter: { payer: 'MEDICARE', reason: 'NPI_INVALID' },
    ageDays: { min: null, max: null },
    after: { key: '12345', claimId: 'c|8' },
  });

  it('round-trips a cursor and pages on as of the date the cursor was made', () => {
    expect(decodeWorkQueueCursor(cursor)).toEqual({
      asOf: '2024-03-31',
      sort: 'age',
      filter: {},
      ageDays: { min: null, max: null },
      after: { key: '2024-03-01', claimId: 'c|7' },
    });
    expect(parseWorkQueueQuery({ cursor, limit: '10' })).toEqual({
      asOf: '2024-03-31',
      limit: 10,
      sort: 'age',
      filter: {},
      ageDays: { min: null, max: null },
      after: { key: '2024-03-01', claimId: 'c|7' },
    });
    expect(parseWorkQueueQuery({})).toEqual({
      asOf: null,
      limit: 50,
      sort: 'age',
      filter: {},
      ageDays: { min: null, max: null },
      after: null,
    });
  });

  it('round-trips a cursor carrying the amount sort and the filters, paging on when the request repeats them', () => {
    expect(decodeWorkQueueCursor(filteredByAmount)).toEqual({
      asOf: '2024-03-31',
      sort: 'amount',
      filter: { payer: 'MEDICARE', reason: 'NPI_INVALID' },
      ageDays: { min: null, max: null },
      after: { key: '12345', claimId: 'c|8' },
    });
    expect(
      parseWorkQueueQuery({ cursor: filteredByAmount, sort: 'amount', reason: 'NPI_INVALID', payer: 'MEDICARE' }),
    ).toEqual({
      asOf: '2024-03-31',
      limit: 50,
      sort: 'amount',
      filter: { payer: 'MEDICARE', reason: 'NPI_INVALID' },
      ageDays: { min: null, max: null },
      after: { key: '12345', claimId: 'c|8' },
    });
    // The longest cursor: every filter at its longest, each character one JSON escapes to six.
    const longest = Object.fromEntries(Object.keys(everyFilter).map((field) => [field, '\u0001'.repeat(128)]));
    const longestCursor = encodeWorkQueueCursor({
      asOf: '2024-03-31',
      sort: 'age',
      filter: longest,
      ageDays: { min: 36_600, max: 36_600 },
      after: { key: '2024-03-01', claimId: '\u0001'.repeat(512) },
    });
    expect(
      parseWorkQueueQuery({ cursor: longestCursor, ...longest, minAgeDays: '36600', maxAgeDays: '36600' }).filter,
    ).toEqual(longest);
  });

  it('reads back the cursor of a page ending on a claim id past 512 characters, as the layouts let through', () => {
    // The default layout bounds a field at 1,024 characters; the pended-queue export at 32,768.
    const claimId = `C-${'9'.repeat(1022)}`;
    const longClaim = encodeWorkQueueCursor({
      asOf: '2024-03-31',
      sort: 'age',
      filter: {},
      ageDays: { min: null, max: null },
      after: { key: '2024-03-01', claimId },
    });
    expect(parseWorkQueueQuery({ cursor: longClaim }).after).toEqual({ key: '2024-03-01', claimId });
  });

  it('takes an age range in whole days, carries it in the cursor, and refuses an inverted or different one', () => {
    expect(parseWorkQueueQuery({ minAgeDays: '31', maxAgeDays: '60' }).ageDays).toEqual({ min: 31, max: 60 });
    expect(parseWorkQueueQuery({ minAgeDays: '91' }).ageDays).toEqual({ min: 91, max: null });
    expect(refusedFields(() => parseWorkQueueQuery({ minAgeDays: '61', maxAgeDays: '60' }))).toEqual(['minAgeDays']);
    expect(refusedFields(() => parseWorkQueueQuery({ maxAgeDays: '-1' }))).toEqual(['maxAgeDays']);
    const aged = encodeWorkQueueCursor({
      asOf: '2024-03-31',
      sort: 'age',
      filter: {},
      ageDays: { min: 31, max: 60 },
      after: { key: '2024-02-15', claimId: 'c|9' },
    });
    expect(parseWorkQueueQuery({ cursor: aged, minAgeDays: '31', maxAgeDays: '60' })).toMatchObject({
      ageDays: { min: 31, max: 60 },
      after: { key: '2024-02-15', claimId: 'c|9' },
    });
    expect(refusedFields(() => parseWorkQueueQuery({ cursor: aged, minAgeDays: '31' }))).toEqual([
      'cursor',
      'maxAgeDays',
    ]);
  });

  it('takes sort=age or sort=amount, age by default, and refuses any other', () => {
    expect(parseWorkQueueQuery({ sort: 'amount', state: 'MD' })).toMatchObject({
      sort: 'amount',
      filter: { state: 'MD' },
    });
    expect(refusedFields(() => parseWorkQueueQuery({ sort: 'dollars' }))).toEqual(['sort']);
    expect(refusedFields(() => parseWorkQueueQuery({ order: 'amount' }))).toEqual(['order']);
  });

  it('refuses a tampered cursor, or one made as of another date', () => {
    expect(refusedFields(() => parseWorkQueueQuery({ cursor: 'not-a-cursor' }))).toEqual(['cursor']);
    expect(refusedFields(() => parseWorkQueueQuery({ cursor, asOf: '2024-04-01' }))).toEqual(['cursor', 'asOf']);
    expect(refusedFields(() => parseWorkQueueQuery({ limit: '501' }))).toEqual(['limit']);
    const forged = Buffer.from(
      JSON.stringify({ asOf: '2024-03-31', sort: 'amount', filter: {}, after: { key: '1 OR 1=1', claimId: 'c' } }),
    ).toString('base64url');
    expect(refusedFields(() => parseWorkQueueQuery({ cursor: forged, sort: 'amount' }))).toEqual(['cursor']);
    const unknownFilter = Buffer.from(
      JSON.stringify({
        asOf: '2024-03-31',
        sort: 'age',
        filter: { member: 'M1' },
        after: { key: '2024-03-01', claimId: 'c' },
      }),
    ).toString('base64url');
    expect(refusedFields(() => parseWorkQueueQuery({ cursor: unknownFilter }))).toEqual(['cursor']);
  });

  it('refuses a cursor whose key Postgres cannot read: an amount past the bigint range, a NUL in the claim id', () => {
    const amountCursor = (key: string): string =>
      Buffer.from(
        JSON.stringify({ asOf: '2024-03-31', sort: 'amount', filter: {}, after: { key, claimId: 'c' } }),
      ).toString('base64url');
    expect(
      refusedFields(() => parseWorkQueueQuery({ cursor: amountCursor('9223372036854775808'), sort: 'amount' })),
    ).toEqual(['cursor']);
    expect(
      refusedFields(() => parseWorkQueueQuery({ cursor: amountCursor('-9223372036854775809'), sort: 'amount' })),
    ).toEqual(['cursor']);
    expect(decodeWorkQueueCursor(amountCursor('9223372036854775807'))?.after.key).toBe('9223372036854775807');
    expect(decodeWorkQueueCursor(amountCursor('-9223372036854775808'))?.after.key).toBe('-9223372036854775808');
    const nulClaim = Buffer.from(
      JSON.stringify({
        asOf: '2024-03-31',
        sort: 'age',
        filter: {},
        after: { key: '2024-03-01', claimId: 'a\u0000b' },
      }),
    ).toString('base64url');
    expect(decodeWorkQueueCursor(nulClaim)).toBeNull();
  });

  it('refuses a filter value holding a NUL character, which no stored value holds', () => {
    expect(refusedFields(() => parseWorkQueueQuery({ payer: 'MEDI\u0000CARE' }))).toEqual(['payer']);
    expect(refusedFields(() => parsePendedQueueQuery({ queue: '\u0000' }))).toEqual(['queue']);
  });

  it('refuses a cursor used with another sort or other filters, naming the cursor and what differs', () => {
    expect(refusedFields(() => parseWorkQueueQuery({ cursor, sort: 'amount' }))).toEqual(['cursor', 'sort']);
    expect(refusedFields(() => parseWorkQueueQuery({ cursor, payer: 'MEDICARE' }))).toEqual(['cursor', 'payer']);
    expect(
      refusedFields(() => parseWorkQueueQuery({ cursor: filteredByAmount, payer: 'MEDICARE', reason: 'NPI_INVALID' })),
    ).toEqual(['cursor', 'sort']);
    expect(
      refusedFields(() =>
        parseWorkQueueQuery({ cursor: filteredByAmount, sort: 'amount', payer: 'ACME', reason: 'NPI_INVALID' }),
      ),
    ).toEqual(['cursor', 'payer']);
    expect(
      refusedFields(() => parseWorkQueueQuery({ cursor: filteredByAmount, sort: 'amount', payer: 'MEDICARE' })),
    ).toEqual(['cursor', 'reason']);
    expect(
      refusedFields(() =>
        parseWorkQueueQuery({
          cursor: filteredByAmount,
          sort: 'amount',
          payer: 'MEDICARE',
          reason: 'NPI_INVALID',
          queue: 'q',
        }),
      ),
    ).toEqual(['cursor', 'queue']);
  });

  it('pages on from a cursor handed out before the filters, as the unfiltered oldest-first queue', () => {
    const legacy = Buffer.from(JSON.stringify(['2024-03-31', '2024-03-01', 'c|7']), 'utf8').toString('base64url');
    expect(parseWorkQueueQuery({ cursor: legacy })).toEqual({
      asOf: '2024-03-31',
      limit: 50,
      sort: 'age',
      filter: {},
      ageDays: { min: null, max: null },
      after: { key: '2024-03-01', claimId: 'c|7' },
    });
  });
});
