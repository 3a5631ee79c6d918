import {
  formatBytes,
  formatDryRunReport,
  formatIngestProgress,
  formatIngestReport,
  progressBar,
  type FileAccountingView,
} from './ingest-progress';
import { parseDlqArguments } from './dlq-arguments';

const reading = {
  source: 'claims.csv',
  phase: 'reading' as const,
  bytesRead: 450_000,
  bytesTotal: 1_000_000,
  recordsRead: 9_000,
  recordsDeadLettered: 3,
};

describe('formatBytes', () => {
  it('writes sizes in B, KB, MB and GB as a file manager does', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500)).toBe('1.50 KB');
    expect(formatBytes(27_100_000)).toBe('27.1 MB');
    expect(formatBytes(4_294_967_296)).toBe('4.29 GB');
  });
});

describe('progressBar', () => {
  it('fills its cells in proportion, clamped to empty and full', () => {
    expect(progressBar(0.5, 10)).toBe('[#####.....]');
    expect(progressBar(-1, 4)).toBe('[....]');
    expect(progressBar(2, 4)).toBe('[####]');
  });
});

describe('formatIngestProgress', () => {
  it('shows a bar, the share of bytes, records, records per second and the DLQ count on a terminal', () => {
    expect(formatIngestProgress(reading, 3, { terminal: true })).toBe(
      'claims.csv [#########...........] 45% of 1.00 MB  9,000 records  3,000 records/s  DLQ 3',
    );
  });

  it('writes a plain log line when not on a terminal', () => {
    expect(formatIngestProgress(reading, 3, { terminal: false })).toBe(
      'ingest: claims.csv: 45% of 1.00 MB, 9,000 records, 3,000 records/s, DLQ 3',
    );
  });

  it('says the file is being hashed before its records are read', () => {
    expect(formatIngestProgress({ ...reading, phase: 'hashing', bytesRead: 250_000 }, 0, { terminal: false })).toBe(
      'ingest: claims.csv: hashing 25% of 1.00 MB',
    );
  });
});

describe('formatIngestReport', () => {
  const report = {
    source: 'claims.csv',
    fileId: 'ab'.repeat(32),
    layout: 'desynpuf.carrier',
    recordsRead: 100,
    recordsPublished: 99,
    recordsDeadLettered: 1,
    durationSeconds: 2,
  };
  const accounting: FileAccountingView = {
    source: 'claims.csv',
    fileId: 'ab'.repeat(32),
    layout: 'desynpuf.carrier',
    status: 'accounted',
    recordsRead: 100,
    folded: 96,
    duplicates: 1,
    deadLettered: 3,
    unaccounted: 0,
    deadLettersByReason: [{ stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', records: 2 }],
    firstEventDate: '2008-01-01',
    lastEventDate: '2010-12-31',
  };

  it('adds up the accounting to the records read, with the dead letters by reason', () => {
    const text = formatIngestReport(report, accounting);
    expect(text).toContain('every record accounted for: folded 96 + duplicate 1 + dead-lettered 3 = 100 of 100 read');
    expect(text).toContain('dead letters: normalizer DATE_OUT_OF_RANGE 2');
    expect(text).toContain('event dates 2008-01-01 to 2010-12-31');
  });

  it.each(['claims.csv', '-claims.csv', '--claims.csv', 'claims 2024.csv'])(
    'suggests a dlq command for the dead letters of %j that the dlq command line reads as that file',
    (source) => {
      const text = formatIngestReport({ ...report, source }, { ...accounting, source });
      const suggested = /\(npm run dlq -- (.*)\)$/m.exec(text)?.[1];
      expect(suggested).toBeDefined();
      const file = parseDlqArguments((suggested ?? '').split(' ')).file;
      expect([source, report.fileId]).toContain(file);
    },
  );

  it('names what the file held and the pipeline does not fold, so a file read as zero records says why', () => {
    const enrollment = {
      ...report,
      source: 'add-dependent.834',
      layout: 'x12',
      recordsRead: 0,
      recordsPublished: 0,
      recordsDeadLettered: 0,
      recordsSkipped: 1,
      skippedByReason: [
        {
          code: 'X12_TRANSACTION_NOT_FOLDED',
          reason: 'transaction set 834 (benefit enrollment) is not folded into any KPI',
          records: 1,
        },
      ],
    };
    for (const text of [formatIngestReport(enrollment, null), formatIngestReport(enrollment, accounting)]) {
      expect(text).toContain(
        '  skipped 1: transaction set 834 (benefit enrollment) is not folded into any KPI (X12_TRANSACTION_NOT_FOLDED)',
      );
    }
    expect(formatIngestReport(report, accounting)).not.toContain('skipped');
  });

  it('says so when not every record is accounted for', () => {
    expect(formatIngestReport(report, { ...accounting, status: 'records_missing', folded: 90 })).toContain(
      'NOT all accounted for (records_missing)',
    );
  });
});

describe('formatDryRunReport', () => {
  it('says nothing was published and what would be dead-lettered, by reason', () => {
    const text = formatDryRunReport({
      source: 'claims.csv',
      fileId: 'cd'.repeat(32),
      layout: 'desynpuf.carrier',
      recordsRead: 10,
      recordsValid: 8,
      recordsDeadLettered: 2,
      deadLettersByReason: [{ stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', records: 2 }],
    });
    expect(text.split('\n')).toEqual([
      'claims.csv (dry run, nothing published; desynpuf.carrier, sha256 cdcdcdcdcdcd…)',
      '  10 records: 8 valid, 2 would be dead-lettered',
      '  would be dead-lettered: normalizer DATE_OUT_OF_RANGE 2',
    ]);
  });
});
