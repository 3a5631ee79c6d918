import { meanHopLatencies } from './hop-latency';

describe('meanHopLatencies', () => {
  it('divides each hop’s mean backlog by the rate (Little’s law)', () => {
    // At 1,000 records/s: 100 records between raw and normalized on average is 100 ms in the normalizer.
    const samples = [
      { rawRecords: 1_000, normalizedRecords: 950, enrichedRecords: 900, foldedRecords: 500 },
      { rawRecords: 2_000, normalizedRecords: 1_850, enrichedRecords: 1_700, foldedRecords: 1_500 },
    ];
    expect(meanHopLatencies(samples, 1_000)).toEqual({ normalizerMs: 100, enricherMs: 100, foldMs: 300 });
  });

  it('counts a sample taken between two counter reads, where a later stage looks ahead, as no backlog', () => {
    const samples = [{ rawRecords: 100, normalizedRecords: 120, enrichedRecords: 100, foldedRecords: 100 }];
    expect(meanHopLatencies(samples, 1_000)?.normalizerMs).toBe(0);
  });

  it('counts the enricher’s output in normalized events, so claims that pend and clear at once hide no backlog', () => {
    // 10 % more enriched events than normalized ones: 1,100 enriched stand for 1,000 normalized.
    const samples = [{ rawRecords: 1_100, normalizedRecords: 1_100, enrichedRecords: 1_100, foldedRecords: 990 }];
    const latencies = meanHopLatencies(samples, 1_000, 1.1);
    expect(latencies?.normalizerMs).toBe(0);
    expect(latencies?.enricherMs).toBeCloseTo(100, 6);
    expect(latencies?.foldMs).toBeCloseTo(100, 6);
  });

  it('has nothing to say without samples or without a rate', () => {
    expect(meanHopLatencies([], 1_000)).toBeNull();
    expect(
      meanHopLatencies([{ rawRecords: 1, normalizedRecords: 0, enrichedRecords: 0, foldedRecords: 0 }], 0),
    ).toBeNull();
  });
});
