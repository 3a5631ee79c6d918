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

type TalliedClaimField = (typeof TALLIED_CLAIM_FIELDS)[number];
type TalliedLineField = (typeof TALLIED_LINE_FIELDS)[number];

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

const CLAIM_FIELD_NAMES = TALLIED_CLAIM_FIELDS.map((field) => `claim.${field}`);
const LINE_FIELD_NAMES = TALLIED_LINE_FIELDS.map((field) => `line.${field}`);

/** The kinds whose names come from the events (a finding's code, a lookup and reason, a pend code). */
type NamedKind = 'finding' | 'lookup_miss' | 'pend_reason';

/** One file's counts as the events are read: fixed fields by index, named ones by name, nothing concatenated. */
interface FileCounts {
  claimNulls: number[];
  lineNulls: number[];
  claims: number;
  named: Record<NamedKind, Map<string, number>>;
}

function emptyCounts(): FileCounts {
  return {
    claimNulls: TALLIED_CLAIM_FIELDS.map(() => 0),
    lineNulls: TALLIED_LINE_FIELDS.map(() => 0),
    claims: 0,
    named: { finding: new Map(), lookup_miss: new Map(), pend_reason: new Map() },
  };
}

function countOnce(counts: Map<string, number>, name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

/**
 * What the events add to their files' quality report: data-quality findings
 * by code, null counts per canonical field, and for enriched events the
 * claims with each kind of lookup miss (once per claim per distinct lookup
 * and reason) and the claims pended for each reason (once per claim per
 * code). Fed only with the first event folded for each source record, so a
 * replayed file, or a claim re-emitted when it clears, adds nothing.
 */
export function fileQualityTally(events: ReadonlyArray<TalliedEvent>): FileQualityTally[] {
  // Counted per file in arrays and per-kind maps, the entries built once at
  // the end: the fold tallies every event it folds, and a key string built
  // for each of an event's twenty-odd entries cost a third of the fold's own
  // arithmetic (the bench's record-cost phase).
  const byFile = new Map<string, FileCounts>();
  const distinct: string[] = [];
  for (const event of events) {
    const { fileId } = event.lineage;
    let counts = byFile.get(fileId);
    if (counts === undefined) byFile.set(fileId, (counts = emptyCounts()));
    counts.claims += 1;
    for (const finding of event.dataQuality) countOnce(counts.named.finding, finding.code);
    const { claim } = event;
    for (let index = 0; index < TALLIED_CLAIM_FIELDS.length; index += 1) {
      const value = claim[TALLIED_CLAIM_FIELDS[index] as TalliedClaimField];
      if (value === null || value === undefined) counts.claimNulls[index] = (counts.claimNulls[index] ?? 0) + 1;
    }
    for (const line of claim.lines) {
      for (let index = 0; index < TALLIED_LINE_FIELDS.length; index += 1) {
        const value = line[TALLIED_LINE_FIELDS[index] as TalliedLineField];
        if (value === null || value === undefined) counts.lineNulls[index] = (counts.lineNulls[index] ?? 0) + 1;
      }
    }
    const misses = event.enrichment?.lookupMisses;
    if (misses !== undefined && misses.length > 0) {
      distinct.length = 0;
      for (const miss of misses) {
        const name = `${miss.lookup}:${miss.reason}`;
        if (!distinct.includes(name)) distinct.push(name);
      }
      for (const name of distinct) countOnce(counts.named.lookup_miss, name);
    }
    const decision = event.pendDecision;
    if (decision && decision.status !== 'clean') {
      distinct.length = 0;
      for (const reason of decision.reasons) if (!distinct.includes(reason.code)) distinct.push(reason.code);
      for (const code of distinct) countOnce(counts.named.pend_reason, code);
    }
  }
  const entries: FileQualityTally[] = [];
  for (const [fileId, counts] of byFile) {
    const add = (kind: FileQualityKind, name: string, count: number): void => {
      if (count > 0) entries.push({ fileId, kind, name, count });
    };
    counts.claimNulls.forEach((count, index) => add('null_field', CLAIM_FIELD_NAMES[index] as string, count));
    counts.lineNulls.forEach((count, index) => add('null_field', LINE_FIELD_NAMES[index] as string, count));
    for (const kind of ['finding', 'lookup_miss', 'pend_reason'] as const) {
      for (const [name, count] of counts.named[kind]) add(kind, name, count);
    }
    add('claims', TALLIED_CLAIMS, counts.claims);
  }
  // One order for every writer (code-unit order, not the locale's): folds of
  // different partitions update the same rows without deadlocking.
  const order = (entry: FileQualityTally): string => `${entry.fileId}\u0000${entry.kind}\u0000${entry.name}`;
  return entries
    .map((entry) => ({ entry, key: order(entry) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ entry }) => entry);
}
