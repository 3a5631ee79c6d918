import { claimEventHeaders, sha256Hex, type Lineage } from '@claims/contracts';
import { outboundMessageBytes, sourceRecordDeadLetter, type OutboundMessage } from '@claims/kafka';
import {
  X12Error,
  transactionSetText,
  notFoldedSkip,
  x12DispositionOf,
  x12RawRecordEvent,
  type X12EnvelopeItem,
  type X12Layout,
  type X12Skip,
  type X12ErrorCode,
} from '@claims/x12';
import { NOT_TEXT_REASONS, holdsNulCharacter, holdsUndecodableBytes } from '@claims/source-layouts';
import type { SourceRecordMessage } from './source-record-message';

export interface X12RecordContext {
  source: string;
  fileId: string;
  maxRecordBytes: number;
  traceParent: string;
  now: Date;
}

/** A transaction set's message, or its skip: read, recognised and deliberately not published. */
export type X12RecordOutcome =
  | SourceRecordMessage
  | { kind: 'skipped'; code: X12Skip['code']; reason: string; recordNumber: number };

function deadLetter(
  errorCode: X12ErrorCode | 'RECORD_TOO_LARGE' | 'RECORD_ENCODING_INVALID',
  reason: string,
  record: string,
  recordNumber: number,
  context: X12RecordContext,
): SourceRecordMessage {
  const bytes = Buffer.from(record);
  const lineage: Lineage = {
    source: context.source,
    fileId: context.fileId,
    recordNumber,
    recordSha256: sha256Hex(bytes),
  };
  return {
    kind: 'dead_letter',
    errorCode,
    recordNumber,
    message: sourceRecordDeadLetter({
      record: bytes,
      lineage,
      failure: { code: errorCode, reason },
      failedAt: context.now,
    }),
  };
}

/**
 * What one item of an X12 file becomes: a transaction set's raw event (its
 * layout from ST01 and the implementation guide, its envelope context as
 * the header), or a dead letter whose reason locates the failure by segment
 * and element. A transaction set of a type the pipeline recognises but does
 * not fold (270, 271, 276, 834, ...) or of an older version (4010) is
 * skipped with its reason, for the ingest report to count; one of an
 * unknown type is dead-lettered with its bytes, so it is counted and
 * replayable. Lineage counts transaction sets: recordNumber is the ST's
 * ordinal in the file (a stray envelope failure takes the next one).
 */
export function x12RecordMessage(item: X12EnvelopeItem, context: X12RecordContext): X12RecordOutcome {
  if (item.kind === 'failure') {
    const notFolded = item.transaction ? notFoldedSkip(item.transaction.transactionSetId) : null;
    if (notFolded !== null) {
      return {
        kind: 'skipped',
        code: notFolded.code,
        reason: `${notFolded.reason} (its envelope failed too: ${item.failure.error.message})`,
        recordNumber: item.recordNumber,
      };
    }
    const record = item.record;
    // The reason leads with what failed (interchange, group, transaction, segment), then where.
    return deadLetter(
      item.failure.error.code,
      `${item.failure.scope}: ${item.failure.error.message}`,
      record,
      item.recordNumber,
      context,
    );
  }
  const transaction = item.transaction;
  const record = transactionSetText(transaction);
  if (holdsNulCharacter(record)) {
    // As for a text line (NOT_TEXT_REASONS): no X12 character set holds U+0000, and no store downstream could.
    const reason = `the transaction set ${NOT_TEXT_REASONS.nul_character}`;
    return deadLetter('RECORD_ENCODING_INVALID', reason, record, transaction.recordNumber, context);
  }
  if (holdsUndecodableBytes(record)) {
    // A Latin-1 name in a UTF-8 stream: published, its letters would be U+FFFD in every store; a line source's
    // row is refused alike. The dead letter keeps the set as decoded: the file is the copy to fix.
    const reason = `the transaction set ${NOT_TEXT_REASONS.invalid_utf8} (bytes read as U+FFFD)`;
    return deadLetter('RECORD_ENCODING_INVALID', reason, record, transaction.recordNumber, context);
  }
  let layout: X12Layout;
  try {
    const disposition = x12DispositionOf(transaction);
    if (disposition.kind === 'skip') {
      return {
        kind: 'skipped',
        code: disposition.code,
        reason: disposition.reason,
        recordNumber: transaction.recordNumber,
      };
    }
    layout = disposition.layout;
  } catch (error) {
    if (!(error instanceof X12Error)) throw error;
    return deadLetter(error.code, `transaction: ${error.message}`, record, transaction.recordNumber, context);
  }
  const event = x12RawRecordEvent(transaction, layout, {
    source: context.source,
    fileId: context.fileId,
    publishedAt: context.now.toISOString(),
    record,
  });
  const message: OutboundMessage = {
    key: event.lineage.recordSha256,
    value: JSON.stringify(event),
    headers: claimEventHeaders(event, context.traceParent),
  };
  const bytes = outboundMessageBytes(message);
  if (bytes > context.maxRecordBytes) {
    const reason = `the transaction set's raw event is ${bytes} bytes, over the ${context.maxRecordBytes}-byte record limit`;
    return deadLetter('RECORD_TOO_LARGE', reason, record, transaction.recordNumber, context);
  }
  return { kind: 'raw', message, rows: 1 };
}
