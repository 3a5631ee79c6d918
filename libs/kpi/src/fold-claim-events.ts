import type { EnrichedClaimEvent } from '@claims/contracts';
import {
  claimLifecyclesOf,
  claimPartKindOf,
  claimPartsOf,
  mergeClaimParts,
  transactionSetVerdictOf,
  type ClaimLifecycle,
  type TransactionSetVerdict,
} from './claim-lifecycle';
import { laterVersion, supersedes, versionAfter, type ClaimVersion } from './claim-version';
import {
  accumulateContribution,
  accumulateDatedContribution,
  claimKpiContribution,
  type ClaimKpiContribution,
  type ClaimKpiDelta,
  type ClaimKpiFoldResult,
} from './denial-cost-contribution';

/** The stored state the fold of a batch needs beside the claims' contributions. */
export interface StoredClaimParts {
  /** What each stored claim contributes now (rebuilt from its claim state). */
  contributions: ReadonlyMap<string, ClaimKpiContribution>;
  /** The X12 parts already stored for the claims of the batch (see claim-lifecycle.ts). */
  parts: ReadonlyMap<string, readonly EnrichedClaimEvent[]>;
  /** The version each stored claim holds; a claim stored before versions were kept has none. */
  versions?: ReadonlyMap<string, ClaimVersion>;
}

export interface ClaimBatchFoldResult extends ClaimKpiFoldResult {
  /** X12 parts first seen in this batch, to store beside their claim. */
  newParts: EnrichedClaimEvent[];
  /** Every claim with X12 parts that the batch touched, and its lifecycle rows recomputed from all its parts. */
  lifecycles: Map<string, ClaimLifecycle[]>;
  /** 999 verdicts: kept per transaction set, never as a claim. */
  setVerdicts: TransactionSetVerdict[];
  /**
   * Every state the batch gave a claim, in the order they replaced each
   * other: a claim replaced twice comes twice, its last state being its
   * entry in `claims`. What a state keeps of the one it replaces (the pend
   * episode's comments: foldPendEpisodes) is folded along it.
   */
  states: EnrichedClaimEvent[];
  /** The version every claim in `claims` holds now. */
  versions: Map<string, ClaimVersion>;
  /**
   * `delta` split by the event day each change takes effect on (see
   * foldClaimBatch), less the undated dimensions (UNDATED_DIMENSIONS):
   * summed over every day it is the rest of `delta`, summed up to a day it
   * moves the counters as they stood at the end of that day.
   */
  dailyDelta: Map<string, ClaimKpiDelta>;
  /**
   * Events that replaced nothing: a late event older than the claim's state,
   * a replay of a version already folded, or an X12 part already stored.
   */
  superseded: EnrichedClaimEvent[];
}

/**
 * Folds a batch of first-seen events (deduplicated by id, in partition order):
 * - an X12 837, 835 or 277CA event is a part of its claim: the claim's state
 *   is recomputed from all its parts (stored and new) by mergeClaimParts,
 *   so an 835 overlays the 837's claim instead of replacing it, and the
 *   state does not depend on the order the parts came in; a part already
 *   stored (a replay the event ids no longer remember) adds nothing;
 * - a 999 is a verdict on a transaction set: no claim state, no counter;
 * - any other event replaces its claim only if its version supersedes the
 *   claim's (claim-version.ts): a late or replayed event changes nothing.
 * Either way the claim's old contribution is subtracted and the new one
 * added, so the counters stay equal to the batch SQL over claim state.
 * The same change is also dated, for the counters at the end of a past day:
 * it takes effect on the day of the version the claim holds after it (its
 * event date, or the claim's own date when that is later: a cleared event
 * dated before its pend, an X12 part older than another, a declared update
 * that corrects the dates backwards). A claim's dates never move back, so
 * its changes sum, up to any day, to the version it held at the end of it.
 * `versionOf` gives each event's version; without it every event replaces
 * its claim in arrival order.
 */
export function foldClaimBatch(
  events: readonly EnrichedClaimEvent[],
  stored: StoredClaimParts,
  versionOf?: (event: EnrichedClaimEvent) => ClaimVersion,
): ClaimBatchFoldResult {
  const claims: ClaimKpiFoldResult['claims'] = new Map();
  const delta: ClaimKpiDelta = { counters: {}, cells: new Map() };
  const parts = new Map<string, EnrichedClaimEvent[]>();
  const newParts: EnrichedClaimEvent[] = [];
  const setVerdicts: TransactionSetVerdict[] = [];
  const versions = new Map<string, ClaimVersion>();
  const superseded: EnrichedClaimEvent[] = [];
  const dailyDelta = new Map<string, ClaimKpiDelta>();
  const states: EnrichedClaimEvent[] = [];
  for (const event of events) {
    const verdict = transactionSetVerdictOf(event);
    if (verdict) {
      setVerdicts.push(verdict);
      continue;
    }
    const version = versionOf?.(event);
    const currentVersion = versions.get(event.claimId) ?? stored.versions?.get(event.claimId);
    let latest: EnrichedClaimEvent | null = event;
    if (claimPartKindOf(event) !== null) {
      const claimParts = parts.get(event.claimId) ?? [...(stored.parts.get(event.claimId) ?? [])];
      if (claimParts.some((part) => part.eventId === event.eventId)) {
        superseded.push(event);
        continue;
      }
      claimParts.push(event);
      parts.set(event.claimId, claimParts);
      newParts.push(event);
      latest = mergeClaimParts(claimPartsOf(claimParts));
    } else if (version && !supersedes(version, currentVersion)) {
      superseded.push(event);
      continue;
    }
    if (latest === null) continue;
    // Parts merge in any order, so the claim holds the highest version of any part; a replacement holds its own.
    const nextVersion =
      version &&
      (claimPartKindOf(event) !== null ? laterVersion(version, currentVersion) : versionAfter(version, currentVersion));
    if (nextVersion) versions.set(event.claimId, nextVersion);
    const day = nextVersion?.occurredAt ?? event.occurredAt;
    let dayDelta = dailyDelta.get(day);
    if (!dayDelta) {
      dayDelta = { counters: {}, cells: new Map() };
      dailyDelta.set(day, dayDelta);
    }
    const previous = claims.get(event.claimId)?.contribution ?? stored.contributions.get(event.claimId);
    const contribution = claimKpiContribution(latest);
    if (previous) {
      accumulateContribution(delta, previous, -1);
      accumulateDatedContribution(dayDelta, previous, -1);
    }
    accumulateContribution(delta, contribution);
    accumulateDatedContribution(dayDelta, contribution);
    claims.set(event.claimId, { event: latest, contribution });
    states.push(latest);
  }
  const lifecycles = new Map(
    [...parts.entries()].map(([claimId, claimParts]) => [
      claimId,
      claimLifecyclesOf(claimId, claimPartsOf(claimParts)),
    ]),
  );
  return { claims, delta, newParts, lifecycles, setVerdicts, states, versions, superseded, dailyDelta };
}
