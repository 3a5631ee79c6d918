import { faultCounts, type Fault, type FaultKind, type ScenarioName } from './fault-schedule';
import type { ServiceMemory } from './memory-sampler';

/** What became of one injected fault. */
export interface FaultOutcome {
  fault: Fault;
  description: string;
  /** Milliseconds from the scenario's start to the injection. */
  injectedAtMs: number;
  /**
   * Seconds from the fault to progress resuming: the faulted part is back
   * and its stage's output has moved since the fault (or nothing was left
   * to do). Null when it never recovered within the deadline.
   */
  recoverySeconds: number | null;
  /** Whether input was still being replayed when the fault struck. */
  duringFlow: boolean;
  note?: string;
  /** A long Postgres outage: each service's resident memory before it and at its peak during it. */
  memory?: ServiceMemory[];
  /**
   * A long Postgres outage: records the ingestor published meanwhile (the
   * raw topic's growth). None can be folded while Postgres is down, so they
   * waited in Kafka (the raw and normalized topics), not in a service.
   */
  recordsArrivedDuringOutage?: number;
}

export type InputKind = 'clean' | 'fuzzed' | 'broken-x12' | 'bad-file';

/** One input file of a scenario and how the pipeline accounted for it. */
export interface FileOutcome {
  name: string;
  kind: InputKind;
  /** From the generator's manifest, for clean files: rows the file holds. */
  expectedRecords: number | null;
  /** Claims the file must add to the KPIs: the manifest's, for clean files. */
  expectedClaims: number | null;
  fileId: string | null;
  /** Ingest attempts: more than one when a fault ended a job before its report. */
  attempts: number;
  /** Why the ingestor refused the file as a whole or its job failed, for files that never got a report. */
  refused: string | null;
  recordsRead: number | null;
  folded: number;
  duplicates: number;
  deadLettered: number;
  unaccounted: number;
  status: string;
}

export interface ScenarioChecks {
  /** Every file with a report accounted: folded or dead-lettered, each record once, as many as its report read. */
  everyRecordAccountedOnce: boolean;
  /** Clean files: every row folded, none dead-lettered, as many as the manifest wrote. */
  cleanFilesAsGenerated: boolean;
  /** Bad files refused (or read and dead-lettered whole), never folded. */
  badFilesRefused: boolean;
  /** GET /v1/kpis/verification (`npm run kpi -- verify`): streamed counters equal to their batch SQL. */
  verificationConsistent: boolean;
  /** Claims received grew by the manifests' claims (plus the hostile records that folded); EDI figures equal the manifest's. */
  kpiTotalsAsManifest: boolean;
  /** The whole input replayed again left every KPI as it was. */
  replayChangedNothing: boolean;
  /** Every service healthy at the end, none restarted after the faults ended. */
  noCrashLoop: boolean;
  /** Every fault recovered within its deadline. */
  faultsRecovered: boolean;
  /** During each long Postgres outage, no service's memory grew past OUTAGE_MEMORY_GROWTH_LIMIT_MB. */
  memoryFlat: boolean;
}

export interface ScenarioResult {
  name: ScenarioName;
  description: string;
  durationSeconds: number;
  faults: FaultOutcome[];
  files: FileOutcome[];
  expectedClaims: number;
  claimsReceivedDelta: number;
  checks: ScenarioChecks;
  problems: string[];
}

export interface ScenarioRow {
  scenario: string;
  faults: number;
  faultsByKind: Partial<Record<FaultKind, number>>;
  records: number;
  lost: number;
  doubled: number;
  deadLettered: number;
  recoveryP50Seconds: number | null;
  recoveryMaxSeconds: number | null;
  verdict: 'PASS' | 'FAIL';
}

/** The p-th percentile (0–100) by nearest rank; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/**
 * Records lost and doubled, each the larger of two independent readings: the
 * per-file accounting (records a report read but nothing accounted for, or
 * accounted for more than once) and the claims KPI against the manifests.
 */
export function lostAndDoubled(result: Pick<ScenarioResult, 'files' | 'expectedClaims' | 'claimsReceivedDelta'>): {
  lost: number;
  doubled: number;
} {
  let missing = 0;
  let extra = 0;
  for (const file of result.files) {
    if (file.recordsRead === null) continue;
    // A record found duplicate was folded once before (the same bytes under an earlier file): accounted, not doubled.
    const accounted = file.folded + file.duplicates + file.deadLettered;
    missing += Math.max(file.unaccounted, file.recordsRead - accounted, 0);
    extra += Math.max(accounted - file.recordsRead, 0);
    if (file.kind === 'clean' && file.expectedRecords !== null) {
      missing += Math.max(file.expectedRecords - file.recordsRead, 0);
    }
  }
  for (const file of result.files) {
    // A clean file never reported is lost whole.
    if (file.kind === 'clean' && file.recordsRead === null) missing += file.expectedRecords ?? 0;
  }
  return {
    lost: Math.max(missing, result.expectedClaims - result.claimsReceivedDelta, 0),
    doubled: Math.max(extra, result.claimsReceivedDelta - result.expectedClaims, 0),
  };
}

/** The row of the table for one scenario; PASS only when nothing is lost or doubled and every check holds. */
export function scenarioRow(result: ScenarioResult): ScenarioRow {
  const { lost, doubled } = lostAndDoubled(result);
  const recoveries = result.faults
    .map((outcome) => outcome.recoverySeconds)
    .filter((seconds): seconds is number => seconds !== null);
  const counts = faultCounts(result.faults.map((outcome) => outcome.fault));
  const pass =
    lost === 0 && doubled === 0 && result.problems.length === 0 && Object.values(result.checks).every(Boolean);
  return {
    scenario: result.name,
    faults: result.faults.length,
    faultsByKind: Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0)),
    records: result.files.reduce((sum, file) => sum + (file.recordsRead ?? 0), 0),
    lost,
    doubled,
    deadLettered: result.files.reduce((sum, file) => sum + file.deadLettered, 0),
    recoveryP50Seconds: percentile(recoveries, 50),
    recoveryMaxSeconds: percentile(recoveries, 100),
    verdict: pass ? 'PASS' : 'FAIL',
  };
}

/** The failed checks of a scenario, by name, with its problems: what a FAIL row means. */
export function failureReasons(result: ScenarioResult): string[] {
  const failed = Object.entries(result.checks)
    .filter(([, ok]) => !ok)
    .map(([check]) => `check failed: ${check}`);
  return [...failed, ...result.problems];
}

const seconds = (value: number | null): string => (value === null ? '-' : value.toFixed(1));

/** The table `npm run chaos` prints: one row per scenario and a total row. */
export function renderTable(rows: readonly ScenarioRow[]): string {
  const header = ['scenario', 'faults', 'records', 'lost', 'doubled', 'dead-lettered', 'recovery s p50/max', 'verdict'];
  const body = rows.map((row) => [
    row.scenario,
    String(row.faults),
    String(row.records),
    String(row.lost),
    String(row.doubled),
    String(row.deadLettered),
    `${seconds(row.recoveryP50Seconds)} / ${seconds(row.recoveryMaxSeconds)}`,
    row.verdict,
  ]);
  const total = [
    'total',
    String(rows.reduce((sum, row) => sum + row.faults, 0)),
    String(rows.reduce((sum, row) => sum + row.records, 0)),
    String(rows.reduce((sum, row) => sum + row.lost, 0)),
    String(rows.reduce((sum, row) => sum + row.doubled, 0)),
    String(rows.reduce((sum, row) => sum + row.deadLettered, 0)),
    '',
    runPassed(rows) ? 'PASS' : 'FAIL',
  ];
  const table = [header, ...body, total];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), rule, ...body.map(line), rule, line(total)].join('\n');
}

/** A run passes when it ran at least one scenario and every scenario passed. */
export function runPassed(rows: readonly ScenarioRow[]): boolean {
  return rows.length > 0 && rows.every((row) => row.verdict === 'PASS');
}

/**
 * One line per long Postgres outage: each service's resident memory before
 * it and at its peak, and the records that arrived meanwhile and waited in Kafka.
 */
export function renderOutageMemory(scenarios: ReadonlyArray<Pick<ScenarioResult, 'faults'>>): string[] {
  return scenarios.flatMap((scenario) =>
    scenario.faults.flatMap((outcome) => {
      if (!outcome.memory) return [];
      const services = outcome.memory
        .map((entry) => `${entry.service} ${entry.beforeMb} → ${entry.peakMb} MB`)
        .join(', ');
      const waiting =
        outcome.recordsArrivedDuringOutage === undefined
          ? ''
          : `; ${outcome.recordsArrivedDuringOutage.toLocaleString('en-US')} records arrived and waited in Kafka`;
      return [`${outcome.description}: resident memory before → peak: ${services}${waiting}`];
    }),
  );
}
