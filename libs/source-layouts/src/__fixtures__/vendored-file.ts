import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex, type RawClaimRecord } from '@claims/contracts';
import { ClaimRowGrouper, CLAIM_GROUP_MAX_ROWS } from '../claim-row-grouper';
import type { MappedLayout } from '../mapped-layout';
import { rawRecordEvent } from '../raw-record-event';
import type { SourceLayoutRegistry } from '../source-layout-registry';

/** The repository's data/ folder: the vendored public samples and the hand-written fixtures. */
export const DATA_ROOT = path.join(__dirname, '../../../../data');

export interface VendoredFile {
  source: string;
  fileId: string;
  header: string;
  /** Data rows, line endings and blank lines aside. */
  rows: string[];
}

export function readVendoredFile(relativePath: string): VendoredFile {
  const bytes = readFileSync(path.join(DATA_ROOT, relativePath));
  const [header = '', ...rows] = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  return { source: path.basename(relativePath), fileId: sha256Hex(bytes), header, rows };
}

/**
 * The raw events the ingestor publishes for a file of a mapped layout: one per
 * row, or one per claim of rows with the same claim key (adjacent, or within
 * a block for a layout grouped `within` one).
 */
export function rawEventsOf(file: VendoredFile, layout: MappedLayout): RawClaimRecord[] {
  const binding = layout.bindHeader(file.header);
  const grouper = new ClaimRowGrouper({ maxRows: CLAIM_GROUP_MAX_ROWS, maxBytes: 900 * 1024 });
  const events: RawClaimRecord[] = [];
  const publish = (rows: Array<{ text: string; recordNumber: number; recordKey: string | null }>): void => {
    const first = rows[0];
    if (first === undefined) return;
    events.push(
      rawRecordEvent({
        layout: layout.name,
        record: rows.map((row) => row.text).join('\n'),
        recordNumber: first.recordNumber,
        recordNumbers: rows.map((row) => row.recordNumber),
        source: file.source,
        fileId: file.fileId,
        publishedAt: '2024-01-02T03:04:05.000Z',
        claimId: layout.kind === 'claim' ? first.recordKey : null,
        header: file.header,
      }),
    );
  };
  file.rows.forEach((text, index) => {
    let fields: string[] | null = null;
    try {
      fields = layout.splitRecord(text);
    } catch {
      // An unsplittable row goes on alone, unkeyed, as the ingestor sends it.
    }
    const recordKey = fields === null ? null : layout.recordKey(binding, fields);
    const row = { text, recordNumber: index + 1, byteLength: Buffer.byteLength(text), recordKey };
    if (!layout.groupsRows) publish([row]);
    else {
      const groupKey = fields === null ? null : layout.groupKey(binding, fields, recordKey);
      const blockKey = fields === null ? null : layout.blockKey(binding, fields, groupKey);
      for (const group of grouper.add(row, groupKey, blockKey)) if (group.kind === 'claim') publish(group.rows);
    }
  });
  for (const group of grouper.flush()) if (group.kind === 'claim') publish(group.rows);
  return events;
}

/** The layout a vendored file's header names, from the registry under test. */
export function mappedLayoutOf(registry: SourceLayoutRegistry, file: VendoredFile): MappedLayout {
  const detected = registry.detect(file.header);
  if (detected.mapped === null) throw new Error(`${file.source} is the hand-coded carrier layout`);
  return detected.mapped;
}
