import { parseChronicConditionsQuery, parseOutlierProvidersQuery, parsePmpmQuery } from './volume-cost.query';

describe('parsePmpmQuery', () => {
  it('reads the latest year by claim type when asked nothing', () => {
    expect(parsePmpmQuery({})).toEqual({ year: null, groupBy: 'claim_type', filter: {} });
  });

  it('reads a year and a grouping by month', () => {
    expect(parsePmpmQuery({ year: '2009', groupBy: 'month' })).toEqual({ year: 2009, groupBy: 'month', filter: {} });
  });

  it('takes the claim fields, which narrow the claims counted', () => {
    expect(parsePmpmQuery({ state: 'MD', claimType: 'professional' }).filter).toEqual({
      state: 'MD',
      claimType: 'professional',
    });
  });

  it.each([
    [{ year: '09' }, ['year']],
    [{ year: '2009-01' }, ['year']],
    [{ year: '1899' }, ['year']],
    [{ groupBy: 'member' }, ['groupBy']],
    [{ memberId: 'x' }, ['memberId']],
    // The year is the member KPIs' date range: a service-date range would count claims outside their member months.
    [{ serviceFrom: '2009-01-01' }, ['serviceFrom']],
    [{ payer: '' }, ['payer']],
  ])('refuses %j with REQUEST_INVALID naming %j', (query, fields) => {
    expect(() => parsePmpmQuery(query)).toThrow(
      expect.objectContaining({ response: { code: 'REQUEST_INVALID', fields } }),
    );
  });
});

describe('parseChronicConditionsQuery', () => {
  it('reads an optional year and nothing else', () => {
    expect(parseChronicConditionsQuery({})).toEqual({ year: null, filter: {} });
    expect(parseChronicConditionsQuery({ year: '2010', providerGroup: 'GRP-1' })).toEqual({
      year: 2010,
      filter: { providerGroup: 'GRP-1' },
    });
    expect(() => parseChronicConditionsQuery({ serviceTo: '2010-12-31' })).toThrow(
      expect.objectContaining({ response: { code: 'REQUEST_INVALID', fields: ['serviceTo'] } }),
    );
    expect(() => parseChronicConditionsQuery({ groupBy: 'month' })).toThrow(
      expect.objectContaining({ response: { code: 'REQUEST_INVALID', fields: ['groupBy'] } }),
    );
  });
});

describe('parseOutlierProvidersQuery', () => {
  it('scores cost among providers with 10 claims, |z| of 2 or more, 20 rows, when asked nothing', () => {
    expect(parseOutlierProvidersQuery({})).toEqual({ by: 'cost', minClaims: 10, threshold: 2, limit: 20, filter: {} });
  });

  it('reads the measure, the fewest claims, a decimal threshold and a limit', () => {
    expect(parseOutlierProvidersQuery({ by: 'volume', minClaims: '3', threshold: '1.5', limit: '5' })).toEqual({
      by: 'volume',
      minClaims: 3,
      threshold: 1.5,
      limit: 5,
      filter: {},
    });
  });

  it('takes every claim filter, the service-date range included', () => {
    expect(parseOutlierProvidersQuery({ payer: 'MEDICARE', serviceFrom: '2009-01-01' }).filter).toEqual({
      payer: 'MEDICARE',
      serviceFrom: '2009-01-01',
    });
  });

  it.each([
    [{ by: 'paid' }, ['by']],
    [{ minClaims: '0' }, ['minClaims']],
    [{ minClaims: '-1' }, ['minClaims']],
    [{ threshold: 'two' }, ['threshold']],
    [{ threshold: '11' }, ['threshold']],
    [{ limit: '501' }, ['limit']],
    [{ limit: '1', specialty: 'x' }, ['specialty']],
    [{ serviceFrom: '2009-02-01', serviceTo: '2009-01-01' }, ['serviceTo']],
  ])('refuses %j with REQUEST_INVALID naming %j', (query, fields) => {
    expect(() => parseOutlierProvidersQuery(query)).toThrow(
      expect.objectContaining({ response: { code: 'REQUEST_INVALID', fields } }),
    );
  });
});
