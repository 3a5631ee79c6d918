import {
  derivedEventId,
  lineageRowNumbers,
  type ClaimEvent,
  type DeadLetter,
  type MemberReferenceEvent,
} from '@claims/contracts';
import { IngestRefusedError, REPO_ROOT, queryRows } from '@claims/harness';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { startE2ePipeline, type E2ePipeline } from './e2e-pipeline';
import { headerColumnsOf, readWholeTopic, sourceFileTruth, type SourceFileTruth } from './sources-file-truth';
import { settledVerification, type Verification } from './verification';

const DATA = join(REPO_ROOT, 'data');

function filesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return filesUnder(path);
      return /\.(csv|txt)$/.test(name) ? [path] : [];
    });
}

const CMS_FILES = [...filesUnder(join(DATA, 'desynpuf')), ...filesUnder(join(DATA, 'rif'))];
/** BFD's UPDATE sample of a carrier claim that three other sample files also hold. */
const isUpdateSample = (path: string): boolean => path.endsWith('sample-u-bcarrier.txt');
/** BFD's per-beneficiary claim counts: a summary, not a claim or beneficiary file. */
const NOT_A_SOURCE = join(DATA, 'rif', 'rif-synthea', 'export_summary.csv');
const SOURCE_FILES = CMS_FILES.filter((path) => path !== NOT_A_SOURCE);

/**
 * The key of a file's records, read from its own header: a claim is a CLM_ID
 * (a Part D event a PDE_ID); a beneficiary file has neither and is keyed by member.
 */
function recordKeyOf(path: string): { keyColumns: string[]; claims: boolean } {
  const header = headerColumnsOf(path);
  if (header.includes('CLM_ID')) return { keyColumns: ['CLM_ID'], claims: true };
  if (header.includes('PDE_ID')) return { keyColumns: ['PDE_ID'], claims: true };
  return { keyColumns: [header.includes('BENE_ID') ? 'BENE_ID' : 'DESYNPUF_ID'], claims: false };
}

describe('every vendored CMS DE-SynPUF and RIF claim and beneficiary file, through the five services', () => {
  let e2e: E2ePipeline;
  let verification: Verification;
  let claims: ClaimEvent[] = [];
  let members: MemberReferenceEvent[] = [];
  let deadLetters: DeadLetter[] = [];
  const truths = new Map<string, { truth: SourceFileTruth; keyed: boolean }>();

  beforeAll(async () => {
    e2e = await startE2ePipeline('sources-cms');
    for (const path of CMS_FILES) {
      const target = join(e2e.ingestRoot, relative(DATA, path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
    }
    const fileIds: string[] = [];
    const ingestOne = async (path: string): Promise<void> => {
      const report = await e2e.pipeline.ingest(relative(DATA, path));
      fileIds.push(report.fileId);
      const { keyColumns, claims: keyed } = recordKeyOf(path);
      const truth = sourceFileTruth(path, keyColumns);
      truths.set(path, { truth, keyed });
      expect({ file: truth.source, recordsRead: report.recordsRead }).toEqual({
        file: truth.source,
        recordsRead: truth.rows,
      });
    };
    // Four files at a time keeps the suite fast; the UPDATE sample goes alone and last, so that it is the
    // last word on the claim it revises (claims keep partition order only across files sent one after another).
    const [update, others] = [
      SOURCE_FILES.filter(isUpdateSample),
      SOURCE_FILES.filter((path) => !isUpdateSample(path)),
    ];
    const queue = [...others];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) await ingestOne(path);
      }),
    );
    for (const path of update) await ingestOne(path);
    verification = await settledVerification(e2e.pipeline, { fileIds, timeoutMs: 90_000 });
    [claims, members, deadLetters] = await Promise.all([
      readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`),
      readWholeTopic<MemberReferenceEvent>(e2e.brokers, `${e2e.namespace}.reference.members.v1`),
      readWholeTopic<DeadLetter>(e2e.brokers, `${e2e.namespace}.claims.dlq.v1`),
    ]);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('accounts for every row of every file: rows read = folded + duplicates + dead letters, and the KPIs equal their batch SQL', () => {
    expect(verification).toMatchObject({ consistent: true, countersConsistent: true, mismatches: [] });
    for (const { truth } of truths.values()) {
      // Files with the same bytes are one file id: matched by id, labelled by the file at hand.
      const file = verification.files.find((entry) => (entry as { fileId?: string }).fileId === truth.fileId);
      expect({
        file: truth.source,
        recordsRead: file?.recordsRead,
        unaccounted: file?.unaccounted,
        status: file?.status,
      }).toEqual({ file: truth.source, recordsRead: truth.rows, unaccounted: 0, status: 'accounted' });
    }
  });

  it('normalizes each claim file into as many claims as it has distinct claim keys, multi-row claims assembled', () => {
    for (const { truth, keyed } of truths.values()) {
      if (!keyed) continue;
      const events = claims.filter((event) => event.lineage.fileId === truth.fileId);
      expect({ file: truth.source, claims: new Set(events.map((event) => event.claimId)).size }).toEqual({
        file: truth.source,
        claims: truth.distinctKeys,
      });
    }
  });

  it("assembles each DE-SynPUF outpatient claim whole, its segments apart or not: no dead letter, one line per HCPCS code, every row in a claim's lineage", () => {
    const path = join(DATA, 'desynpuf', 'sample2', 'DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv');
    const truth = truths.get(path)?.truth;
    if (truth === undefined) throw new Error('the outpatient sample was not ingested');
    // Straight from the file: its HCPCS codes, each a line of its claim.
    const [header = '', ...rows] = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
    const hcpcsColumns = header
      .split(',')
      .flatMap((name, index) => (/^HCPCS_CD_\d+$/.test(name.replaceAll('"', '')) ? [index] : []));
    const hcpcsCodes = rows.reduce(
      (total, row) => total + hcpcsColumns.filter((index) => (row.split(',')[index] ?? '') !== '').length,
      0,
    );
    const events = claims.filter((event) => event.lineage.fileId === truth.fileId);
    expect(deadLetters.filter((letter) => letter.lineage?.fileId === truth.fileId)).toEqual([]);
    expect(events.reduce((total, event) => total + event.claim.lines.length, 0)).toBe(hcpcsCodes);
    expect(events.flatMap((event) => lineageRowNumbers(event.lineage)).sort((left, right) => left - right)).toEqual(
      rows.map((_, index) => index + 1),
    );
    expect(events.filter((event) => event.lineage.recordNumbers !== undefined).length).toBeGreaterThan(0);
  });

  it("dead-letters an outpatient segment read twice (ROW_REPEATED) and folds its claim once, as the file's other rows", async () => {
    // The sample with data row 35 (segment 1 of CLM_ID 391952254123037, whose segment 2 is row 11) repeated after it.
    const path = join(DATA, 'desynpuf', 'sample2', 'DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv');
    const lines = readFileSync(path, 'utf8').split('\n');
    const repeated = lines[35] ?? '';
    expect(repeated).toContain('391952254123037');
    writeFileSync(
      join(e2e.ingestRoot, 'outpatient-row-35-twice.csv'),
      [...lines.slice(0, 36), repeated, ...lines.slice(36)].join('\n'),
    );
    const report = await e2e.pipeline.ingest('outpatient-row-35-twice.csv');
    expect([report.recordsRead, report.recordsDeadLettered]).toEqual([101, 1]);
    const settled = await settledVerification(e2e.pipeline, { fileIds: [report.fileId], timeoutMs: 60_000 });
    const file = settled.files.find((entry) => entry.fileId === report.fileId);
    // Its claims are the sample's (same bytes, same event ids): folded before, so duplicates now.
    expect(file).toMatchObject({ recordsRead: 101, deadLettered: 1, unaccounted: 0, status: 'accounted' });
    expect((file?.folded ?? 0) + (file?.duplicates ?? 0)).toBe(100);
    const normalized = await readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`);
    const outpatientClaim = (fileId: string) =>
      normalized.find((event) => event.lineage.fileId === fileId && event.claimId === '391952254123037');
    const original = truths.get(path)?.truth.fileId ?? '';
    expect(outpatientClaim(report.fileId)?.claim.lines).toEqual(outpatientClaim(original)?.claim.lines);
    expect(outpatientClaim(report.fileId)?.lineage.recordNumbers).toEqual([11, 35]);
  });

  it("dead-letters a RIF carrier line read twice (ROW_REPEATED) rather than doubling its claim's lines and payment", async () => {
    const path = join(DATA, 'rif', 'rif-synthea', 'carrier.csv');
    const [header = '', ...rows] = readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const claimColumn = header.split('|').indexOf('CLM_ID');
    const claimOf = (row: string): string => row.split('|')[claimColumn] ?? '';
    // A line of a claim of several lines, repeated right after itself.
    const at = rows.findIndex((row, index) => claimOf(row) === claimOf(rows[index + 1] ?? ''));
    const claimId = claimOf(rows[at] ?? '');
    const lineCount = rows.filter((row) => claimOf(row) === claimId).length;
    writeFileSync(
      join(e2e.ingestRoot, 'rif-carrier-line-twice.csv'),
      `${[header, ...rows.slice(0, at + 1), rows[at] ?? '', ...rows.slice(at + 1)].join('\n')}\n`,
    );
    const report = await e2e.pipeline.ingest('rif-carrier-line-twice.csv');
    expect([report.recordsRead, report.recordsDeadLettered]).toEqual([rows.length + 1, 1]);
    // Every record through the stages before the topic is read.
    const settled = await settledVerification(e2e.pipeline, { fileIds: [report.fileId], timeoutMs: 60_000 });
    expect(settled.files.find((entry) => entry.fileId === report.fileId)).toMatchObject({ unaccounted: 0 });
    const normalized = await readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`);
    const claim = normalized.find((event) => event.lineage.fileId === report.fileId && event.claimId === claimId);
    expect(claim?.claim.lines).toHaveLength(lineCount);
  });

  it('routes each beneficiary row to reference.members.v1 or, when it cannot be read, to a dead letter', () => {
    for (const { truth, keyed } of truths.values()) {
      if (keyed) continue;
      // Counted by row number: files with the same bytes are one file id, however often they are ingested.
      const referenced = new Set(
        members.filter((event) => event.lineage.fileId === truth.fileId).map((event) => event.lineage.recordNumber),
      ).size;
      const refused = new Set(
        deadLetters
          .filter((letter) => letter.lineage?.fileId === truth.fileId)
          .map((letter) => letter.lineage?.recordNumber),
      ).size;
      expect({ file: truth.source, rows: referenced + refused }).toEqual({ file: truth.source, rows: truth.rows });
    }
  });

  it('folds the DE-SynPUF beneficiary summaries into one reference_member row per member and year', async () => {
    const rows = await queryRows<{ reference_period: string; members: string }>(
      e2e.database.url,
      `SELECT reference_period, count(*)::text AS members FROM reference_member
        WHERE layout = 'desynpuf.beneficiary-summary' GROUP BY reference_period ORDER BY reference_period`,
    );
    const expected = ['2008', '2009', '2010'].map((year) => {
      const path = SOURCE_FILES.find((file) => file.endsWith(`DE1_0_${year}_Beneficiary_Summary_File_Sample_2.csv`));
      return { reference_period: year, members: String(sourceFileTruth(path ?? '', ['DESYNPUF_ID']).distinctKeys) };
    });
    expect(rows).toEqual(expected);
  });

  it('lets a RIF UPDATE row replace the claim its INSERT created', async () => {
    const update = SOURCE_FILES.find(isUpdateSample) ?? '';
    const truth = sourceFileTruth(update, ['CLM_ID']);
    const [event] = claims.filter((claim) => claim.lineage.fileId === truth.fileId);
    expect(event?.claim.sourceOperation).toBe('update');
    const [state] = await queryRows<{ lineage_file_id: string; event_id: string }>(
      e2e.database.url,
      `SELECT lineage_file_id, event_id::text FROM claim_state WHERE claim_id = $1`,
      [event?.claimId],
    );
    expect(state).toEqual({
      lineage_file_id: truth.fileId,
      event_id: derivedEventId('claims.enriched', event?.eventId ?? ''),
    });
  });

  it('refuses the RIF export summary, which is no claim or beneficiary layout, naming the known layouts', async () => {
    const refusal = await e2e.pipeline.ingest(relative(DATA, NOT_A_SOURCE)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IngestRefusedError);
    expect((refusal as IngestRefusedError).body).toContain('known: billing.claim-export');
  });
});
