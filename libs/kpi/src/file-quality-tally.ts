import type { ClaimEvent } from '@claims/contracts';

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

export interface FileQualityTally {
  fileId: string;
  kind: 'finding' | 'null_field';
  /** A finding's code, or a field path such as `claim.drgCode` or `line.hcpcsCode`. */
  name: string;
  count: number;
}

/**
 * What the events add to their files' quality report: data-quality findings
 * by code, and null counts per canonical field. Fed only with events folded
 * for the first time, so a replayed file adds nothing.
 */
export function fileQualityTally(
  events: ReadonlyArray<Pick<ClaimEvent, 'lineage' | 'claim' | 'dataQuality'>>,
): FileQualityTally[] {
  const tally = new Map<string, FileQualityTally>();
  const add = (fileId: string, kind: FileQualityTally['kind'], name: string, count: number): void => {
    if (count === 0) return;
    const key = `${fileId}\u0000${kind}\u0000${name}`;
    const entry = tally.get(key);
    if (entry) entry.count += count;
    else tally.set(key, { fileId, kind, name, count });
  };
  for (const event of events) {
    const { fileId } = event.lineage;
    for (const finding of event.dataQuality) add(fileId, 'finding', finding.code, 1);
    for (const field of TALLIED_CLAIM_FIELDS) {
      const value = event.claim[field];
      if (value === null || value === undefined) add(fileId, 'null_field', `claim.${field}`, 1);
    }
    for (const field of TALLIED_LINE_FIELDS) {
      add(fileId, 'null_field', `line.${field}`, event.claim.lines.filter((line) => line[field] === null).length);
    }
  }
  // One order for every writer (code-unit order, not the locale's): folds of
  // different partitions update the same rows without deadlocking.
  const order = (entry: FileQualityTally): string => `${entry.fileId}\u0000${entry.kind}\u0000${entry.name}`;
  return [...tally.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}
