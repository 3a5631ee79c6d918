import type { GeneratedCarrierFile } from '@claims/claims-generator';
import type { ServiceName } from '@claims/harness';
import { availableParallelism } from 'node:os';
import { progress, type BenchContext } from '../bench-context';
import {
  CLEARINGHOUSE_TARGETS,
  PLANNED_CORE_UTILISATION,
  planCapacity,
  predictRecordsPerSecond,
  type CapacityPlan,
  type PipelineCost,
  type RatePrediction,
  type StageCost,
} from '../capacity/capacity-model';
import type { CorrectnessCheck } from '../measure/kpi-checks';
import type { PipelineSample } from '../measure/pipeline-sampler';
import { replayCpuPer1000, replayGeneratedFile, type ReplayCpu } from '../pipeline/file-replay';
import { PIPELINE_STAGES, POSTGRES_APPLICATION_OF } from '../pipeline/pipeline-stages';

/** The partition count: room for more instances than this machine can run, so partitions never cap them. */
export const SCALE_OUT_PARTITIONS = 12;
/** Instances of each consumer service (normalizer, enricher, metrics) per run, as the issue asks. */
export const SCALE_OUT_INSTANCE_COUNTS = [1, 2, 3] as const;

export interface ScaleOutRun {
  /** Instances of each of the normalizer, enricher and metrics; the ingestor and the API run once. */
  instances: number;
  records: number;
  /** From the POST that started the replay to the last record's fold. */
  durationSeconds: number;
  recordsPerSecond: number;
  /** Per 1,000 source records, each stage summed over its instances. */
  stages: StageCost[];
  cpu: ReplayCpu;
  /** CPU the pipeline's processes (services, their Postgres backends, the broker) used, in cores, over the run. */
  pipelineCoresBusy: number;
  /** The machine's busy share of all its cores over the run, whoever used them: near 100 % is CPU-bound. */
  machineCpuBusyShare: number | null;
  /** The largest instance of each service. */
  peakRssBytes: Partial<Record<ServiceName, number>>;
  /** What the capacity model, from the 1-instance run's costs, predicts for this run's instance count. */
  predicted: RatePrediction;
  correctness: CorrectnessCheck;
}

export interface ScaleOutResult {
  partitions: number;
  cores: number;
  file: { name: string; records: number };
  runs: ScaleOutRun[];
  /** The costs the model and the predictions use: the 1-instance run's, the least disturbed by sharing cores. */
  modelCost: PipelineCost;
  capacity: CapacityPlan[];
}

/** Each stage's CPU per 1,000 source records from a replay's last sample. */
export function stageCostsPer1000(sample: PipelineSample | undefined, records: number): StageCost[] {
  const per1000 = (seconds: number): number => (records > 0 ? (seconds / records) * 1000 : Number.NaN);
  return PIPELINE_STAGES.map((stage) => {
    const application = POSTGRES_APPLICATION_OF[stage];
    return {
      stage,
      serviceCpuSecondsPer1000: per1000(sample?.serviceCpuSeconds[stage] ?? 0),
      postgresCpuSecondsPer1000: per1000(application ? (sample?.postgresCpuSecondsByApplication[application] ?? 0) : 0),
    };
  });
}

async function runWithInstances(
  context: BenchContext,
  file: GeneratedCarrierFile,
  instances: number,
): Promise<Omit<ScaleOutRun, 'predicted'>> {
  const label = `scale-out-${instances}`;
  return context.phase(`scale out, ${instances} instance${instances === 1 ? '' : 's'} per consumer`, async () => {
    const database = await context.database(label);
    const pipeline = await context.pipeline(label, database.url, {
      topicPartitions: SCALE_OUT_PARTITIONS,
      instances: { normalizer: instances, enricher: instances, metrics: instances },
    });
    await pipeline.start();
    const replay = await replayGeneratedFile({
      context,
      pipeline,
      databaseUrl: database.url,
      namespace: context.namespace(label),
      file,
      label,
    });
    const records = replay.report.recordsPublished;
    const durationSeconds = (replay.foldWindow.lastMs - replay.postedAtMs) / 1000;
    const last = replay.samples[replay.samples.length - 1];
    const cpu = replayCpuPer1000(last, records);
    const sampledSeconds = last?.atSeconds ?? Number.NaN;
    const machine = last?.machineCpu;
    return {
      instances,
      records,
      durationSeconds,
      recordsPerSecond: records / durationSeconds,
      stages: stageCostsPer1000(last, records),
      cpu,
      pipelineCoresBusy: (cpu.totalCpuSecondsPer1000 * records) / 1000 / sampledSeconds,
      machineCpuBusyShare: machine && machine.totalSeconds > 0 ? machine.busySeconds / machine.totalSeconds : null,
      peakRssBytes: replay.peakRssBytes,
      correctness: replay.correctness,
    };
  });
}

/**
 * Issue 15 (5): the carrier file end to end with 1, 2 and 3 instances of
 * each consumer service on 12 partitions, each run on a database and topics
 * of its own; then the capacity model from the 1-instance run's CPU per
 * record, its cores and partitions for the clearinghouse targets, and its
 * predicted rate for each run beside the measured one.
 */
export async function runScaleOutPhase(context: BenchContext, file: GeneratedCarrierFile): Promise<ScaleOutResult> {
  const cores = availableParallelism();
  const measured: Array<Omit<ScaleOutRun, 'predicted'>> = [];
  for (const instances of SCALE_OUT_INSTANCE_COUNTS) {
    const run = await runWithInstances(context, file, instances);
    progress(
      `scale out: ${instances} instance(s): ${Math.round(run.recordsPerSecond)} records/s, ` +
        `${run.cpu.totalCpuSecondsPer1000.toFixed(3)} CPU s per 1,000 records, KPIs ${run.correctness.passed ? 'correct' : 'WRONG'}`,
    );
    measured.push(run);
  }
  const baseline = measured[0];
  if (!baseline) throw new Error('the scale-out phase ran no replay');
  const modelCost: PipelineCost = {
    stages: baseline.stages,
    brokerCpuSecondsPer1000: baseline.cpu.brokerCpuSecondsPer1000,
  };
  const runs = measured.map((run) => ({
    ...run,
    predicted: predictRecordsPerSecond(
      modelCost,
      { normalizer: run.instances, enricher: run.instances, metrics: run.instances },
      cores,
    ),
  }));
  return {
    partitions: SCALE_OUT_PARTITIONS,
    cores,
    file: { name: file.name, records: file.records },
    runs,
    modelCost,
    capacity: CLEARINGHOUSE_TARGETS.map((target) => planCapacity(modelCost, target, PLANNED_CORE_UTILISATION)),
  };
}
