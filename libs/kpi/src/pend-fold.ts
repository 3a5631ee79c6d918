import type { EnrichedClaimEvent } from '@claims/contracts';
import { pendEpisodeOf, samePendEpisode, type PendEpisode } from './pend-episode';
import { addPendEpisode, sortedNonZero, type PendHistogramEntry } from './pend-histogram';

export interface PendFoldResult {
  /** Claims whose latest event has an episode that differs from the stored one: claim_pend rows to write. */
  upserts: Array<{ claimId: string; episode: PendEpisode }>;
  /** Claims with a stored episode whose latest event has none: claim_pend rows to delete. */
  deletes: string[];
  /** The net change to the day histogram. */
  delta: PendHistogramEntry[];
}

/**
 * Folds the states a batch gave its claims, in the order they replaced each
 * other (a claim replaced twice comes twice), into claim_pend rows and a
 * histogram delta: the stored episode's cells are subtracted and the last
 * one's added. Versions of a claim seen earlier in the same batch cancel
 * out of the histogram (each one's addition is the next one's subtraction),
 * so the last event against the stored episode is the whole change there;
 * each version is still folded over the one before it, so what one version
 * keeps of its predecessor (the comments) is kept as in a batch of its own.
 *
 * `stored` holds the episodes of the claims stored before the batch; a claim
 * absent from it had none. A clean claim that had none adds nothing at all.
 */
export function foldPendEpisodes(
  states: Iterable<EnrichedClaimEvent>,
  stored: ReadonlyMap<string, PendEpisode>,
): PendFoldResult {
  const upserts: PendFoldResult['upserts'] = [];
  const deletes: string[] = [];
  const cells = new Map<string, PendHistogramEntry>();
  const latest = new Map<string, PendEpisode | null>();
  for (const event of states) {
    const before = latest.has(event.claimId)
      ? (latest.get(event.claimId) ?? null)
      : (stored.get(event.claimId) ?? null);
    latest.set(event.claimId, withKeptComments(pendEpisodeOf(event), before, event.claim.pend != null));
  }
  for (const [claimId, next] of latest) {
    const previous = stored.get(claimId) ?? null;
    if (samePendEpisode(previous, next)) continue;
    addPendEpisode(cells, previous, -1);
    addPendEpisode(cells, next, 1);
    if (next) upserts.push({ claimId, episode: next });
    else deletes.push(claimId);
  }
  const byClaimId = (left: { claimId: string }, right: { claimId: string }): number =>
    left.claimId < right.claimId ? -1 : left.claimId > right.claimId ? 1 : 0;
  return {
    upserts: upserts.sort(byClaimId),
    deletes: deletes.sort(),
    delta: sortedNonZero(cells),
  };
}

/**
 * An event with no pend block (an 835 or a clearing event that adjudicates a
 * commented claim under the same claim id) says nothing of the adjudicators'
 * notes, and must not erase them: the episode keeps the stored comments. A
 * pended-queue row always speaks for its whole comment field, so its text,
 * or its blank, replaces them. Folding the same events again keeps the same
 * comments, so a replay still writes nothing.
 */
function withKeptComments(
  next: PendEpisode | null,
  previous: PendEpisode | null,
  eventSpeaksOfComments: boolean,
): PendEpisode | null {
  if (next === null || eventSpeaksOfComments || previous?.comments == null) return next;
  return { ...next, comments: previous.comments };
}
