import {
  addDays,
  clearedWithinSla,
  daysBetween,
  pendAgeBucketOf,
  percentileDaysToClear,
  type DaysToClearBin,
} from './pend-aging';

describe('pendAgeBucketOf', () => {
  it.each([
    [0, '0-30'],
    [30, '0-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '90+'],
    [1000, '90+'],
  ])('puts a claim %p days old in the %p bucket', (ageDays, bucket) => {
    expect(pendAgeBucketOf(ageDays)).toBe(bucket);
  });

  it('refuses a negative or fractional age', () => {
    expect(() => pendAgeBucketOf(-1)).toThrow(RangeError);
    expect(() => pendAgeBucketOf(1.5)).toThrow(RangeError);
  });
});

describe('daysBetween and addDays', () => {
  it('count whole calendar days across month ends and leap days', () => {
    expect(daysBetween('2008-02-28', '2008-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-01-31')).toBe(-30);
    expect(addDays('2008-02-28', 1)).toBe('2008-02-29');
    expect(addDays('2024-03-01', -29)).toBe('2024-02-01');
  });
});

describe('percentileDaysToClear', () => {
  // Ten episodes: 2 cleared the same day, 3 in 5 days, 4 in 20 days, 1 in 100 days.
  const bins: DaysToClearBin[] = [
    { days: 20, claims: 4 },
    { days: 0, claims: 2 },
    { days: 100, claims: 1 },
    { days: 5, claims: 3 },
  ];

  it('returns the least days whose cumulative count reaches the nearest rank', () => {
    // p50: rank 5 → cumulative 2, 5 → 5 days. p90: rank 9 → cumulative 2, 5, 9 → 20 days.
    expect(percentileDaysToClear(bins, 50)).toBe(5);
    expect(percentileDaysToClear(bins, 90)).toBe(20);
    expect(percentileDaysToClear(bins, 100)).toBe(100);
    expect(percentileDaysToClear(bins, 1)).toBe(0);
  });

  it('reads p90 of ten episodes as the ninth, not the tenth', () => {
    const tenDistinct = Array.from({ length: 10 }, (_, index) => ({ days: index + 1, claims: 1 }));
    expect(percentileDaysToClear(tenDistinct, 90)).toBe(9);
  });

  it('has no percentile without cleared episodes, and ignores empty bins', () => {
    expect(percentileDaysToClear([], 50)).toBeNull();
    expect(percentileDaysToClear([{ days: 3, claims: 0 }], 50)).toBeNull();
  });

  it('refuses a percent outside 1..100', () => {
    expect(() => percentileDaysToClear(bins, 0)).toThrow(RangeError);
    expect(() => percentileDaysToClear(bins, 101)).toThrow(RangeError);
  });
});

describe('clearedWithinSla', () => {
  it('counts the episodes that cleared within the SLA days, the SLA day itself included', () => {
    const bins = [
      { days: 0, claims: 2 },
      { days: 30, claims: 1 },
      { days: 31, claims: 1 },
    ];
    expect(clearedWithinSla(bins, 30)).toEqual({
      slaDays: 30,
      clearedClaims: 4,
      clearedWithinSlaClaims: 3,
      share: 0.75,
    });
  });

  it('rounds the share half up exactly, as numeric round(within::numeric / cleared, 4) does', () => {
    // 57 of 800 = 0.07125: the float quotient 0.0712499… rounded to 0.0712.
    const bins = [
      { days: 3, claims: 57 },
      { days: 45, claims: 743 },
    ];
    expect(clearedWithinSla(bins, 30).share).toBe(0.0713);
  });

  it('has no share when nothing cleared', () => {
    expect(clearedWithinSla([], 30).share).toBeNull();
  });
});
