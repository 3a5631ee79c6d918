import type { EnrichedClaimEvent } from '@claims/contracts';

/**
 * Where one event of a claim stands in the claim's history, replay-stable:
 * the same event carries the same version however often, or however late,
 * it is delivered. The fold keeps a claim's highest version as its state, so
 * a late event (an older version) and a replay (the same or an older
 * version) never replace a newer state, whether or not the fold still
 * remembers the event's id.
 */
export interface ClaimVersion {
  /** Event time (YYYY-MM-DD): the date the fact happened in the source. */
  occurredAt: string;
  /**
   * The source record's place in arrival order: assigned once, when the
   * record (file id and record number) first reached the fold, and read back
   * unchanged for any replay of it. One claim's records share a partition,
   * so among one claim's records this is the order they were sent in.
   */
  sourceSequence: number;
  /** Among the events one source record gave (pended, then cleared), the later step ranks higher. */
  stage: number;
  /**
   * The source itself says this record replaces the claim (CMS RIF DML_IND
   * UPDATE), so it supersedes any record that arrived before it, whatever
   * its dates. Not stored: a property of the incoming event only.
   */
  declaredUpdate?: boolean;
  /**
   * The pend rules' clear of a record after a reference fix (the enricher's
   * cleared event): a later step of that record, dated by the fix, not a
   * version of the claim the source sent. It replaces only its own record's
   * earlier step. Not stored: a property of the incoming event only.
   */
  clearOfRecord?: boolean;
}

/**
 * The enricher turns one source record into a pended event and, when the
 * claim clears, a cleared event: the only case of two events from one
 * record. Every other type is the record's only event (stage 0).
 */
const STAGE_OF_EVENT_TYPE: Readonly<Partial<Record<EnrichedClaimEvent['eventType'], number>>> = {
  pended: 1,
  cleared: 2,
};

export function claimVersionOf(event: EnrichedClaimEvent, sourceSequence: number): ClaimVersion {
  const version: ClaimVersion = {
    occurredAt: event.occurredAt,
    sourceSequence,
    stage: STAGE_OF_EVENT_TYPE[event.eventType] ?? 0,
  };
  if (event.claim.sourceOperation === 'update') version.declaredUpdate = true;
  // A pended-queue export's own cleared row is a source record; only the pend rules' clear is a step of one.
  if (event.eventType === 'cleared' && event.pendDecision?.clearedBy === 'reference') version.clearOfRecord = true;
  return version;
}

/**
 * Whether `incoming` replaces the claim state at `current`:
 * - two events of one source record follow the record's own steps (a
 *   cleared event follows its pended event, even when the clear is dated
 *   before the pend's event date, which a received date earlier than the
 *   service date allows);
 * - the pend rules' clear of a record replaces nothing else: a record that
 *   lost to a newer one (or arrived late) stays lost when a fix clears it;
 * - a record the source declares an update replaces whatever arrived
 *   before it (a RIF UPDATE row may correct the service dates backwards);
 * - otherwise the later event date wins, and on the same date the record
 *   that arrived later (a correction later in the file, or a later file).
 * An equal version is the same event again: it replaces nothing. Because a
 * claim's event date never moves back (versionAfter), a replay of any
 * record it folded before is at most its version, so replaces nothing.
 */
export function supersedes(incoming: ClaimVersion, current: ClaimVersion | undefined): boolean {
  if (current === undefined) return true;
  if (incoming.sourceSequence === current.sourceSequence) return incoming.stage > current.stage;
  if (incoming.clearOfRecord) return false;
  if (incoming.declaredUpdate && incoming.sourceSequence > current.sourceSequence) return true;
  if (incoming.occurredAt !== current.occurredAt) return incoming.occurredAt > current.occurredAt;
  return incoming.sourceSequence > current.sourceSequence;
}

/**
 * The version a claim holds once `incoming` replaced `current`. The event
 * date never moves back (a cleared event dated before its pend keeps the
 * pend's date), so an event between the two dates cannot slip in later. A
 * later step of the same record keeps the record's date whichever way its
 * own date lies: a clear dated by the fix that let the claim through is no
 * newer version of the claim, so the source's next record of the claim,
 * dated as this one was (a row of the next export that pends again, or
 * corrects it), still replaces it.
 */
export function versionAfter(incoming: ClaimVersion, current: ClaimVersion | undefined): ClaimVersion {
  const { declaredUpdate: _declared, clearOfRecord: _clear, ...version } = incoming;
  if (current === undefined) return version;
  if (version.sourceSequence !== current.sourceSequence && version.occurredAt >= current.occurredAt) return version;
  return { ...version, occurredAt: current.occurredAt };
}

/** The higher of two versions, for state merged from parts in any order (X12 837, 835, 277CA). */
export function laterVersion(a: ClaimVersion, b: ClaimVersion | undefined): ClaimVersion {
  return b === undefined || supersedes(a, b) ? versionAfter(a, b) : b;
}
