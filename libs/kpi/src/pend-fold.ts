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
 * Folds the latest event of each claim a batch touched into claim_pend rows
 * and a histogram delta: the stored episode's cells are subtracted and the
 * new one's added. Versions of a claim seen earlier in the same batch cancel
 * out (each one's addition is the next one's subtraction), so the latest
 * event against the stored episode is the whole change.
 *
 * `stored` holds the episodes of the claims stored before the batch; a claim
 * absent from it had none. A clean claim that had none adds nothing at all.
 */
export function foldPendEpisodes(
  latest: Iterable<EnrichedClaimEvent>,
  stored: ReadonlyMap<string, PendEpisode>,
): PendFoldResult {
  const upserts: PendFoldResult['upserts'] = [];
  const deletes: string[] = [];
  const cells = new Map<string, PendHistogramEntry>();
  for (const event of latest) {
    const previous = stored.get(event.claimId) ?? null;
    const next = pendEpisodeOf(event);
    if (samePendEpisode(previous, next)) continue;
    addPendEpisode(cells, previous, -1);
    addPendEpisode(cells, next, 1);
    if (next) upserts.push({ claimId: event.claimId, episode: next });
    else deletes.push(event.claimId);
  }
  const byClaimId = (left: { claimId: string }, right: { claimId: string }): number =>
    left.claimId < right.claimId ? -1 : left.claimId > right.claimId ? 1 : 0;
  return {
    upserts: upserts.sort(byClaimId),
    deletes: deletes.sort(),
    delta: sortedNonZero(cells),
  };
}
