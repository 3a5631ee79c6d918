import type { ClaimEvent, IngestReport } from '@claims/contracts';
import { REPO_ROOT } from '@claims/harness';
import { copyFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startE2ePipeline, type E2ePipeline } from './e2e-pipeline';
import { readWholeTopic } from './sources-file-truth';
import { settledVerification, type Verification } from './verification';

const X12 = join(REPO_ROOT, 'data', 'x12');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** One transaction set as the test reads it from the raw text: ST01, its guide, and its segments split on `*`. */
interface RawTransactionSet {
  transactionSetId: string;
  guide: string;
  segments: string[][];
}

/**
 * The test's own split of a file into transaction sets. Every vendored
 * sample writes `*` between elements; the segment terminator is the
 * character after ISA16 (ISA is fixed-width: 106 characters up to it).
 */
function transactionSetsOf(text: string): RawTransactionSet[] {
  const start = text.indexOf('ISA');
  const terminator = text.charAt(start + 105);
  const sets: RawTransactionSet[] = [];
  let groupVersion = '';
  let current: RawTransactionSet | null = null;
  for (const raw of text.split(terminator)) {
    const elements = raw.trim().split('*');
    if (elements[0] === 'GS') groupVersion = elements[8] ?? '';
    if (elements[0] === 'ST') {
      current = { transactionSetId: elements[1] ?? '', guide: elements[3] || groupVersion, segments: [] };
      sets.push(current);
    }
    current?.segments.push(elements);
    if (elements[0] === 'SE') current = null;
  }
  return sets;
}

const NOT_FOLDED = new Set(['270', '271', '276', '834']);

/** A 277 status response whose statuses all stand above the subscriber and dependent levels names no claim. */
function hasClaimLevelStatus(set: RawTransactionSet): boolean {
  let level = '';
  return set.segments.some((elements) => {
    if (elements[0] === 'HL') level = elements[3] ?? '';
    return elements[0] === 'STC' && (level === '22' || level === '23');
  });
}

function expectedSkips(set: RawTransactionSet): boolean {
  if (NOT_FOLDED.has(set.transactionSetId)) return true;
  if (!set.guide.startsWith('005010')) return true;
  return set.transactionSetId === '277' && set.guide.startsWith('005010X212') && !hasClaimLevelStatus(set);
}

/** How many canonical events a folded transaction set yields, counted from its own segments. */
function expectedEvents(set: RawTransactionSet): number {
  const count = (tag: string): number => set.segments.filter((elements) => elements[0] === tag).length;
  switch (set.transactionSetId) {
    case '837':
      return count('CLM');
    case '835':
      return count('CLP');
    case '999':
      return count('AK2');
    case '277': {
      // One event per claim: a TRN*2 below the provider level opens one (a 277 response's claim may hold several STCs).
      let level = '';
      return set.segments.filter((elements) => {
        if (elements[0] === 'HL') level = elements[3] ?? '';
        return elements[0] === 'TRN' && elements[1] === '2' && ['22', '23', 'PT'].includes(level);
      }).length;
    }
    default:
      return 0;
  }
}

describe('every vendored X12 sample through the five services', () => {
  const samples = filesUnder(X12);
  let e2e: E2ePipeline;
  let verification: Verification;
  let normalized: ClaimEvent[] = [];
  const reports = new Map<string, IngestReport>();
  const nameOf = (path: string): string => relative(X12, path).replaceAll('/', '__');

  beforeAll(async () => {
    e2e = await startE2ePipeline('x12-samples');
    for (const path of samples) copyFileSync(path, join(e2e.ingestRoot, nameOf(path)));
    for (const path of samples) reports.set(path, await e2e.pipeline.ingest(nameOf(path)));
    verification = await settledVerification(e2e.pipeline, {
      fileIds: [...reports.values()].map((report) => report.fileId),
      timeoutMs: 120_000,
    });
    normalized = await readWholeTopic<ClaimEvent>(e2e.brokers, `${e2e.namespace}.claims.normalized.v1`);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('reads every file and dead-letters nothing: each record is folded or found a duplicate', () => {
    expect(samples.length).toBeGreaterThanOrEqual(50);
    expect(verification).toMatchObject({ consistent: true, mismatches: [] });
    for (const report of reports.values()) {
      const accounting = verification.files.find((file) => file.fileId === report.fileId);
      expect({ source: report.source, deadLettered: accounting?.deadLettered, status: accounting?.status }).toEqual({
        source: report.source,
        deadLettered: 0,
        status: 'accounted',
      });
      expect(report.recordsDeadLettered).toBe(0);
    }
  });

  it.each(filesUnder(X12).map((path) => [relative(X12, path), path]))(
    '%s: skips exactly the transaction sets no KPI folds, and yields one event per claim of the rest',
    (_name, path) => {
      const sets = transactionSetsOf(readFileSync(path, 'utf8'));
      const report = reports.get(path);
      const skipped = sets.filter(expectedSkips);
      expect(report?.recordsSkipped ?? 0).toBe(skipped.length);
      expect(report?.recordsRead).toBe(sets.length - skipped.length);
      // Two samples are byte-identical files: one file id, ingested twice, the same events twice.
      const events = new Set(
        normalized.filter((event) => event.lineage.fileId === report?.fileId).map((event) => event.eventId),
      );
      const folded = sets.filter((set) => !expectedSkips(set));
      expect(events.size).toBe(folded.reduce((sum, set) => sum + expectedEvents(set), 0));
      for (const code of report?.skippedByReason?.map((entry) => entry.code) ?? []) {
        expect(['X12_TRANSACTION_NOT_FOLDED', 'X12_VERSION_UNSUPPORTED']).toContain(code);
      }
    },
  );
});
