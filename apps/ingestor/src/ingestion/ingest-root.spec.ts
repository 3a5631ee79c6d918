import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confineToIngestRoot } from './ingest-root';
import { IngestionError } from './ingestion.errors';

describe('confineToIngestRoot', () => {
  let sandbox: string;
  let root: string;

  beforeEach(() => {
    sandbox = realpathSync(mkdtempSync(join(tmpdir(), 'claims-ingest-root-')));
    root = join(sandbox, 'root');
    mkdirSync(join(root, 'nested'), { recursive: true });
    writeFileSync(join(root, 'nested', 'claims.csv'), 'header\n');
    writeFileSync(join(sandbox, 'outside.csv'), 'header\n');
    mkdirSync(join(sandbox, 'outside-dir'));
    writeFileSync(join(sandbox, 'outside-dir', 'claims.csv'), 'header\n');
  });

  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  const refusalCode = (requested: string, ingestRoot = root): Promise<string> =>
    confineToIngestRoot(ingestRoot, requested).then(
      () => 'accepted',
      (error: unknown) => (error instanceof IngestionError ? error.code : String(error)),
    );

  it('returns the real path of a file under the root, given relative to it or absolute', async () => {
    const expected = join(root, 'nested', 'claims.csv');
    await expect(confineToIngestRoot(root, 'nested/claims.csv')).resolves.toBe(expected);
    await expect(confineToIngestRoot(root, expected)).resolves.toBe(expected);
  });

  it('follows a symbolic link that stays inside the root', async () => {
    symlinkSync(join(root, 'nested', 'claims.csv'), join(root, 'alias.csv'));
    await expect(confineToIngestRoot(root, 'alias.csv')).resolves.toBe(join(root, 'nested', 'claims.csv'));
  });

  it('refuses a ../ path out of the root with PATH_OUTSIDE_INGEST_ROOT', async () => {
    expect(await refusalCode('../outside.csv')).toBe('PATH_OUTSIDE_INGEST_ROOT');
    expect(await refusalCode(join(sandbox, 'outside.csv'))).toBe('PATH_OUTSIDE_INGEST_ROOT');
  });

  it('refuses a symbolic link to a file outside the root with PATH_OUTSIDE_INGEST_ROOT', async () => {
    symlinkSync(join(sandbox, 'outside.csv'), join(root, 'escape.csv'));
    expect(await refusalCode('escape.csv')).toBe('PATH_OUTSIDE_INGEST_ROOT');
  });

  it('refuses a file reached through a symbolic link to a folder outside the root', async () => {
    symlinkSync(join(sandbox, 'outside-dir'), join(root, 'linked-dir'));
    expect(await refusalCode('linked-dir/claims.csv')).toBe('PATH_OUTSIDE_INGEST_ROOT');
  });

  it('refuses a sibling folder whose name starts with the root name', async () => {
    mkdirSync(`${root}-sibling`);
    writeFileSync(join(`${root}-sibling`, 'claims.csv'), 'header\n');
    expect(await refusalCode(join(`${root}-sibling`, 'claims.csv'))).toBe('PATH_OUTSIDE_INGEST_ROOT');
  });

  it('answers FILE_NOT_FOUND for a missing file under the root but never probes outside it', async () => {
    expect(await refusalCode('nested/missing.csv')).toBe('FILE_NOT_FOUND');
    expect(await refusalCode('../missing.csv')).toBe('PATH_OUTSIDE_INGEST_ROOT');
  });

  it('accepts files when the root itself is reached through a symbolic link', async () => {
    const linkedRoot = join(sandbox, 'linked-root');
    symlinkSync(root, linkedRoot);
    await expect(confineToIngestRoot(linkedRoot, 'nested/claims.csv')).resolves.toBe(
      join(root, 'nested', 'claims.csv'),
    );
    expect(await refusalCode('../outside.csv', linkedRoot)).toBe('PATH_OUTSIDE_INGEST_ROOT');
  });
});
