import {
  DESYNPUF_CARRIER_LAYOUT,
  invalidClaimEventFailure,
  type ClaimEvent,
  type RawClaimRecord,
} from '@claims/contracts';
import { CodeLists } from './code-lists';
import { normalizeCarrierRecord, type NormalizeOptions } from './desynpuf-carrier';
import { normalizeMappedRecord, type NormalizedSourceRecord } from './mapped-record';
import type { SourceLayoutRegistry } from './source-layout-registry';
import { SourceRecordError } from './source-record.errors';

export interface SourceNormalizeOptions extends NormalizeOptions {
  /** The mapping files known to this process; without it only the carrier layout is. */
  layouts?: SourceLayoutRegistry;
  /** Code lists for the unknown-code findings; without them no code is checked. */
  codeLists?: CodeLists;
}

/**
 * Dispatches a raw record to its layout: the hand-coded carrier mapping (the
 * hot path), or the mapping engine for a layout defined by a mapping file.
 * Every claim event it returns has passed ClaimEventSchema once: the mapping
 * engine checks what it builds (MAPPED_VALUE_INVALID), the carrier branch
 * here (NORMALIZED_EVENT_INVALID), so no caller checks it again.
 * @throws SourceRecordError
 */
export function normalizeSourceRecord(raw: RawClaimRecord, options: SourceNormalizeOptions): NormalizedSourceRecord {
  if (raw.layout === DESYNPUF_CARRIER_LAYOUT) {
    const event = normalizeCarrierRecord(
      { record: raw.record, rawEventId: raw.eventId, lineage: raw.lineage, publishedAt: raw.publishedAt },
      options,
    );
    const invalid = invalidClaimEventFailure([event]);
    if (invalid !== null) throw new SourceRecordError(invalid.code, invalid.reason);
    return { kind: 'claim', event };
  }
  const layout = options.layouts?.mapped(raw.layout);
  if (layout === undefined) {
    const known = options.layouts?.knownLayoutNames().join(', ') ?? DESYNPUF_CARRIER_LAYOUT;
    throw new SourceRecordError('LAYOUT_UNKNOWN', `no mapping for layout ${raw.layout} (known: ${known})`);
  }
  return normalizeMappedRecord(layout, raw, { ...options, codeLists: options.codeLists ?? CodeLists.none() });
}

/** A raw claim record to its canonical claim event. @throws SourceRecordError, also for a member reference. */
export function normalizeRawRecord(raw: RawClaimRecord, options: SourceNormalizeOptions): ClaimEvent {
  const normalized = normalizeSourceRecord(raw, options);
  if (normalized.kind !== 'claim') {
    throw new SourceRecordError('LAYOUT_UNKNOWN', `layout ${raw.layout} holds member references, not claims`);
  }
  return normalized.event;
}
