import { DESYNPUF_CARRIER_LAYOUT, type ClaimEvent } from '@claims/contracts';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { NOT_TEXT_REASONS, boundedLinesOf } from './lines-of';
import { normalizeSourceRecord } from './normalize-raw-record';
import { rawRecordEvent } from './raw-record-event';
import type { SourceLayoutRegistry } from './source-layout-registry';
import { SourceRecordError } from './source-record.errors';

/** A stand-in file id: these events are read for what they name, never published. */
const UNPUBLISHED_FILE_ID = '0'.repeat(64);
/** The longest line read as a record; a longer one is skipped, as a row that does not normalize. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The canonical claims of a local file, read row by row in constant memory,
 * for tools that need what claims name (identifiers, dates) without running
 * the pipeline: the synthetic directory builder. Rows that do not normalize
 * are skipped; a file's rows of one multi-row claim come out one by one.
 */
export async function* claimEventsOfFile(
  path: string,
  options: { layouts: SourceLayoutRegistry; patientTokenKey: string },
): AsyncGenerator<ClaimEvent, void, undefined> {
  const bytes = createReadStream(path);
  const chunks = path.endsWith('.gz') ? bytes.pipe(createGunzip()) : bytes;
  let header: string | null = null;
  let layout = '';
  let recordNumber = 0;
  const publishedAt = new Date(0).toISOString();
  for await (const sourceLine of boundedLinesOf(chunks, { maxLineBytes: MAX_LINE_BYTES })) {
    if (sourceLine.kind !== 'line') {
      // Not UTF-8 text, or too large: the ingestor dead-letters such a row, and the rows after it go on.
      if (header === null) {
        const reason = sourceLine.kind === 'not_text' ? NOT_TEXT_REASONS[sourceLine.cause] : 'is too large';
        throw new SourceRecordError('LAYOUT_UNKNOWN', `the header row ${reason}`);
      }
      recordNumber += 1;
      continue;
    }
    const line = sourceLine.text;
    if (line.trim() === '') continue;
    if (header === null) {
      header = line;
      layout = options.layouts.detect(line).name;
      continue;
    }
    recordNumber += 1;
    const raw = rawRecordEvent({
      layout,
      record: line,
      recordNumber,
      source: basename(path),
      fileId: UNPUBLISHED_FILE_ID,
      publishedAt,
      header: layout === DESYNPUF_CARRIER_LAYOUT ? null : header,
      ...(layout === DESYNPUF_CARRIER_LAYOUT ? {} : { claimId: null }),
    });
    try {
      const normalized = normalizeSourceRecord(raw, options);
      if (normalized.kind === 'claim') yield normalized.event;
    } catch (error) {
      if (!(error instanceof SourceRecordError)) throw error;
    }
  }
}
