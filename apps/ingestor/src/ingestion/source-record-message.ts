import { claimEventHeaders, sha256Hex, type Lineage, type SourceLayout } from '@claims/contracts';
import { outboundMessageBytes, sourceRecordDeadLetter, type OutboundMessage } from '@claims/kafka';
import {
  NOT_TEXT_REASONS,
  rawRecordEvent,
  type GroupLimits,
  type RowGroup,
  type SourceLine,
} from '@claims/source-layouts';
import type { X12ErrorCode } from '@claims/x12';

/** Why the ingestor itself dead-letters a source record instead of publishing it (an X12 file adds its envelope codes). */
export type IngestDeadLetterCode =
  | 'RECORD_TOO_LARGE'
  | 'RECORD_ENCODING_INVALID'
  | 'GROUP_TOO_LARGE'
  | 'ROW_REPEATED'
  | X12ErrorCode;

export type SourceRecordMessage =
  /** A raw event standing for `rows` source rows (more than one for a multi-row claim). */
  | { kind: 'raw'; message: OutboundMessage; rows: number }
  /** The dead letter of one source row. */
  | { kind: 'dead_letter'; message: OutboundMessage; errorCode: IngestDeadLetterCode; recordNumber: number };

export interface SourceRecordContext {
  layout: SourceLayout;
  source: string;
  fileId: string;
  recordNumber: number;
  /** The largest record, and raw event, the broker is asked to take. */
  maxRecordBytes: number;
  traceParent: string;
  now: Date;
  /** For a layout read by column name: the file's header row, carried on every raw event. */
  header?: string | null;
  /** The record's key as read by the ingestor; the carrier layout reads its own when absent. */
  claimId?: string | null;
  /** Set for a member-reference layout: the raw event carries no claim id, and is keyed by member. */
  memberKey?: boolean;
}

function deadLetter(
  errorCode: IngestDeadLetterCode,
  reason: string,
  record: { bytes: Buffer; fullBytes?: number; sha256: string },
  context: Pick<SourceRecordContext, 'source' | 'fileId' | 'recordNumber' | 'now'>,
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
    recordNumber: context.recordNumber,
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
 * The raw event of `rows` (joined by LF; at `recordNumbers`, for rows of one
 * claim), its size, and whether the broker would take it.
 */
function rawMessage(
  rows: readonly string[],
  context: SourceRecordContext,
  recordNumbers?: readonly number[],
): { message: OutboundMessage; bytes: number; withinLimit: boolean; recordSha256: string } {
  const key = context.memberKey ? null : context.claimId;
  const event = rawRecordEvent({
    layout: context.layout,
    record: rows.join('\n'),
    recordNumber: context.recordNumber,
    recordCount: rows.length,
    ...(recordNumbers === undefined ? {} : { recordNumbers }),
    source: context.source,
    fileId: context.fileId,
    publishedAt: context.now.toISOString(),
    ...(key === undefined ? {} : { claimId: key }),
    ...(context.header === undefined ? {} : { header: context.header }),
  });
  const message: OutboundMessage = {
    // A record without a readable key still goes on (the normalizer dead-letters
    // it with the reason); its bytes' hash keeps it keyed.
    key: (context.memberKey ? context.claimId : event.claimId) ?? event.lineage.recordSha256,
    value: JSON.stringify(event),
    headers: claimEventHeaders(event, context.traceParent),
  };
  const bytes = outboundMessageBytes(message);
  return { message, bytes, withinLimit: bytes <= context.maxRecordBytes, recordSha256: event.lineage.recordSha256 };
}

/**
 * What one data record of a file becomes: its claims.raw.v1 event, or a
 * dead letter when no broker would take it (too large as bytes, or once JSON
 * escaping has grown it) or when it is not text (not UTF-8, or holding a NUL). Reasons give sizes and
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
    case 'not_text':
      return deadLetter(
        'RECORD_ENCODING_INVALID',
        `the record ${NOT_TEXT_REASONS[line.cause]}`,
        { bytes: line.bytes, sha256: sha256Hex(line.bytes) },
        context,
      );
    case 'line': {
      const raw = rawMessage([line.text], context);
      if (!raw.withinLimit) {
        return deadLetter(
          'RECORD_TOO_LARGE',
          `the record's raw event is ${raw.bytes} bytes, over the ${limit}-byte record limit`,
          { bytes: line.bytes, sha256: raw.recordSha256 },
          context,
        );
      }
      return { kind: 'raw', message: raw.message, rows: 1 };
    }
  }
}

/**
 * What the rows of one claim become: one raw event for all of them,
 * or — when the claim is past the group limit, or its raw event past the
 * record limit — one dead letter per row, so that every row is accounted for
 * and none of a claim is published in part.
 */
export function rowGroupMessages(
  group: RowGroup,
  context: Omit<SourceRecordContext, 'recordNumber' | 'claimId'>,
  limits: GroupLimits,
): SourceRecordMessage[] {
  const first = group.rows[0];
  if (first === undefined) return [];
  const perRow = (errorCode: IngestDeadLetterCode, reason: string): SourceRecordMessage[] =>
    group.rows.map((row) => {
      const bytes = Buffer.from(row.text);
      return deadLetter(
        errorCode,
        reason,
        { bytes, sha256: sha256Hex(bytes) },
        { ...context, recordNumber: row.recordNumber },
      );
    });
  if (group.kind === 'repeated_row') {
    // Joined, it would add its lines to the claim a second time; published alone, it would replace the claim.
    return perRow(
      'ROW_REPEATED',
      `the row repeats row ${group.repeats} of its claim byte for byte: a claim's segment read twice`,
    );
  }
  if (group.kind === 'over_limit') {
    return perRow(
      'GROUP_TOO_LARGE',
      `the claim's rows are over the group limit of ${limits.maxRows} rows or ${limits.maxBytes} bytes`,
    );
  }
  const raw = rawMessage(
    group.rows.map((row) => row.text),
    { ...context, recordNumber: first.recordNumber, claimId: first.recordKey },
    group.rows.map((row) => row.recordNumber),
  );
  if (raw.withinLimit) return [{ kind: 'raw', message: raw.message, rows: group.rows.length }];
  const what = group.rows.length > 1 ? "the claim's raw event" : "the record's raw event";
  return perRow(
    'RECORD_TOO_LARGE',
    `${what} is ${raw.bytes} bytes, over the ${context.maxRecordBytes}-byte record limit`,
  );
}
