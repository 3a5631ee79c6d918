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

describe('parsePendedQueueQuery', () => {
  it('defaults to the watermark, grouping by reason', () => {
    expect(parsePendedQueueQuery({})).toEqual({ asOf: null, groupBy: 'reason', limit: 100 });
    expect(parsePendedQueueQuery({ asOf: '2024-02-29', groupBy: 'rendering_provider', limit: '5' })).toEqual({
      asOf: '2024-02-29',
      groupBy: 'rendering_provider',
      limit: 5,
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
});

describe('parsePendFlowQuery', () => {
  it('takes an inclusive range, either end optional', () => {
    expect(parsePendFlowQuery({ from: '2024-03-01', to: '2024-03-01' })).toEqual({
      from: '2024-03-01',
      to: '2024-03-01',
    });
    expect(parsePendFlowQuery({})).toEqual({ from: null, to: null });
  });

  it('refuses a range that ends before it starts or spans more than ten years', () => {
    expect(refusedFields(() => parsePendFlowQuery({ from: '2024-03-02', to: '2024-03-01' }))).toEqual(['from']);
    expect(refusedFields(() => parsePendFlowQuery({ from: '2000-01-01', to: '2024-03-01' }))).toEqual(['to']);
  });
});

describe('parseWorkQueueQuery', () => {
  const cursor = encodeWorkQueueCursor({ asOf: '2024-03-31', pendedOn: '2024-03-01', claimId: 'c|7' });

  it('round-trips a cursor and pages on as of the date the cursor was made', () => {
    expect(decodeWorkQueueCursor(cursor)).toEqual({ asOf: '2024-03-31', pendedOn: '2024-03-01', claimId: 'c|7' });
    expect(parseWorkQueueQuery({ cursor, limit: '10' })).toEqual({
      asOf: '2024-03-31',
      limit: 10,
      after: { pendedOn: '2024-03-01', claimId: 'c|7' },
    });
    expect(parseWorkQueueQuery({})).toEqual({ asOf: null, limit: 50, after: null });
  });

  it('refuses a tampered cursor, or one made as of another date', () => {
    expect(refusedFields(() => parseWorkQueueQuery({ cursor: 'not-a-cursor' }))).toEqual(['cursor']);
    expect(refusedFields(() => parseWorkQueueQuery({ cursor, asOf: '2024-04-01' }))).toEqual(['cursor', 'asOf']);
    expect(refusedFields(() => parseWorkQueueQuery({ limit: '501' }))).toEqual(['limit']);
  });
});
