import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IngestionError } from './ingestion.errors';
import { isGzipMagic, openSourceBytes, sourceCompressionOf } from './source-file';

const TEXT = 'CLM_ID,CLM_THRU_DT\n1,20100101\n2,20100102\n';

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('isGzipMagic', () => {
  it('recognises gzip by its first two bytes, 1f 8b, and nothing shorter or else', () => {
    expect(isGzipMagic(gzipSync(TEXT))).toBe(true);
    expect(isGzipMagic(Buffer.from(TEXT))).toBe(false);
    expect(isGzipMagic(Buffer.from([0x1f]))).toBe(false);
    expect(isGzipMagic(Buffer.alloc(0))).toBe(false);
  });
});

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

    expect(await sourceCompressionOf(path)).toBe('gzip');
    expect(
      await readAll(openSourceBytes(path, 'gzip', 'claims.csv', { onBytesRead: (bytes) => (bytesRead += bytes) })),
    ).toBe(TEXT);
    expect(bytesRead).toBe(compressed.length);
  });

  it('reads a plain file named .gz as the text it is', async () => {
    const path = join(folder, 'claims.csv.gz');
    writeFileSync(path, TEXT);
    expect(await sourceCompressionOf(path)).toBe('none');
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
});
