import type { ClaimEvent, RawClaimRecord } from '@claims/contracts';
import { normalizeCarrierRecord, type NormalizeOptions } from './desynpuf-carrier';
import { SourceRecordError } from './source-record.errors';

/** Dispatches a raw record to its layout's mapping. @throws SourceRecordError */
export function normalizeRawRecord(raw: RawClaimRecord, options: NormalizeOptions): ClaimEvent {
  switch (raw.layout) {
    case 'desynpuf.carrier':
      return normalizeCarrierRecord(
        { record: raw.record, rawEventId: raw.eventId, lineage: raw.lineage, publishedAt: raw.publishedAt },
        options,
      );
    default:
      throw new SourceRecordError('LAYOUT_UNKNOWN', `no mapping for layout ${String(raw.layout)}`);
  }
}
