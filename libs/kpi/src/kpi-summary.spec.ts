import { claimContribution, parseCounterKey } from './claim-contribution';
import { centsToDecimal, summarizeKpiCounters, type KpiCounterRow } from './kpi-summary';
import { fixtureEnrichedEvent } from '@claims/harness';

describe('centsToDecimal', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [99, '0.99'],
    [100, '1.00'],
    [123450, '1234.50'],
    [2282000, '22820.00'],
    [-5, '-0.05'],
    [-99, '-0.99'],
    [-123456, '-1234.56'],
  ])('writes %p cents as %p', (cents, decimal) => {
    expect(centsToDecimal(cents)).toBe(decimal);
  });
});

describe('summarizeKpiCounters', () => {
  const rows: KpiCounterRow[] = [
    { kpi: 'claims_received', dimension: '', value: '3' },
    { kpi: 'lines_received', dimension: '', value: 10n },
    { kpi: 'lines_by_processing_category', dimension: 'not_allowed', value: 3 },
    { kpi: 'lines_by_processing_category', dimension: 'allowed', value: '5' },
    { kpi: 'lines_by_processing_category', dimension: 'msp_cob', value: 2 },
    { kpi: 'lines_by_processing_indicator', dimension: 'O', value: 3 },
    { kpi: 'lines_by_processing_indicator', dimension: 'A', value: 5 },
    { kpi: 'lines_by_processing_indicator', dimension: 'S', value: 2 },
    { kpi: 'lines_by_processing_indicator', dimension: 'C', value: 0 },
    { kpi: 'line_payment_amount_cents', dimension: '', value: '123450' },
    { kpi: 'line_allowed_amount_cents', dimension: '', value: 99n },
  ];
  const summary = summarizeKpiCounters(rows);

  it('reads counts given as strings, numbers or bigints', () => {
    expect(summary.claimsReceived).toBe(3);
    expect(summary.linesReceived).toBe(10);
  });

  it('counts every line that is not allowed, MSP/COB included, as not allowed', () => {
    expect(summary.linesAllowed).toBe(5);
    expect(summary.linesNotAllowed).toBe(5);
  });

  it('splits the lines not allowed into denied, cost-avoided (MSP/COB), reprocessed and unknown', () => {
    expect(summary.linesDenied).toBe(3);
    expect(summary.linesCostAvoidedMspCob).toBe(2);
    expect(summary.linesReprocessed).toBe(0);
    expect(summary.linesProcessingUnknown).toBe(0);
    expect(
      summary.linesDenied + summary.linesCostAvoidedMspCob + summary.linesReprocessed + summary.linesProcessingUnknown,
    ).toBe(summary.linesNotAllowed);
  });

  it('lists the category and indicator breakdowns sorted by dimension, without zero rows', () => {
    expect(summary.linesByProcessingCategory).toEqual({ allowed: 5, msp_cob: 2, not_allowed: 3 });
    expect(Object.keys(summary.linesByProcessingCategory)).toEqual(['allowed', 'msp_cob', 'not_allowed']);
    expect(Object.keys(summary.linesByProcessingIndicator)).toEqual(['A', 'O', 'S']);
  });

  it('gives amounts both as cents and as exact dollar strings', () => {
    expect(summary.medicarePaymentAmountCents).toBe(123450);
    expect(summary.medicarePaymentAmount).toBe('1234.50');
    expect(summary.allowedAmountCents).toBe(99);
    expect(summary.allowedAmount).toBe('0.99');
  });

  it('reports zeros for no counters at all', () => {
    expect(summarizeKpiCounters([])).toEqual({
      claimsReceived: 0,
      linesReceived: 0,
      linesAllowed: 0,
      linesNotAllowed: 0,
      linesDenied: 0,
      linesCostAvoidedMspCob: 0,
      linesReprocessed: 0,
      linesProcessingUnknown: 0,
      linesByProcessingCategory: {},
      linesByProcessingIndicator: {},
      medicarePaymentAmount: '0.00',
      medicarePaymentAmountCents: 0,
      allowedAmount: '0.00',
      allowedAmountCents: 0,
    });
  });

  it('shows a net negative payment with a leading minus sign', () => {
    const negative = summarizeKpiCounters([{ kpi: 'line_payment_amount_cents', dimension: '', value: '-2050' }]);
    expect(negative.medicarePaymentAmountCents).toBe(-2050);
    expect(negative.medicarePaymentAmount).toBe('-20.50');
  });

  it("summarizes a claim's own contribution, turned into counter rows", () => {
    const event = fixtureEnrichedEvent('A1', [
      { indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 },
      { indicator: 'R', category: 'reprocessed', paymentCents: -1500, allowedCents: 0 },
      { indicator: null, category: 'unknown', paymentCents: 0, allowedCents: 250 },
    ]);
    const counterRows = Object.entries(claimContribution(event)).map(([key, value]) => ({
      ...parseCounterKey(key),
      value,
    }));
    expect(summarizeKpiCounters(counterRows)).toEqual({
      claimsReceived: 1,
      linesReceived: 3,
      linesAllowed: 1,
      linesNotAllowed: 2,
      linesDenied: 0,
      linesCostAvoidedMspCob: 0,
      linesReprocessed: 1,
      linesProcessingUnknown: 1,
      linesByProcessingCategory: { allowed: 1, reprocessed: 1, unknown: 1 },
      linesByProcessingIndicator: { '(blank)': 1, A: 1, R: 1 },
      medicarePaymentAmount: '75.00',
      medicarePaymentAmountCents: 7500,
      allowedAmount: '112.50',
      allowedAmountCents: 11250,
    });
  });
});
