import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReferenceArguments, readDirectoryFile, runReferenceCommand } from './reference-command';
import { UsageError } from './usage-error';

describe('parseReferenceArguments', () => {
  it('publishes the named files', () => {
    expect(parseReferenceArguments(['publish', 'a.csv', 'b.ndjson'])).toMatchObject({
      command: 'publish',
      files: ['a.csv', 'b.ndjson'],
      publish: true,
    });
  });

  it('synthesizes with the seed and shares given, writing and publishing when asked', () => {
    expect(
      parseReferenceArguments([
        'synthesize',
        'claims.csv',
        '--seed',
        '7',
        '--flaw-share',
        '0.3',
        '--never-fixed-share',
        '0',
        '--out',
        'dir.ndjson',
        '--publish',
      ]),
    ).toMatchObject({ seed: 7, flawShare: 0.3, neverFixedShare: 0, out: 'dir.ndjson', publish: true });
  });

  it.each([
    [[], 'unknown command'],
    [['publish'], 'name at least one file'],
    [['synthesize', 'claims.csv'], 'synthesize needs --out FILE, --publish, or both'],
    [['synthesize', 'claims.csv', '--flaw-share', '2', '--publish'], '--flaw-share takes a share from 0 to 1'],
    [['synthesize', 'claims.csv', '--seed', 'x', '--publish'], '--seed takes a whole number'],
    [['publish', 'a.csv', '--brokers'], '--brokers needs a value'],
    [['publish', 'a.csv', '--colour'], 'unknown option --colour'],
  ])('refuses %j with a usage error naming the fault', (argv, message) => {
    expect(() => parseReferenceArguments(argv)).toThrow(UsageError);
    expect(() => parseReferenceArguments(argv)).toThrow(message);
  });
});

describe('runReferenceCommand with a file it cannot read as reference data', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reference-command-'));
  writeFileSync(join(folder, 'not-json.ndjson'), '{"kind":"provider"\n');
  writeFileSync(join(folder, 'not-events.ndjson'), '{"a":1}\n');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runReferenceCommand({
      argv,
      env: {},
      cwd: folder,
      recordedStack: null,
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it.each([
    ['not-json.ndjson', 'reference: not-json.ndjson line 1 is not JSON\n'],
    ['not-events.ndjson', 'reference: not-events.ndjson line 1 is not a reference event\n'],
  ])('refuses %s with one line naming the file and line, exit 1, publishing nothing', async (file, message) => {
    expect(await run(['publish', file])).toEqual({ code: 1, stdout: '', stderr: message });
  });

  it('prints its usage on stdout for --help, exit 0, reading nothing', async () => {
    for (const argv of [['--help'], ['publish', 'missing.csv', '-h']]) {
      const { code, stdout, stderr } = await run(argv);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(/^usage:\n {2}npm run reference -- publish <file>\.\.\./);
    }
  });

  it('refuses a file that is not there, or a folder, with one line, exit 1', async () => {
    const missing = await run(['publish', 'missing.csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^reference: ENOENT: no such file or directory, stat '.*missing\.csv'\n$/);
    mkdirSync(join(folder, 'a-folder.csv'));
    const folderNamed = await run(['publish', 'a-folder.csv']);
    expect(folderNamed.code).toBe(1);
    expect(folderNamed.stderr).toBe('reference: a-folder.csv is a folder: name the files in it\n');
  });

  it('refuses a directory file too large to read whole, naming its size and what to do', async () => {
    writeFileSync(join(folder, 'npidata-national.csv'), 'x'.repeat(3 * 1024 * 1024));
    await expect(readDirectoryFile(join(folder, 'npidata-national.csv'), 2 * 1024 * 1024)).rejects.toThrow(
      'npidata-national.csv is 3 MiB; a directory file is read whole, at most 2 MiB: split it (the NPPES file by state, say) and publish the parts',
    );
    await expect(readDirectoryFile(join(folder, 'npidata-national.csv'), 4 * 1024 * 1024)).resolves.toHaveLength(
      3 * 1024 * 1024,
    );
  });
});

describe('runReferenceCommand, when Kafka does not answer', () => {
  it('exits 2 with one line naming the brokers and why, rather than throwing', async () => {
    const out: string[] = [];
    const err: string[] = [];
    // Port 1 on the loopback: nothing listens, so every connection is refused at once.
    const code = await runReferenceCommand({
      argv: ['publish', join(__dirname, '../../../../data/providers/nppes_first10.csv'), '--brokers', '127.0.0.1:1'],
      env: {},
      cwd: tmpdir(),
      recordedStack: null,
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
    });

    expect(code).toBe(2);
    expect(err.join('')).toMatch(
      /^reference: publishing to Kafka at 127\.0\.0\.1:1 failed \(.*ECONNREFUSED.*\): publish again once it answers\n$/,
    );
    expect(out.join('')).not.toContain('published');
  }, 60_000);
});
