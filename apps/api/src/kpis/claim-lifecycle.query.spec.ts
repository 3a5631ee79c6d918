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
    expect(parseClaimLifecycleQuery({})).toEqual({ from: null, to: null, payer: null, filter: {} });
    expect(parseClaimLifecycleQuery({ from: '2024-01-01', to: '2024-03-31', payer: 'TRICARE' })).toEqual({
      from: '2024-01-01',
      to: '2024-03-31',
      payer: 'TRICARE',
      filter: {},
    });
  });

  it('takes the claim filters beside the 837 payer, in the one field order', () => {
    expect(
      parseClaimLifecycleQuery({
        serviceTo: '2024-06-30',
        claimType: 'professional',
        state: 'MD',
        renderingProvider: '1234567893',
        providerGroup: 'GRP-1',
        serviceFrom: '2024-01-01',
      }).filter,
    ).toEqual({
      providerGroup: 'GRP-1',
      renderingProvider: '1234567893',
      state: 'MD',
      claimType: 'professional',
      serviceFrom: '2024-01-01',
      serviceTo: '2024-06-30',
    });
  });

  it('refuses a date that is not a calendar date, a range that ends before it starts and an unknown parameter', () => {
    expect(refusedFields({ from: '2024-02-30' })).toEqual(['from']);
    expect(refusedFields({ from: '2024-03-01', to: '2024-02-01' })).toEqual(['from']);
    expect(refusedFields({ groupBy: 'payer' })).toEqual(['groupBy']);
    expect(refusedFields({ payer: '' })).toEqual(['payer']);
    expect(refusedFields({ providerGroup: '' })).toEqual(['providerGroup']);
    expect(refusedFields({ serviceFrom: '2024-03-01', serviceTo: '2024-02-01' })).toEqual(['serviceTo']);
    expect(refusedFields({ reason: 'N-001' })).toEqual(['reason']);
  });
});
