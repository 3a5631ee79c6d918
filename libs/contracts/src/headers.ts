import type { Lineage } from './claim-events';

/**
 * Kafka header names. Every claim event carries its schema version, trace
 * context and lineage; its id is in its body. Few headers on purpose: the
 * client encodes each header of each record apart, and on the 1 M-record
 * bench seven headers cost the ingestor a tenth of its CPU (three cost less
 * than half of that).
 */
export const EVENT_HEADERS = {
  schemaVersion: 'x-schema-version',
  /** A reference event's id (the reference topics). */
  eventId: 'x-event-id',
  /** W3C Trace Context, so a span started at ingest continues in every stage. */
  traceParent: 'traceparent',
  /**
   * The source record(s) the event stands for, as one JSON object: source,
   * fileId, recordNumber, recordCount (only above 1: the rows of one
   * claim), recordNumbers (only for rows apart) and recordSha256. A stage that cannot read an event's body still
   * files its dead letter under the record it came from.
   */
  lineage: 'x-lineage',
} as const;

/**
 * The lineage headers of events written before `x-lineage`, one field
 * apiece: still read, so an event in flight across an upgrade keeps its
 * lineage in a dead letter.
 */
export const LEGACY_LINEAGE_HEADERS = {
  source: 'x-lineage-source',
  fileId: 'x-lineage-file-id',
  recordNumber: 'x-lineage-record-number',
  recordCount: 'x-lineage-record-count',
  recordSha256: 'x-lineage-record-sha256',
} as const;

export const DEAD_LETTER_HEADERS = {
  stage: 'x-dlq-stage',
  errorCode: 'x-dlq-error-code',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
} as const;

/** The version written when an event does not state its own. */
export const CURRENT_SCHEMA_VERSION = 1;

/**
 * The `x-lineage` header's value: the lineage fields alone, in one order,
 * recordCount only above 1, recordNumbers only for rows apart.
 */
export function lineageHeaderValue(lineage: Lineage): string {
  const recordCount = lineage.recordCount ?? 1;
  return JSON.stringify({
    source: lineage.source,
    fileId: lineage.fileId,
    recordNumber: lineage.recordNumber,
    ...(recordCount > 1 ? { recordCount } : {}),
    ...(lineage.recordNumbers === undefined ? {} : { recordNumbers: lineage.recordNumbers }),
    recordSha256: lineage.recordSha256,
  });
}

/** The headers every claim event carries: schema version, lineage and trace context. */
export function claimEventHeaders(
  event: { schemaVersion?: number; lineage: Lineage },
  traceParent: string | undefined,
): Record<string, string> {
  return {
    [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion ?? CURRENT_SCHEMA_VERSION),
    [EVENT_HEADERS.lineage]: lineageHeaderValue(event.lineage),
    ...(traceParent ? { [EVENT_HEADERS.traceParent]: traceParent } : {}),
  };
}
