import type { EnrichedClaimEvent, PendDecision } from '@claims/contracts';
import { fixtureEnrichedEvent } from '@claims/harness';
import { pendEpisodeOf, type PendEpisode } from './pend-episode';
import { foldPendEpisodes } from './pend-fold';

const pended: PendDecision = {
  ruleSetVersion: '2024.1',
  status: 'pended',
  reasons: [
    {
      code: 'PROVIDER_NOT_FOUND',
      description: '',
      queue: 'provider-data',
      severity: 'high',
      waitsOn: [],
      classifiedBy: null,
    },
  ],
  queue: 'provider-data',
  pendedOn: '2024-03-01',
  clearedOn: null,
  clearedBy: null,
};
const cleared: PendDecision = { ...pended, status: 'cleared', clearedOn: '2024-03-11', clearedBy: 'reference' };

function claim(claimId: string, pendDecision?: PendDecision): EnrichedClaimEvent {
  const event = fixtureEnrichedEvent(claimId, [
    { indicator: 'A', category: 'allowed', paymentCents: 0, allowedCents: 800 },
  ]);
  return pendDecision ? { ...event, pendDecision } : event;
}

const episodeOf = (event: EnrichedClaimEvent): PendEpisode => {
  const episode = pendEpisodeOf(event);
  if (!episode) throw new Error('expected an episode');
  return episode;
};

const allCells = (result: ReturnType<typeof foldPendEpisodes>): Array<[string, number]> =>
  result.delta.filter((entry) => entry.dimension === 'all').map((entry) => [entry.clearedOn, entry.claims]);

describe('foldPendEpisodes', () => {
  it('does nothing at all for clean claims that never pended', () => {
    expect(foldPendEpisodes([claim('c1'), claim('c2')], new Map())).toEqual({ upserts: [], deletes: [], delta: [] });
  });

  it('stores a newly pended claim and adds it to the open cells', () => {
    const result = foldPendEpisodes([claim('c2', pended), claim('c1')], new Map());
    expect(result.upserts.map((upsert) => upsert.claimId)).toEqual(['c2']);
    expect(result.deletes).toEqual([]);
    expect(allCells(result)).toEqual([['infinity', 1]]);
  });

  it('moves a stored open episode to its clear day when the claim clears', () => {
    const stored = new Map([['c1', episodeOf(claim('c1', pended))]]);
    const result = foldPendEpisodes([claim('c1', cleared)], stored);
    expect(result.upserts).toEqual([{ claimId: 'c1', episode: episodeOf(claim('c1', cleared)) }]);
    expect(allCells(result)).toEqual([
      ['2024-03-11', 1],
      ['infinity', -1],
    ]);
  });

  it('deletes the stored episode and subtracts it when a new version of the claim is clean', () => {
    const stored = new Map([['c1', episodeOf(claim('c1', pended))]]);
    const result = foldPendEpisodes([claim('c1')], stored);
    expect(result.upserts).toEqual([]);
    expect(result.deletes).toEqual(['c1']);
    expect(result.delta.every((entry) => entry.claims === -1 && entry.amountCents === -800)).toBe(true);
  });

  it('writes nothing when the new version leaves the episode as it was', () => {
    const stored = new Map([['c1', episodeOf(claim('c1', pended))]]);
    expect(foldPendEpisodes([claim('c1', pended)], stored)).toEqual({ upserts: [], deletes: [], delta: [] });
  });

  const withComments = (event: EnrichedClaimEvent, comments: string): EnrichedClaimEvent => ({
    ...event,
    claim: { ...event.claim, pend: { reason: null, queue: null, comments } },
  });

  it("stores a pended-queue row's comments with its episode, and the new comments of a later row, cells unmoved", () => {
    const first = withComments(claim('c1', pended), 'NPI fails check digit; called office 3/2.');
    expect(foldPendEpisodes([first], new Map()).upserts).toEqual([
      { claimId: 'c1', episode: expect.objectContaining({ comments: 'NPI fails check digit; called office 3/2.' }) },
    ]);
    const later = withComments(claim('c1', pended), 'NPI fails check digit; called office 3/2. Corrected claim in.');
    const result = foldPendEpisodes([later], new Map([['c1', episodeOf(first)]]));
    expect(result.upserts.map((upsert) => upsert.episode.comments)).toEqual([
      'NPI fails check digit; called office 3/2. Corrected claim in.',
    ]);
    // Comments are no KPI: the histogram does not move.
    expect(result.delta).toEqual([]);
  });

  it('keeps the comments when a later event without any (an 835, a clear) moves the episode', () => {
    const row = withComments(claim('c1', pended), 'Waiting on corrected NPI from the office.');
    const clearing = foldPendEpisodes([claim('c1', cleared)], new Map([['c1', episodeOf(row)]]));
    expect(clearing.upserts).toEqual([
      {
        claimId: 'c1',
        episode: expect.objectContaining({
          clearedOn: '2024-03-11',
          comments: 'Waiting on corrected NPI from the office.',
        }),
      },
    ]);
    // Replayed, the clearing event finds the episode as it left it: nothing is written.
    const stored = new Map([['c1', clearing.upserts[0]?.episode as PendEpisode]]);
    expect(foldPendEpisodes([claim('c1', cleared)], stored)).toEqual({ upserts: [], deletes: [], delta: [] });
  });

  it('keeps the comments of a row earlier in the same batch when a later event without any moves the episode', () => {
    const row = withComments(claim('c1', pended), 'Waiting on corrected NPI from the office.');
    // The row and the event that clears it in one batch end as they end in two: one episode, the row's comments.
    const oneBatch = foldPendEpisodes([row, claim('c1', cleared)], new Map());
    const first = foldPendEpisodes([row], new Map());
    const second = foldPendEpisodes(
      [claim('c1', cleared)],
      new Map([['c1', first.upserts[0]?.episode as PendEpisode]]),
    );
    expect(oneBatch.upserts).toEqual(second.upserts);
    expect(oneBatch.upserts[0]?.episode.comments).toBe('Waiting on corrected NPI from the office.');
    expect(oneBatch.delta).toEqual(foldPendEpisodes([claim('c1', cleared)], new Map()).delta);
  });

  it('folds each version of a claim over the one before it in the batch, against the stored episode once', () => {
    const stored = new Map([['c1', episodeOf(withComments(claim('c1', pended), 'First look.'))]]);
    // Cleared, corrected to clean, pended again without comments: the comments went with the clean version.
    const result = foldPendEpisodes([claim('c1', cleared), claim('c1'), claim('c1', pended)], stored);
    expect(result.upserts).toEqual([{ claimId: 'c1', episode: episodeOf(claim('c1', pended)) }]);
    expect(result.deletes).toEqual([]);
    // Only the comments changed: the histogram does not move.
    expect(result.delta).toEqual([]);
  });

  it('writes nothing again when the same commented row is folded a second time (a replay)', () => {
    const row = withComments(claim('c1', pended), 'Possible duplicate of PQ-2024-000099.');
    const stored = new Map([['c1', episodeOf(row)]]);
    expect(foldPendEpisodes([row], stored)).toEqual({ upserts: [], deletes: [], delta: [] });
  });
});
