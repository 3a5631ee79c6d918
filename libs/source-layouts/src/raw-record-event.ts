import {
  DESYNPUF_CARRIER_LAYOUT,
  lineageSchemaVersion,
  rawEventId,
  sha256Hex,
  type Lineage,
  type RawClaimRecord,
} from '@claims/contracts';
import { readDesynpufCarrierClaimId } from './desynpuf-carrier';

/**
 * The claims.raw.v1 event of one source record — or of the rows of one
 * claim, joined by LF — whose id depends only on layout, key and bytes.
 */
export function rawRecordEvent(input: {
  layout: string;
  record: string;
  recordNumber: number;
  /** How many rows `record` holds; 1 unless the layout groups rows into claims. */
  recordCount?: number;
  /**
   * The positions of the rows `record` holds, ascending, when a claim's rows
   * may sit apart (they then set recordNumber and recordCount); the lineage
   * lists them only when they are not consecutive.
   */
  recordNumbers?: readonly number[];
  source: string;
  fileId: string;
  publishedAt: string;
  /** The key the ingestor read (claim id; null for a member reference); the carrier layout reads its own. */
  claimId?: string | null;
  /** The file's header row, for a layout that reads columns by name. */
  header?: string | null;
}): RawClaimRecord {
  const recordSha256 = sha256Hex(input.record);
  const claimId =
    input.claimId !== undefined
      ? input.claimId
      : input.layout === DESYNPUF_CARRIER_LAYOUT
        ? readDesynpufCarrierClaimId(input.record)
        : null;
  const numbers = input.recordNumbers;
  const recordNumber = numbers?.[0] ?? input.recordNumber;
  const recordCount = numbers?.length ?? input.recordCount ?? 1;
  const apart = numbers !== undefined && numbers.some((number, index) => number !== recordNumber + index);
  const lineage: Lineage = {
    source: input.source,
    fileId: input.fileId,
    recordNumber,
    ...(recordCount > 1 ? { recordCount } : {}),
    ...(apart ? { recordNumbers: [...numbers] } : {}),
    recordSha256,
  };
  const header = input.header ?? null;
  // A v1 reader can take a carrier record as it always could; a header or a row count needs v2, rows apart v3.
  const needsV2 = header !== null || recordCount > 1;
  return {
    schemaVersion: lineageSchemaVersion(lineage, needsV2 ? 2 : 1),
    eventId: rawEventId(input.layout, claimId ?? '', recordSha256),
    layout: input.layout,
    claimId,
    lineage,
    record: input.record,
    ...(header === null ? {} : { header }),
    publishedAt: input.publishedAt,
  };
}
