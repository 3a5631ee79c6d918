import type { ClaimEvent, EnrichedClaimEvent } from '@claims/contracts';

/**
 * The canonical claim fields whose absence an analyst wants counted per file
 * (how complete is this feed?). Required fields are never null by contract
 * and are left out; a line-level field counts the lines without it.
 */
export const TALLIED_CLAIM_FIELDS = [
  'billType',
  'drgCode',
  'facilityCcn',
  'facilityNpi',
  'billingNpi',
  'attendingNpi',
  'operatingNpi',
  'renderingProvider',
  'providerGroup',
  'serviceLocation',
  'admissionDate',
  'dischargeDate',
  'receivedDate',
  'clearDate',
  'drug',
  'billedAmountCents',
  'adjudication',
  'pend',
] as const satisfies ReadonlyArray<keyof ClaimEvent['claim']>;

export const TALLIED_LINE_FIELDS = [
  'hcpcsCode',
  'renderingNpi',
  'taxId',
  'diagnosisCode',
] as const satisfies ReadonlyArray<keyof ClaimEvent['claim']['lines'][number]>;

export const FILE_QUALITY_KINDS = ['finding', 'null_field', 'lookup_miss', 'pend_reason', 'claims'] as const;
export type FileQualityKind = (typeof FILE_QUALITY_KINDS)[number];

/** The one `claims` entry's name: the claims the tally counted, the denominator of its shares. */
export const TALLIED_CLAIMS = 'tallied';

export interface FileQualityTally {
  fileId: string;
  /**
   * `finding`: claims' data-quality findings by code; `null_field`: claims
   * (or lines) without a canonical field; `lookup_miss`: claims with a lookup
   * miss, by `lookup:reason`; `pend_reason`: claims pended for a reason, by
   * code; `claims`: the claims tallied.
   */
  kind: FileQualityKind;
  /** A finding's code, a field path (`claim.drgCode`, `line.hcpcsCode`), `provider:not_found`, a pend code. */
  name: string;
  count: number;
}

/** What the tally reads of an event: a canonical event, or an enriched one (lookups and pend verdict). */
export type TalliedEvent = Pick<ClaimEvent, 'lineage' | 'claim' | 'dataQuality'> &
  Partial<Pick<EnrichedClaimEvent, 'enrichment' | 'pendDecision'>>;

const CLAIM_FIELD_NAMES = TALLIED_CLAIM_FIELDS.map((field) => [field, `claim.${field}`] as const);
const LINE_FIELD_NAMES = TALLIED_LINE_FIELDS.map((field) => [field, `line.${field}`] as const);

/**
 * What the events add to their files' quality report: data-quality findings
 * by code, null counts per canonical field, and for enriched events the
 * claims with each kind of lookup miss (once per claim per distinct lookup
 * and reason) and the claims pended for each reason (once per claim per
 * code). Fed only with the first event folded for each source record, so a
 * replayed file, or a claim re-emitted when it clears, adds nothing.
 */
export function fileQualityTally(events: ReadonlyArray<TalliedEvent>): FileQualityTally[] {
  // Per file, entries keyed by kind and name: the fold tallies every event it
  // folds, and a key built from the 64-character file id on each of an
  // event's twenty-odd entries cost more than the rest of the tally.
  const byFile = new Map<string, Map<string, FileQualityTally>>();
  for (const event of events) {
    const { fileId } = event.lineage;
    let tally = byFile.get(fileId);
    if (!tally) byFile.set(fileId, (tally = new Map()));
    const add = (kind: FileQualityTally['kind'], name: string, count: number): void => {
      if (count === 0) return;
      const key = `${kind}\u0000${name}`;
      const entry = tally.get(key);
      if (entry) entry.count += count;
      else tally.set(key, { fileId, kind, name, count });
    };
    for (const finding of event.dataQuality) add('finding', finding.code, 1);
    for (const [field, name] of CLAIM_FIELD_NAMES) {
      const value = event.claim[field];
      if (value === null || value === undefined) add('null_field', name, 1);
    }
    const { lines } = event.claim;
    for (const [field, name] of LINE_FIELD_NAMES) {
      let missing = 0;
      for (const line of lines) if (line[field] === null) missing += 1;
      add('null_field', name, missing);
    }
    const misses = event.enrichment?.lookupMisses ?? [];
    if (misses.length > 0) {
      for (const miss of new Set(misses.map((entry) => `${entry.lookup}:${entry.reason}`))) add('lookup_miss', miss, 1);
    }
    const decision = event.pendDecision;
    if (decision && decision.status !== 'clean') {
      for (const code of new Set(decision.reasons.map((reason) => reason.code))) add('pend_reason', code, 1);
    }
    add('claims', TALLIED_CLAIMS, 1);
  }
  // One order for every writer (code-unit order, not the locale's): folds of
  // different partitions update the same rows without deadlocking.
  const order = (entry: FileQualityTally): string => `${entry.fileId}\u0000${entry.kind}\u0000${entry.name}`;
  return [...byFile.values()]
    .flatMap((tally) => [...tally.values()])
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}
