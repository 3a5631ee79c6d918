import { claimEventHeaders } from '@claims/contracts';
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
 * The claims.raw.v1 message the ingestor would publish for one record, built
 * by the product's own rawRecordEvent so that the bytes on the wire are the
 * same: a carrier record alone; an inpatient or outpatient record (a layout
 * read by column name) with the file's header row, which the ingestor
 * carries on every such raw event, and its claim id (CLM_ID, the second
 * column) as the ingestor reads it.
 */
export function rawMessageFor(
  layout: BenchLayout,
  record: string,
  lineage: { source: string; fileId: string; recordNumber: number },
  header: string | null = null,
): OutboundMessage {
  const publishedAt = new Date().toISOString();
  const event =
    layout === 'carrier'
      ? rawRecordEvent({ layout: 'desynpuf.carrier', record, ...lineage, publishedAt })
      : rawRecordEvent({
          layout: `desynpuf.${layout}`,
          record,
          ...lineage,
          publishedAt,
          claimId: claimIdOf(record),
          header,
        });
  return {
    key: event.claimId ?? event.lineage.recordSha256,
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
  let header: string | null = null;
  for await (const line of linesOf(createReadStream(input.path, { highWaterMark: 256 * 1024 }))) {
    if (header === null) {
      header = line;
      continue;
    }
    if (line === '') continue;
    messages.push(
      rawMessageFor(
        input.layout,
        line,
        { source: input.source, fileId: input.fileId, recordNumber: messages.length + 1 },
        header,
      ),
    );
    if (messages.length >= input.count) break;
  }
  return messages;
}
