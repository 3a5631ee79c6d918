import { encodeDenialClaimsCursor, parseDenialClaimsQuery } from './denial-claims.query';

const fieldsOf = (query: Record<string, string>): unknown => {
  try {
    parseDenialClaimsQuery(query);
    return null;
  } catch (error) {
    return (error as { getResponse(): { fields: string[] } }).getResponse().fields;
  }
};

describe('the denial drill-down query', () => {
  it('opens a cell by source, month and any of the claim filters, every adjudicated claim by default', () => {
    expect(parseDenialClaimsQuery({ source: 'billing_export', payer: 'AETNA', month: '2024-03' })).toEqual({
      source: 'billing_export',
      month: '2024-03',
      filter: { payer: 'AETNA' },
      deniedOnly: false,
      limit: 50,
      afterClaimId: null,
    });
  });

  it('takes the whole claim filter vocabulary of the denial figures, in the one field order', () => {
    const query = parseDenialClaimsQuery({
      source: 'remittance',
      serviceTo: '2024-03-31',
      serviceFrom: '2024-03-01',
      claimType: 'professional',
      state: 'MD',
      renderingProvider: '1234567893',
      providerGroup: 'TIN-9',
      payer: 'ACME',
    });
    expect(query.month).toBeNull();
    expect(Object.entries(query.filter)).toEqual([
      ['payer', 'ACME'],
      ['providerGroup', 'TIN-9'],
      ['renderingProvider', '1234567893'],
      ['state', 'MD'],
      ['claimType', 'professional'],
      ['serviceFrom', '2024-03-01'],
      ['serviceTo', '2024-03-31'],
    ]);
  });

  it('narrows to claims with a denied unit when denied=true', () => {
    expect(parseDenialClaimsQuery({ source: 'remittance', denied: 'true' }).deniedOnly).toBe(true);
  });

  it.each([
    ['no source', {}, ['source']],
    ['an unknown source', { source: 'ledger' }, ['source']],
    ['a month that is no month', { source: 'remittance', month: '2024-13' }, ['month']],
    ['a limit past 500', { source: 'remittance', limit: '501' }, ['limit']],
    ['an unknown parameter', { source: 'remittance', groupBy: 'payer' }, ['groupBy']],
    ['a cursor that is not one', { source: 'remittance', cursor: 'not-a-cursor' }, ['cursor']],
    ['an empty filter value', { source: 'remittance', state: '' }, ['state']],
    ['a service date the calendar lacks', { source: 'remittance', serviceFrom: '2024-02-30' }, ['serviceFrom']],
    [
      'a service-date range that ends before it starts',
      { source: 'remittance', serviceFrom: '2024-03-02', serviceTo: '2024-03-01' },
      ['serviceTo'],
    ],
    ['a pended-queue filter', { source: 'remittance', reason: 'NPI_INVALID' }, ['reason']],
  ])('refuses %s, naming the field', (_, query, fields) => {
    expect(fieldsOf(query)).toEqual(fields);
  });

  it('pages on from the cursor of the same cell, and refuses it for another cell', () => {
    const first = parseDenialClaimsQuery({ source: 'carrier_lines', payer: 'MEDICARE' });
    const cursor = encodeDenialClaimsCursor(first, 'C-0042');
    expect(parseDenialClaimsQuery({ source: 'carrier_lines', payer: 'MEDICARE', cursor }).afterClaimId).toBe('C-0042');
    expect(fieldsOf({ source: 'carrier_lines', payer: 'AETNA', cursor })).toEqual(['cursor']);
    expect(fieldsOf({ source: 'carrier_lines', payer: 'MEDICARE', denied: 'true', cursor })).toEqual(['cursor']);
    expect(fieldsOf({ source: 'remittance', payer: 'MEDICARE', cursor })).toEqual(['cursor']);
    expect(fieldsOf({ source: 'carrier_lines', payer: 'MEDICARE', state: 'MD', cursor })).toEqual(['cursor']);
    expect(fieldsOf({ source: 'carrier_lines', payer: 'MEDICARE', month: '2024-03', cursor })).toEqual(['cursor']);
  });
});
