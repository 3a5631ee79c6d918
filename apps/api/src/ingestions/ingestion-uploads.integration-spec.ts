import 'reflect-metadata';
import { signApiToken, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, waitFor, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApiUnderTest } from '../__tests__/api-under-test';

const secret = randomBytes(32).toString('base64url');
const serviceToken = randomBytes(24).toString('base64url');
const MAX_UPLOAD_BYTES = 1024 * 1024;
const CSV = Buffer.from('DESYNPUF_ID,CLM_ID,CLM_FROM_DT\n00013D2EFD8E45D1,887213386563288,20080101\n'.repeat(200));

/** What the stand-in ingestor saw of one call to its upload door. */
interface SeenUpload {
  query: string;
  authorization: string | undefined;
  contentType: string | undefined;
  bytes: number;
  sha256: string;
  complete: boolean;
}

/**
 * A stand-in for the ingestor's internal doors (POST /v1/uploads, GET
 * /v1/ingestions/:ingestId) that hashes what it receives and keeps none of
 * it, so the spec sees exactly which bytes the API streamed through.
 */
async function startStandInIngestor(): Promise<{ server: Server; url: string; uploads: SeenUpload[] }> {
  const uploads: SeenUpload[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://ingestor');
    if (request.headers.authorization !== `Bearer ${serviceToken}`) {
      response.writeHead(401, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ code: 'SERVICE_CREDENTIAL_REQUIRED' }));
      request.resume();
      return;
    }
    if (request.method === 'GET' && url.pathname.startsWith('/v1/ingestions/')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ingestId: url.pathname.split('/').pop(), state: 'completed' }));
      return;
    }
    const seen: SeenUpload = {
      query: url.search,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      bytes: 0,
      sha256: '',
      complete: false,
    };
    uploads.push(seen);
    const hash = createHash('sha256');
    request.on('data', (chunk: Buffer) => {
      seen.bytes += chunk.length;
      hash.update(chunk);
    });
    request.on('error', () => undefined);
    request.on('end', () => {
      seen.complete = true;
      seen.sha256 = hash.digest('hex');
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ingestId: randomUUID(), state: 'running', source: url.searchParams.get('name') }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, uploads };
}

/** A body of `totalBytes` sent in 64 KiB pieces with no declared length (chunked), as a client streaming a file does. */
function chunkedBody(totalBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) {
        controller.close();
        return;
      }
      const piece = Buffer.alloc(Math.min(64 * 1024, totalBytes - sent), 'A');
      sent += piece.length;
      controller.enqueue(piece);
    },
  });
}

describe('uploads through POST /v1/ingestions, streamed to the ingestor', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let ingestor: Awaited<ReturnType<typeof startStandInIngestor>>;

  const token = (role: ApiRole): string =>
    signApiToken(
      { sub: `uploads-spec-${role}`, role, ttlSeconds: 600, nowSeconds: Math.floor(Date.now() / 1000) },
      secret,
    );

  const upload = async (
    query: string,
    body: RequestInit['body'],
    headers: Record<string, string> = {},
    role: ApiRole = 'ingest',
  ): Promise<{ status: number; body: Record<string, unknown>; location: string | null }> => {
    const response = await fetch(`${baseUrl}/v1/ingestions${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token(role)}`, 'content-type': 'application/octet-stream', ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      location: response.headers.get('location'),
    };
  };

  beforeAll(async () => {
    ingestor = await startStandInIngestor();
    database = await createIsolatedDatabase('api_uploads');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokenSecret: secret,
      env: {
        INGESTOR_URL: ingestor.url,
        INGESTOR_SERVICE_TOKEN: serviceToken,
        API_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      },
    }));
  });

  afterAll(async () => {
    await app?.close();
    ingestor?.server.close();
    await database?.drop();
  });

  it('streams an ingest role upload to the ingestor with the service credential and answers its job with a Location', async () => {
    const answer = await upload('?name=claims.csv&layout=desynpuf.carrier&ratePerSecond=100', CSV);

    expect(answer).toMatchObject({ status: 202, body: { state: 'running', source: 'claims.csv' } });
    expect(answer.location).toBe(`/v1/ingestions/jobs/${String(answer.body['ingestId'])}`);
    expect(ingestor.uploads.at(-1)).toEqual({
      query: '?name=claims.csv&layout=desynpuf.carrier&ratePerSecond=100',
      authorization: `Bearer ${serviceToken}`,
      contentType: 'application/octet-stream',
      bytes: CSV.length,
      sha256: createHash('sha256').update(CSV).digest('hex'),
      complete: true,
    });

    const job = await fetch(`${baseUrl}${answer.location ?? ''}`, {
      headers: { authorization: `Bearer ${token('ingest')}` },
    });
    expect(job.status).toBe(200);
    expect(await job.json()).toMatchObject({ ingestId: answer.body['ingestId'], state: 'completed' });
  });

  it('lets an admin upload too, and streams a chunked body of unknown length', async () => {
    const answer = await upload('?name=streamed.csv', chunkedBody(512 * 1024), {}, 'admin');
    expect(answer.status).toBe(202);
    expect(ingestor.uploads.at(-1)).toMatchObject({ bytes: 512 * 1024, complete: true });
  });

  it('streams a UTF-16 export with its byte-order mark to the ingestor as it is, which transcodes it', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV.toString('utf8'), 'utf16le')]);
    const answer = await upload('?name=powershell-export.csv', utf16);
    expect(answer.status).toBe(202);
    expect(ingestor.uploads.at(-1)).toMatchObject({
      bytes: utf16.length,
      sha256: createHash('sha256').update(utf16).digest('hex'),
      complete: true,
    });
  });

  it('refuses an unknown layout with 400 naming the field, before a byte reaches the ingestor', async () => {
    const before = ingestor.uploads.length;
    const answer = await upload('?name=claims.csv&layout=no.such.layout', CSV);
    expect(answer).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID', fields: ['layout'] } });
    expect(String(answer.body['detail'])).toContain('desynpuf.carrier');
    expect((await upload('?layout=x12', CSV)).body).toMatchObject({ fields: ['name'] });
    expect(ingestor.uploads).toHaveLength(before);
  });

  it('refuses a name the ingestor could not store or that would display as another, with 400, before a byte reaches it', async () => {
    const before = ingestor.uploads.length;
    // 200 characters but 400 bytes: over the file system's 255-byte names, where the ingestor failed with a 500.
    const long = await upload(`?name=${encodeURIComponent(`${'é'.repeat(200)}.csv`)}`, CSV);
    expect(long).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID', fields: ['name'] } });
    for (const name of ['a\r\nb.csv', 'claims\u202evsc.exe']) {
      expect(await upload(`?name=${encodeURIComponent(name)}`, CSV)).toMatchObject({
        status: 400,
        body: { code: 'REQUEST_INVALID', fields: ['name'] },
      });
    }
    expect(ingestor.uploads).toHaveLength(before);
    // A long name within the limit, accented, still goes through.
    expect((await upload(`?name=${encodeURIComponent(`${'é'.repeat(125)}x.csv`)}`, CSV)).status).toBe(202);
  });

  it('refuses JSON, forms and files that are neither text nor gzip with 415, before a byte reaches the ingestor', async () => {
    const before = ingestor.uploads.length;
    expect(await upload('?name=a.csv', '{}', { 'content-type': 'application/json' })).toMatchObject({
      status: 415,
      body: { code: 'UPLOAD_CONTENT_TYPE' },
    });
    expect(await upload('?name=a.csv', 'x', { 'content-type': 'multipart/form-data; boundary=x' })).toMatchObject({
      status: 415,
    });
    expect(await upload('?name=claims.pdf', Buffer.from('%PDF-1.7\n...'))).toMatchObject({
      status: 415,
      body: {
        code: 'UPLOAD_TYPE_UNSUPPORTED',
        detail: 'the body is a PDF document: ingest the export it was printed from',
      },
    });
    expect(await upload('?name=scan.bin', Buffer.from([0x00, 0x01, 0x02, 0x03]))).toMatchObject({
      status: 415,
      body: {
        code: 'UPLOAD_TYPE_UNSUPPORTED',
        detail: 'the body is neither text (CSV, delimited, X12) nor gzip: send the source file itself',
      },
    });
    expect(ingestor.uploads).toHaveLength(before);
  });

  it('refuses a body declared over API_MAX_UPLOAD_BYTES with 413 at once, and cuts one that grows past it mid-stream', async () => {
    const before = ingestor.uploads.length;
    const declared = await upload('?name=big.csv', Buffer.alloc(MAX_UPLOAD_BYTES + 1, 'A'));
    expect(declared).toMatchObject({ status: 413, body: { code: 'UPLOAD_TOO_LARGE' } });
    expect(declared.body['type']).toMatch(/^tag:/);
    expect(ingestor.uploads).toHaveLength(before);

    const streamed = await upload('?name=big.csv', chunkedBody(3 * MAX_UPLOAD_BYTES));
    expect(streamed).toMatchObject({ status: 413, body: { code: 'UPLOAD_TOO_LARGE' } });
    // The ingestor saw the start of it and then a cut connection: it never completes (and keeps no partial file).
    await waitFor(
      'the ingestor to see the cut upload',
      async () => ingestor.uploads.slice(before),
      (seen) => seen.length === 1,
    );
    expect(ingestor.uploads[before]).toMatchObject({ complete: false });
    expect(ingestor.uploads[before]?.bytes).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
  });

  it('refuses the reading roles with 403 PERMISSION_DENIED naming uploads:write', async () => {
    for (const role of ['analyst', 'manager'] as const) {
      expect(await upload('?name=a.csv', CSV, {}, role)).toMatchObject({
        status: 403,
        body: { code: 'PERMISSION_DENIED', required: 'uploads:write' },
      });
    }
  });

  it('answers 404 INGEST_NOT_FOUND for a job id the ingestor never makes, without asking it', async () => {
    const response = await fetch(`${baseUrl}/v1/ingestions/jobs/not-a-job`, {
      headers: { authorization: `Bearer ${token('ingest')}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'INGEST_NOT_FOUND' });
  });
});

describe('uploads when the ingestor is away or refuses the API', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let ingestor: Awaited<ReturnType<typeof startStandInIngestor>>;

  beforeAll(async () => {
    ingestor = await startStandInIngestor();
    database = await createIsolatedDatabase('api_uploads_away');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokenSecret: secret,
      // Another credential than the ingestor's: a deployment whose two settings drifted apart.
      env: { INGESTOR_URL: ingestor.url, INGESTOR_SERVICE_TOKEN: randomBytes(24).toString('base64url') },
    }));
  });

  afterAll(async () => {
    await app?.close();
    ingestor?.server.close();
    await database?.drop();
  });

  const post = async (): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> => {
    const token = signApiToken(
      { sub: 'ivy', role: 'ingest', ttlSeconds: 600, nowSeconds: Math.floor(Date.now() / 1000) },
      secret,
    );
    const response = await fetch(`${baseUrl}/v1/ingestions?name=a.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: CSV,
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      retryAfter: response.headers.get('retry-after'),
    };
  };

  it('answers 502 INGESTOR_CREDENTIAL_REFUSED when the ingestor refuses the service credential', async () => {
    expect(await post()).toMatchObject({ status: 502, body: { code: 'INGESTOR_CREDENTIAL_REFUSED' } });
  });

  it('answers 503 INGESTOR_UNAVAILABLE with a Retry-After when the ingestor cannot be reached', async () => {
    ingestor.server.close();
    ingestor.server.closeAllConnections();
    await once(ingestor.server, 'close');
    expect(await post()).toMatchObject({ status: 503, body: { code: 'INGESTOR_UNAVAILABLE' }, retryAfter: '5' });
  });
});
