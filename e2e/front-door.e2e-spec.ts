import { CLAIM_TOPICS, IngestReportSchema, namespacedTopic } from '@claims/contracts';
import { REPO_ROOT, queryRows, topicRecordCount, waitFor, type IngestJobStatus } from '@claims/harness';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SAMPLE_CARRIER_PATH, startE2ePipeline, type E2ePipeline } from './e2e-pipeline';

const ONE_MIB = 1024 * 1024;
const [HEADER = '', ...SAMPLE_RECORDS] = readFileSync(SAMPLE_CARRIER_PATH, 'utf8')
  .split(/\r?\n/)
  .filter((line) => line.trim() !== '');
const COLUMNS = HEADER.split(',').map((name) => name.replace(/"/g, ''));

/** A sample record under a new claim id (this suite's own: 77…), with some columns replaced. */
function carrierRecord(index: number, claimId: string, replacements: Record<string, string> = {}): string {
  const fields = (SAMPLE_RECORDS[index % SAMPLE_RECORDS.length] ?? '').split(',');
  fields[1] = claimId;
  for (const [name, value] of Object.entries(replacements)) fields[COLUMNS.indexOf(name)] = value;
  return fields.join(',');
}

/** A carrier file of `count` records whose claim ids start at `firstClaimId`. */
function carrierFile(count: number, firstClaimId: number): string {
  const records = Array.from({ length: count }, (_, index) => carrierRecord(index, String(firstClaimId + index)));
  return `${[HEADER, ...records].join('\n')}\n`;
}

/** GET /v1/ingestions/:fileId on the API, the fields these tests read. */
interface FileAccounting {
  fileId: string;
  status: string;
  recordsRead: number | null;
  folded: number;
  duplicates: number;
  deadLettered: number;
  deadLettersByReason: Array<{ stage: string; errorCode: string; records: number }>;
}

interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

describe('the front door', () => {
  let e2e: E2ePipeline;
  let inbox: string;
  const rawTopic = (): string => namespacedTopic(CLAIM_TOPICS.raw, e2e.namespace);

  /** Runs `npm run <script> -- args` as npm would (from the repository, INIT_CWD the ingest root), against this suite's stack. */
  function runScript(script: 'ingest' | 'dlq', args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(REPO_ROOT, 'scripts', `${script}.mjs`), ...args],
        {
          cwd: REPO_ROOT,
          timeout: 120_000,
          env: {
            PATH: process.env['PATH'] ?? '',
            TZ: 'UTC',
            INIT_CWD: e2e.ingestRoot,
            CLAIMS_API_URL: e2e.pipeline.services.api.baseUrl,
            CLAIMS_INGESTOR_URL: e2e.pipeline.services.ingestor.baseUrl,
            CLAIMS_API_TOKEN: e2e.pipeline.apiToken,
            CLAIMS_INGEST_ROOT: e2e.ingestRoot,
            KAFKA_BROKERS: e2e.brokers,
            KAFKA_TOPIC_NAMESPACE: e2e.namespace,
          },
        },
        (error, stdout, stderr) => {
          const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ exitCode, stdout, stderr });
        },
      );
    });
  }

  async function accountedFile(fileId: string, until: (file: FileAccounting) => boolean): Promise<FileAccounting> {
    return waitFor(
      `file ${fileId.slice(0, 12)} to be accounted for`,
      () => e2e.pipeline.api<FileAccounting>(`/v1/ingestions/${fileId}`),
      until,
      { timeoutMs: 60_000 },
    );
  }

  beforeAll(async () => {
    inbox = mkdtempSync(join(tmpdir(), 'claims-front-door-inbox-'));
    // Set for every service; only the ingestor reads them.
    e2e = await startE2ePipeline('front-door', {
      INGEST_INBOX: inbox,
      INGEST_INBOX_POLL_MILLISECONDS: '200',
      INGEST_MAX_UPLOAD_BYTES: String(ONE_MIB),
    });
  });

  afterAll(async () => {
    await e2e?.stop();
    if (inbox) rmSync(inbox, { recursive: true, force: true });
  });

  it('answers 202 with a job at once, and the job shows its progress until it completes with the report', async () => {
    const text = carrierFile(10, 770000000000100);
    writeFileSync(join(e2e.ingestRoot, 'ten.csv'), text);

    const response = await fetch(new URL('/v1/ingestions', e2e.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'ten.csv' }),
    });
    expect(response.status).toBe(202);
    const started = (await response.json()) as IngestJobStatus;
    expect(started).toMatchObject({ state: 'running', source: 'ten.csv', layout: 'desynpuf.carrier' });
    expect(response.headers.get('location')).toBe(`/v1/ingestions/${started.ingestId}`);

    const ended = await e2e.pipeline.waitForIngestion(started.ingestId);
    expect(ended).toMatchObject({
      state: 'completed',
      bytesRead: Buffer.byteLength(text),
      bytesTotal: Buffer.byteLength(text),
      recordsRead: 10,
      recordsPublished: 10,
      error: null,
    });
    expect(IngestReportSchema.parse(ended.report)).toMatchObject({ source: 'ten.csv', recordsRead: 10 });
  });

  it('streams an upload to the ingest root and ingests it as a job', async () => {
    const text = carrierFile(5, 770000000000200);
    const response = await fetch(new URL('/v1/uploads?name=uploaded.csv', e2e.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: text,
    });
    expect(response.status).toBe(202);
    const ended = await e2e.pipeline.waitForIngestion(((await response.json()) as IngestJobStatus).ingestId);
    expect(ended).toMatchObject({ state: 'completed', source: 'uploaded.csv', recordsPublished: 5 });

    const sha256 = createHash('sha256').update(text).digest('hex');
    expect(readFileSync(join(e2e.ingestRoot, 'uploads', sha256.slice(0, 16), 'uploaded.csv'), 'utf8')).toBe(text);
  });

  it('refuses a legacy spreadsheet sent as CSV with 422, saying what it is and what to send instead', async () => {
    // The first bytes of every .xls (an OLE2 compound file), under the name of the CSV export it should have been.
    const workbook = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const response = await fetch(new URL('/v1/uploads?name=march-claims.csv', e2e.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: workbook,
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      code: 'FILE_FORMAT_UNSUPPORTED',
      message: 'march-claims.csv is a legacy Office file (.xls, .doc): save the sheet as CSV and ingest that',
    });
  });

  it('refuses an upload over INGEST_MAX_UPLOAD_BYTES with 413 while its body is still arriving, and keeps none of it', async () => {
    const url = new URL('/v1/uploads?name=too-large.csv', e2e.pipeline.services.ingestor.baseUrl);
    const call = request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' } });
    call.on('error', () => undefined);
    const answered = new Promise<{ status: number; body: string }>((resolve) =>
      call.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      }),
    );
    // Half again the limit, sent without an end: the answer can only come from a server reading as it receives.
    call.write(`${HEADER}\n${'x'.repeat(1.5 * ONE_MIB)}`);
    const answer = await answered;
    call.end();

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    const uploads = join(e2e.ingestRoot, 'uploads');
    const leftovers = existsSync(uploads) ? readdirSync(uploads).filter((name) => name.startsWith('.incoming-')) : [];
    expect(leftovers).toEqual([]);

    const declared = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'y'.repeat(ONE_MIB + 1),
    });
    expect(declared.status).toBe(413);
  });

  it('ingests a gzip file with the same accounting as its plain twin: every record read, published and accounted for', async () => {
    const text = carrierFile(12, 770000000000300);
    writeFileSync(join(e2e.ingestRoot, 'twin.csv'), text);
    writeFileSync(join(e2e.ingestRoot, 'twin.csv.gz'), gzipSync(text));

    const plain = await e2e.pipeline.ingest('twin.csv');
    const compressed = await e2e.pipeline.ingest('twin.csv.gz');

    const counts = ({ layout, recordsRead, recordsPublished, recordsDeadLettered }: typeof plain): object => ({
      layout,
      recordsRead,
      recordsPublished,
      recordsDeadLettered,
    });
    expect(counts(compressed)).toEqual(counts(plain));
    expect(compressed.fileId).toBe(createHash('sha256').update(gzipSync(text)).digest('hex'));
    const plainAccounting = await accountedFile(plain.fileId, (file) => file.status === 'accounted');
    const compressedAccounting = await accountedFile(compressed.fileId, (file) => file.status === 'accounted');
    expect(plainAccounting).toMatchObject({ recordsRead: 12, folded: 12, duplicates: 0, deadLettered: 0 });
    // The same records again: recognised by their event ids, each counted as a duplicate, none folded twice.
    expect(compressedAccounting).toMatchObject({ recordsRead: 12, folded: 0, duplicates: 12, deadLettered: 0 });
  });

  it('ingests a file dropped into the inbox once, and reports the same bytes dropped again as a duplicate, moving both to processed/', async () => {
    const text = carrierFile(4, 770000000000400);
    const sha256 = createHash('sha256').update(text).digest('hex');
    writeFileSync(join(inbox, 'dropped.csv'), text);
    await waitFor(
      'the inbox to ingest dropped.csv',
      async () => existsSync(join(inbox, 'processed', 'dropped.csv')),
      (moved) => moved,
      { timeoutMs: 30_000 },
    );
    expect(readFileSync(join(inbox, '.ingested'), 'utf8')).toContain(sha256);
    const rawAfterFirst = await topicRecordCount(e2e.brokers, rawTopic());

    writeFileSync(join(inbox, 'dropped-again.csv'), text);
    await waitFor(
      'the inbox to take dropped-again.csv',
      async () => existsSync(join(inbox, 'processed', 'dropped-again.csv')),
      (moved) => moved,
      { timeoutMs: 30_000 },
    );
    const { body } = await e2e.pipeline.ingestor<{ ingestions: IngestJobStatus[] }>('/v1/ingestions');
    expect(body.ingestions.find((job) => job.source === 'dropped-again.csv')).toMatchObject({
      state: 'completed',
      report: null,
      duplicateOf: { fileId: sha256, source: 'dropped.csv' },
    });
    expect(body.ingestions.find((job) => job.source === 'dropped.csv')).toMatchObject({
      state: 'completed',
      report: { fileId: sha256, recordsRead: 4 },
    });
    expect(await topicRecordCount(e2e.brokers, rawTopic())).toBe(rawAfterFirst);
    await accountedFile(sha256, (file) => file.status === 'accounted' && file.folded === 4);
  });

  it('refuses a link in the inbox that leads out of it, moving it to failed/ without reading its target', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'claims-front-door-outside-'));
    try {
      writeFileSync(join(outside, 'secret.csv'), carrierFile(2, 770000000000450));
      symlinkSync(join(outside, 'secret.csv'), join(inbox, 'linked.csv'));
      const reasonFile = join(inbox, 'failed', 'linked.csv.reason.txt');
      // The reason is written just after the link is moved: wait for its words, not only for the file.
      const reason = await waitFor(
        'the inbox to refuse linked.csv',
        async () => (existsSync(reasonFile) ? readFileSync(reasonFile, 'utf8') : ''),
        (text) => text.length > 0,
        { timeoutMs: 30_000 },
      );
      expect(reason).toContain('PATH_OUTSIDE_INGEST_ROOT');
      expect(existsSync(join(outside, 'secret.csv'))).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('prints each file accounted for with npm run ingest -- --json, and refuses a file of no known layout in one line', async () => {
    writeFileSync(join(e2e.ingestRoot, 'cli.csv'), carrierFile(6, 770000000000500));
    writeFileSync(join(e2e.ingestRoot, 'not-claims.csv'), 'Patient,Amount\nA,1\n');

    const accepted = await runScript('ingest', ['cli.csv', '--json']);
    expect(accepted.exitCode).toBe(0);
    const lines = accepted.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      source: 'cli.csv',
      layout: 'desynpuf.carrier',
      recordsRead: 6,
      recordsPublished: 6,
      status: 'accounted',
      folded: 6,
      duplicates: 0,
      deadLettered: 0,
    });

    const refused = await runScript('ingest', ['not-claims.csv']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^ingest: not-claims\.csv: the header row of not-claims\.csv matches no known source layout \(known: .*desynpuf\.carrier.*\) \(LAYOUT_UNKNOWN\)$/,
      ),
    ]);
  });

  it("sends a folder's files and links to files once each, naming a link that leads nowhere and a file named twice, and exits 1 for the link", async () => {
    const batch = join(e2e.ingestRoot, 'linked-batch');
    mkdirSync(batch);
    writeFileSync(join(batch, 'a.csv'), carrierFile(3, 770000000000600));
    writeFileSync(join(e2e.ingestRoot, 'linked-target.csv'), carrierFile(2, 770000000000610));
    symlinkSync(join(e2e.ingestRoot, 'linked-target.csv'), join(batch, 'b.csv'));
    symlinkSync(join(e2e.ingestRoot, 'removed.csv'), join(batch, 'c.csv'));

    const result = await runScript('ingest', ['linked-batch', join('linked-batch', 'a.csv'), '--json']);

    expect(result.exitCode).toBe(1);
    const reports = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { recordsRead: number; folded: number; status: string });
    expect(reports.map(({ recordsRead, folded, status }) => [recordsRead, folded, status]).sort()).toEqual([
      [2, 2, 'accounted'],
      [3, 3, 'accounted'],
    ]);
    expect(result.stderr).toContain(`ingest: ${join('linked-batch', 'c.csv')}: no longer exists`);
    expect(result.stderr).toContain(`ingest: ${join('linked-batch', 'a.csv')}: named more than once; sent once`);
  });

  it('reads and checks a file with --dry-run, predicting its dead letters, and publishes nothing', async () => {
    const text = [
      HEADER,
      carrierRecord(0, '770000000000600'),
      carrierRecord(1, '770000000000601', { CLM_FROM_DT: '19600101', CLM_THRU_DT: '19600105' }),
      carrierRecord(2, '770000000000602'),
    ].join('\n');
    writeFileSync(join(e2e.ingestRoot, 'check.csv'), `${text}\n`);
    const rawBefore = await topicRecordCount(e2e.brokers, rawTopic());
    const deadLettersBefore = await topicRecordCount(
      e2e.brokers,
      namespacedTopic(CLAIM_TOPICS.deadLetter, e2e.namespace),
    );

    const result = await runScript('ingest', ['check.csv', '--dry-run', '--json']);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      source: 'check.csv',
      layout: 'desynpuf.carrier',
      recordsRead: 3,
      recordsValid: 2,
      recordsDeadLettered: 1,
      deadLettersByReason: [{ stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', records: 1 }],
    });
    expect(await topicRecordCount(e2e.brokers, rawTopic())).toBe(rawBefore);
    expect(await topicRecordCount(e2e.brokers, namespacedTopic(CLAIM_TOPICS.deadLetter, e2e.namespace))).toBe(
      deadLettersBefore,
    );
  });

  it("predicts in a --dry-run the normalizer's full check of an 835's claims: a negative paid-units count holds back its transaction set, a reversal's does not", async () => {
    const transactionSet = (control: string, claims: string): string => {
      const segments = [
        `ST*835*${control}`,
        'BPR*I*20*C*NON************20240105',
        'TRN*1*R1*1999999999',
        'DTM*405*20240105',
        'N1*PR*ACME HEALTH',
        'LX*1',
        ...claims.split('~').filter(Boolean),
      ];
      return `${[...segments, `SE*${segments.length + 1}*${control}`].join('~')}~`;
    };
    const interchange =
      'ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       *240110*0800*^*00501*000000042*0*P*:~' +
      'GS*HP*PAYER*PROVIDER*20240110*0800*42*X*005010X221A1~' +
      transactionSet(
        '0001',
        'CLP*C-1*22*-200*-80*-60*12*PCN1~SVC*HC:99213*-200*-80**-1~CAS*CO*45*-60~' +
          'CLP*C-1*1*200*100*60*12*PCN1~SVC*HC:99213*200*100**1~CAS*CO*45*40~',
      ) +
      transactionSet('0002', 'CLP*C-2*1*50*50*0*12*PCN2~SVC*HC:99213*50*50**-1~') +
      'GE*2*42~IEA*1*000000042~';
    writeFileSync(join(e2e.ingestRoot, 'reversal-units.835'), interchange);

    const result = await runScript('ingest', ['reversal-units.835', '--dry-run', '--json']);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      recordsRead: 2,
      recordsValid: 1,
      recordsDeadLettered: 1,
      deadLettersByReason: [{ stage: 'normalizer', errorCode: 'NORMALIZED_EVENT_INVALID', records: 1 }],
    });
  });

  it('lists dead letters by reason, and replays them once the date range is widened: each file stays accounted, a claim of two rows folds with both its lines', async () => {
    const text = [
      HEADER,
      ...[0, 1, 3, 4].map((index) => carrierRecord(index, `77000000000070${index}`)),
      carrierRecord(2, '770000000000702', { CLM_FROM_DT: '19600101', CLM_THRU_DT: '19600105' }),
    ].join('\n');
    writeFileSync(join(e2e.ingestRoot, 'old-dates.csv'), `${text}\n`);
    const report = await e2e.pipeline.ingest('old-dates.csv');
    const before = await accountedFile(report.fileId, (file) => file.status === 'accounted');
    expect(before).toMatchObject({ folded: 4, deadLettered: 1 });
    // A billing claim of two rows (one line each), dated before the range: refused whole, as one letter.
    const billing = [
      'Claim_ID,Provider_ID,Procedure_code,Diagnosis_code,service_date,Payer,Claim_amnt,Paid_amnt,claim_status,Location',
      'OLD-1960-0001,1245319599,99213,E11.9,03/04/1960,Aetna,$185.00,$142.50,paid,Main Street Clinic',
      'OLD-1960-0001,1245319599,83036,E11.9,03/04/1960,Aetna,$48.00,$36.10,paid,Main Street Clinic',
      'OLD-2024-0002,1245319599,99213,E11.9,03/04/2024,Aetna,$185.00,$142.50,paid,Main Street Clinic',
    ];
    writeFileSync(join(e2e.ingestRoot, 'old-dates-billing.csv'), `${billing.join('\n')}\n`);
    const billingReport = await e2e.pipeline.ingest('old-dates-billing.csv');
    expect(await accountedFile(billingReport.fileId, (file) => file.status === 'accounted')).toMatchObject({
      folded: 1,
      deadLettered: 2,
    });
    const billingListed = await runScript('dlq', ['list', '--file', 'old-dates-billing.csv', '--json']);
    expect(JSON.parse(billingListed.stdout)).toMatchObject({
      open: 1,
      byStageAndReason: [{ stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', open: 1, replayable: 1 }],
      latest: [{ source: 'old-dates-billing.csv', recordNumber: 1 }],
    });

    const listed = await runScript('dlq', ['list', '--file', 'old-dates.csv', '--json']);
    expect(listed.exitCode).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      open: 1,
      resolved: 0,
      byStageAndReason: [{ stage: 'normalizer', errorCode: 'DATE_OUT_OF_RANGE', open: 1, replayable: 1 }],
      latest: [{ source: 'old-dates.csv', recordNumber: 5, reason: expect.stringContaining('CLM_FROM_DT') }],
    });

    await e2e.pipeline.services.normalizer.restartWith({ CLAIM_SERVICE_DATE_EARLIEST: '1950-01-01' });
    const replay = await runScript('dlq', [
      'replay',
      '--reason',
      'DATE_OUT_OF_RANGE',
      '--file',
      'old-dates.csv',
      '--yes',
      '--json',
    ]);
    expect(replay.exitCode).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ replayed: 1, replayedByTopic: { [rawTopic()]: 1 } });

    const after = await accountedFile(report.fileId, (file) => file.folded === 5);
    expect(after).toMatchObject({ status: 'accounted', recordsRead: 5, folded: 5, duplicates: 0, deadLettered: 0 });
    const relisted = await runScript('dlq', ['list', '--file', 'old-dates.csv', '--json']);
    expect(JSON.parse(relisted.stdout)).toMatchObject({ open: 0, resolved: 1 });

    const billingReplay = await runScript('dlq', [
      'replay',
      '--reason',
      'DATE_OUT_OF_RANGE',
      '--file',
      'old-dates-billing.csv',
      '--yes',
      '--json',
    ]);
    expect(JSON.parse(billingReplay.stdout)).toMatchObject({ replayed: 1 });
    expect(await accountedFile(billingReport.fileId, (file) => file.folded === 3)).toMatchObject({
      status: 'accounted',
      recordsRead: 3,
      folded: 3,
      deadLettered: 0,
    });
    const lines = await queryRows<{ hcpcs_code: string }>(
      e2e.database.url,
      `SELECT hcpcs_code FROM claim_line_state WHERE claim_id = $1 ORDER BY hcpcs_code`,
      ['OLD-1960-0001'],
    );
    expect(lines.map((line) => line.hcpcs_code)).toEqual(['83036', '99213']);
  });
});
