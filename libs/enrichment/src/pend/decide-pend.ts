import type {
  ClaimEvent,
  Enrichment,
  PendDecision,
  PendDependency,
  PendReason,
  ReferenceKind,
} from '@claims/contracts';
import { EMPTY_ENRICHMENT_CODES, enrichClaimAsOf } from '../enrich';
import type { ReferenceTables } from '../tables';
import { isAnswerAboutClaim } from './adjudication-clear';
import { UNCLASSIFIED_PEND_REASON } from './comment-keywords';
import { NO_DUPLICATES, type PendContext } from './duplicate-fingerprints';
import type { PendRuleInput } from './predicates';
import { SEVERITY_RANK, type CompiledPendRule, type PendRuleSet } from './pend-rule-set';

/**
 * Runs every enabled rule that applies to the claim's layout, in file order.
 * Each reason lists the reference entries whose fix could clear it.
 */
export function evaluatePendRules(
  event: ClaimEvent,
  enrichment: Enrichment,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  context: PendContext,
): PendReason[] {
  return evaluate(ruleSet.rules, { event, enrichment, tables, context }, false);
}

function evaluate(rules: readonly CompiledPendRule[], input: PendRuleInput, referenceOnly: boolean): PendReason[] {
  const reasons: PendReason[] = [];
  for (const rule of rules) {
    if ((referenceOnly && !rule.referenceBased) || !rule.appliesTo(input.event.layout)) continue;
    const waitsOn = rule.test(input);
    if (waitsOn === null) continue;
    reasons.push({
      code: rule.code,
      description: rule.description,
      queue: rule.queue,
      severity: rule.severity,
      waitsOn,
      classifiedBy: null,
    });
  }
  return reasons;
}

/** The queue of the most severe reason; on a tie, the first (rule-file order). */
function queueOf(reasons: readonly PendReason[]): string | null {
  let chosen: PendReason | undefined;
  for (const reason of reasons) {
    if (chosen === undefined || SEVERITY_RANK[reason.severity] > SEVERITY_RANK[chosen.severity]) chosen = reason;
  }
  return chosen?.queue ?? null;
}

function cleanDecision(ruleSet: PendRuleSet): PendDecision {
  return {
    ruleSetVersion: ruleSet.version,
    status: 'clean',
    reasons: [],
    queue: null,
    pendedOn: null,
    clearedOn: null,
    clearedBy: null,
  };
}

/** A reason a directory fix could clear: it names what it waits on. */
function waitsOnReference(reason: PendReason): boolean {
  return reason.waitsOn.length > 0;
}

/**
 * The pend rules' verdict on a claim.
 *
 * - An answer about a claim (isAnswerAboutClaim): `clean`, the rules not run.
 * - No reason: `clean`.
 * - A pended-queue export (a claim carrying `pend`): the export's own reason
 *   first (classified from the comments when blank), then the directory
 *   rules' reasons; the export's queue; `cleared` on the export's clear date.
 * - Otherwise `pended` on the received date (else the event date), in the
 *   queue of the most severe reason. When every reason waits on dated
 *   directory entries, the decision searches the directory's history for the
 *   first effective date, after the claim entered the queue, on which the
 *   reference rules find nothing: `cleared` on that date. A fix already in
 *   force when the claim entered the queue means it never pends at all. So
 *   the verdict depends on the directory's full history, not on the order its
 *   versions arrived in.
 */
export function decidePend(
  event: ClaimEvent,
  enrichment: Enrichment,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  context: PendContext,
): PendDecision {
  return judgePend(event, enrichment, tables, ruleSet, context).decision;
}

/** The pend rules' verdict on a claim, and the reference entries it waits on while pended. */
export interface PendJudgement {
  decision: PendDecision;
  /** What pendDependencies would answer for the decision: found by the same clear search, run once. */
  dependencies: PendDependency[];
}

/**
 * decidePend's verdict with the entries the enricher files a pended claim
 * under (see pendDependencies), from one run of the clear search: the
 * search that decides whether the claim clears also finds every entry a fix
 * would still leave it waiting on.
 */
export function judgePend(
  event: ClaimEvent,
  enrichment: Enrichment,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  context: PendContext,
): PendJudgement {
  // An answer never waits in the queue: the claim it answers does, or did.
  if (isAnswerAboutClaim(event)) return { decision: cleanDecision(ruleSet), dependencies: [] };
  let reasons = evaluatePendRules(event, enrichment, tables, ruleSet, context);
  if (event.claim.pend != null) return withOwnDependencies(decideExportPend(event, event.claim.pend, reasons, ruleSet));
  if (reasons.length === 0) return { decision: cleanDecision(ruleSet), dependencies: [] };

  const claim = event.claim;
  const pendedOn = claim.receivedDate ?? event.occurredAt;
  // The directory as it stood when the claim entered the queue (never before its service date).
  const queuedOn = queuedOnOf(event, pendedOn);
  if (queuedOn > claim.serviceFromDate && reasons.some(waitsOnReference)) {
    // A directory fix in force by the day the claim entered the queue: the claim never waited for it.
    if (referenceReasonsAsOf(event, tables, ruleSet, context, queuedOn).length === 0) {
      reasons = reasons.filter((reason) => !waitsOnReference(reason));
      if (reasons.length === 0) return { decision: cleanDecision(ruleSet), dependencies: [] };
    }
  }

  const pended: PendDecision = {
    ruleSetVersion: ruleSet.version,
    status: 'pended',
    reasons,
    queue: queueOf(reasons),
    pendedOn,
    clearedOn: null,
    clearedBy: null,
  };
  if (!reasons.every(waitsOnReference)) return withOwnDependencies(pended);
  // A member reason holds on every date (a member record has no effective date), so the search cannot clear
  // such a claim; it still finds the entries a directory fix would leave it waiting on, to file it under them
  // for when the member record is mended.
  const { clearedOn, dependencies } = searchClear(event, tables, ruleSet, context, reasons, queuedOn);
  return clearedOn === null
    ? { decision: pended, dependencies }
    : { decision: { ...pended, status: 'cleared', clearedOn, clearedBy: 'reference' }, dependencies: [] };
}

/** A decision whose dependencies are what its own reasons name (none unless it is pended). */
function withOwnDependencies(decision: PendDecision): PendJudgement {
  return {
    decision,
    dependencies: decision.status === 'pended' ? decision.reasons.flatMap((reason) => reason.waitsOn) : [],
  };
}

/** The day a claim entered the queue, as the directory is judged: its pend date, never before its service date. */
function queuedOnOf(event: ClaimEvent, pendedOn: string): string {
  return pendedOn > event.claim.serviceFromDate ? pendedOn : event.claim.serviceFromDate;
}

/** The reference rules' reasons with the directory taken as of `lookupDate`. */
function referenceReasonsAsOf(
  event: ClaimEvent,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  context: PendContext,
  lookupDate: string,
): PendReason[] {
  // Names are not needed to judge: the empty code lists spare the lookups.
  const enrichment = enrichClaimAsOf(event, tables, EMPTY_ENRICHMENT_CODES, lookupDate);
  return evaluate(ruleSet.rules, { event, enrichment, tables, context }, true);
}

interface ClearSearch {
  /** The first effective date on which the reference rules find nothing; null when none in the history does. */
  clearedOn: string | null;
  /** Every entry a reason waited on along the way: the claim's own, and those a fix of theirs still left it on. */
  dependencies: PendDependency[];
}

/**
 * Searches the directory's history after `after` for the first effective
 * date on which the reference rules find nothing. The dates tried are the
 * later versions of the entries the reasons wait on, and of the entries the
 * reasons found on a date tried wait on: a fix can lead to another flaw (a
 * provider's fix names a location not open yet), and the claim clears on the
 * date that location opens, whichever of the two fixes came first.
 */
function searchClear(
  event: ClaimEvent,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  context: PendContext,
  reasons: readonly PendReason[],
  after: string,
): ClearSearch {
  const dependencies = new Map<string, PendDependency>();
  const untried = new Set<string>();
  const tried = new Set<string>();
  const follow = (found: readonly PendReason[]): void => {
    for (const reason of found) {
      for (const dependency of reason.waitsOn) {
        const id = `${dependency.kind}\u0000${dependency.key}`;
        if (dependencies.has(id)) continue;
        dependencies.set(id, dependency);
        // A member record has no effective date: no date of its own can clear the claim.
        if (dependency.kind === 'member') continue;
        for (const version of tables.versionsOf(dependency.kind as ReferenceKind, dependency.key)) {
          if (version.effectiveDate > after && !tried.has(version.effectiveDate)) untried.add(version.effectiveDate);
        }
      }
    }
  };
  follow(reasons);
  let clearedOn: string | null = null;
  for (;;) {
    // The earliest date not tried yet, and only dates before a clear already found can give an earlier one.
    let next: string | null = null;
    for (const date of untried)
      if ((next === null || date < next) && (clearedOn === null || date < clearedOn)) next = date;
    if (next === null) return { clearedOn, dependencies: [...dependencies.values()] };
    untried.delete(next);
    tried.add(next);
    const found = referenceReasonsAsOf(event, tables, ruleSet, context, next);
    if (found.length === 0) clearedOn = next;
    else follow(found);
  }
}

/**
 * The reference entries a pended claim waits on: those its reasons name and,
 * when every reason waits on reference data, those a fix of them would still
 * leave it waiting on (a provider's fix naming a location not open yet). The
 * enricher files the claim under each, so a later fix of any of them judges
 * it again. Empty for a claim that is not pended.
 */
export function pendDependencies(
  event: ClaimEvent,
  decision: PendDecision,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  context: PendContext = NO_DUPLICATES,
): PendDependency[] {
  if (decision.status !== 'pended') return [];
  const own = decision.reasons.flatMap((reason) => reason.waitsOn);
  if (event.claim.pend != null || !decision.reasons.every(waitsOnReference)) return own;
  const queuedOn = queuedOnOf(event, decision.pendedOn ?? event.occurredAt);
  return searchClear(event, tables, ruleSet, context, decision.reasons, queuedOn).dependencies;
}

/**
 * A pended-queue export's row: the source says why it waits and where, and
 * when it cleared. Its reason waits on nothing the directory holds (only the
 * export's clear date or an adjudication clears it); the directory rules'
 * reasons are listed after it for the record. The export's queue is kept:
 * it is where the payer actually works the claim.
 */
function decideExportPend(
  event: ClaimEvent,
  pend: NonNullable<ClaimEvent['claim']['pend']>,
  ruleReasons: readonly PendReason[],
  ruleSet: PendRuleSet,
): PendDecision {
  const claim = event.claim;
  const stated = pend.reason?.trim() ?? '';
  const statedQueue = pend.queue?.trim() ?? '';
  let sourceReason: PendReason;
  if (stated !== '') {
    sourceReason = {
      code: stated,
      description: 'Pend reason stated by the pended-queue export',
      queue: statedQueue !== '' ? statedQueue : ruleSet.commentKeywords.unclassifiedQueue,
      severity: 'medium',
      waitsOn: [],
      classifiedBy: null,
    };
  } else {
    const classified = ruleSet.commentKeywords.classify(pend.comments);
    sourceReason = {
      code: classified?.reason ?? UNCLASSIFIED_PEND_REASON,
      description:
        classified?.description ?? 'The export states no pend reason and no keyword rule matched its comments',
      queue: statedQueue !== '' ? statedQueue : (classified?.queue ?? ruleSet.commentKeywords.unclassifiedQueue),
      severity: 'medium',
      waitsOn: [],
      classifiedBy: classified?.ruleId ?? null,
    };
  }
  const reasons = [sourceReason];
  for (const reason of ruleReasons) if (reason.code !== sourceReason.code) reasons.push(reason);
  const clearedOn = claim.clearDate ?? null;
  return {
    ruleSetVersion: ruleSet.version,
    status: clearedOn === null ? 'pended' : 'cleared',
    reasons,
    queue: sourceReason.queue,
    pendedOn: claim.receivedDate ?? claim.serviceFromDate,
    clearedOn,
    clearedBy: clearedOn === null ? null : 'source_clear_date',
  };
}

/**
 * Re-judges a stored pended claim after an entry it waits on changed. Returns
 * `previous` unchanged while the claim still waits; otherwise the same
 * decision `cleared` by `reference`, its reasons kept (the KPIs count by
 * reason). The clear date is the fix's effective date; when the fix has none
 * later than the pend (a member record, or a directory version dated on or
 * before the pend date that arrived after the claim), the claim clears on the
 * day it pended: it would not have pended had the data been there first.
 */
export function reevaluateAfterReferenceChange(
  event: ClaimEvent,
  previous: PendDecision,
  tables: ReferenceTables,
  ruleSet: PendRuleSet,
  // Only claims whose every reason waits on reference data get this far: none was a duplicate.
  context: PendContext = NO_DUPLICATES,
): PendDecision {
  if (previous.status !== 'pended' || event.claim.pend != null) return previous;
  // A reason that waits on nothing (duplicate, amount, check digit) clears only by adjudication.
  if (!previous.reasons.every(waitsOnReference)) return previous;
  const enrichment = enrichClaimAsOf(event, tables, EMPTY_ENRICHMENT_CODES, event.claim.serviceFromDate);
  const fresh = decidePend(event, enrichment, tables, ruleSet, context);
  if (fresh.status === 'pended') return previous;
  const pendedOn = previous.pendedOn ?? event.claim.receivedDate ?? event.occurredAt;
  const clearedOn = fresh.clearedOn !== null && fresh.clearedOn > pendedOn ? fresh.clearedOn : pendedOn;
  return { ...previous, ruleSetVersion: ruleSet.version, status: 'cleared', clearedOn, clearedBy: 'reference' };
}
