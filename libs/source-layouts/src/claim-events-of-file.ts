import { DESYNPUF_CARRIER_LAYOUT, type ClaimEvent } from '@claims/contracts';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { linesOf } from './lines-of';
import { normalizeSourceRecord } from './normalize-raw-record';
import { rawRecordEvent } from './raw-record-event';
import type { SourceLayoutRegistry } from './source-layout-registry';
import { SourceRecordError } from './source-record.errors';

/** A stand-in file id: these events are read for what they name, never published. */
const UNPUBLISHED_FILE_ID = '0'.repeat(64);

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
  for await (const line of linesOf(chunks)) {
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
