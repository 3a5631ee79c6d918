import { DESYNPUF_CARRIER_LAYOUT, type ClaimEvent } from '@claims/contracts';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { NOT_TEXT_REASONS, boundedLinesOf, type SourceLine } from './lines-of';
import { normalizeSourceRecord } from './normalize-raw-record';
import { QuotedRecordJoiner } from './quoted-records';
import { rawRecordEvent } from './raw-record-event';
import type { MappedLayout } from './mapped-layout';
import { isBlankRow, type DetectedLayout, type SourceLayoutRegistry } from './source-layout-registry';
import { SourceRecordError } from './source-record.errors';

/** A stand-in file id: these events are read for what they name, never published. */
const UNPUBLISHED_FILE_ID = '0'.repeat(64);
/** The longest line read as a record; a longer one is skipped, as a row that does not normalize. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** The most lines one record whose quoted field holds line breaks is joined from (as the ingestor joins them). */
const QUOTED_RECORD_MAX_LINES = 100;

/**
 * The canonical claims of a local file, read row by row in constant memory,
 * for tools that need what claims name (identifiers, dates) without running
 * the pipeline: the synthetic directory builder. Rows that do not normalize
 * are skipped; a file's rows of one multi-row claim come out one by one. A row
 * whose quoted field holds a line break is read as one record, as the
 * ingestor reads it (QuotedRecordJoiner).
 */
export async function* claimEventsOfFile(
  path: string,
  options: { layouts: SourceLayoutRegistry; patientTokenKey: string },
): AsyncGenerator<ClaimEvent, void, undefined> {
  const bytes = createReadStream(path);
  const chunks = path.endsWith('.gz') ? bytes.pipe(createGunzip()) : bytes;
  let header: string | null = null;
  let layout = '';
  let detectedLayout = null as DetectedLayout | null;
  let recordNumber = 0;
  const publishedAt = new Date(0).toISOString();
  // Set once the header names a quoting layout: a row whose quoted field holds a line break (a billing
  // export's Location or note) is one record, as the ingestor reads it, where each of its lines was
  // skipped as a row that does not normalize and the claim was lost.
  // Typed so, not narrowed to its first value: it is assigned in claimOf.
  let joiner = null as QuotedRecordJoiner | null;
  const recordsOf = (line: SourceLine): SourceLine[] => (joiner === null ? [line] : joiner.push(line));
  const claimOf = (sourceLine: SourceLine): ClaimEvent | null => {
    if (sourceLine.kind !== 'line') {
      // Not UTF-8 text, or too large: the ingestor dead-letters such a row, and the rows after it go on.
      if (header === null) {
        const reason = sourceLine.kind === 'not_text' ? NOT_TEXT_REASONS[sourceLine.cause] : 'is too large';
        throw new SourceRecordError('LAYOUT_UNKNOWN', `the header row ${reason}`);
      }
      recordNumber += 1;
      return null;
    }
    const line = sourceLine.text;
    if (line.trim() === '') return null;
    if (header === null) {
      header = line;
      const detected = options.layouts.detect(line);
      detectedLayout = detected;
      layout = detected.name;
      joiner = detected.mapped === null ? null : quotedRecordJoiner(detected.mapped, line);
      return null;
    }
    // Skipped, not counted, as the ingestor skips it: the record numbers stay the ingestor's.
    if (detectedLayout !== null && isBlankRow(detectedLayout, line)) return null;
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
      return normalized.kind === 'claim' ? normalized.event : null;
    } catch (error) {
      if (!(error instanceof SourceRecordError)) throw error;
      return null;
    }
  };
  for await (const sourceLine of boundedLinesOf(chunks, { maxLineBytes: MAX_LINE_BYTES })) {
    for (const record of recordsOf(sourceLine)) {
      const event = claimOf(record);
      if (event !== null) yield event;
    }
  }
  for (const record of joiner?.end() ?? []) {
    const event = claimOf(record);
    if (event !== null) yield event;
  }
}

/**
 * Joins the lines of a record whose quoted field holds line breaks, for a
 * layout that quotes, as the ingestor does: the joined lines must split into
 * the header's columns. Null for a layout without quoting (RIF extracts).
 */
function quotedRecordJoiner(layout: MappedLayout, header: string): QuotedRecordJoiner | null {
  if (layout.quote === null) return null;
  const binding = layout.bindHeader(header);
  const fitsHeader = (record: string): boolean => {
    try {
      return layout.fitsColumns(binding, layout.splitRecord(record).length);
    } catch (error) {
      if (error instanceof SourceRecordError) return false;
      throw error;
    }
  };
  return new QuotedRecordJoiner(layout.quote, fitsHeader, {
    maxRecordBytes: MAX_LINE_BYTES,
    maxLines: QUOTED_RECORD_MAX_LINES,
  });
}
