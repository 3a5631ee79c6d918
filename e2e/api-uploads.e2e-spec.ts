import { type FileAccounting } from '@claims/kpi';
import {
  LocalPipeline,
  REPO_ROOT,
  createIsolatedDatabase,
  freeServicePort,
  testInfrastructure,
  waitFor,
  type IngestJobStatus,
  type IsolatedDatabase,
} from '@claims/harness';
import { parseCsvRecord } from '@claims/source-layouts';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_CARRIER_PATH, e2eLogDirectory, e2eNamespace } from './e2e-pipeline';

const X12 = join(REPO_ROOT, 'data', 'x12', 'linuxforhealth');
/** A pended-queue export whose rows carry member ids and adjudicators' free-text comments. */
const PENDED_EXPORT = join(REPO_ROOT, 'data', 'pended', 'pended-queue-2024-03-15.csv');
/** A dependent patient (NM1*QC) with a birth date (DMG): names, dates and ids a log must never show. */
const PROFESSIONAL = join(X12, '837_005010X222A2', 'demo.example1.837');
const INSTITUTIONAL = join(X12, '837_005010X223A3', 'institutional-claim.837i');
const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

const [CARRIER_HEADER = '', ...CARRIER_RECORDS] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8')
  .split(/\r?\n/)
  .filter((line) => line.trim() !== '');
const unquote = (cell: string): string => cell.replace(/^"|"$/g, '');

/** An upload whose headers declare `contentLength` bytes and whose body never comes: the answer to the headers alone. */
async function declaredOnly(
  url: string,
  contentLength: number,
  token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = httpRequest(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'content-length': String(contentLength),
    },
  });
  request.flushHeaders();
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  request.destroy();
  return {
    status: response.statusCode ?? 0,
    body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
  };
}

/** `bytes` as a stream of `pieceBytes` pieces with no declared length (chunked), as a client streaming a file sends it. */
function inPieces(bytes: Buffer, pieceBytes: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

/** The segments of an X12 file written with `*` and `~`, as element lists. */
function x12Segments(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('~')
    .map((segment) => segment.trim().split('*'));
}

/**
 * What the input holds that is PHI or a raw claim identifier: DE-SynPUF
 * member ids (DESYNPUF_ID) and claim ids (CLM_ID); from the X12 samples the
 * subscriber's and patient's names, member ids, birth dates (as written and
 * as ISO dates), street addresses, and the claim ids (CLM01); from the
 * pended-queue export its member ids and the adjudicators' comments.
 */
function identifiersOfInput(carrierLines: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const [memberId, comments] of pendedExportPhi()) {
    if (memberId) found.set(memberId, 'pended-queue Member ID');
    if (comments) found.set(comments, 'Adjudicator Comments');
  }
  for (const line of carrierLines) {
    const [memberId, claimId] = line.split(',').map(unquote);
    if (memberId) found.set(memberId, 'DESYNPUF_ID');
    if (claimId) found.set(claimId, 'CLM_ID');
  }
  for (const file of [PROFESSIONAL, INSTITUTIONAL]) {
    for (const segment of x12Segments(file)) {
      const [tag, e1, , e3, e4, , , , , e9] = segment;
      if (tag === 'NM1' && (e1 === 'IL' || e1 === 'QC')) {
        if (e3) found.set(e3, `${e1} last name`);
        if (e4) found.set(e4, `${e1} first name`);
        if (e9) found.set(e9, `${e1} member id`);
      }
      if (tag === 'DMG' && segment[2]) {
        const date = segment[2];
        found.set(date, 'birth date');
        found.set(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`, 'birth date (ISO)');
      }
      if (tag === 'N3' && e1) found.set(e1, 'street address');
      if (tag === 'CLM' && e1) found.set(e1, 'CLM01 claim id');
    }
  }
  return found;
}

/** The pended-queue export's member ids and comments, by row, read by its header. */
function pendedExportPhi(): Array<[string, string]> {
  const [header = '', ...rows] = readFileSync(PENDED_EXPORT, 'utf8').split(/\r?\n/).filter(Boolean);
  const columns = parseCsvRecord(header);
  const member = columns.indexOf('Member ID');
  const comments = columns.indexOf('Adjudicator Comments');
  return rows.map((row) => {
    const fields = parseCsvRecord(row);
    return [fields[member] ?? '', fields[comments] ?? ''];
  });
}

/** Each identifier as a whole word, case as written: "TED" is a name, "ACCEPTED" is not a match for it. */
function occurrences(text: string, identifiers: Map<string, string>): string[] {
  const seen: string[] = [];
  for (const [value, kind] of identifiers) {
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`).test(text)) seen.push(`${kind}: ${value}`);
  }
  return seen;
}

/**
 * Uploads through the API gateway, the ingestor's door behind its service
 * credential, and the logs of the whole run: the five services as processes
 * on the shared broker and Postgres, as `npm start` runs them, with the
 * ingestor's doors guarded by INGESTOR_SERVICE_TOKEN.
 */
describe('uploads through the API to a guarded ingestor, and no PHI in any log', () => {
  const serviceToken = randomBytes(24).toString('base64url');
  const tokens = {
    admin: randomBytes(24).toString('base64url'),
    ingest: randomBytes(24).toString('base64url'),
    analyst: randomBytes(24).toString('base64url'),
  };
  const namespace = e2eNamespace('api-uploads');
  const logDirectory = e2eLogDirectory(namespace);
  let database: IsolatedDatabase;
  let pipeline: LocalPipeline;
  let ingestRoot: string;
  let abandonedUpload: string;
  let workFolder: string;
  let ingestorUrl: string;
  let apiUrl: string;
  /** The files sent, for the scan at the end. */
  const carrierLinesSent: string[] = [];

  const uploadThroughApi = async (
    name: string,
    body: RequestInit['body'],
    token: string = tokens.ingest,
  ): Promise<{ status: number; body: Record<string, unknown>; location: string | null }> => {
    const response = await fetch(`${apiUrl}/v1/ingestions?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      location: response.headers.get('location'),
    };
  };

  const apiGet = async <T>(path: string, token: string = tokens.ingest): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  /** Uploads a file through the API, follows its job through the API, and waits until every record is accounted for. */
  const ingestThroughApi = async (name: string, bytes: Buffer): Promise<FileAccounting> => {
    const accepted = await uploadThroughApi(name, bytes);
    expect(accepted.status).toBe(202);
    const job = await waitFor(
      `the job of ${name} to end`,
      () => apiGet<IngestJobStatus>(accepted.location ?? ''),
      (status) => status.state !== 'running',
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(job).toMatchObject({ state: 'completed', source: name });
    const fileId = (job.report as { fileId: string }).fileId;
    return waitFor(
      `every record of ${name} to be accounted for`,
      () => apiGet<FileAccounting[]>('/v1/ingestions').then((files) => files.find((file) => file.fileId === fileId)),
      (file) => file !== undefined && file.unaccounted === 0 && (file.recordsRead ?? 0) > 0,
      { timeoutMs: 180_000, intervalMs: 500 },
    ) as Promise<FileAccounting>;
  };

  /** Follows an ingestion job through the API until it ends. */
  const finishedJob = (location: string | null): Promise<IngestJobStatus> =>
    waitFor(
      `the job at ${String(location)} to end`,
      () => apiGet<IngestJobStatus>(location ?? ''),
      (status) => status.state !== 'running',
      { timeoutMs: 120_000, intervalMs: 250 },
    );

  /** The ingestor's own list of jobs, asked with its service credential. */
  const ingestorJobs = async (): Promise<unknown[]> => {
    const response = await fetch(`${ingestorUrl}/v1/ingestions`, {
      headers: { authorization: `Bearer ${serviceToken}` },
    });
    return ((await response.json()) as { ingestions: unknown[] }).ingestions;
  };

  /** Every file under the ingestor's uploads folder, partial ones included. */
  const storedUploads = (): string[] => {
    const uploads = join(ingestRoot, 'uploads');
    return readdirSync(uploads, { recursive: true, encoding: 'utf8' }).sort();
  };

  /** Another API process on this run's database and broker, alone, with ingestor settings of its own. */
  const startGatewayOnly = async (label: string, apiEnv: Record<string, string>): Promise<LocalPipeline> => {
    const gatewayNamespace = `${namespace}-${label}`;
    const gateway = await LocalPipeline.create({
      brokers: testInfrastructure().brokers,
      databaseUrl: database.url,
      topicNamespace: namespace,
      ingestRoot,
      // Logs of their own: the PHI scan below reads this run's five service logs.
      logDirectory: e2eLogDirectory(gatewayNamespace),
      apiTokens: Object.entries(tokens)
        .map(([role, token]) => `${role}=${token}`)
        .join(','),
      serviceEnv: { api: apiEnv },
    });
    await gateway.start(['api']);
    return gateway;
  };

  beforeAll(async () => {
    const { brokers } = testInfrastructure();
    ingestRoot = mkdtempSync(join(tmpdir(), 'claims-api-uploads-'));
    // What an ingestor killed in the middle of an upload leaves: a partial file last written ten minutes ago.
    mkdirSync(join(ingestRoot, 'uploads'));
    abandonedUpload = join(ingestRoot, 'uploads', '.incoming-killed-mid-body');
    writeFileSync(abandonedUpload, `${CARRIER_HEADER}\n`);
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    utimesSync(abandonedUpload, tenMinutesAgo, tenMinutesAgo);
    workFolder = mkdtempSync(join(tmpdir(), 'claims-api-uploads-client-'));
    database = await createIsolatedDatabase('e2e_api_uploads');
    const ingestorPort = await freeServicePort();
    ingestorUrl = `http://127.0.0.1:${ingestorPort}`;
    pipeline = await LocalPipeline.create({
      brokers,
      databaseUrl: database.url,
      topicNamespace: namespace,
      ingestRoot,
      logDirectory,
      ports: { ingestor: ingestorPort },
      apiTokens: Object.entries(tokens)
        .map(([role, token]) => `${role}=${token}`)
        .join(','),
      serviceEnv: {
        ingestor: { INGESTOR_SERVICE_TOKEN: serviceToken },
        api: {
          INGESTOR_URL: ingestorUrl,
          INGESTOR_SERVICE_TOKEN: serviceToken,
          API_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        },
      },
    });
    await pipeline.start();
    apiUrl = pipeline.services.api.baseUrl;
  });

  afterAll(async () => {
    await pipeline?.stop();
    await database?.drop();
    if (ingestRoot) rmSync(ingestRoot, { recursive: true, force: true });
    if (workFolder) rmSync(workFolder, { recursive: true, force: true });
  });

  it('ends an upload through the API with an ingest token in folded claims, followed through the API', async () => {
    const lines = [CARRIER_HEADER, ...CARRIER_RECORDS];
    carrierLinesSent.push(...CARRIER_RECORDS);
    const accounting = await ingestThroughApi('carrier-upload.csv', Buffer.from(`${lines.join('\n')}\n`));
    expect(accounting).toMatchObject({
      source: 'carrier-upload.csv',
      recordsRead: CARRIER_RECORDS.length,
      folded: CARRIER_RECORDS.length,
      deadLettered: 0,
      status: 'accounted',
    });
  });

  it('folds X12 837P and 837I uploads and dead-letters a record with a bad amount, all through the API', async () => {
    for (const file of [PROFESSIONAL, INSTITUTIONAL]) {
      const accounting = await ingestThroughApi(file.split('/').pop() ?? 'x12', readFileSync(file));
      expect(accounting).toMatchObject({ status: 'accounted', deadLettered: 0 });
      expect(accounting.folded).toBeGreaterThan(0);
    }
    // A record whose first line payment is not an amount: it travels as far as the normalizer and is dead-lettered there.
    const header = CARRIER_HEADER.split(',').map(unquote);
    const amountColumn = header.indexOf('LINE_NCH_PMT_AMT_1');
    const poisoned = (CARRIER_RECORDS.at(-1) ?? '').split(',');
    poisoned[1] = '990000000990001';
    poisoned[amountColumn] = 'NOT-AN-AMOUNT';
    carrierLinesSent.push(poisoned.join(','));
    const accounting = await ingestThroughApi(
      'poisoned.csv',
      Buffer.from(`${CARRIER_HEADER}\n${poisoned.join(',')}\n`),
    );
    expect(accounting).toMatchObject({ recordsRead: 1, deadLettered: 1, status: 'accounted' });
  });

  it("folds a pended-queue export through the API and serves an analyst's work queue without its comments", async () => {
    const accounting = await ingestThroughApi('pended-queue-upload.csv', readFileSync(PENDED_EXPORT));
    expect(accounting).toMatchObject({ status: 'accounted', recordsRead: pendedExportPhi().length });
    const workQueue = JSON.stringify(
      await apiGet<unknown>('/v1/kpis/pended-queue/work-queue?asOf=2024-03-15&limit=100', tokens.analyst),
    );
    expect(workQueue).toContain('"claimId"');
    const comments = pendedExportPhi()
      .map(([, text]) => text)
      .filter(Boolean);
    expect(comments.length).toBeGreaterThan(3);
    expect(comments.filter((text) => workQueue.includes(text))).toEqual([]);
  });

  it('refuses an upload with a reading role (403) and one over API_MAX_UPLOAD_BYTES (413), leaving no partial file', async () => {
    expect(await uploadThroughApi('refused.csv', Buffer.from(`${CARRIER_HEADER}\n`), tokens.analyst)).toMatchObject({
      status: 403,
      body: { code: 'PERMISSION_DENIED', required: 'uploads:write' },
    });

    // Chunked, so the limit is found as the body flows, after part of it has reached the ingestor.
    let sent = 0;
    const oversized = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(Buffer.from(`${CARRIER_HEADER}\n`));
        const piece = Buffer.from(`${CARRIER_RECORDS[0] ?? ''}\n`.repeat(256));
        sent += piece.length;
        if (sent > 2 * MAX_UPLOAD_BYTES) controller.close();
        else controller.enqueue(piece);
      },
    });
    expect(await uploadThroughApi('oversized.csv', oversized)).toMatchObject({
      status: 413,
      body: { code: 'UPLOAD_TOO_LARGE' },
    });
    const uploads = join(ingestRoot, 'uploads');
    await waitFor(
      'the ingestor to remove the partial upload',
      async () => (existsSync(uploads) ? readdirSync(uploads).filter((entry) => entry.startsWith('.incoming-')) : []),
      (partials) => partials.length === 0,
      { timeoutMs: 90_000 },
    );
    expect(
      readdirSync(uploads).flatMap((folder) =>
        folder.startsWith('.') ? [] : readdirSync(join(uploads, folder)).filter((name) => name === 'oversized.csv'),
      ),
    ).toEqual([]);
  });

  it('streams a chunked upload of unknown length to the ingestor byte for byte, with the layout it names', async () => {
    // CRLF line endings: bytes of their own, so the ingestor stores a new file rather than finding the first upload's.
    const bytes = Buffer.from(`${[CARRIER_HEADER, ...CARRIER_RECORDS.slice(0, 40)].join('\r\n')}\r\n`);
    const response = await fetch(`${apiUrl}/v1/ingestions?name=crlf-carrier.csv&layout=desynpuf.carrier`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/octet-stream' },
      body: inPieces(bytes, 4096),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(202);
    const job = await finishedJob(response.headers.get('location'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(job).toMatchObject({ state: 'completed', source: 'crlf-carrier.csv', layout: 'desynpuf.carrier' });
    expect(job.report).toMatchObject({ fileId: sha256, recordsRead: 40 });
    expect(readFileSync(join(ingestRoot, 'uploads', sha256.slice(0, 16), 'crlf-carrier.csv'))).toEqual(bytes);
  });

  it('streams a UTF-16 export with its byte-order mark as it is, and the ingestor reads it as text', async () => {
    const text = `${[CARRIER_HEADER, ...CARRIER_RECORDS.slice(40, 43)].join('\r\n')}\r\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const accepted = await uploadThroughApi('powershell-export.csv', bytes);
    expect(accepted.status).toBe(202);
    const job = await finishedJob(accepted.location);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(job).toMatchObject({ state: 'completed', report: { fileId: sha256, recordsRead: 3, recordsPublished: 3 } });
    expect(readFileSync(join(ingestRoot, 'uploads', sha256.slice(0, 16), 'powershell-export.csv'))).toEqual(bytes);
  });

  it('refuses a bad layout or name (400), a parsed or non-text body (415) and a declared oversize (413) before a byte reaches the ingestor', async () => {
    const before = { jobs: (await ingestorJobs()).length, stored: storedUploads() };
    const refusal = async (query: string, body: RequestInit['body'], contentType = 'application/octet-stream') => {
      const response = await fetch(`${apiUrl}/v1/ingestions${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.ingest}`, 'content-type': contentType },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const csv = Buffer.from(`${CARRIER_HEADER}\n${CARRIER_RECORDS[0] ?? ''}\n`);

    const unknownLayout = await refusal('?name=claims.csv&layout=no.such.layout', csv);
    expect(unknownLayout).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID', fields: ['layout'] } });
    expect(String(unknownLayout.body['detail'])).toContain('desynpuf.carrier');
    expect(await refusal('?layout=x12', csv)).toMatchObject({ status: 400, body: { fields: ['name'] } });
    // 200 characters but 400 bytes: over the file system's 255-byte names; a line break; a right-to-left override.
    for (const name of [`${'é'.repeat(200)}.csv`, 'a\r\nb.csv', 'claims\u202evsc.exe']) {
      expect(await refusal(`?name=${encodeURIComponent(name)}`, csv)).toMatchObject({
        status: 400,
        body: { code: 'REQUEST_INVALID', fields: ['name'] },
      });
    }
    expect(await refusal('?name=a.csv', '{}', 'application/json')).toMatchObject({
      status: 415,
      body: { code: 'UPLOAD_CONTENT_TYPE' },
    });
    expect(await refusal('?name=a.csv', 'x', 'multipart/form-data; boundary=x')).toMatchObject({ status: 415 });
    expect(await refusal('?name=claims.pdf', Buffer.from('%PDF-1.7\n...'))).toMatchObject({
      status: 415,
      body: {
        code: 'UPLOAD_TYPE_UNSUPPORTED',
        detail: 'the body is a PDF document: ingest the export it was printed from',
      },
    });
    expect(await refusal('?name=scan.bin', Buffer.from([0x00, 0x01, 0x02, 0x03]))).toMatchObject({
      status: 415,
      body: { code: 'UPLOAD_TYPE_UNSUPPORTED' },
    });
    // Declared over the limit and not sent: the answer comes from the declaration alone, before any body.
    expect(
      await declaredOnly(`${apiUrl}/v1/ingestions?name=big.csv`, MAX_UPLOAD_BYTES + 1, tokens.ingest),
    ).toMatchObject({
      status: 413,
      body: { code: 'UPLOAD_TOO_LARGE' },
    });

    expect({ jobs: (await ingestorJobs()).length, stored: storedUploads() }).toEqual(before);
  });

  it('answers 404 INGEST_NOT_FOUND for a job id the ingestor never makes', async () => {
    const response = await fetch(`${apiUrl}/v1/ingestions/jobs/not-a-job`, {
      headers: { authorization: `Bearer ${tokens.ingest}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'INGEST_NOT_FOUND' });
  });

  it("answers 502 when its ingestor credential has drifted from the ingestor's, and 503 with a Retry-After when no ingestor answers", async () => {
    const postThrough = async (gatewayUrl: string) => {
      const response = await fetch(`${gatewayUrl}/v1/ingestions?name=a.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.ingest}`, 'content-type': 'text/csv' },
        body: `${CARRIER_HEADER}\n`,
      });
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        retryAfter: response.headers.get('retry-after'),
      };
    };
    const drifted = await startGatewayOnly('drifted', {
      INGESTOR_URL: ingestorUrl,
      INGESTOR_SERVICE_TOKEN: randomBytes(24).toString('base64url'),
    });
    const nobody = await startGatewayOnly('unreachable', {
      INGESTOR_URL: `http://127.0.0.1:${await freeServicePort()}`,
      INGESTOR_SERVICE_TOKEN: serviceToken,
    });
    try {
      expect(await postThrough(drifted.services.api.baseUrl)).toMatchObject({
        status: 502,
        body: { code: 'INGESTOR_CREDENTIAL_REFUSED' },
      });
      expect(await postThrough(nobody.services.api.baseUrl)).toMatchObject({
        status: 503,
        body: { code: 'INGESTOR_UNAVAILABLE' },
        retryAfter: '5',
      });
    } finally {
      await drifted.stop();
      await nobody.stop();
    }
  });

  it('removes at start-up the partial file of an upload whose ingestor was killed mid-body', () => {
    expect(existsSync(abandonedUpload)).toBe(false);
  });

  it('refuses every /v1 door of the ingestor without the service credential, and keeps its probes open', async () => {
    const uploadDoor = await fetch(`${ingestorUrl}/v1/uploads?name=direct.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: `${CARRIER_HEADER}\n`,
    });
    expect(uploadDoor.status).toBe(401);
    expect(await uploadDoor.json()).toMatchObject({ code: 'SERVICE_CREDENTIAL_REQUIRED' });
    const pathDoor = await fetch(`${ingestorUrl}/v1/ingestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
      body: JSON.stringify({ file: 'anything.csv' }),
    });
    expect(pathDoor.status).toBe(401);
    expect((await fetch(`${ingestorUrl}/v1/ingestions`)).status).toBe(401);
    expect((await fetch(`${ingestorUrl}/health/live`)).status).toBe(200);
    const withCredential = await fetch(`${ingestorUrl}/v1/ingestions`, {
      headers: { authorization: `Bearer ${serviceToken}` },
    });
    expect(withCredential.status).toBe(200);
  });

  it('writes no member id, patient name, birth date, address, comment or raw claim id of the input to any service log', () => {
    const identifiers = identifiersOfInput(carrierLinesSent);
    expect(identifiers.size).toBeGreaterThan(100);
    const logs = readdirSync(logDirectory).filter((file) => file.endsWith('.log'));
    expect(logs.sort()).toEqual(['api.log', 'enricher.log', 'ingestor.log', 'metrics.log', 'normalizer.log']);
    const found = logs.flatMap((file) => {
      const text = readFileSync(join(logDirectory, file), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      return occurrences(text, identifiers).map((hit) => `${file}: ${hit}`);
    });
    expect(found).toEqual([]);
  });
});
