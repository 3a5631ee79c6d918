import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IngestionError } from './ingestion.errors';
import {
  asFileOpenRefusal,
  openSourceBytes,
  readableSourceCompression,
  utf16WithoutByteOrderMark,
} from './source-file';

const TEXT = 'CLM_ID,CLM_THRU_DT\n1,20100101\n2,20100102\n';

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('openSourceBytes', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claims-source-file-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('gunzips a gzip file whatever its name, and counts the bytes read as stored', async () => {
    const compressed = gzipSync(TEXT);
    const path = join(folder, 'claims.csv');
    writeFileSync(path, compressed);
    let bytesRead = 0;

    expect(await readableSourceCompression(path)).toBe('gzip');
    expect(
      await readAll(openSourceBytes(path, 'gzip', 'claims.csv', { onBytesRead: (bytes) => (bytesRead += bytes) })),
    ).toBe(TEXT);
    expect(bytesRead).toBe(compressed.length);
  });

  it('hashes the bytes as stored, not as gunzipped: what a file id names', async () => {
    const compressed = gzipSync(TEXT);
    const path = join(folder, 'claims.csv.gz');
    writeFileSync(path, compressed);
    const hash = createHash('sha256');

    expect(await readAll(openSourceBytes(path, 'gzip', 'claims.csv.gz', { hash }))).toBe(TEXT);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(compressed).digest('hex'));
  });

  it('reads a plain file named .gz as the text it is', async () => {
    const path = join(folder, 'claims.csv.gz');
    writeFileSync(path, TEXT);
    expect(await readableSourceCompression(path)).toBe('none');
    expect(await readAll(openSourceBytes(path, 'none', 'claims.csv.gz'))).toBe(TEXT);
  });

  it('reads a gzip file of several members (concatenated .gz files) whole', async () => {
    const path = join(folder, 'joined.csv.gz');
    writeFileSync(path, Buffer.concat([gzipSync('a\n'), gzipSync('b\n')]));
    expect(await readAll(openSourceBytes(path, 'gzip', 'joined.csv.gz'))).toBe('a\nb\n');
  });

  it('ends a gzip file cut short with FILE_COMPRESSION_INVALID naming the file', async () => {
    const compressed = gzipSync(TEXT.repeat(100));
    const path = join(folder, 'cut.csv.gz');
    writeFileSync(path, compressed.subarray(0, compressed.length - 12));
    const error = await readAll(openSourceBytes(path, 'gzip', 'cut.csv.gz')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestionError);
    expect(error).toMatchObject({
      code: 'FILE_COMPRESSION_INVALID',
      message: 'cut.csv.gz is not a complete gzip file',
    });
  });

  it('refuses a gzip file whose members are followed by zero padding and a further member, rather than drop it', async () => {
    // What a download manager that preallocates leaves when it resumes a concatenated .gz: zlib stops at the NULs.
    const path = join(folder, 'padded.csv.gz');
    writeFileSync(path, Buffer.concat([gzipSync('h\na\n'), Buffer.alloc(16), gzipSync('b\n')]));
    const error = await readAll(openSourceBytes(path, 'gzip', 'padded.csv.gz')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IngestionError);
    expect(error).toMatchObject({ code: 'FILE_COMPRESSION_INVALID' });
    expect((error as Error).message).toMatch(/^padded\.csv\.gz holds bytes after its gzip data/);
  });

  it('refuses a gzip file followed by NUL padding over several read chunks, which no gunzipping reads', async () => {
    const path = join(folder, 'zero-tail.csv.gz');
    writeFileSync(path, Buffer.concat([gzipSync(TEXT), Buffer.alloc(1024 * 1024)]));
    const error = await readAll(openSourceBytes(path, 'gzip', 'zero-tail.csv.gz')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FILE_COMPRESSION_INVALID' });
  });
});

describe('readableSourceCompression', () => {
  const folder = mkdtempSync(join(tmpdir(), 'claims-source-compression-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses a ZIP archive whatever its name, naming the file and what to do', async () => {
    // A local file header's first bytes: what DE1_0_2008_to_2010_Carrier_Claims_Sample_1A.zip starts with.
    const path = join(folder, 'carrier-claims.csv');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]), Buffer.from(TEXT)]),
    );
    await expect(readableSourceCompression(path, 'carrier-claims.csv')).rejects.toMatchObject({
      code: 'FILE_COMPRESSION_UNSUPPORTED',
      message:
        'carrier-claims.csv is a ZIP archive: unzip it and ingest the files it holds, or save a workbook as CSV (gzip is read as it is)',
    });
  });

  it('refuses a document no layout reads as another kind of refusal, saying what to send instead', async () => {
    const path = join(folder, 'pended-queue.csv');
    writeFileSync(path, '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
    await expect(readableSourceCompression(path, 'pended-queue.csv')).rejects.toMatchObject({
      code: 'FILE_FORMAT_UNSUPPORTED',
      message: 'pended-queue.csv is a PDF document: ingest the export it was printed from',
    });
  });

  it('reads a file shorter than the magic bytes as plain', async () => {
    const path = join(folder, 'one-byte.csv');
    writeFileSync(path, 'P');
    expect(await readableSourceCompression(path)).toBe('none');
  });
});

describe('utf16WithoutByteOrderMark', () => {
  const header = 'DESYNPUF_ID,CLM_ID,CLM_FROM_DT\r';

  it('tells UTF-16 text saved without its byte-order mark, in either byte order', () => {
    expect(utf16WithoutByteOrderMark(Buffer.from(header, 'utf16le'))).toBe('utf-16le');
    expect(utf16WithoutByteOrderMark(Buffer.from(header, 'utf16le').swap16())).toBe('utf-16be');
    // Big-endian split at its LF keeps the LF's leading NUL: an odd length still reads as UTF-16.
    expect(utf16WithoutByteOrderMark(Buffer.concat([Buffer.from(header, 'utf16le').swap16(), Buffer.from([0])]))).toBe(
      'utf-16be',
    );
  });

  it('does not take UTF-8 text holding a NUL, or binary bytes, for UTF-16', () => {
    expect(utf16WithoutByteOrderMark(Buffer.from('DESYNPUF_ID,CLM_ID\u0000,CLM_FROM_DT'))).toBeNull();
    expect(utf16WithoutByteOrderMark(Buffer.from([0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(utf16WithoutByteOrderMark(Buffer.from([0x41, 0]))).toBeNull();
  });
});

describe('asFileOpenRefusal', () => {
  const systemError = (code: string): Error =>
    Object.assign(new Error(`${code}: open '/srv/claims/march.csv'`), { code });

  it('refuses a file without read permission by name (FILE_UNREADABLE), never with its full path', () => {
    const refusal = asFileOpenRefusal(systemError('EACCES'), 'march.csv');
    expect(refusal).toBeInstanceOf(IngestionError);
    expect(refusal).toMatchObject({
      code: 'FILE_UNREADABLE',
      message: 'march.csv cannot be read by the ingestor: permission denied',
    });
  });

  it('refuses a file gone since it was found as not found, and leaves any other failure as it is', () => {
    expect(asFileOpenRefusal(systemError('ENOENT'), 'march.csv')).toMatchObject({ code: 'FILE_NOT_FOUND' });
    const other = systemError('EIO');
    expect(asFileOpenRefusal(other, 'march.csv')).toBe(other);
  });
});
