import { createServer, type Server } from 'node:http';
import { runHttpLoad, summarizeLoad } from './http-load';

describe('summarizeLoad', () => {
  it('counts errors and latency percentiles in all and by route', () => {
    const answers = [
      { route: 'summary', ms: 10, ok: true },
      { route: 'summary', ms: 30, ok: true },
      { route: 'work-queue', ms: 50, ok: false },
      { route: 'work-queue', ms: 20, ok: true },
    ];
    const result = summarizeLoad(answers, { offeredPerSecond: 4, seconds: 2, skipped: 1 });
    expect(result).toMatchObject({ requests: 4, errors: 1, skipped: 1, achievedPerSecond: 2 });
    expect(result.latency).toMatchObject({ count: 4, maxMs: 50 });
    expect(result.routes).toEqual([
      expect.objectContaining({ route: 'summary', count: 2, errors: 0, maxMs: 30 }),
      expect.objectContaining({ route: 'work-queue', count: 2, errors: 1, maxMs: 50 }),
    ]);
  });
});

describe('runHttpLoad against a real HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      response.statusCode = request.url === '/broken' ? 500 : 200;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('calls the targets round-robin with the headers given, and counts a 500 as an error', async () => {
    const result = await runHttpLoad({
      targets: [
        { route: 'ok', url: `${baseUrl}/ok` },
        { route: 'broken', url: `${baseUrl}/broken` },
      ],
      headers: { authorization: 'Bearer load-test' },
      ratePerSecond: 200,
      maxInFlight: 50,
      until: () => false,
      maxRequests: 10,
    });
    expect(result.requests).toBe(10);
    expect(result.errors).toBe(5);
    expect(result.routes.map((route) => [route.route, route.count, route.errors])).toEqual([
      ['ok', 5, 0],
      ['broken', 5, 5],
    ]);
    expect(seen.every((request) => request.authorization === 'Bearer load-test')).toBe(true);
  });
});
