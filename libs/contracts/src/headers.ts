/** Kafka header names. Every event carries its schema version, trace context and lineage. */
export const EVENT_HEADERS = {
  schemaVersion: 'x-schema-version',
  eventId: 'x-event-id',
  /** W3C Trace Context, so a span started at ingest continues in every stage. */
  traceParent: 'traceparent',
  source: 'x-lineage-source',
  fileId: 'x-lineage-file-id',
  recordNumber: 'x-lineage-record-number',
  /** Set when an event stands for several adjacent rows (a multi-row claim): how many. */
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

/** The headers every claim event carries: schema version, event id, lineage and trace context. */
export function claimEventHeaders(
  event: {
    schemaVersion?: number;
    eventId: string;
    lineage: { source: string; fileId: string; recordNumber: number; recordCount?: number; recordSha256: string };
  },
  traceParent: string | undefined,
): Record<string, string> {
  const recordCount = event.lineage.recordCount ?? 1;
  return {
    [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion ?? CURRENT_SCHEMA_VERSION),
    [EVENT_HEADERS.eventId]: event.eventId,
    [EVENT_HEADERS.source]: event.lineage.source,
    [EVENT_HEADERS.fileId]: event.lineage.fileId,
    [EVENT_HEADERS.recordNumber]: String(event.lineage.recordNumber),
    ...(recordCount > 1 ? { [EVENT_HEADERS.recordCount]: String(recordCount) } : {}),
    [EVENT_HEADERS.recordSha256]: event.lineage.recordSha256,
    ...(traceParent ? { [EVENT_HEADERS.traceParent]: traceParent } : {}),
  };
}
