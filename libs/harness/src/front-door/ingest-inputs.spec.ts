import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputPathProblem, ingestInputsOf, unreadableReason, type IngestInputs } from './ingest-inputs';

describe('ingestInputsOf', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claims-ingest-inputs-'));
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const problemOf = async (paths: string[]): Promise<string> => {
    try {
      await ingestInputsOf(paths, folder);
    } catch (error) {
      if (error instanceof InputPathProblem) return error.message;
      throw error;
    }
    return 'accepted';
  };
  const shapeOf = (named: IngestInputs): Array<[string, number | string]> =>
    named.inputs.map((input) => [input.display, 'reason' in input ? input.reason : input.bytes]);

  it('takes a path with spaces, unicode or a leading dash as typed, relative to the folder the command runs in', async () => {
    writeFileSync(join(folder, 'März claims 2024.csv'), 'abc\n');
    writeFileSync(join(folder, '-dash.csv'), 'a\n');

    const named = await ingestInputsOf(['März claims 2024.csv', '-dash.csv'], folder);

    expect(shapeOf(named)).toEqual([
      ['März claims 2024.csv', 4],
      ['-dash.csv', 2],
    ]);
  });

  it("sends a folder's links to files as files, and names a link that loops or leads nowhere instead of leaving it out", async () => {
    mkdirSync(join(folder, 'exports'));
    writeFileSync(join(folder, 'elsewhere.csv'), 'linked\n');
    writeFileSync(join(folder, 'exports', 'a.csv'), 'a\n');
    symlinkSync(join(folder, 'elsewhere.csv'), join(folder, 'exports', 'b-link.csv'));
    symlinkSync(join(folder, 'exports', 'c-loop.csv'), join(folder, 'exports', 'c-loop.csv'));
    symlinkSync(join(folder, 'gone.csv'), join(folder, 'exports', 'd-dangling.csv'));
    mkdirSync(join(folder, 'exports', 'e-subfolder'));
    writeFileSync(join(folder, 'exports', '.hidden.csv'), 'h\n');

    const named = await ingestInputsOf(['exports'], folder);

    expect(shapeOf(named)).toEqual([
      [join('exports', 'a.csv'), 2],
      [join('exports', 'b-link.csv'), 7],
      [join('exports', 'c-loop.csv'), 'is a symbolic link that leads back to itself'],
      [
        join('exports', 'd-dangling.csv'),
        'no longer exists (removed since its folder was listed, or a link that leads nowhere)',
      ],
    ]);
  });

  it('sends a file named twice once: typed twice, by another path, or typed and in a folder typed too', async () => {
    mkdirSync(join(folder, 'exports'));
    writeFileSync(join(folder, 'exports', 'a.csv'), 'a\n');
    writeFileSync(join(folder, 'exports', 'b.csv'), 'b\n');

    const named = await ingestInputsOf(
      ['exports/a.csv', 'exports/a.csv', './exports/../exports/a.csv', 'exports'],
      folder,
    );

    expect(shapeOf(named)).toEqual([
      ['exports/a.csv', 2],
      [join('exports', 'b.csv'), 2],
    ]);
    expect(named.repeated).toEqual(['exports/a.csv', './exports/../exports/a.csv', join('exports', 'a.csv')]);
  });

  it('refuses a named pipe or a device typed as a file without opening it, saying what it is', async () => {
    execFileSync('mkfifo', [join(folder, 'pipe.csv')]);

    expect(await problemOf(['pipe.csv'])).toBe('pipe.csv is a named pipe, not a file or folder');
    expect(await problemOf(['/dev/zero'])).toBe('/dev/zero is a device, not a file or folder');
  });

  it('leaves out the pipes in a folder, and refuses a folder that holds no file', async () => {
    mkdirSync(join(folder, 'pipes'));
    execFileSync('mkfifo', [join(folder, 'pipes', 'p.csv')]);

    expect(await problemOf(['pipes'])).toBe('no files in folder pipes');
    expect(await problemOf(['missing.csv'])).toBe('no such file or folder: missing.csv');
  });

  it('names a folder with thousands of files in name order, each once', async () => {
    mkdirSync(join(folder, 'many'));
    for (let index = 0; index < 3000; index += 1) {
      writeFileSync(join(folder, 'many', `f${String(index).padStart(4, '0')}.csv`), 'x\n');
    }

    const named = await ingestInputsOf(['many'], folder);

    expect(named.inputs).toHaveLength(3000);
    expect(named.inputs[0]?.display).toBe(join('many', 'f0000.csv'));
    expect(named.inputs[2999]?.display).toBe(join('many', 'f2999.csv'));
  });
});

describe('unreadableReason', () => {
  it('says what a person can act on for each system error, never the path or the contents', () => {
    const systemError = (code: string): Error => Object.assign(new Error(`${code}: x, open '/secret/path'`), { code });
    expect(unreadableReason(systemError('EACCES'))).toBe('cannot be read: permission denied');
    expect(unreadableReason(systemError('EPERM'))).toBe('cannot be read: permission denied');
    expect(unreadableReason(systemError('ELOOP'))).toBe('is a symbolic link that leads back to itself');
    expect(unreadableReason(systemError('EIO'))).toBe('cannot be read (EIO)');
  });
});
