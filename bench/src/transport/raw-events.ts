import { claimEventHeaders, rawEventId, sha256Hex } from '@claims/contracts';
import type { OutboundMessage } from '@claims/kafka';
import { linesOf, rawRecordEvent } from '@claims/source-layouts';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BenchLayout } from '../generator/file-catalog';

/** A W3C traceparent per record, as the ingestor makes one. */
function newTraceParent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

function claimIdOf(record: string): string | null {
  const start = record.indexOf(',') + 1;
  const end = record.indexOf(',', start);
  const claimId = record.slice(start, end === -1 ? undefined : end).trim();
  return start === 0 || claimId === '' ? null : claimId;
}

/**
 * The claims.raw.v1 message the ingestor would publish for one record:
 * for carrier records the product's own rawRecordEvent, so the bytes on the
 * wire are the same; inpatient and outpatient records (no layout in the
 * contracts yet) get the same envelope with their layout name.
 */
export function rawMessageFor(
  layout: BenchLayout,
  record: string,
  lineage: { source: string; fileId: string; recordNumber: number },
): OutboundMessage {
  const publishedAt = new Date().toISOString();
  if (layout === 'carrier') {
    const event = rawRecordEvent({ layout: 'desynpuf.carrier', record, ...lineage, publishedAt });
    return {
      key: event.claimId ?? event.lineage.recordSha256,
      value: JSON.stringify(event),
      headers: claimEventHeaders(event, newTraceParent()),
    };
  }
  const recordSha256 = sha256Hex(record);
  const claimId = claimIdOf(record);
  const sourceLayout = `desynpuf.${layout}`;
  const event = {
    schemaVersion: 1,
    eventId: rawEventId(sourceLayout, claimId ?? '', recordSha256),
    layout: sourceLayout,
    claimId,
    lineage: { ...lineage, recordSha256 },
    record,
    publishedAt,
  };
  return {
    key: claimId ?? recordSha256,
    value: JSON.stringify(event),
    headers: claimEventHeaders(event, newTraceParent()),
  };
}

/** Bytes a message puts on the wire before framing: key, value and headers. */
export function messageBytes(message: OutboundMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

/** The raw messages of a file's first `count` records, serialized ahead so that sending measures transport only. */
export async function serializeRawMessages(input: {
  path: string;
  source: string;
  fileId: string;
  layout: BenchLayout;
  count: number;
}): Promise<OutboundMessage[]> {
  const messages: OutboundMessage[] = [];
  let header = true;
  for await (const line of linesOf(createReadStream(input.path, { highWaterMark: 256 * 1024 }))) {
    if (header) {
      header = false;
      continue;
    }
    if (line === '') continue;
    messages.push(
      rawMessageFor(input.layout, line, {
        source: input.source,
        fileId: input.fileId,
        recordNumber: messages.length + 1,
      }),
    );
    if (messages.length >= input.count) break;
  }
  return messages;
}
