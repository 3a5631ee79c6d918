import { accountFile, type FileAccountingRow } from './file-accounting';

const row = (overrides: Partial<FileAccountingRow>): FileAccountingRow => ({
  file_id: 'f'.repeat(64),
  source: 'carrier.csv',
  layout: 'desynpuf.carrier',
  records_read: '200',
  folded: '195',
  duplicates: '2',
  dead_lettered: '3',
  ...overrides,
});

describe('accountFile', () => {
  it('calls a file accounted when folded, duplicates and dead letters add up to the records read', () => {
    expect(accountFile(row({}))).toMatchObject({ recordsRead: 200, folded: 195, unaccounted: 0, status: 'accounted' });
  });

  it('names the records missing between the source and the KPIs', () => {
    expect(accountFile(row({ folded: '150' }))).toMatchObject({ unaccounted: 45, status: 'records_missing' });
  });

  it('flags more outcomes than records read', () => {
    expect(accountFile(row({ folded: '196' }))).toMatchObject({ unaccounted: -1, status: 'more_records_than_read' });
  });

  it('flags records folded from a file whose ingest never reported', () => {
    expect(accountFile(row({ records_read: null, source: null }))).toMatchObject({
      recordsRead: null,
      unaccounted: null,
      status: 'no_ingest_report',
    });
  });
});
