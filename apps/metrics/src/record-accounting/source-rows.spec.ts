import type { Lineage } from '@claims/contracts';
import { sourceRowsOf } from './source-rows';

const lineage = (fileId: string, rows: Partial<Lineage>): Lineage => ({
  source: 'x.csv',
  fileId,
  recordNumber: 1,
  recordSha256: 'b'.repeat(64),
  ...rows,
});

describe('sourceRowsOf', () => {
  it('expands each item to one entry per source row: one row, consecutive rows, rows apart; none without a lineage', () => {
    const items = [
      { name: 'one', lineage: lineage('f1', { recordNumber: 4 }) },
      { name: 'consecutive', lineage: lineage('f1', { recordNumber: 7, recordCount: 2 }) },
      { name: 'apart', lineage: lineage('f2', { recordNumber: 11, recordCount: 2, recordNumbers: [11, 35] }) },
      { name: 'untraced', lineage: null },
    ];
    const rows = sourceRowsOf(items, (item) => item.lineage);
    expect(rows.items.map((item) => item.name)).toEqual(['one', 'consecutive', 'consecutive', 'apart', 'apart']);
    expect(rows.fileIds).toEqual(['f1', 'f1', 'f1', 'f2', 'f2']);
    expect(rows.recordNumbers).toEqual([4, 7, 8, 11, 35]);
  });
});
