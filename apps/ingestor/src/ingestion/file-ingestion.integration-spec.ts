import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startIngestorUnderTest, type IngestorUnderTest } from '../__tests__/ingestor-under-test';
import type { IngestProgress } from './ingestion.types';

const CARRIER = readFileSync(
  join(__dirname, '../../../../data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv'),
);
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const settle = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A carrier file of `rows` rows, each with a claim id of its own (`tag` makes the file's bytes its own). */
function carrierFile(rows: number, tag: string): Buffer {
  const lines = CARRIER.toString('utf8').trimEnd().split('\n');
  const [header, ...records] = lines;
  const body = Array.from({ length: rows }, (_, index) =>
    (records[index % records.length] ?? '').replace(/^(\w+),(\d+)/, (_whole, member: string, claim: string) =>
      [member, `${claim}${tag}${index}`].join(','),
    ),
  );
  return Buffer.from(`${[header, ...body].join('\n')}\n`);
}

/** Calls `change` once, when the file id pass has read the whole file and before the records are read. */
function onceHashed(change: () => void): (progress: IngestProgress) => void {
  let done = false;
  return (progress) => {
    if (done || progress.phase !== 'hashing' || progress.bytesRead < progress.bytesTotal) return;
    done = true;
    change();
  };
}

describe('FileIngestionService against a real broker', () => {
  let ingestor: IngestorUnderTest;

  beforeAll(async () => {
    ingestor = await startIngestorUnderTest();
  });
  afterAll(() => ingestor.close());

  it('refuses a file cut short after its id was made (FILE_CHANGED) and publishes no report for it', async () => {
    const bytes = carrierFile(200, 'cut');
    const path = join(ingestor.root, 'cut-while-read.csv');
    await writeFile(path, bytes);

    const outcome = ingestor.ingestion.ingestFile('cut-while-read.csv', {
      onProgress: onceHashed(() => truncateSync(path, Math.floor(bytes.length / 2))),
    });

    await expect(outcome).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    await settle(1000);
    expect(ingestor.ofFile(sha256(bytes)).reports).toEqual([]);
  });

  it('refuses a file rewritten with other bytes of the same size after its id was made', async () => {
    const before = carrierFile(50, 'old');
    const after = carrierFile(50, 'new');
    expect(after.length).toBe(before.length);
    const path = join(ingestor.root, 'rewritten.csv');
    await writeFile(path, before);

    const outcome = ingestor.ingestion.ingestFile('rewritten.csv', {
      onProgress: onceHashed(() => writeFileSync(path, after)),
    });

    await expect(outcome).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    await settle(1000);
    // Neither file id may carry a report: the records read were not the bytes the id names.
    expect(ingestor.ofFile(sha256(before)).reports).toEqual([]);
    expect(ingestor.ofFile(sha256(after)).reports).toEqual([]);
  });

  it('refuses a truncated gzip file before publishing any of its records', async () => {
    const whole = gzipSync(carrierFile(20_000, 'gz'));
    const truncated = whole.subarray(0, whole.length - 100);
    await writeFile(join(ingestor.root, 'truncated.csv.gz'), truncated);

    await expect(ingestor.ingestion.ingestFile('truncated.csv.gz')).rejects.toMatchObject({
      code: 'FILE_COMPRESSION_INVALID',
    });
    await expect(ingestor.ingestion.dryRunFile('truncated.csv.gz')).rejects.toMatchObject({
      code: 'FILE_COMPRESSION_INVALID',
    });
    await settle(1000);
    const published = ingestor.ofFile(sha256(truncated));
    expect([published.raw.length, published.deadLetters.length, published.reports.length]).toEqual([0, 0, 0]);
  });

  it('reads concatenated gzip members as one file, with the event ids of its plain twin', async () => {
    const bytes = carrierFile(100, 'members');
    const cut = bytes.indexOf('\n', bytes.length / 2) + 1;
    const members = Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]);
    await writeFile(join(ingestor.root, 'members.csv.gz'), members);
    await writeFile(join(ingestor.root, 'members.csv'), bytes);

    const gzipped = await ingestor.ingestion.ingestFile('members.csv.gz');
    const plain = await ingestor.ingestion.ingestFile('members.csv');

    expect(gzipped).toMatchObject({ fileId: sha256(members), recordsRead: 100, recordsPublished: 100 });
    expect(plain).toMatchObject({ fileId: sha256(bytes), recordsRead: 100, recordsPublished: 100 });
    await ingestor.reportOf(sha256(members));
    await ingestor.reportOf(sha256(bytes));
    const eventIds = (fileId: string): string[] =>
      ingestor
        .ofFile(fileId)
        .raw.map((message) => String(message.value['eventId']))
        .sort();
    expect(eventIds(sha256(members))).toHaveLength(100);
    expect(eventIds(sha256(members))).toEqual(eventIds(sha256(bytes)));
  });

  it('reads an X12 file, plain and gzipped, whole: every transaction set accounted for', async () => {
    const x12 = readFileSync(
      join(__dirname, '../../../../data/x12/linuxforhealth/837_005010X222A2/demo.autoaccident.837'),
    );
    // Blank lines after the interchange, as an editor leaves them.
    const plain = Buffer.concat([x12, Buffer.from('\n\n\n')]);
    await writeFile(join(ingestor.root, 'claims.837'), plain);
    await writeFile(join(ingestor.root, 'claims.837.gz'), gzipSync(plain));

    for (const name of ['claims.837', 'claims.837.gz']) {
      const report = await ingestor.ingestion.ingestFile(name);
      expect(report).toMatchObject({ layout: 'x12', recordsRead: 1 });
      expect(report.recordsPublished + report.recordsDeadLettered).toBe(report.recordsRead);
    }
  });

  it('a job cancelled mid-file publishes no report; ingesting the file again accounts for every record', async () => {
    const bytes = carrierFile(40, 'cancelled');
    await writeFile(join(ingestor.root, 'cancelled.csv'), bytes);
    const { view, finished } = await ingestor.jobs.start('cancelled.csv', { ratePerSecond: 20 }, { origin: 'request' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    ingestor.jobs.registry.cancel(view.ingestId);

    expect(await finished).toMatchObject({ state: 'failed', error: { code: 'INGEST_CANCELLED' } });
    await ingestor.ingestion.whenIdle();
    await settle(500);
    const partial = ingestor.ofFile(sha256(bytes));
    expect(partial.reports).toEqual([]);
    expect(partial.raw.length).toBeGreaterThan(0);
    expect(partial.raw.length).toBeLessThan(40);

    const report = await ingestor.ingestion.ingestFile('cancelled.csv');
    expect(report).toMatchObject({ recordsRead: 40, recordsPublished: 40, recordsDeadLettered: 0 });
    await ingestor.reportOf(sha256(bytes));
    const eventIds = new Set(ingestor.ofFile(sha256(bytes)).raw.map((message) => String(message.value['eventId'])));
    // The records of the cancelled run come again with the same ids: 40 events in all.
    expect(eventIds.size).toBe(40);
  });

  it('refuses a named pipe or a folder under the root at once, saying what it is, without opening it', async () => {
    execFileSync('mkfifo', [join(ingestor.root, 'pipe.csv')]);
    mkdirSync(join(ingestor.root, 'folder.csv'));

    // Opened, a pipe with no writer would hold the job (and its door's answer) until one came.
    await expect(ingestor.ingestion.checkSourceFile('pipe.csv')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: 'pipe.csv is a named pipe, not a file',
    });
    await expect(ingestor.ingestion.ingestFile('pipe.csv')).rejects.toMatchObject({
      message: 'pipe.csv is a named pipe, not a file',
    });
    await expect(ingestor.ingestion.checkSourceFile('folder.csv')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: 'folder.csv is a folder, not a file',
    });
  });

  it('dead-letters a claim row that is not UTF-8 alone and keeps the rows around it one record of their claim', async () => {
    // The middle row's location is Latin-1 (0xE9 for é): that row cannot be text, its neighbours can.
    const bytes = Buffer.concat([
      Buffer.from(
        'Claim_ID,Provider_ID,Procedure_code,Diagnosis_code,service_date,Payer,Claim_amnt,Paid_amnt,claim_status,Location\n' +
          'BX-LATIN1-0001,1245319599,99213,E11.9,03/04/2024,Aetna,$185.00,$142.50,paid,Main Street Clinic\n' +
          'BX-LATIN1-0001,1245319599,83036,E11.9,03/04/2024,Aetna,$48.00,$36.10,paid,Caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from(
        ' Clinic\nBX-LATIN1-0001,1245319599,36415,E11.9,03/04/2024,Aetna,$12.00,$9.25,paid,Main Street Clinic\n',
      ),
    ]);
    await writeFile(join(ingestor.root, 'latin1-row.csv'), bytes);

    const report = await ingestor.ingestion.ingestFile('latin1-row.csv');
    await ingestor.reportOf(report.fileId);

    const published = ingestor.ofFile(report.fileId);
    expect(published.deadLetters.map((letter) => letter.value['errorCode'])).toEqual(['RECORD_ENCODING_INVALID']);
    // One record of the claim, its first and third rows: two records would be two versions, the later replacing the earlier.
    expect(published.raw.map((message) => message.value['lineage'])).toEqual([
      expect.objectContaining({ recordNumber: 1, recordCount: 2, recordNumbers: [1, 3] }),
    ]);
  });

  it('refuses UTF-16 text saved without its byte-order mark, saying what it is and what to send, and publishes nothing', async () => {
    const text = carrierFile(3, 'utf16').toString('utf8').replace(/\n/g, '\r\n');
    const littleEndian = Buffer.from(text, 'utf16le');
    const bigEndian = Buffer.from(text, 'utf16le').swap16();
    await writeFile(join(ingestor.root, 'export-le.csv'), littleEndian);
    await writeFile(join(ingestor.root, 'export-be.csv'), bigEndian);

    await expect(ingestor.ingestion.checkSourceFile('export-le.csv')).rejects.toMatchObject({
      code: 'LAYOUT_UNKNOWN',
      message:
        'export-le.csv is UTF-16 (little-endian) text without a byte-order mark: save it as UTF-8, or as UTF-16 with its byte-order mark',
    });
    await expect(ingestor.ingestion.ingestFile('export-be.csv')).rejects.toMatchObject({
      code: 'LAYOUT_UNKNOWN',
      message:
        'export-be.csv is UTF-16 (big-endian) text without a byte-order mark: save it as UTF-8, or as UTF-16 with its byte-order mark',
    });
    await settle(500);
    const published = ingestor.ofFile(sha256(bigEndian));
    expect([published.raw.length, published.deadLetters.length, published.reports.length]).toEqual([0, 0, 0]);
  });
});
