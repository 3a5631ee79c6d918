import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDeadLetterListing, runDlqCommand } from './dlq-command';
import { EXIT_USAGE } from './ingest-command';

describe('formatDeadLetterListing', () => {
  it('counts by stage and reason in aligned columns, then the latest entries with their reasons', () => {
    const text = formatDeadLetterListing({
      open: 3,
      resolved: 1,
      byStageAndReason: [
        { stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', open: 2, resolved: 1, replayable: 2 },
        { stage: 'ingestor', errorCode: 'RECORD_TOO_LARGE', open: 1, resolved: 0, replayable: 0 },
      ],
      latest: [
        {
          deadLetterId: 'normalizer:claims.raw.v1:0:7',
          stage: 'normalizer',
          errorCode: 'DATE_OUT_OF_RANGE',
          reason: 'CLM_FROM_DT is outside the plausible service dates 1966-07-01 to 2099-12-31',
          failedAt: '2026-01-02T03:04:05.678Z',
          fileId: 'ab'.repeat(32),
          recordNumber: 7,
          source: 'claims.csv',
          recordOutcome: 'dead_lettered',
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      'dead letters: 3 open, 1 resolved (replayed and folded since)',
      '  stage       reason             open  resolved  replayable',
      '  normalizer  DATE_OUT_OF_RANGE     2         1           2',
      '  ingestor    RECORD_TOO_LARGE      1         0           0',
      'latest:',
      '  2026-01-02T03:04:05Z  normalizer  DATE_OUT_OF_RANGE  claims.csv #7  CLM_FROM_DT is outside the plausible service dates 1966-07-01 to 2099-12-31',
    ]);
  });
});

describe('runDlqCommand, when the API answers with a fault', () => {
  let server: Server | null = null;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  async function apiAnswering(status: number, contentType: string, body: string): Promise<string> {
    server = createServer((_request, response) => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each([
    [
      429,
      'application/json',
      '{"code":"RATE_LIMITED","message":"too many requests: try again in 3 s"}',
      '429: too many requests: try again in 3 s (RATE_LIMITED)',
    ],
    [
      502,
      'text/html',
      '<html>\n<head><title>502 Bad Gateway</title></head>\n</html>\n',
      '502: <html> <head><title>502 Bad Gateway</title></head> </html>',
    ],
    [200, 'text/html', '<!doctype html>\n<p>the dashboard</p>\n', '200: <!doctype html> <p>the dashboard</p>'],
  ])(
    'exits 2 with one line naming the API, its status and its reason when it answers %i',
    async (status, type, body, reason) => {
      const api = await apiAnswering(status, type, body);
      let stdout = '';
      let stderr = '';
      const code = await runDlqCommand({
        argv: ['list', '--api', api, '--token', 'a-token-never-printed'],
        env: {},
        cwd: '/',
        recordedStack: null,
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });

      expect({ code, stdout, stderr }).toEqual({
        code: EXIT_USAGE,
        stdout: '',
        stderr: `dlq: the API at ${api} answered ${reason}\n`,
      });
    },
  );
});

describe('runDlqCommand replay, when Kafka does not answer', () => {
  let server: Server | null = null;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('exits 2 with one line naming the brokers and why, rather than throwing', async () => {
    const plan = {
      replayable: [
        { deadLetterId: 'normalizer:claims.raw.v1:0:7', originTopic: 'claims.raw.v1', dlqPartition: 0, dlqOffset: '3' },
      ],
      notReplayable: [],
      more: false,
    };
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(plan));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let stderr = '';
    const code = await runDlqCommand({
      // Port 1 on the loopback: nothing listens, so every connection is refused at once.
      argv: [
        'replay',
        '--reason',
        'DATE_OUT_OF_RANGE',
        '--yes',
        '--api',
        api,
        '--token',
        't',
        '--brokers',
        '127.0.0.1:1',
        '--namespace',
        '',
      ],
      env: {},
      cwd: '/',
      recordedStack: null,
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });

    expect(code).toBe(EXIT_USAGE);
    expect(stderr.split('\n').at(-2)).toMatch(
      /^dlq: replaying through Kafka at 127\.0\.0\.1:1 failed \(.*ECONNREFUSED.*\): replay again once it answers$/,
    );
  }, 60_000);
});
