import type { ClaimEvent, DeadLetter } from '@claims/contracts';
import { IngestRefusedError, REPO_ROOT, queryRows } from '@claims/harness';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2ePipeline, type E2ePipeline } from './e2e-pipeline';
import { readWholeTopic, sourceFileTruth, type SourceFileTruth } from './sources-file-truth';
import { settledVerification, type Verification } from './verification';

const BILLING = join(REPO_ROOT, 'data', 'billing', 'billing-export-2024-03.csv');
const BILLING_WITH_ERRORS = join(REPO_ROOT, 'data', 'billing', 'billing-export-with-errors.csv');
const PENDED = join(REPO_ROOT, 'data', 'pended', 'pended-queue-2024-03-15.csv');
const HARBOR = join(REPO_ROOT, 'data', 'harbor', 'harbor-remit-2024-04.txt');
const HARBOR_LAYOUT = join(REPO_ROOT, 'data', 'harbor', 'harbor-remittance.layout.yaml');

function fileAccounting(verification: Verification, truth: SourceFileTruth): Verification['files'][number] | undefined {
  return verification.files.find((file) => file.source === truth.source);
}

describe('billing exports, a pended queue and a payer onboarded by one mapping file, through the five services', () => {
  let e2e: E2ePipeline;
  /** LAYOUTS_DIR: a folder holding nothing but the new payer's mapping file. */
  let extraLayouts: string;
  let normalized: ClaimEvent[] = [];

  const eventsOf = (truth: SourceFileTruth): ClaimEvent[] =>
    normalized.filter((event) => event.lineage.fileId === truth.fileId);

  beforeAll(async () => {
    extraLayouts = mkdtempSync(join(tmpdir(), 'claims-layouts-'));
    copyFileSync(HARBOR_LAYOUT, join(extraLayouts, 'harbor-remittance.layout.yaml'));
    e2e = await startE2ePipeline('sources-billing', { LAYOUTS_DIR: extraLayouts });
    for (const path of [BILLING, BILLING_WITH_ERRORS, PENDED, HARBOR]) {
      copyFileSync(path, join(e2e.ingestRoot, path.split('/').pop() ?? ''));
    }
    const fileIds: string[] = [];
    for (const path of [BILLING, BILLING_WITH_ERRORS, PENDED, HARBOR])
      fileIds.push((await e2e.pipeline.ingest(path.split('/').pop() ?? '')).fileId);
    const verification = await settledVerification(e2e.pipeline, { fileIds, timeoutMs: 60_000 });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    normalized = await readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`);
  });

  afterAll(async () => {
    await e2e?.stop();
    rmSync(extraLayouts, { recursive: true, force: true });
  });

  it('folds every claim of a billing export, assembling its multi-row claims and accounting for every row', async () => {
    const truth = sourceFileTruth(BILLING, ['Claim_ID']);
    const verification = await settledVerification(e2e.pipeline);
    expect(fileAccounting(verification, truth)).toMatchObject({
      recordsRead: truth.rows,
      folded: truth.rows,
      deadLettered: 0,
      status: 'accounted',
    });
    const events = eventsOf(truth);
    expect(new Set(events.map((event) => event.claimId)).size).toBe(truth.distinctKeys);
    expect(events.reduce((rows, event) => rows + (event.lineage.recordCount ?? 1), 0)).toBe(truth.rows);

    const byClaim = new Map(events.map((event) => [event.claimId, event]));
    expect(byClaim.get('BX-240301-0001')).toMatchObject({
      eventType: 'adjudicated',
      lineage: { recordNumber: 1, recordCount: 3 },
      claim: { adjudication: { status: 'paid', sourceStatus: 'paid' }, billedAmountCents: 18500 + 4800 + 1200 },
    });
    expect(byClaim.get('BX-240301-0002')?.claim.lines.map((line) => line.processingCategory)).toEqual([
      'not_allowed',
      'not_allowed',
    ]);
    expect(byClaim.get('BX-240301-0003')).toMatchObject({ eventType: 'pended', claim: { billedAmountCents: 240000 } });
    expect(byClaim.get('BX-240301-0004')?.eventType).toBe('rejected');
    expect(byClaim.get('BX-240301-0007')?.dataQuality.map((finding) => finding.code)).toContain('NEGATIVE_AMOUNT');

    const [state] = await queryRows<{ claims: string; lines: string }>(
      e2e.database.url,
      `SELECT count(DISTINCT claim_id)::text AS claims, count(*)::text AS lines FROM claim_line_state
        WHERE claim_id LIKE 'BX-240301-%'`,
    );
    expect(Number(state?.lines)).toBe(truth.rows);
  });

  it('dead-letters a bad claim as one letter naming every row, with its reason, and folds the good claims of the same file', async () => {
    const truth = sourceFileTruth(BILLING_WITH_ERRORS, ['Claim_ID']);
    const verification = await settledVerification(e2e.pipeline);
    const accounting = fileAccounting(verification, truth);
    expect(accounting).toMatchObject({ recordsRead: truth.rows, status: 'accounted' });
    const folded = eventsOf(truth);
    expect(accounting?.folded).toBe(folded.reduce((rows, event) => rows + (event.lineage.recordCount ?? 1), 0));

    const deadLetters = await readWholeTopic<DeadLetter>(e2e.brokers, `${e2e.namespace}.claims.dlq.v1`);
    const ofFile = deadLetters.filter((letter) => letter.lineage?.fileId === truth.fileId);
    expect(ofFile.reduce((rows, letter) => rows + (letter.lineage?.recordCount ?? 1), 0)).toBe(
      accounting?.deadLettered,
    );
    // Rows 6 and 7 are one claim with a bad amount on row 7: one letter for both rows, its original the whole
    // claim, so a replay re-sends the claim with both its lines.
    expect(
      ofFile.map((letter) => [letter.lineage?.recordNumber, letter.lineage?.recordCount ?? 1, letter.errorCode]).sort(),
    ).toEqual([
      [2, 1, 'DATE_INVALID'],
      [3, 1, 'AMOUNT_INVALID'],
      [4, 1, 'CLAIM_ID_MISSING'],
      [5, 1, 'CODE_UNTRANSLATED'],
      [6, 2, 'AMOUNT_INVALID'],
    ]);
    const twoRows = ofFile.find((letter) => letter.lineage?.recordNumber === 6);
    expect(twoRows?.reason).toBe('Paid_amnt is not a dollar amount in row 2 of the claim');
    const original = JSON.parse(Buffer.from(twoRows?.originalValueBase64 ?? '', 'base64').toString('utf8'));
    expect(original.record.split('\n')).toHaveLength(2);
    // Reasons name columns, never values.
    expect(ofFile.every((letter) => !/twenty|12,34|appealed/.test(letter.reason))).toBe(true);
  });

  it('carries the pended queue: waiting claims pended, cleared ones dated by their clear date, comments stored for claim detail and kept out of logs', async () => {
    const truth = sourceFileTruth(PENDED, ['Claim Number']);
    const events = eventsOf(truth);
    expect(new Set(events.map((event) => event.claimId)).size).toBe(truth.distinctKeys);
    for (const event of events) {
      if (event.claim.clearDate)
        expect(event).toMatchObject({ eventType: 'cleared', occurredAt: event.claim.clearDate });
      else expect(event).toMatchObject({ eventType: 'pended', occurredAt: event.claim.receivedDate });
    }
    const waiting = events.find((event) => event.claimId === 'PQ-2024-000101');
    expect(waiting?.claim).toMatchObject({
      pend: { reason: 'NPI_NOT_FOUND', queue: 'Provider Data' },
      renderingProvider: { npi: '1245319599', firstName: 'Maria', lastName: 'Alvarez' },
      providerGroup: 'Lakeside Family Medicine',
      serviceLocation: { address1: '1200 Lakeshore Dr', city: 'Chicago', state: 'IL', zip: '60611' },
      billedAmountCents: 31000,
    });
    expect(waiting?.claim.pend?.comments).toContain('W-9');
    const findings = events.flatMap((event) => event.dataQuality.map((finding) => finding.code));
    expect(findings).toEqual(
      expect.arrayContaining(['NPI_CHECK_DIGIT_INVALID', 'SERVICE_DATE_AFTER_RECEIVED', 'MEMBER_ID_MISSING']),
    );

    // Stored with the episode and served in claim detail (claims:read; the pipeline's token is an admin's).
    const commented = events.filter((event) => event.claim.pend?.comments);
    expect(commented.length).toBeGreaterThan(0);
    for (const event of commented) {
      const detail = await e2e.pipeline.api<{ pend: { comments: string | null } | null }>(
        `/v1/claims/${encodeURIComponent(event.claimId)}`,
      );
      expect({ claimId: event.claimId, comments: detail.pend?.comments }).toEqual({
        claimId: event.claimId,
        comments: event.claim.pend?.comments,
      });
    }

    // Read after the API served them: no service's log holds a comment, whole or any clause of it.
    const logs = readdirSync(e2e.logDirectory)
      .map((file) => readFileSync(join(e2e.logDirectory, file), 'utf8'))
      .join('\n');
    for (const event of commented) {
      const comments = event.claim.pend?.comments ?? '';
      const clauses = comments.split(/[;.,]/).map((clause) => clause.trim());
      for (const needle of [comments, comments.slice(0, 30), ...clauses.filter((clause) => clause.length >= 16)]) {
        expect({ claimId: event.claimId, needle, logged: logs.includes(needle) }).toEqual({
          claimId: event.claimId,
          needle,
          logged: false,
        });
      }
    }
  });

  it('ingests the export of a payer onboarded by adding only a mapping file to LAYOUTS_DIR', async () => {
    const truth = sourceFileTruth(HARBOR, ['CLAIM_REF']);
    const verification = await settledVerification(e2e.pipeline);
    expect(fileAccounting(verification, truth)).toMatchObject({
      recordsRead: truth.rows,
      folded: truth.rows,
      status: 'accounted',
    });
    const events = eventsOf(truth);
    expect(new Set(events.map((event) => event.claimId)).size).toBe(truth.distinctKeys);
    expect(events.every((event) => event.layout === 'harbor.remittance-export')).toBe(true);
    // Its lines came out of order in the file; the layout orders them by LINE_NO.
    const outOfOrder = events.find((event) => event.claimId === 'HH24-000983');
    expect(outOfOrder?.claim.lines.map((line) => [line.lineNumber, line.hcpcsCode])).toEqual([
      [1, '96372'],
      [2, 'J1100'],
    ]);
  });

  it('reads a record whose quoted field holds line breaks as one record, and lets a stray quote cost only its own row', async () => {
    const header = readFileSync(BILLING, 'utf8').split('\n')[0]?.trim() ?? '';
    const rows = [
      // A two-row claim whose first row's location spans two lines (CRLF inside the quotes, as the file ends its lines).
      'BQ-240301-0001,1245319599,99213,E11.9,03/04/2024,Aetna,$185.00,$142.50,paid,"Main Street Clinic\r\nSuite 100"',
      'BQ-240301-0001,1245319599,36415,E11.9,03/04/2024,Aetna,$12.00,$9.25,paid,"Main Street Clinic\r\nSuite 100"',
      // Escaped quotes and a blank line inside the field.
      'BQ-240301-0002,1345678902,99214,I10,03/05/2024,Aetna,$90.00,$70.00,paid,"The ""North"" Clinic\r\n\r\nBuilding B"',
      // A stray quote (inch marks in an unquoted field): its row alone is dead-lettered; the next one folds.
      'BQ-240301-0003,1345678902,99214,I10,03/05/2024,Aetna,$90.00,$70.00,paid,12" Cast Room',
      'BQ-240301-0004,1345678902,99214,I10,03/05/2024,Aetna,$90.00,$70.00,paid,Cast Room',
    ];
    writeFileSync(join(e2e.ingestRoot, 'billing-multiline.csv'), `${[header, ...rows].join('\r\n')}\r\n`);

    const report = await e2e.pipeline.ingest('billing-multiline.csv');
    expect(report).toMatchObject({ recordsRead: 5, blankLinesSkipped: 0 });
    const verification = await settledVerification(e2e.pipeline, { fileIds: [report.fileId], timeoutMs: 60_000 });
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    expect(verification.files.find((file) => file.fileId === report.fileId)).toMatchObject({
      recordsRead: 5,
      folded: 4,
      deadLettered: 1,
      unaccounted: 0,
      status: 'accounted',
    });

    const events = (await readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`)).filter(
      (event) => event.lineage.fileId === report.fileId,
    );
    const byClaim = new Map(events.map((event) => [event.claimId, event]));
    expect([...byClaim.keys()].sort()).toEqual(['BQ-240301-0001', 'BQ-240301-0002', 'BQ-240301-0004']);
    expect(byClaim.get('BQ-240301-0001')).toMatchObject({
      lineage: { recordNumber: 1, recordCount: 2 },
      claim: { billedAmountCents: 18500 + 1200, serviceLocation: { name: 'Main Street Clinic\nSuite 100' } },
    });
    expect(byClaim.get('BQ-240301-0002')?.claim.serviceLocation?.name).toBe('The "North" Clinic\n\nBuilding B');
    expect(byClaim.get('BQ-240301-0004')?.lineage.recordNumber).toBe(5);
    const letters = await readWholeTopic<DeadLetter>(e2e.brokers, `${e2e.namespace}.claims.dlq.v1`);
    const stray = letters.filter((letter) => letter.lineage?.fileId === report.fileId);
    expect(stray.map((letter) => [letter.errorCode, letter.lineage?.recordNumber])).toEqual([['CSV_MALFORMED', 4]]);
  });

  it('reads billing exports other tools write as it reads any other: lines ending in CR alone (Excel for Mac), UTF-16 with its byte-order mark', async () => {
    const lines = readFileSync(BILLING, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
    // Claim ids of their own, so neither file is the sample's replay.
    const withPrefix = (prefix: string): string[] => lines.map((line) => line.replace(/^BX-/, prefix));
    writeFileSync(join(e2e.ingestRoot, 'billing-mac.csv'), `${withPrefix('BM-').join('\r')}\r`);
    const utf16 = Buffer.from(`\uFEFF${withPrefix('BU-').join('\r\n')}\r\n`, 'utf16le');
    writeFileSync(join(e2e.ingestRoot, 'billing-utf16.csv'), utf16);
    const rows = lines.length - 1;
    const reports = [await e2e.pipeline.ingest('billing-mac.csv'), await e2e.pipeline.ingest('billing-utf16.csv')];
    const fileIds = reports.map((report) => report.fileId);
    for (const report of reports) expect(report).toMatchObject({ recordsRead: rows, recordsDeadLettered: 0 });
    const verification = await settledVerification(e2e.pipeline, { fileIds, timeoutMs: 60_000 });
    for (const fileId of fileIds) {
      expect(verification.files.find((file) => file.fileId === fileId)).toMatchObject({
        recordsRead: rows,
        folded: rows,
        deadLettered: 0,
        status: 'accounted',
      });
    }
  });

  it('refuses a file whose header no layout knows, listing the known layouts', async () => {
    writeFileSync(join(e2e.ingestRoot, 'unknown.csv'), 'Patient,Amount\nA,1\n');
    const refusal = await e2e.pipeline.ingest('unknown.csv').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IngestRefusedError);
    const { status, body } = refusal as IngestRefusedError;
    expect(status).toBe(422);
    expect(JSON.parse(body)).toMatchObject({ code: 'LAYOUT_UNKNOWN' });
    for (const layout of ['billing.claim-export', 'desynpuf.carrier', 'harbor.remittance-export', 'rif.carrier']) {
      expect(body).toContain(layout);
    }
  });
});
