import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDlqCommand } from './dlq-command';
import { EXIT_USAGE, runIngestCommand, type FrontDoorContext } from './ingest-command';

function context(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): FrontDoorContext & { err: () => string } {
  let stderr = '';
  return {
    argv,
    env,
    cwd,
    recordedStack: null,
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    err: () => stderr,
  };
}

/** An address nothing listens on: these refusals come before the command calls the stack. */
const NO_STACK = 'http://127.0.0.1:9';

describe('runIngestCommand and runDlqCommand, refusing a command line before calling the stack', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claims-ingest-command-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('names a file whose name starts with a dash as an unknown option, saying how to name it (exit 2)', async () => {
    writeFileSync(join(folder, '-claims.csv'), 'x\n');
    const run = context(['-claims.csv', '--ingestor', NO_STACK], folder);

    expect(await runIngestCommand(run)).toBe(EXIT_USAGE);
    expect(run.err().split('\n')[0]).toBe(
      'ingest: unknown option -claims.csv (a file whose name starts with a dash is named ./-claims.csv)',
    );
  });

  it('refuses an address from the environment that is not an http(s) URL with exit 2, naming it, for ingest and dlq alike', async () => {
    writeFileSync(join(folder, 'a.csv'), 'x\n');
    const ingest = context(['a.csv'], folder, { CLAIMS_INGESTOR_URL: NO_STACK, CLAIMS_API_URL: 'localhost:3000' });
    const dlq = context(['list', '--token', 't'], folder, { CLAIMS_API_URL: 'localhost:3000' });

    expect(await runIngestCommand(ingest)).toBe(EXIT_USAGE);
    expect(ingest.err()).toBe(
      'ingest: the API address from the flags or the environment is not an http(s) URL: "localhost:3000"\n',
    );
    expect(await runDlqCommand(dlq)).toBe(EXIT_USAGE);
    expect(dlq.err()).toBe(
      'dlq: the API address from the flags or the environment is not an http(s) URL: "localhost:3000"\n',
    );
  });

  it('refuses --api that is not an http(s) URL for dlq with exit 2 and its usage', async () => {
    const run = context(['list', '--api', 'notaurl', '--token', 't'], folder);

    expect(await runDlqCommand(run)).toBe(EXIT_USAGE);
    expect(run.err().split('\n')[0]).toBe(
      'dlq: --api must be an http(s) URL such as http://127.0.0.1:3000, not "notaurl"',
    );
  });
});
