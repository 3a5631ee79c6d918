import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDlqCommand } from './dlq-command';
import {
  EXIT_FILE_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
  runIngestCommand,
  type FrontDoorContext,
} from './ingest-command';

function context(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): FrontDoorContext & { err: () => string; out: () => string } {
  let stderr = '';
  let stdout = '';
  return {
    argv,
    env,
    cwd,
    recordedStack: null,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    err: () => stderr,
    out: () => stdout,
  };
}

/** A local HTTP server answering as `answer` says; the requests it was sent, as method and path. */
async function listening(
  answer: (request: IncomingMessage, response: ServerResponse, index: number) => void,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url?.replace(/\?.*$/, '')}`);
    // The body is drained so that an upload's answer reaches the command whatever it says.
    request.resume();
    request.on('end', () => answer(request, response, requests.length - 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const FILE_ID = 'cd'.repeat(32);

/** A job as the ingestor answers it once its file is read: completed, with its report. */
const completedJob = {
  ingestId: 'job-1',
  state: 'completed',
  source: 'a.csv',
  layout: 'desynpuf.carrier',
  dryRun: false,
  phase: 'reading',
  bytesRead: 2,
  bytesTotal: 2,
  recordsRead: 1,
  recordsPublished: 1,
  recordsDeadLettered: 0,
  error: null,
  duplicateOf: null,
  report: {
    schemaVersion: 1,
    source: 'a.csv',
    fileId: FILE_ID,
    layout: 'desynpuf.carrier',
    recordsRead: 1,
    recordsPublished: 1,
    recordsDeadLettered: 0,
    blankLinesSkipped: 0,
    durationSeconds: 0.1,
    completedAt: '2026-01-01T00:00:00.000Z',
  },
};

const accounted = {
  source: 'a.csv',
  fileId: FILE_ID,
  layout: 'desynpuf.carrier',
  status: 'accounted',
  recordsRead: 1,
  folded: 1,
  duplicates: 0,
  deadLettered: 0,
  unaccounted: 0,
};

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

describe('runIngestCommand, as the stack answers it', () => {
  let folder: string;
  let stack: Awaited<ReturnType<typeof listening>> | null = null;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claims-ingest-answers-'));
    writeFileSync(join(folder, 'a.csv'), 'x\n');
    writeFileSync(join(folder, 'b.csv'), 'y\n');
  });

  afterEach(async () => {
    await stack?.close();
    stack = null;
    rmSync(folder, { recursive: true, force: true });
  });

  it.each([
    [
      401,
      {
        code: 'SERVICE_CREDENTIAL_REQUIRED',
        message: 'the ingestor doors answer the API gateway only: send INGESTOR_SERVICE_TOKEN as a bearer token',
      },
    ],
    [429, { code: 'INGEST_BUSY', message: '4 ingestions run already' }],
    [500, { statusCode: 500, message: 'Internal server error' }],
  ])(
    'stops with exit 2 and one line naming the ingestor and its reason when it answers %i, sending no further file',
    async (status, body) => {
      stack = await listening((_request, response) => json(response, status, body));
      const run = context(['a.csv', 'b.csv', '--ingestor', stack.url, '--wait', '0', '--json'], folder);

      expect(await runIngestCommand(run)).toBe(EXIT_USAGE);
      const code = 'code' in body ? ` (${body.code})` : '';
      expect(run.err()).toBe(`ingest: the ingestor at ${stack.url} answered ${status}: ${body.message}${code}\n`);
      expect(stack.requests).toEqual(['POST /v1/uploads']);
      expect(run.out()).toBe('');
    },
  );

  it('still names the file and exits 1 when the ingestor refuses the file itself', async () => {
    stack = await listening((_request, response) =>
      json(response, 422, { code: 'LAYOUT_UNKNOWN', message: 'no layout is named nope' }),
    );
    const run = context(['a.csv', 'b.csv', '--ingestor', stack.url, '--wait', '0', '--layout', 'nope'], folder);

    expect(await runIngestCommand(run)).toBe(EXIT_FILE_FAILED);
    expect(run.err()).toContain('ingest: a.csv: no layout is named nope (LAYOUT_UNKNOWN)\n');
    expect(run.err()).toContain('ingest: b.csv: no layout is named nope (LAYOUT_UNKNOWN)\n');
  });

  it('rides out an API that answers 503 and then 429 while it waits for the accounting, and exits 0 once accounted', async () => {
    let apiCalls = 0;
    stack = await listening((request, response) => {
      if (request.method === 'POST') return json(response, 202, completedJob);
      apiCalls += 1;
      if (apiCalls === 1) return json(response, 503, { code: 'DATABASE_UNAVAILABLE', message: 'Postgres is down' });
      if (apiCalls === 2) {
        return json(response, 429, { code: 'RATE_LIMITED', message: 'too many requests' }, { 'retry-after': '1' });
      }
      return json(response, 200, accounted);
    });
    const run = context(['a.csv', '--ingestor', stack.url, '--api', stack.url, '--token', 't', '--wait', '20'], folder);

    expect(await runIngestCommand(run)).toBe(EXIT_OK);
    expect(stack.requests.filter((request) => request === `GET /v1/ingestions/${FILE_ID}`)).toHaveLength(3);
    expect(run.out()).toContain('every record accounted for');
  }, 15_000);

  it('exits 2 with one line naming the API and its reason when the API still fails as the wait ends', async () => {
    stack = await listening((request, response) => {
      if (request.method === 'POST') return json(response, 202, completedJob);
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>\n<body>Bad Gateway</body>\n</html>\n');
    });
    const run = context(['a.csv', '--ingestor', stack.url, '--api', stack.url, '--token', 't', '--wait', '1'], folder);

    expect(await runIngestCommand(run)).toBe(EXIT_USAGE);
    expect(run.err().trimEnd().split('\n').at(-1)).toBe(
      `ingest: the API at ${stack.url} answered 502: <html> <body>Bad Gateway</body> </html>`,
    );
  }, 15_000);

  it('stops waiting for the accounting at Ctrl-C and exits 130', async () => {
    const interrupt = new AbortController();
    stack = await listening((request, response) => {
      if (request.method === 'POST') return json(response, 202, completedJob);
      // The file's report has not reached the metrics service yet; Ctrl-C comes meanwhile.
      json(response, 404, { code: 'NOT_FOUND', message: 'no such file' });
      interrupt.abort();
    });
    const run = {
      ...context(['a.csv', '--ingestor', stack.url, '--api', stack.url, '--token', 't', '--wait', '600'], folder),
      interrupt: interrupt.signal,
    };
    const started = Date.now();

    expect(await runIngestCommand(run)).toBe(EXIT_INTERRUPTED);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.err()).not.toContain('not every record is accounted for after 600 s');
  }, 15_000);
});
