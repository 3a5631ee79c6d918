import { rawEventId, sha256Hex, type RawClaimRecord, type SourceLayout } from '@claims/contracts';
import { isDesynpufCarrierHeader, readDesynpufCarrierClaimId } from './desynpuf-carrier';
import { parseCsvRecord } from './csv';
import { SourceRecordError } from './source-record.errors';

/** Recognises a file's layout from its header row. @throws SourceRecordError LAYOUT_UNKNOWN */
export function detectLayout(headerLine: string): SourceLayout {
  if (isDesynpufCarrierHeader(parseCsvRecord(headerLine))) return 'desynpuf.carrier';
  throw new SourceRecordError('LAYOUT_UNKNOWN', 'the header row matches no known source layout');
}

export function readClaimIdForKey(layout: SourceLayout, record: string): string | null {
  switch (layout) {
    case 'desynpuf.carrier':
      return readDesynpufCarrierClaimId(record);
  }
}

/** The claims.raw.v1 event of one source record; its id depends only on layout and bytes. */
export function rawRecordEvent(input: {
  layout: SourceLayout;
  record: string;
  recordNumber: number;
  source: string;
  fileId: string;
  publishedAt: string;
}): RawClaimRecord {
  const recordSha256 = sha256Hex(input.record);
  const claimId = readClaimIdForKey(input.layout, input.record);
  return {
    schemaVersion: 1,
    eventId: rawEventId(input.layout, claimId ?? '', recordSha256),
    layout: input.layout,
    claimId,
    lineage: { source: input.source, fileId: input.fileId, recordNumber: input.recordNumber, recordSha256 },
    record: input.record,
    publishedAt: input.publishedAt,
  };
}
