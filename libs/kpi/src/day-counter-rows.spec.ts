import { KPI, contributionOfClaimLines, counterKey, type KpiLine } from './claim-contribution';
import { DAY_COUNTER_LAYOUT, DAY_COUNTER_MEASURES, dayCounterRows } from './day-counter-rows';

const line = (
  processingCategory: KpiLine['processingCategory'],
  processingIndicatorCode: string | null,
  paid: number,
  allowed: number,
): KpiLine => ({
  processingCategory,
  processingIndicatorCode,
  paymentAmountCents: paid,
  allowedAmountCents: allowed,
});

describe('dayCounterRows', () => {
  it('places every first-family KPI in a measure column of one of three row kinds', () => {
    expect(Object.keys(DAY_COUNTER_LAYOUT).sort()).toEqual(Object.values(KPI).sort());
    for (const { measure } of Object.values(DAY_COUNTER_LAYOUT)) expect(DAY_COUNTER_MEASURES).toContain(measure);
  });

  it('folds a claim-day’s counters into a row without a dimension, one per processing category and one per indicator', () => {
    const counters = contributionOfClaimLines([line('allowed', 'A', 1000, 1200), line('allowed', null, 500, 700)]);
    expect(Object.keys(counters)).toHaveLength(9);
    expect(dayCounterRows(new Map([['2024-01-04', { counters }]]))).toEqual([
      { dimension: '', dimensionValue: '', eventDay: '2024-01-04', measures: [1, 2, 1500, 1900] },
      {
        dimension: 'processing_category',
        dimensionValue: 'allowed',
        eventDay: '2024-01-04',
        measures: [0, 2, 1500, 1900],
      },
      { dimension: 'processing_indicator', dimensionValue: 'A', eventDay: '2024-01-04', measures: [0, 1, 0, 0] },
      { dimension: 'processing_indicator', dimensionValue: '(blank)', eventDay: '2024-01-04', measures: [0, 1, 0, 0] },
    ]);
  });

  it('keeps days apart, in ascending order, and carries negative deltas of a correction as they are', () => {
    const rows = dayCounterRows(
      new Map([
        ['2024-02-01', { counters: { [counterKey(KPI.claimsReceived)]: 1 } }],
        ['2024-01-15', { counters: { [counterKey(KPI.claimsReceived)]: -1, [counterKey(KPI.linesReceived)]: -3 } }],
      ]),
    );
    expect(rows).toEqual([
      { dimension: '', dimensionValue: '', eventDay: '2024-01-15', measures: [-1, -3, 0, 0] },
      { dimension: '', dimensionValue: '', eventDay: '2024-02-01', measures: [1, 0, 0, 0] },
    ]);
  });

  it('writes no row for a day whose counters net to zero', () => {
    expect(dayCounterRows(new Map([['2024-01-04', { counters: { [counterKey(KPI.claimsReceived)]: 0 } }]]))).toEqual(
      [],
    );
  });

  it('refuses a counter of a KPI it has no column for, rather than leave it out of the day-keyed counts', () => {
    expect(() => dayCounterRows(new Map([['2024-01-04', { counters: { 'claims_on_the_moon|': 1 } }]]))).toThrow(
      /no day-counter column for the KPI "claims_on_the_moon"/,
    );
  });
});
