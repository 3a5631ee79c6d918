import { parseProviderAdjustmentsQuery } from './provider-adjustments.query';

describe('parseProviderAdjustmentsQuery', () => {
  it('groups by reason over all dates when asked nothing', () => {
    expect(parseProviderAdjustmentsQuery({})).toEqual({ from: null, to: null, groupBy: 'reason' });
  });

  it('reads a date range and a grouping', () => {
    expect(parseProviderAdjustmentsQuery({ from: '2024-01-01', to: '2024-01-31', groupBy: 'month' })).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
      groupBy: 'month',
    });
  });

  it.each([
    [{ groupBy: 'claim' }, ['groupBy']],
    [{ from: '2024-02-30' }, ['from']],
    [{ from: '2024-02-02', to: '2024-02-01' }, ['from']],
    [{ payer: 'ACME' }, ['payer']],
  ])('refuses %j with REQUEST_INVALID naming %j', (query, fields) => {
    expect(() => parseProviderAdjustmentsQuery(query)).toThrow(
      expect.objectContaining({ response: { code: 'REQUEST_INVALID', fields } }),
    );
  });
});
