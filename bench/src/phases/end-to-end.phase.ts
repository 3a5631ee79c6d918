import { CLAIM_TOPICS, namespacedTopic } from '@claims/contracts';
import type { IngestReport, ServiceName } from '@claims/harness';
import { availableParallelism } from 'node:os';
import type { BenchContext } from '../bench-context';
import type { CorrectnessCheck, ReplayedFile } from '../measure/kpi-checks';
import type { PipelineSample } from '../measure/pipeline-sampler';
import { foldStepCosts, type StageBatchStats } from '../measure/service-metrics';
import { topicBytesOnDisk } from '../measure/topic-disk-usage';
import { PIPELINE_STAGES, POSTGRES_APPLICATION_OF, type PipelineStageName } from '../pipeline/pipeline-stages';
import type { BenchDirectory } from '../pipeline/bench-directory';
import { replayCpuPer1000, replayGeneratedFile } from '../pipeline/file-replay';
import { RECORD_COST_SAMPLE, measureRecordCost, type RecordCostResult } from './record-cost.phase';

export interface StageResult {
  stage: PipelineStageName;
  /** Records the stage put out (published, normalized + dead-lettered, enriched, folded). */
  records: number;
  /** From the stage's first output to its last, while all stages ran at once. */
  busySeconds: number;
  recordsPerSecond: number;
  serviceCpuSecondsPer1000: number;
  /** CPU of the Postgres backends serving the stage (by application_name), per 1,000 records. */
  postgresCpuSecondsPer1000: number;
  cpuSecondsPer1000: number;
  /** 1,000 / cpuSecondsPer1000: what the stage could do with one core to itself (each stage is one Node process). */
  oneCoreCapacityRecordsPerSecond: number;
  /** The largest backlog of records waiting in front of the stage during the run. */
  peakBacklogRecords: number;
  batches: StageBatchStats | null;
  /**
   * Milliseconds the stage's service stood still for garbage collection per
   * 1,000 records (its main thread; V8's helper threads are in its CPU only);
   * null when the service did not report it.
   */
  gcPauseMsPer1000: number | null;
}

export interface EndToEndResult {
  file: { name: string; records: number; bytes: number; sha256: string };
  /** The directory the enricher judged the file against, loaded before the replay. */
  directory: BenchDirectory;
  records: number;
  /** From the POST that started the replay to the last record's fold (processed_at of the last event). */
  durationSeconds: number;
  recordsPerSecond: number;
  fileMegabytesPerSecond: number;
  /** From the POST to the first committed fold: when the first KPI figure became readable. */
  firstKpiSeconds: number;
  ingestReport: IngestReport;
  stages: StageResult[];
  slowestStage: { stage: PipelineStageName; evidence: string };
  peakRssBytes: Partial<Record<ServiceName, number>>;
  brokerCpuSecondsPer1000: number | null;
  postgresCpuSecondsPer1000: number;
  /**
   * All CPU a record costs (services, their Postgres backends, the broker) and
   * the rate the machine's cores could sustain at that cost: on a CPU-bound
   * machine, the ceiling no stage tuning can pass without cutting CPU per record.
   */
  cpuBudget: { totalCpuSecondsPer1000: number; cores: number; ceilingRecordsPerSecond: number; shareOfCeiling: number };
  /** Bytes per record each topic holds in the broker's log segments. */
  topicBytesPerRecord: Record<string, number | null>;
  correctness: CorrectnessCheck;
  /**
   * The product's per-record functions timed alone, before the pipeline
   * starts: what each stage's CPU is spent on; for a carrier file only (null
   * for the others: the timed functions are the carrier layout's).
   */
  recordCost: RecordCostResult | null;
  /**
   * Where the fold's transactions spent their time, step by step (the metrics
   * service's claims_fold_step_duration_seconds), per 1,000 folded records;
   * null when the service did not report it.
   */
  foldSteps: Array<{ step: string; msPer1000: number; share: number }> | null;
  /**
   * The fold's write statements by the table each writes (claims_fold_write_duration_seconds), per 1,000
   * folded records: a backlog's batches write a statement per table, a small batch's go as one
   * (`one_statement`); null when the service did not report them.
   */
  foldWrites: Array<{ table: string; msPer1000: number; share: number }> | null;
  /** [seconds, raw, normalized, enriched, folded] every sample: the lag picture. */
  timeline: Array<[number, number, number, number, number]>;
}

type StageCounter = (sample: PipelineSample) => number;

const OUTPUT_OF: Record<PipelineStageName, StageCounter> = {
  ingestor: (sample) => sample.rawRecords,
  normalizer: (sample) => sample.normalizedRecords + sample.deadLetterRecords,
  enricher: (sample) => sample.enrichedRecords,
  metrics: (sample) => sample.foldedRecords,
};
const INPUT_OF: Record<PipelineStageName, StageCounter | null> = {
  ingestor: null,
  normalizer: OUTPUT_OF.ingestor,
  enricher: (sample) => sample.normalizedRecords,
  metrics: OUTPUT_OF.enricher,
};

/** First sample where the stage had output, to the first where it had all of it. */
function busyWindowSeconds(samples: readonly PipelineSample[], output: StageCounter, total: number): number {
  const first = samples.find((sample) => output(sample) > 0);
  const last = samples.find((sample) => output(sample) >= total);
  if (!first || !last) return Number.NaN;
  // The first output happened somewhere in the interval before the first sample that saw it.
  const index = samples.indexOf(first);
  const before = index > 0 ? samples[index - 1] : undefined;
  return Math.max(0.001, last.atSeconds - (before ? (before.atSeconds + first.atSeconds) / 2 : first.atSeconds));
}

export function summarizeStages(
  samples: readonly PipelineSample[],
  report: IngestReport,
  batches: Partial<Record<PipelineStageName, StageBatchStats | null>>,
  gcPauseSeconds: Partial<Record<PipelineStageName, number | null>>,
): StageResult[] {
  const last = samples[samples.length - 1];
  if (!last) throw new Error('the sampler took no sample');
  return PIPELINE_STAGES.map((stage) => {
    const output = OUTPUT_OF[stage];
    const input = INPUT_OF[stage];
    const records = stage === 'ingestor' ? report.recordsPublished : output(last);
    const busySeconds = stage === 'ingestor' ? report.durationSeconds : busyWindowSeconds(samples, output, records);
    const serviceCpu = last.serviceCpuSeconds[stage] ?? 0;
    const application = POSTGRES_APPLICATION_OF[stage];
    const postgresCpu = application ? (last.postgresCpuSecondsByApplication[application] ?? 0) : 0;
    const per1000 = (seconds: number): number => (records > 0 ? (seconds / records) * 1000 : Number.NaN);
    const cpuSecondsPer1000 = per1000(serviceCpu + postgresCpu);
    const gcPause = gcPauseSeconds[stage];
    return {
      stage,
      records,
      busySeconds,
      recordsPerSecond: records / busySeconds,
      serviceCpuSecondsPer1000: per1000(serviceCpu),
      postgresCpuSecondsPer1000: per1000(postgresCpu),
      cpuSecondsPer1000,
      oneCoreCapacityRecordsPerSecond: 1000 / cpuSecondsPer1000,
      peakBacklogRecords: input ? Math.max(0, ...samples.map((sample) => input(sample) - output(sample))) : 0,
      batches: batches[stage] ?? null,
      gcPauseMsPer1000: gcPause == null ? null : per1000(gcPause * 1000),
    };
  });
}

/** The stage that costs the most CPU per record is the one that caps the pipeline on a CPU-bound machine. */
export function slowestStageOf(stages: readonly StageResult[]): EndToEndResult['slowestStage'] {
  const slowest = [...stages].sort((left, right) => right.cpuSecondsPer1000 - left.cpuSecondsPer1000)[0];
  if (!slowest) throw new Error('no stages');
  const backlog = [...stages].sort((left, right) => right.peakBacklogRecords - left.peakBacklogRecords)[0];
  return {
    stage: slowest.stage,
    evidence:
      `${slowest.cpuSecondsPer1000.toFixed(3)} CPU s per 1,000 records (${Math.round(slowest.oneCoreCapacityRecordsPerSecond)} records/s on one core); ` +
      `largest backlog waited in front of the ${backlog?.stage ?? '?'} (${backlog?.peakBacklogRecords ?? 0} records)`,
  };
}

/** Names one end-to-end run: its phase (its database, topics and log folder) and its progress lines. */
export interface EndToEndRun {
  phase: 'e2e' | 'e2e-inpatient';
  label: string;
}

/**
 * (2), (3) and the per-service half of (5): a generated file (carrier, or
 * inpatient for the second layout) from disk to KPIs committed in
 * Postgres, all five services as separate processes, sampled every half
 * second; then the API's verification and the KPIs against the generator's
 * figures.
 */
export async function runEndToEndPhase(
  context: BenchContext,
  file: ReplayedFile,
  run: EndToEndRun = { phase: 'e2e', label: 'end to end' },
): Promise<EndToEndResult> {
  return context.phase(run.label, async () => {
    const recordCost =
      file.layout === 'carrier' ? await measureRecordCost(file, Math.min(RECORD_COST_SAMPLE, file.records)) : null;
    const database = await context.database(run.phase);
    const pipeline = await context.pipeline(run.phase, database.url);
    await pipeline.start();
    const namespace = context.namespace(run.phase);
    const replay = await replayGeneratedFile({
      context,
      pipeline,
      databaseUrl: database.url,
      namespace,
      file,
      label: run.label,
    });
    const { directory, report, samples, peakRssBytes, batches, gcPauseSeconds, correctness } = replay;
    const stages = summarizeStages(samples, report, batches, gcPauseSeconds);
    const durationSeconds = (replay.foldWindow.lastMs - replay.postedAtMs) / 1000;
    const records = report.recordsPublished;
    const foldedRecords = stages.find((stage) => stage.stage === 'metrics')?.records ?? records;
    const cpu = replayCpuPer1000(samples[samples.length - 1], records);
    const totalCpuSecondsPer1000 = cpu.totalCpuSecondsPer1000;
    const cores = availableParallelism();
    const ceilingRecordsPerSecond = (cores / totalCpuSecondsPer1000) * 1000;
    const topicBytesPerRecord: Record<string, number | null> = {};
    for (const topic of [CLAIM_TOPICS.raw, CLAIM_TOPICS.normalized, CLAIM_TOPICS.enriched]) {
      const bytes = topicBytesOnDisk(namespacedTopic(topic, namespace));
      topicBytesPerRecord[topic] = bytes === null ? null : Math.round(bytes / records);
    }
    return {
      file: { name: file.name, records: file.records, bytes: file.bytes, sha256: file.sha256 },
      directory,
      records,
      durationSeconds,
      recordsPerSecond: records / durationSeconds,
      fileMegabytesPerSecond: file.bytes / 1e6 / durationSeconds,
      firstKpiSeconds: (replay.foldWindow.firstMs - replay.postedAtMs) / 1000,
      ingestReport: report,
      stages,
      slowestStage: slowestStageOf(stages),
      peakRssBytes,
      brokerCpuSecondsPer1000: cpu.brokerCpuSecondsPer1000,
      postgresCpuSecondsPer1000: cpu.postgresCpuSecondsPer1000,
      cpuBudget: {
        totalCpuSecondsPer1000,
        cores,
        ceilingRecordsPerSecond,
        shareOfCeiling: records / durationSeconds / ceilingRecordsPerSecond,
      },
      topicBytesPerRecord,
      correctness,
      recordCost,
      foldSteps: replay.foldStepSeconds ? foldStepCosts(replay.foldStepSeconds, foldedRecords) : null,
      foldWrites: replay.foldWriteSeconds
        ? foldStepCosts(replay.foldWriteSeconds, foldedRecords).map(({ step, ...cost }) => ({ table: step, ...cost }))
        : null,
      timeline: samples.map((sample) => [
        Math.round(sample.atSeconds * 10) / 10,
        sample.rawRecords,
        sample.normalizedRecords,
        sample.enrichedRecords,
        sample.foldedRecords,
      ]),
    };
  });
}
