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
  it('opens a cell by source and any of payer, claim type, month and provider group, every adjudicated claim by default', () => {
    expect(parseDenialClaimsQuery({ source: 'billing_export', payer: 'AETNA', month: '2024-03' })).toEqual({
      source: 'billing_export',
      filters: { payer: 'AETNA', claimType: null, month: '2024-03', providerGroup: null },
      deniedOnly: false,
      limit: 50,
      afterClaimId: null,
    });
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
  ])('refuses %s, naming the field', (_, query, fields) => {
    expect(fieldsOf(query)).toEqual(fields);
  });

  it('pages on from the cursor of the same cell, and refuses it for another cell', () => {
    const first = parseDenialClaimsQuery({ source: 'carrier_lines', payer: 'MEDICARE' });
    const cursor = encodeDenialClaimsCursor(first, 'C-0042');
    expect(parseDenialClaimsQuery({ source: 'carrier_lines', payer: 'MEDICARE', cursor }).afterClaimId).toBe('C-0042');
    expect(fieldsOf({ source: 'carrier_lines', payer: 'AETNA', cursor })).toEqual(['cursor']);
    expect(fieldsOf({ source: 'carrier_lines', payer: 'MEDICARE', denied: 'true', cursor })).toEqual(['cursor']);
  });
});
