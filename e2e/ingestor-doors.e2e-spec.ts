// @runs-alone: asserts how long a paced record is held before its produce request (20 ms) and how long
// a paced file takes, which a neighbouring suite's load would stretch; scripts/test.mjs runs it on its own.
import {
  DeadLetterSchema,
  IngestReportSchema,
  RawClaimRecordSchema,
  type DeadLetter,
  type IngestReport,
} from '@claims/contracts';
import {
  IngestFailedError,
  IngestRefusedError,
  LocalPipeline,
  REPO_ROOT,
  testInfrastructure,
  topicRecordCount,
  uniqueSuffix,
  waitFor,
} from '@claims/harness';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { SAMPLE_CARRIER_PATH } from './e2e-pipeline';

const ONE_MIB = 1024 * 1024;
const INGESTOR_MAIN = join(REPO_ROOT, 'dist', 'apps', 'ingestor', 'src', 'main.js');
/**
 * The ingestor runs with its old space capped at 128 MB (SERVICE_NODE_OPTIONS);
 * its resident set stays well under this while it reads a 60 MB line. Holding
 * that line, its string and its JSON would cost several times the line.
 */
const INGESTOR_PEAK_RSS_LIMIT_BYTES = 200 * ONE_MIB;

const [CARRIER_HEADER = '', ...CARRIER_RECORDS] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8')
  .split(/\r?\n/)
  .filter((line) => line.trim() !== '');

/** A sample record under a new claim id, so files of this suite never repeat another suite's claims. */
function carrierRecord(index: number, claimId: string): string {
  const columns = (CARRIER_RECORDS[index % CARRIER_RECORDS.length] ?? '').split(',');
  columns[1] = claimId;
  return columns.join(',');
}

/** A record `totalBytes` long, written in 1 MiB pieces so neither the test nor the file writer holds it. */
interface HugeRecord {
  claimId: string;
  totalBytes: number;
}

/** Writes the lines (and huge records) of a file and answers the size and SHA-256 of each huge record. */
async function writeSourceFile(
  path: string,
  lines: ReadonlyArray<string | HugeRecord>,
): Promise<Array<{ bytes: number; sha256: string }>> {
  const out = createWriteStream(path);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const huge: Array<{ bytes: number; sha256: string }> = [];
  for (const line of lines) {
    if (typeof line === 'string') {
      await write(`${line}\n`);
      continue;
    }
    const hash = createHash('sha256');
    const head = `${carrierRecord(0, line.claimId)},`;
    hash.update(head);
    await write(head);
    let remaining = line.totalBytes - Buffer.byteLength(head);
    const piece = 'X'.repeat(ONE_MIB);
    while (remaining > 0) {
      const part = remaining >= piece.length ? piece : piece.slice(0, remaining);
      hash.update(part);
      await write(part);
      remaining -= part.length;
    }
    await write('\n');
    huge.push({ bytes: line.totalBytes, sha256: hash.digest('hex') });
  }
  out.end();
  await once(out, 'finish');
  return huge;
}

/** Reads a topic from its start until `enough` holds for what was read, or the deadline passes. */
async function readTopic<T>(
  brokers: string,
  topic: string,
  decode: (value: Buffer, key: string | null, message: KafkaMessage) => T,
  enough: (messages: T[]) => boolean,
): Promise<T[]> {
  const kafka = new Kafka({ clientId: 'e2e-doors-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `e2e-doors-reader-${uniqueSuffix()}` });
  const messages: T[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(decode(message.value ?? Buffer.alloc(0), message.key?.toString() ?? null, message));
      },
    });
    await waitFor(
      `messages on ${topic}`,
      async () => messages.length,
      () => enough(messages),
      { timeoutMs: 60_000 },
    );
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** The files a process has open, from /proc: how a test sees that an ingestion let go of its file. */
function openFiles(pid: number): string[] {
  const directory = `/proc/${pid}/fd`;
  return readdirSync(directory).flatMap((fd) => {
    try {
      return [readlinkSync(join(directory, fd))];
    } catch {
      return []; // closed between the listing and the read
    }
  });
}

/** The highest resident set size the process has had (VmHWM), in bytes. */
function peakResidentBytes(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** One ingestor process (the other services are not needed to watch its doors) with its own namespace and root. */
async function startIngestor(
  label: string,
  extraEnv: Record<string, string> = {},
): Promise<{
  pipeline: LocalPipeline;
  ingestRoot: string;
  namespace: string;
  logFile: string;
  stop: () => Promise<void>;
}> {
  const { brokers, adminDatabaseUrl } = testInfrastructure();
  const namespace = `e2e-${label}-${uniqueSuffix()}`;
  const ingestRoot = mkdtempSync(join(tmpdir(), `claims-${label}-`));
  const logDirectory = join(REPO_ROOT, '.cache', 'test-logs', namespace);
  const pipeline = await LocalPipeline.create({
    brokers,
    // Unused: the ingestor keeps no database.
    databaseUrl: adminDatabaseUrl,
    topicNamespace: namespace,
    ingestRoot,
    logDirectory,
    extraEnv,
  });
  await pipeline.start(['ingestor']);
  return {
    pipeline,
    ingestRoot,
    namespace,
    logFile: join(logDirectory, 'ingestor.log'),
    stop: async () => {
      await pipeline.stop();
      rmSync(ingestRoot, { recursive: true, force: true });
    },
  };
}

/** Runs the CLI door (`main.js …`) and answers its exit code and output. */
function runIngestorCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [INGESTOR_MAIN, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

/**
 * A consumer group of the test's own subscribed to `topic`: a reader, as far
 * as the CLI door's check can tell, which is all the check needs to see.
 */
async function subscribeReader(brokers: string, topic: string): Promise<() => Promise<void>> {
  const kafka = new Kafka({
    clientId: 'e2e-doors-raw-reader',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `e2e-doors-raw-reader-${uniqueSuffix()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
  return () => consumer.disconnect();
}

async function refusal(ingestion: Promise<IngestReport>): Promise<{ status: number; code: string }> {
  try {
    await ingestion;
  } catch (error) {
    if (error instanceof IngestRefusedError) {
      return { status: error.status, code: (JSON.parse(error.body) as { code: string }).code };
    }
    throw error;
  }
  throw new Error('the ingestion was accepted');
}

async function failure(ingestion: Promise<IngestReport>): Promise<string> {
  try {
    await ingestion;
  } catch (error) {
    if (error instanceof IngestFailedError) return error.code;
    throw error;
  }
  throw new Error('the ingestion completed');
}

describe('the ingestor doors', () => {
  let ingestor: Awaited<ReturnType<typeof startIngestor>>;
  let outside: string;
  let brokers: string;
  const topic = (name: string): string => `${ingestor.namespace}.${name}`;
  const ingestorPid = (): number => {
    const pid = ingestor.pipeline.services.ingestor.pid;
    if (pid === null) throw new Error('the ingestor is not running');
    return pid;
  };

  beforeAll(async () => {
    brokers = testInfrastructure().brokers;
    ingestor = await startIngestor('doors');
    outside = mkdtempSync(join(tmpdir(), 'claims-doors-outside-'));
    writeFileSync(join(outside, 'secret.csv'), `${CARRIER_HEADER}\n${carrierRecord(0, '990000000100001')}\n`);
    symlinkSync(join(outside, 'secret.csv'), join(ingestor.ingestRoot, 'escape.csv'));
  });

  afterAll(async () => {
    await ingestor?.stop();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it('refuses over HTTP a symbolic link in the ingest root that points outside it, with PATH_OUTSIDE_INGEST_ROOT', async () => {
    expect(await refusal(ingestor.pipeline.ingest('escape.csv'))).toEqual({
      status: 400,
      code: 'PATH_OUTSIDE_INGEST_ROOT',
    });
    expect(await refusal(ingestor.pipeline.ingest(relative(ingestor.ingestRoot, join(outside, 'secret.csv'))))).toEqual(
      {
        status: 400,
        code: 'PATH_OUTSIDE_INGEST_ROOT',
      },
    );
  });

  it('refuses the same link through the CLI door with one plain line naming the file and the reason', async () => {
    const result = await runIngestorCli(['ingest', join(ingestor.ingestRoot, 'escape.csv')], {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_NAMESPACE: ingestor.namespace,
      INGEST_ROOT: ingestor.ingestRoot,
      LOG_LEVEL: 'warn',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^ingest failed: \S*escape\.csv: .*\(PATH_OUTSIDE_INGEST_ROOT\)$/),
    ]);
  });

  it('prints its usage for --help without needing any configuration', async () => {
    const result = await runIngestorCli(['--help'], {});
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('main.js ingest <file>');
  });

  it('refuses a pacing rate below one record per second with REQUEST_INVALID naming the field', async () => {
    const response = await fetch(new URL('/v1/ingestions', ingestor.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'any.csv', ratePerSecond: 0.001 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'REQUEST_INVALID', fields: ['ratePerSecond'] });
  });

  it('refuses an unknown field with REQUEST_INVALID naming it, so a misspelt dryRun never publishes the file for real', async () => {
    const response = await fetch(new URL('/v1/ingestions', ingestor.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'any.csv', dryrun: true }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'REQUEST_INVALID', fields: ['dryrun'] });
  });

  it('ingests files with a byte-order mark and CRLF or CR CR LF line endings', async () => {
    const records = Array.from({ length: 10 }, (_, index) =>
      carrierRecord(index, `99000000020${String(index).padStart(4, '0')}`),
    );
    writeFileSync(join(ingestor.ingestRoot, 'bom-crlf.csv'), `\uFEFF${[CARRIER_HEADER, ...records].join('\r\n')}\r\n`);
    const moreRecords = records.map((record, index) =>
      record.replace(/^([^,]*),\d+/, `$1,99000000030${String(index).padStart(4, '0')}`),
    );
    writeFileSync(
      join(ingestor.ingestRoot, 'bom-crcrlf.csv'),
      `\uFEFF${[CARRIER_HEADER, ...moreRecords].join('\r\r\n')}\r\r\n`,
    );

    for (const file of ['bom-crlf.csv', 'bom-crcrlf.csv']) {
      const report = await ingestor.pipeline.ingest(file);
      expect(report).toMatchObject({
        layout: 'desynpuf.carrier',
        recordsRead: 10,
        recordsPublished: 10,
        recordsDeadLettered: 0,
      });
    }
  });

  it('refuses through the CLI door to publish to a raw topic no consumer group reads, naming the topic', async () => {
    const result = await runIngestorCli(['ingest', join(ingestor.ingestRoot, 'bom-crlf.csv')], {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_NAMESPACE: ingestor.namespace,
      INGEST_ROOT: ingestor.ingestRoot,
      LOG_LEVEL: 'warn',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ingest failed: \\S*bom-crlf\\.csv: no consumer group reads ${topic('claims.raw.v1')}.*\\(TOPIC_UNREAD\\)$`,
        ),
      ),
    ]);
  });

  it('ingests a file under the root through the CLI door once a consumer group reads the raw topic, and prints its report', async () => {
    const stopReader = await subscribeReader(brokers, topic('claims.raw.v1'));
    try {
      const result = await runIngestorCli(['ingest', join(ingestor.ingestRoot, 'bom-crlf.csv')], {
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_NAMESPACE: ingestor.namespace,
        INGEST_ROOT: ingestor.ingestRoot,
        LOG_LEVEL: 'warn',
      });
      expect(result).toMatchObject({ exitCode: 0, stderr: '' });
      expect(IngestReportSchema.parse(JSON.parse(result.stdout))).toMatchObject({
        source: 'bom-crlf.csv',
        recordsRead: 10,
        recordsPublished: 10,
      });
    } finally {
      await stopReader();
    }
  });

  it('publishes through the CLI door with --force though nobody reads, and says so on stderr', async () => {
    const result = await runIngestorCli(['ingest', join(ingestor.ingestRoot, 'bom-crcrlf.csv'), '--force'], {
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_NAMESPACE: ingestor.namespace,
      INGEST_ROOT: ingestor.ingestRoot,
      LOG_LEVEL: 'warn',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('--force');
    expect(IngestReportSchema.parse(JSON.parse(result.stdout))).toMatchObject({ recordsPublished: 10 });
  });

  it('publishes the good records of a file and dead-letters a 2 MB record and a 60 MB line as RECORD_TOO_LARGE, in bounded memory', async () => {
    const good = (from: number, count: number): string[] =>
      Array.from({ length: count }, (_, index) =>
        carrierRecord(from + index, `99000000040${String(from + index).padStart(4, '0')}`),
      );
    mkdirSync(join(ingestor.ingestRoot, 'generated'));
    const [twoMegabytes, sixtyMegabytes] = await writeSourceFile(
      join(ingestor.ingestRoot, 'generated', 'oversized.csv'),
      [
        CARRIER_HEADER,
        ...good(0, 20),
        { claimId: '990000000500001', totalBytes: 2 * ONE_MIB },
        ...good(20, 20),
        { claimId: '990000000500002', totalBytes: 60 * ONE_MIB },
        ...good(40, 10),
      ],
    );
    const rawBefore = await topicRecordCount(brokers, topic('claims.raw.v1'));
    const pidBefore = ingestorPid();

    const report = await ingestor.pipeline.ingest('generated/oversized.csv');

    expect(report).toMatchObject({ recordsRead: 52, recordsPublished: 50, recordsDeadLettered: 2 });
    expect(await topicRecordCount(brokers, topic('claims.raw.v1'))).toBe(rawBefore + 50);
    const letters = await readTopic(
      brokers,
      topic('claims.dlq.v1'),
      (value) => ({ bytes: value.length, letter: DeadLetterSchema.parse(JSON.parse(value.toString('utf8'))) }),
      (read) => read.length >= 2,
    );
    expect(letters).toHaveLength(2);
    const byRecord = new Map<number, { bytes: number; letter: DeadLetter }>(
      letters.map((entry) => [entry.letter.lineage?.recordNumber ?? 0, entry]),
    );
    for (const [recordNumber, original] of [
      [21, twoMegabytes],
      [42, sixtyMegabytes],
    ] as const) {
      const entry = byRecord.get(recordNumber);
      expect(entry?.bytes).toBeLessThan(ONE_MIB);
      expect(entry?.letter).toMatchObject({
        stage: 'ingestor',
        errorCode: 'RECORD_TOO_LARGE',
        origin: null,
        lineage: { source: 'oversized.csv', fileId: report.fileId, recordNumber, recordSha256: original?.sha256 },
        originalBytes: original?.bytes,
        originalSha256: original?.sha256,
        originalTruncated: true,
      });
    }
    const reports = await readTopic(
      brokers,
      topic('claims.ingest-reports.v1'),
      (value, key) => ({ key, report: IngestReportSchema.parse(JSON.parse(value.toString('utf8'))) }),
      (read) => read.some((entry) => entry.key === report.fileId),
    );
    expect(reports.find((entry) => entry.key === report.fileId)?.report).toEqual(report);
    // The same process throughout: a peak read from a restarted one would prove nothing.
    expect(ingestorPid()).toBe(pidBefore);
    expect(peakResidentBytes(pidBefore)).toBeLessThan(INGESTOR_PEAK_RSS_LIMIT_BYTES);
  });

  it('answers 202 at once and cancels a running job on DELETE, closing its file and failing it with INGEST_CANCELLED', async () => {
    // Over two read chunks, so the paced reader holds the file open (a file read whole is closed at once).
    const records = Array.from({ length: 2000 }, (_, index) =>
      carrierRecord(index, `99000000060${String(index).padStart(4, '0')}`),
    );
    writeFileSync(join(ingestor.ingestRoot, 'paced.csv'), `${[CARRIER_HEADER, ...records].join('\n')}\n`);
    const pid = ingestorPid();
    const isOpen = (): boolean => openFiles(pid).some((file) => file.endsWith('/paced.csv'));

    const job = await ingestor.pipeline.startIngestion({ file: 'paced.csv', ratePerSecond: 1 });
    expect(job).toMatchObject({ state: 'running', source: 'paced.csv', layout: 'desynpuf.carrier' });
    await waitFor(
      'the paced file to be open',
      async () => isOpen(),
      (open) => open,
      { intervalMs: 20 },
    );

    const cancel = await ingestor.pipeline.ingestor(`/v1/ingestions/${job.ingestId}`, { method: 'DELETE' });
    expect(cancel.status).toBe(202);
    const ended = await ingestor.pipeline.waitForIngestion(job.ingestId);
    expect(ended).toMatchObject({ state: 'failed', error: { code: 'INGEST_CANCELLED' } });
    await waitFor(
      'the paced file to be closed',
      async () => isOpen(),
      (open) => !open,
      { timeoutMs: 10_000 },
    );
    const stopped = await waitFor(
      'the ingestor to log the cancelled ingestion',
      async () => readFileSync(ingestor.logFile, 'utf8'),
      (log) => log.includes('"code":"INGEST_CANCELLED"'),
      { timeoutMs: 10_000 },
    );
    expect(stopped).toMatch(/"source":"paced\.csv","code":"INGEST_CANCELLED".*"msg":"ingestion stopped"/);
  });

  it("paces a file on its records' own event dates with speedup: a day apart is a second apart at 86400", async () => {
    const records = ['20080101', '20080102', '20080103'].map((throughDate, index) =>
      carrierRecord(index, `99000000080000${index}`)
        .split(',')
        .map((field, column) => (column === 2 || column === 3 ? throughDate : field))
        .join(','),
    );
    writeFileSync(join(ingestor.ingestRoot, 'dated.csv'), `${[CARRIER_HEADER, ...records].join('\n')}\n`);

    const job = await ingestor.pipeline.startIngestion({ file: 'dated.csv', speedup: 86_400 });
    const ended = await ingestor.pipeline.waitForIngestion(job.ingestId);

    expect(ended).toMatchObject({ state: 'completed', recordsPublished: 3 });
    // The third record is due two seconds after the first; nothing holds it much longer.
    expect(IngestReportSchema.parse(ended.report).durationSeconds).toBeGreaterThanOrEqual(2);
    expect(IngestReportSchema.parse(ended.report).durationSeconds).toBeLessThan(6);
  });

  it('sends paced records due within 20 ms of each other in one produce request, keeping the pace', async () => {
    const claimIds = Array.from({ length: 100 }, (_, index) => `99000000090${String(index).padStart(4, '0')}`);
    const records = claimIds.map((claimId, index) => carrierRecord(index, claimId));
    writeFileSync(join(ingestor.ingestRoot, 'steady.csv'), `${[CARRIER_HEADER, ...records].join('\n')}\n`);

    const job = await ingestor.pipeline.startIngestion({ file: 'steady.csv', ratePerSecond: 200 });
    const ended = await ingestor.pipeline.waitForIngestion(job.ingestId);
    expect(ended).toMatchObject({ state: 'completed', recordsPublished: 100 });
    expect(IngestReportSchema.parse(ended.report).durationSeconds).toBeGreaterThanOrEqual(0.49);

    const ours = new Set(claimIds);
    // A message's timestamp is its produce request's (the producer's clock when it encoded the request);
    // publishedAt is when the ingestor read the record.
    const sent = await readTopic(
      brokers,
      topic('claims.raw.v1'),
      (value, key, message) => ({
        key,
        readAt: Date.parse(RawClaimRecordSchema.parse(JSON.parse(value.toString('utf8'))).publishedAt),
        sentAt: Number(message.timestamp),
      }),
      (read) => read.filter((entry) => entry.key !== null && ours.has(entry.key)).length >= 100,
    );
    const steady = sent.filter((entry) => entry.key !== null && ours.has(entry.key));
    expect(steady.map((entry) => entry.key).sort()).toEqual(claimIds);
    const requests = new Set(steady.map((entry) => entry.sentAt)).size;
    const holds = steady.map((entry) => entry.sentAt - entry.readAt).sort((left, right) => left - right);
    // A record is due every 5 ms: about four share a request, where each took one before; none waits for a full batch.
    expect(requests).toBeLessThanOrEqual(50);
    expect(holds[holds.length / 2]).toBeLessThanOrEqual(20);
  });

  it('answers 404 INGEST_NOT_FOUND for a job it never started', async () => {
    const answer = await ingestor.pipeline.ingestor('/v1/ingestions/no-such-job');
    expect(answer).toMatchObject({ status: 404, body: { code: 'INGEST_NOT_FOUND' } });
  });
});

describe('the ingestor job limits', () => {
  let ingestor: Awaited<ReturnType<typeof startIngestor>>;

  beforeAll(async () => {
    ingestor = await startIngestor('limits', { INGEST_REQUEST_TIMEOUT_SECONDS: '2', INGEST_MAX_RUNNING_JOBS: '1' });
    // Over two read chunks, so the paced reader holds the file open (a file read whole is closed at once).
    const records = Array.from({ length: 2000 }, (_, index) =>
      carrierRecord(index, `99000000070${String(index).padStart(4, '0')}`),
    );
    writeFileSync(join(ingestor.ingestRoot, 'slow.csv'), `${[CARRIER_HEADER, ...records].join('\n')}\n`);
  });

  afterAll(async () => {
    await ingestor?.stop();
  });

  it('fails a job that runs over INGEST_REQUEST_TIMEOUT_SECONDS with INGEST_TIMEOUT and closes its file', async () => {
    const pid = ingestor.pipeline.services.ingestor.pid;
    if (pid === null) throw new Error('the ingestor is not running');
    const ingestion = ingestor.pipeline.ingest('slow.csv', 1);
    await waitFor(
      'the slow file to be open',
      async () => openFiles(pid).some((file) => file.endsWith('/slow.csv')),
      (open) => open,
      { intervalMs: 20 },
    );
    expect(await failure(ingestion)).toBe('INGEST_TIMEOUT');

    await waitFor(
      'the slow file to be closed',
      async () => openFiles(pid).some((file) => file.endsWith('/slow.csv')),
      (open) => !open,
      { timeoutMs: 10_000 },
    );
  });

  it('refuses a job beyond INGEST_MAX_RUNNING_JOBS with 429 INGEST_BUSY and a Retry-After', async () => {
    const running = await ingestor.pipeline.startIngestion({ file: 'slow.csv', ratePerSecond: 1 });
    const refused = await fetch(new URL('/v1/ingestions', ingestor.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'slow.csv' }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ code: 'INGEST_BUSY' });
    await ingestor.pipeline.waitForIngestion(running.ingestId);
  });
});

describe('the ingestor doors behind a service credential', () => {
  const serviceToken = randomBytes(24).toString('base64url');
  let ingestor: Awaited<ReturnType<typeof startIngestor>>;
  let baseUrl: string;

  beforeAll(async () => {
    ingestor = await startIngestor('guarded', { INGESTOR_SERVICE_TOKEN: serviceToken });
    baseUrl = ingestor.pipeline.services.ingestor.baseUrl;
    writeFileSync(
      join(ingestor.ingestRoot, 'guarded.csv'),
      `${CARRIER_HEADER}\n${carrierRecord(0, '990000000900001')}\n`,
    );
  });

  afterAll(async () => {
    await ingestor?.stop();
  });

  it('refuses an upload without the credential, or with another, with 401 SERVICE_CREDENTIAL_REQUIRED, keeping nothing', async () => {
    const wrongCredential = { authorization: `Bearer ${randomBytes(24).toString('base64url')}` };
    for (const headers of [{}, wrongCredential] as Array<Record<string, string>>) {
      const response = await fetch(`${baseUrl}/v1/uploads?name=sneaked.csv`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...headers },
        body: `${CARRIER_HEADER}\n${carrierRecord(1, '990000000900002')}\n`,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="claims-ingestor"');
      expect(await response.json()).toMatchObject({ code: 'SERVICE_CREDENTIAL_REQUIRED' });
    }
    expect(readdirSync(ingestor.ingestRoot)).not.toContain('uploads');
  });

  it('refuses the path door and the job list without the credential, and serves its probes and metrics to anyone', async () => {
    const pathDoor = await ingestor.pipeline.ingestor('/v1/ingestions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'guarded.csv' }),
    });
    expect(pathDoor.status).toBe(401);
    expect((await ingestor.pipeline.ingestor('/v1/ingestions')).status).toBe(401);
    // The router matches a path in any case and with a trailing slash: the guard must too.
    for (const path of ['/V1/ingestions', '/v1/INGESTIONS/']) {
      expect((await ingestor.pipeline.ingestor(path)).status).toBe(401);
    }
    expect((await ingestor.pipeline.ingestor('/health/ready')).status).toBe(200);
    expect((await ingestor.pipeline.ingestor('/metrics')).status).toBe(200);
  });

  it('takes an upload that carries the credential', async () => {
    const response = await fetch(`${baseUrl}/v1/uploads?name=with-credential.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${serviceToken}` },
      body: readFileSync(join(ingestor.ingestRoot, 'guarded.csv')),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ state: 'running', source: 'with-credential.csv' });
  });
});
