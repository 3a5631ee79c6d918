import { claimEventHeaders } from '@claims/contracts';
import type { OutboundMessage } from '@claims/kafka';
import {
  linesOf,
  loadSourceLayouts,
  rawRecordEvent,
  type MappedLayout,
  type SourceLayoutRegistry,
} from '@claims/source-layouts';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BenchLayout } from '../generator/file-catalog';

/** A W3C traceparent per record, as the ingestor makes one. */
function newTraceParent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

let shippedLayouts: SourceLayoutRegistry | null = null;

/** The shipped mapping file of a layout read by column name; the layouts are loaded once per process. */
function mappedLayoutNamed(name: string): MappedLayout {
  shippedLayouts ??= loadSourceLayouts();
  const layout = shippedLayouts.mapped(name);
  if (layout === undefined) throw new Error(`no shipped layout named ${name}`);
  return layout;
}

/** The record's claim id as the ingestor reads it: the layout's key columns, found by the file's header. */
function claimIdOf(layout: MappedLayout, header: string | null, record: string): string | null {
  if (header === null) return null;
  return layout.recordKey(layout.bindHeader(header), layout.splitRecord(record));
}

/**
 * The claims.raw.v1 message the ingestor would publish for one record, built
 * by the product's own rawRecordEvent so that the bytes on the wire are the
 * same: a carrier record alone; an inpatient or outpatient record (a layout
 * read by column name) with the file's header row, which the ingestor
 * carries on every such raw event, and its claim id as the ingestor reads
 * it (the layout's key columns, found by the header).
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
          claimId: claimIdOf(mappedLayoutNamed(`desynpuf.${layout}`), header, record),
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
