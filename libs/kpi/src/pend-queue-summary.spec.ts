import { comparePendHistogram } from './batch-sql';
import { PEND_DAILY_FLOW_SQL, PEND_OPEN_BY_DIMENSION_SQL, type PendOpenRow } from './pend-queue-sql';
import { daysToClearFigures, openPendFigures } from './pend-queue-summary';

describe('openPendFigures', () => {
  it('turns a row of the open-by-dimension SQL into counts, buckets and ages', () => {
    const row: PendOpenRow = {
      dimension_value: '',
      claims: '4',
      amount_cents: '10000',
      age_days_total: '130',
      oldest_age_days: 95,
      claims_bucket_0: '2',
      amount_cents_bucket_0: '4000',
      claims_bucket_1: '1',
      amount_cents_bucket_1: '1000',
      claims_bucket_2: '0',
      amount_cents_bucket_2: '0',
      claims_bucket_3: '1',
      amount_cents_bucket_3: '5000',
    };
    expect(openPendFigures(row)).toEqual({
      claims: 4,
      amountCents: 10000,
      ageBuckets: [
        { bucket: '0-30', minAgeDays: 0, maxAgeDays: 30, claims: 2, amountCents: 4000 },
        { bucket: '31-60', minAgeDays: 31, maxAgeDays: 60, claims: 1, amountCents: 1000 },
        { bucket: '61-90', minAgeDays: 61, maxAgeDays: 90, claims: 0, amountCents: 0 },
        { bucket: '90+', minAgeDays: 91, maxAgeDays: null, claims: 1, amountCents: 5000 },
      ],
      averageAgeDays: 32.5,
      oldestAgeDays: 95,
    });
  });

  it('reports zeros and no ages when nothing is open', () => {
    const figures = openPendFigures(undefined);
    expect(figures).toMatchObject({ claims: 0, amountCents: 0, averageAgeDays: null, oldestAgeDays: null });
    expect(figures.ageBuckets.map((bucket) => bucket.claims)).toEqual([0, 0, 0, 0]);
  });
});

describe('daysToClearFigures', () => {
  it('reads p50, p90 and the SLA share from the days-to-clear rows', () => {
    const rows = [
      { days: 0, claims: '1' },
      { days: 10, claims: '2' },
      { days: 45, claims: '1' },
    ];
    expect(daysToClearFigures(rows, 30)).toEqual({
      daysToClear: { p50: 10, p90: 45, clearedClaims: 4 },
      clearedWithinSla: { slaDays: 30, clearedClaims: 4, clearedWithinSlaClaims: 3, share: 0.75 },
    });
  });
});

describe('pended-queue SQL', () => {
  it('takes every value as a parameter, with the bucket bounds written from the bucket constants', () => {
    expect(PEND_OPEN_BY_DIMENSION_SQL).toContain('age_days BETWEEN 0 AND 30');
    expect(PEND_OPEN_BY_DIMENSION_SQL).toContain('age_days >= 91');
    expect(PEND_OPEN_BY_DIMENSION_SQL).toMatch(/dimension = \$2/);
    expect(PEND_DAILY_FLOW_SQL).toMatch(/generate_series\(\$1::date, \$2::date/);
  });
});

describe('comparePendHistogram', () => {
  it('is consistent when no cell differs', () => {
    expect(comparePendHistogram([])).toEqual({ consistent: true, differences: 0, mismatches: [] });
  });

  it('names the dimension, value and days of a cell that differs, with the total count of differences', () => {
    const result = comparePendHistogram([
      {
        dimension: 'reason',
        dimension_value: 'NPI_INVALID',
        pended_on: '2024-03-01',
        cleared_on: 'infinity',
        streamed_claims: '2',
        batch_claims: '1',
        streamed_amount_cents: '200',
        batch_amount_cents: '100',
        differences: '3',
      },
    ]);
    expect(result).toEqual({
      consistent: false,
      differences: 3,
      mismatches: [
        {
          dimension: 'reason',
          dimensionValue: 'NPI_INVALID',
          pendedOn: '2024-03-01',
          clearedOn: 'infinity',
          streamed: { claims: '2', amountCents: '200' },
          batch: { claims: '1', amountCents: '100' },
        },
      ],
    });
  });
});
