import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAbandonedUploads } from './abandoned-uploads';

describe('removeAbandonedUploads', () => {
  const idleMilliseconds = 60_000;
  const now = new Date('2026-12-04T12:00:00Z');
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'abandoned-uploads-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const writtenAgo = (name: string, milliseconds: number): void => {
    const path = join(folder, name);
    writeFileSync(path, 'a,b\n1,');
    const at = new Date(now.getTime() - milliseconds);
    utimesSync(path, at, at);
  };

  it('removes partial uploads not written for the idle limit, and keeps those written since', async () => {
    writtenAgo('.incoming-killed-mid-body', idleMilliseconds + 1_000);
    writtenAgo('.incoming-still-arriving', idleMilliseconds - 1_000);

    await expect(removeAbandonedUploads(folder, idleMilliseconds, now)).resolves.toBe(1);
    expect(readdirSync(folder)).toEqual(['.incoming-still-arriving']);
  });

  it('never touches stored uploads or folders, however old', async () => {
    writtenAgo('claims.csv', 10 * idleMilliseconds);
    mkdirSync(join(folder, '.incoming-a-folder'));
    mkdirSync(join(folder, '0123456789abcdef'));

    await expect(removeAbandonedUploads(folder, idleMilliseconds, now)).resolves.toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['.incoming-a-folder', '0123456789abcdef', 'claims.csv']);
  });

  it('finds nothing to remove when no upload folder exists yet', async () => {
    await expect(removeAbandonedUploads(join(folder, 'uploads'), idleMilliseconds, now)).resolves.toBe(0);
  });
});
