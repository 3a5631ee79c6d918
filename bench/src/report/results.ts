import type { ApiLoadResult } from '../phases/api-load.phase';
import type { EdiResult } from '../phases/edi.phase';
import type { BenchOptions } from '../cli-options';
import type { GenerationRecord } from '../generator/file-catalog';
import type { BatchLoadResult } from '../phases/batch-load.phase';
import type { EndToEndResult } from '../phases/end-to-end.phase';
import type { FreshnessResult } from '../phases/freshness.phase';
import type { IncrementalResult } from '../phases/incremental.phase';
import type { IngestorMemoryResult } from '../phases/ingestor-memory.phase';
import type { RawTransportResult } from '../phases/raw-transport.phase';
import type { RecordCostResult } from '../phases/record-cost.phase';
import type { ScaleOutResult } from '../phases/scale-out.phase';
import { transportFloor, type TransportFloor } from '../capacity/transport-floor';
import type { BenchEnvironment } from './environment';

/** The targets the performance issue sets: reported against, never asserted. */
export const TARGETS = {
  endToEndShareOfRawOneHop: 0.33,
  endToEndRecordsPerSecond: 10_000,
  /** A bulk replay completes within this many times the batch way's (COPY + SQL) time. */
  bulkReplayOverBatchTime: 2,
  p99FreshnessMsAtFixedRate: 250,
  ingestorPeakRssBytes: 200 * 1024 * 1024,
  incrementalStreamingMs: 200,
  incrementalSpeedup: 100,
} as const;

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  schemaVersion: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** 'failed' when any phase failed or any correctness check did: a fast but wrong run is not a result. */
  status: 'passed' | 'failed';
  mode: 'default' | 'quick';
  options: BenchOptions;
  environment: BenchEnvironment;
  generatedFiles: GenerationRecord[];
  phaseSeconds: Partial<Record<string, number>>;
  rawTransport?: RawTransportResult[];
  /** The record-cost phase alone; the end-to-end phase measures it too, beside the services' CPU. */
  recordCost?: RecordCostResult;
  endToEnd?: EndToEndResult;
  /** End-to-end records/s over KafkaJS's one-hop carrier rate. */
  endToEndShareOfRawOneHop?: number;
  /** The inpatient file of the raw-transport phase, end to end: the issue's second layout. */
  endToEndInpatient?: EndToEndResult;
  /** Each end-to-end layout's three hops at the raw hop's cost: what this machine's transport alone allows. */
  transportFloors?: TransportFloor[];
  edi?: EdiResult;
  freshness?: FreshnessResult;
  apiLoad?: ApiLoadResult;
  ingestorMemory?: IngestorMemoryResult;
  batch?: BatchLoadResult;
  incremental?: IncrementalResult;
  /** 1, 2 and 3 instances per consumer service on 12 partitions, and the capacity model computed from them. */
  scaleOut?: ScaleOutResult;
  targets?: TargetCheck[];
  notes?: string[];
  failures: string[];
}

/** Correctness failures found in the phases' own checks. */
export function correctnessFailures(results: BenchResults): string[] {
  const failures: string[] = [];
  const check = (
    phase: string,
    correctness: { passed: boolean; verificationConsistent: boolean; differences: string[] } | undefined,
  ): void => {
    if (!correctness || correctness.passed) return;
    failures.push(
      `${phase}: KPIs wrong (verification ${correctness.verificationConsistent ? 'consistent' : 'INCONSISTENT'}; ` +
        `${correctness.differences.slice(0, 3).join('; ') || 'summary equal'})`,
    );
  };
  check('end to end', results.endToEnd?.correctness);
  check('end to end, inpatient', results.endToEndInpatient?.correctness);
  check('freshness', results.freshness?.correctness);
  check('api load', results.apiLoad?.correctness);
  check('incremental', results.incremental?.correctness);
  for (const run of results.scaleOut?.runs ?? []) check(`scale out (${run.instances} instances)`, run.correctness);
  if (results.edi && !results.edi.correct) {
    const wrong = results.edi.checks.filter((check) => check.expected !== check.served);
    failures.push(
      `edi: lifecycle figures differ from the generator (${wrong.map((check) => `${check.figure} ${check.served} ≠ ${check.expected}`).join('; ')})`,
    );
  }
  if (results.batch && !results.batch.summaryMatchesGenerator) {
    failures.push(`batch load: KPIs differ from the generator (${results.batch.differences.slice(0, 3).join('; ')})`);
  }
  return failures;
}

/** KafkaJS's row of the raw-transport phase for the layout's file: the baseline hop. */
function kafkajsRawHop(results: BenchResults, layout: 'carrier' | 'inpatient'): RawTransportResult | undefined {
  return results.rawTransport?.find((row) => row.client === 'kafkajs' && row.layout === layout);
}

/** KafkaJS's one-hop rate of the raw-transport phase for the layout's file. */
export function rawOneHopRate(results: BenchResults, layout: 'carrier' | 'inpatient' = 'carrier'): number | undefined {
  return kafkajsRawHop(results, layout)?.oneHopRecordsPerSecond;
}

/** The inpatient run's records/s over KafkaJS's one-hop rate for the same file. */
export function endToEndInpatientShareOfRawOneHop(results: BenchResults): number | undefined {
  const oneHop = rawOneHopRate(results, 'inpatient');
  return results.endToEndInpatient && oneHop ? results.endToEndInpatient.recordsPerSecond / oneHop : undefined;
}

/**
 * The transport floor of the carrier and inpatient files, from their KafkaJS
 * raw hops, beside the CPU per record of the layout's end-to-end run where it
 * ran; on `cores` when no end-to-end run says how many it had.
 */
export function transportFloorsOf(results: BenchResults, cores: number): TransportFloor[] {
  const runs: ReadonlyArray<['carrier' | 'inpatient', EndToEndResult | undefined]> = [
    ['carrier', results.endToEnd],
    ['inpatient', results.endToEndInpatient],
  ];
  return runs.flatMap(([layout, run]) => {
    const floor = transportFloor(
      kafkajsRawHop(results, layout),
      run?.cpuBudget.cores ?? cores,
      run?.cpuBudget.totalCpuSecondsPer1000,
    );
    return floor ? [floor] : [];
  });
}

export function transportFloorOf(results: BenchResults, layout: 'carrier' | 'inpatient'): TransportFloor | undefined {
  return results.transportFloors?.find((floor) => floor.layout === layout);
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function targetChecks(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const endToEnd = results.endToEnd;
  const throughputChecks = (
    layout: string,
    run: EndToEndResult | undefined,
    share: number | undefined,
    floor: TransportFloor | undefined,
  ): void => {
    checks.push({
      target: `end to end ≥ ${TARGETS.endToEndShareOfRawOneHop * 100} % of raw one-hop${layout}`,
      measured: share === undefined ? 'not measured' : `${(share * 100).toFixed(1)} %`,
      met: share === undefined ? null : share >= TARGETS.endToEndShareOfRawOneHop,
    });
    checks.push({
      target: `end to end ≥ ${TARGETS.endToEndRecordsPerSecond.toLocaleString('en-US')} records/s${layout}`,
      measured: run
        ? `${Math.round(run.recordsPerSecond).toLocaleString('en-US')} records/s` +
          (floor
            ? ` (the transport alone allows ≤ ${Math.round(floor.ceilingRecordsPerSecond).toLocaleString('en-US')} here)`
            : '')
        : 'not measured',
      met: run ? run.recordsPerSecond >= TARGETS.endToEndRecordsPerSecond : null,
    });
  };
  throughputChecks('', endToEnd, results.endToEndShareOfRawOneHop, transportFloorOf(results, 'carrier'));
  throughputChecks(
    ', inpatient',
    results.endToEndInpatient,
    endToEndInpatientShareOfRawOneHop(results),
    transportFloorOf(results, 'inpatient'),
  );
  const batch = results.batch;
  const bulkRatio = endToEnd && batch ? endToEnd.durationSeconds / batch.timeToFirstKpiSeconds : undefined;
  checks.push({
    target: `bulk replay ≤ ${TARGETS.bulkReplayOverBatchTime}× the batch way's time (COPY + SQL + KPI SQL)`,
    measured:
      endToEnd && batch && bulkRatio !== undefined
        ? `${bulkRatio.toFixed(1)}× (${endToEnd.durationSeconds.toFixed(1)} s against ${batch.timeToFirstKpiSeconds.toFixed(1)} s)`
        : 'not measured',
    met: bulkRatio === undefined ? null : bulkRatio <= TARGETS.bulkReplayOverBatchTime,
  });
  const fixed = results.freshness?.atFixedRate;
  checks.push({
    target: `p99 freshness ≤ ${TARGETS.p99FreshnessMsAtFixedRate} ms at ${results.options.rate} records/s`,
    measured: fixed ? `${fixed.publishToReadable.p99Ms.toFixed(0)} ms` : 'not measured',
    met: fixed ? fixed.publishToReadable.p99Ms <= TARGETS.p99FreshnessMsAtFixedRate : null,
  });
  const measuredRuns = (results.ingestorMemory?.runs ?? []).filter((run) => run.peakRssBytes !== undefined);
  const peaks = measuredRuns.map((run) => run.peakRssBytes ?? 0);
  checks.push({
    target: `ingestor RSS ≤ ${mib(TARGETS.ingestorPeakRssBytes)} on every layout, flat from small to large input`,
    measured:
      peaks.length > 0
        ? measuredRuns.map((run) => `${run.layout} ${mib(run.fileBytes)}: ${mib(run.peakRssBytes ?? 0)}`).join('; ')
        : 'not measured',
    met: peaks.length > 0 ? Math.max(...peaks) <= TARGETS.ingestorPeakRssBytes : null,
  });
  const incremental = results.incremental;
  checks.push({
    target: `incremental: ${incremental?.newClaims.toLocaleString('en-US') ?? '1,000'} new claims readable ≤ ${TARGETS.incrementalStreamingMs} ms`,
    measured: incremental ? `${(incremental.streamingSeconds * 1000).toFixed(0)} ms` : 'not measured',
    met: incremental ? incremental.streamingSeconds * 1000 <= TARGETS.incrementalStreamingMs : null,
  });
  checks.push({
    target: `incremental ≥ ${TARGETS.incrementalSpeedup}× faster than batch recompute`,
    measured: incremental ? `${incremental.speedup.toFixed(1)}×` : 'not measured',
    met: incremental ? incremental.speedup >= TARGETS.incrementalSpeedup : null,
  });
  return checks;
}
