import { hopTimeline, type HopCounts } from './hop-timeline';

const POSTED_AT = 10_000;

function sample(afterPostMs: number, raw: number, normalized: number, enriched: number, folded: number): HopCounts {
  return {
    atMs: POSTED_AT + afterPostMs,
    rawRecords: raw,
    normalizedRecords: normalized,
    enrichedRecords: enriched,
    deadLetterRecords: 0,
    foldedRecords: folded,
  };
}

describe('hopTimeline', () => {
  it('times each stage from its first output past the counts before the post to the sample that reached its last', () => {
    const samples = [
      sample(-5, 200, 200, 210, 210),
      sample(10, 200, 200, 210, 210),
      sample(20, 700, 200, 210, 210),
      sample(30, 1_200, 500, 210, 210),
      sample(40, 1_200, 1_200, 900, 210),
      sample(50, 1_200, 1_200, 1_260, 600),
      sample(60, 1_200, 1_200, 1_260, 1_260),
      sample(70, 1_200, 1_200, 1_260, 1_260),
    ];
    expect(hopTimeline(samples, POSTED_AT)).toEqual({
      raw: { firstMs: 20, lastMs: 30 },
      normalized: { firstMs: 30, lastMs: 40 },
      enriched: { firstMs: 40, lastMs: 50 },
      folded: { firstMs: 50, lastMs: 60 },
    });
  });

  it('says null for a stage whose output never grew (every record dead-lettered before it)', () => {
    const samples = [sample(0, 0, 0, 0, 0), sample(10, 5, 5, 0, 0), sample(20, 5, 5, 0, 0)];
    const timeline = hopTimeline(samples, POSTED_AT);
    expect(timeline.normalized).toEqual({ firstMs: 10, lastMs: 10 });
    expect(timeline.enriched).toBeNull();
    expect(timeline.folded).toBeNull();
  });

  it('has nothing to say without samples', () => {
    expect(hopTimeline([], POSTED_AT)).toEqual({ raw: null, normalized: null, enriched: null, folded: null });
  });
});
