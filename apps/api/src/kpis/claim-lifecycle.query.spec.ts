import { BadRequestException } from '@nestjs/common';
import { parseClaimLifecycleQuery } from './claim-lifecycle.query';

const refusedFields = (query: unknown): string[] => {
  try {
    parseClaimLifecycleQuery(query);
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { fields: string[] }).fields;
    throw error;
  }
  throw new Error('expected a 400');
};

describe('parseClaimLifecycleQuery', () => {
  it('leaves every filter open unless told otherwise', () => {
    expect(parseClaimLifecycleQuery({})).toEqual({ from: null, to: null, payer: null });
    expect(parseClaimLifecycleQuery({ from: '2024-01-01', to: '2024-03-31', payer: 'TRICARE' })).toEqual({
      from: '2024-01-01',
      to: '2024-03-31',
      payer: 'TRICARE',
    });
  });

  it('refuses a date that is not a calendar date, a range that ends before it starts and an unknown parameter', () => {
    expect(refusedFields({ from: '2024-02-30' })).toEqual(['from']);
    expect(refusedFields({ from: '2024-03-01', to: '2024-02-01' })).toEqual(['from']);
    expect(refusedFields({ groupBy: 'payer' })).toEqual(['groupBy']);
    expect(refusedFields({ payer: '' })).toEqual(['payer']);
  });
});
