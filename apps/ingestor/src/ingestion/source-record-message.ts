import { claimEventHeaders, sha256Hex, type Lineage, type SourceLayout } from '@claims/contracts';
import { sourceRecordDeadLetter, type OutboundMessage } from '@claims/kafka';
import { rawRecordEvent, type SourceLine } from '@claims/source-layouts';

/** Why the ingestor itself dead-letters a source record instead of publishing it. */
export type IngestDeadLetterCode = 'RECORD_TOO_LARGE' | 'RECORD_ENCODING_INVALID';

export type SourceRecordMessage =
  | { kind: 'raw'; message: OutboundMessage }
  | { kind: 'dead_letter'; message: OutboundMessage; errorCode: IngestDeadLetterCode };

export interface SourceRecordContext {
  layout: SourceLayout;
  source: string;
  fileId: string;
  recordNumber: number;
  /** The largest record, and raw event, the broker is asked to take. */
  maxRecordBytes: number;
  traceParent: string;
  now: Date;
}

/** The bytes a message puts on the wire before the broker's framing: key, value and headers. */
export function outboundMessageBytes(message: OutboundMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

function deadLetter(
  errorCode: IngestDeadLetterCode,
  reason: string,
  record: { bytes: Buffer; fullBytes?: number; sha256: string },
  context: SourceRecordContext,
): SourceRecordMessage {
  const lineage: Lineage = {
    source: context.source,
    fileId: context.fileId,
    recordNumber: context.recordNumber,
    recordSha256: record.sha256,
  };
  return {
    kind: 'dead_letter',
    errorCode,
    message: sourceRecordDeadLetter({
      record: record.bytes,
      ...(record.fullBytes === undefined ? {} : { fullBytes: record.fullBytes, fullSha256: record.sha256 }),
      lineage,
      failure: { code: errorCode, reason },
      failedAt: context.now,
    }),
  };
}

/**
 * What one data record of a file becomes: its claims.raw.v1 event, or a
 * dead letter when no broker would take it (too large as bytes, or once JSON
 * escaping has grown it) or when it is not text. Reasons give sizes and
 * limits, never the record's values.
 */
export function sourceRecordMessage(line: SourceLine, context: SourceRecordContext): SourceRecordMessage {
  const limit = context.maxRecordBytes;
  switch (line.kind) {
    case 'too_large':
      return deadLetter(
        'RECORD_TOO_LARGE',
        `the record is ${line.byteLength} bytes, over the ${limit}-byte record limit`,
        { bytes: line.prefix, fullBytes: line.byteLength, sha256: line.sha256 },
        context,
      );
    case 'not_utf8':
      return deadLetter(
        'RECORD_ENCODING_INVALID',
        'the record is not UTF-8 text',
        { bytes: line.bytes, sha256: sha256Hex(line.bytes) },
        context,
      );
    case 'line': {
      const event = rawRecordEvent({
        layout: context.layout,
        record: line.text,
        recordNumber: context.recordNumber,
        source: context.source,
        fileId: context.fileId,
        publishedAt: context.now.toISOString(),
      });
      const message: OutboundMessage = {
        // A record without a readable claim id still goes on (the normalizer
        // dead-letters it with the reason); its bytes' hash keeps it keyed.
        key: event.claimId ?? event.lineage.recordSha256,
        value: JSON.stringify(event),
        headers: claimEventHeaders(event, context.traceParent),
      };
      const messageBytes = outboundMessageBytes(message);
      if (messageBytes > limit) {
        return deadLetter(
          'RECORD_TOO_LARGE',
          `the record's raw event is ${messageBytes} bytes, over the ${limit}-byte record limit`,
          { bytes: line.bytes, sha256: event.lineage.recordSha256 },
          context,
        );
      }
      return { kind: 'raw', message };
    }
  }
}
