import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { receiveUpload } from './upload-body';

describe('receiveUpload', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'upload-body-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  // The file is opened lazily: a removal before the open completes would leave the file the open then creates.
  const leftAfterSettling = async (): Promise<string[]> => {
    await sleep(100);
    return readdirSync(folder);
  };

  it('writes the body to the file and gives its size and SHA-256', async () => {
    const path = join(folder, '.incoming-whole');
    const received = await receiveUpload(Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]), path, 1_000);
    expect(received).toEqual({ bytes: 8, sha256: createHash('sha256').update('a,b\n1,2\n').digest('hex') });
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('leaves no partial file when the sender hangs up before the first byte, even while the file is still opening', async () => {
    const hungUp = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(receiveUpload(hungUp, join(folder, '.incoming-hung-up'), 1_000)).rejects.toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
    });
    expect(await leftAfterSettling()).toEqual([]);
  });

  it('fails the upload, without an unhandled stream error, when the sender hangs up while a chunk is being written', async () => {
    let reads = 0;
    const cutMidway = new Readable({
      read() {
        reads += 1;
        if (reads === 1) this.push(Buffer.alloc(1024, 'x'));
        else this.destroy(new Error('socket hang up'));
      },
    });
    await expect(receiveUpload(cutMidway, join(folder, '.incoming-cut'), 1_000_000)).rejects.toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
    });
    expect(await leftAfterSettling()).toEqual([]);
  });

  it('leaves no partial file when the first chunk is already over the limit', async () => {
    await expect(
      receiveUpload(Readable.from([Buffer.alloc(2_000, 'x')]), join(folder, '.incoming-too-large'), 1_000),
    ).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    expect(await leftAfterSettling()).toEqual([]);
  });
});
