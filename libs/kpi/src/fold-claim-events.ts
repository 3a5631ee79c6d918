import type { EnrichedClaimEvent } from '@claims/contracts';
import { claimContribution, combineContributions, type KpiContribution } from './claim-contribution';

export interface FoldedClaim {
  event: EnrichedClaimEvent;
  contribution: KpiContribution;
}

export interface ClaimFoldResult {
  /** The latest version of every claim touched by the batch, to upsert as claim state. */
  claims: Map<string, FoldedClaim>;
  /** The net change to every KPI counter. */
  delta: KpiContribution;
}

/**
 * Folds a batch of first-seen events into claim state and a KPI delta. A
 * claim seen before (in storage or earlier in the batch) is replaced: its old
 * contribution is subtracted and the new one added, so a corrected claim moves
 * the KPIs by exactly the correction. Events must already be deduplicated by
 * event id and be in partition order (one claim's events share a partition).
 */
export function foldClaimEvents(
  events: readonly EnrichedClaimEvent[],
  storedContributions: ReadonlyMap<string, KpiContribution>,
): ClaimFoldResult {
  const claims = new Map<string, FoldedClaim>();
  let delta: KpiContribution = {};
  for (const event of events) {
    const previous = claims.get(event.claimId)?.contribution ?? storedContributions.get(event.claimId);
    const contribution = claimContribution(event);
    if (previous) delta = combineContributions(delta, previous, -1);
    delta = combineContributions(delta, contribution);
    claims.set(event.claimId, { event, contribution });
  }
  return { claims, delta };
}
