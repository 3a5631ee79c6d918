import { BadRequestException } from '@nestjs/common';
import { parseKpiReportQuery } from './kpi-report.query';

const refusal = (query: Record<string, string>): unknown => {
  try {
    parseKpiReportQuery(query);
  } catch (error) {
    return error instanceof BadRequestException ? error.getResponse() : error;
  }
  return null;
};

describe('the report query', () => {
  it('defaults every filter to the route defaults (null)', () => {
    expect(parseKpiReportQuery({})).toEqual({ from: null, to: null, asOf: null });
  });

  it('takes the dashboard filters: a date range and an as-of date', () => {
    expect(parseKpiReportQuery({ from: '2024-01-01', to: '2024-01-31', asOf: '2024-02-15' })).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
      asOf: '2024-02-15',
    });
  });

  it.each([
    [{ from: '2024-02-30' }, ['from']],
    [{ from: '01/02/2024' }, ['from']],
    [{ from: '2024-03-01', to: '2024-02-01' }, ['from']],
    [{ from: '2000-01-01', to: '2024-01-01' }, ['to']],
    [{ asOf: 'today' }, ['asOf']],
    [{ payer: 'ACME' }, ['payer']],
  ])('refuses %j naming %j', (query, fields) => {
    expect(refusal(query)).toEqual({ code: 'REQUEST_INVALID', fields });
  });
});
