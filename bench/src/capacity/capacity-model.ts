import { CLAIM_TOPICS } from '@claims/contracts';
import { PIPELINE_STAGES, type PipelineStageName } from '../pipeline/pipeline-stages';

/**
 * What one stage costs per 1,000 source records (claims read from the file,
 * not the stage's own outputs: a claim that pends and clears is two enriched
 * events, and the targets are stated in claims per second).
 */
export interface StageCost {
  stage: PipelineStageName;
  /** CPU of the stage's service processes, summed over its instances. */
  serviceCpuSecondsPer1000: number;
  /** CPU of the Postgres backends serving the stage (the enricher's pend index, the metrics fold). */
  postgresCpuSecondsPer1000: number;
}

export interface PipelineCost {
  stages: readonly StageCost[];
  /** The broker's CPU for every topic a claim passes through; null when the broker ran elsewhere (Docker). */
  brokerCpuSecondsPer1000: number | null;
}

export interface CapacityTarget {
  label: string;
  recordsPerSecond: number;
}

/** The clearinghouse-size feed. */
export const CLEARINGHOUSE_TARGETS: readonly CapacityTarget[] = [
  { label: 'sustained', recordsPerSecond: 500 },
  { label: 'peak', recordsPerSecond: 50_000 },
];

/**
 * The share of a core a plan lets each process use: 30 % headroom for GC
 * pauses, rebalances after an instance is lost, catch-up after an outage, and
 * the spread between this machine's per-record cost and a production core's.
 */
export const PLANNED_CORE_UTILISATION = 0.7;

/** The topic each stage consumes: its partitions bound how many of the stage's instances can share the work. */
export const INPUT_TOPIC_OF: Record<PipelineStageName, string | null> = {
  ingestor: null,
  normalizer: CLAIM_TOPICS.raw,
  enricher: CLAIM_TOPICS.normalized,
  metrics: CLAIM_TOPICS.enriched,
};

export interface StagePlan {
  stage: PipelineStageName;
  cpuSecondsPer1000: number;
  /**
   * 1,000 / the stage's CPU-s per 1,000 (service and its Postgres backends):
   * what one instance folds with one core. Conservative: the instance waits
   * for its Postgres work, which runs in another process.
   */
  instanceCeilingRecordsPerSecond: number;
  /** Instances at the planned utilisation; the ingestor's are concurrent files, not a consumer group. */
  instances: number;
  serviceCores: number;
  postgresCores: number;
  inputTopic: string | null;
  /** At least one per instance (a partition has one reader in a group); null for the ingestor (it reads files). */
  partitions: number | null;
}

export interface CapacityPlan {
  target: CapacityTarget;
  plannedUtilisation: number;
  stages: StagePlan[];
  serviceCores: number;
  /** The services' Postgres work: one server (or a cluster) sized apart from the services. */
  postgresCores: number;
  brokerCores: number | null;
  totalCores: number;
}

const stageCpu = (cost: StageCost): number => cost.serviceCpuSecondsPer1000 + cost.postgresCpuSecondsPer1000;

/** One instance's ceiling in records/s: a Node process runs its handlers on one core. */
export function instanceCeilingRecordsPerSecond(cost: StageCost): number {
  return 1000 / stageCpu(cost);
}

/** Cores and instances per stage, and partitions per topic, for `target` at `plannedUtilisation` of each core. */
export function planCapacity(
  cost: PipelineCost,
  target: CapacityTarget,
  plannedUtilisation = PLANNED_CORE_UTILISATION,
): CapacityPlan {
  if (!(plannedUtilisation > 0 && plannedUtilisation <= 1)) throw new Error('plannedUtilisation must be in (0, 1]');
  const coresFor = (cpuSecondsPer1000: number): number =>
    (target.recordsPerSecond * cpuSecondsPer1000) / 1000 / plannedUtilisation;
  const stages = cost.stages.map((stage): StagePlan => {
    const ceiling = instanceCeilingRecordsPerSecond(stage);
    const instances = Math.max(1, Math.ceil(target.recordsPerSecond / (ceiling * plannedUtilisation)));
    const inputTopic = INPUT_TOPIC_OF[stage.stage];
    return {
      stage: stage.stage,
      cpuSecondsPer1000: stageCpu(stage),
      instanceCeilingRecordsPerSecond: ceiling,
      instances,
      serviceCores: coresFor(stage.serviceCpuSecondsPer1000),
      postgresCores: coresFor(stage.postgresCpuSecondsPer1000),
      inputTopic,
      partitions: inputTopic === null ? null : instances,
    };
  });
  const serviceCores = stages.reduce((sum, stage) => sum + stage.serviceCores, 0);
  const postgresCores = stages.reduce((sum, stage) => sum + stage.postgresCores, 0);
  const brokerCores = cost.brokerCpuSecondsPer1000 === null ? null : coresFor(cost.brokerCpuSecondsPer1000);
  return {
    target,
    plannedUtilisation,
    stages,
    serviceCores,
    postgresCores,
    brokerCores,
    totalCores: serviceCores + postgresCores + (brokerCores ?? 0),
  };
}

export interface RatePrediction {
  recordsPerSecond: number;
  /** What sets the rate: 'machine cores' when every process shares too few cores, else the stage whose instances cap it. */
  boundBy: 'machine cores' | PipelineStageName;
}

/**
 * The end-to-end rate the costs allow on `cores` cores with `instances` of
 * each stage: the lower of what the machine's cores can do for every
 * process at once (no headroom: a benchmark runs them flat out) and what the
 * slowest stage's instances can do, each on a core of its own.
 */
export function predictRecordsPerSecond(
  cost: PipelineCost,
  instances: Partial<Record<PipelineStageName, number>>,
  cores: number,
): RatePrediction {
  const totalCpuSecondsPer1000 =
    cost.stages.reduce((sum, stage) => sum + stageCpu(stage), 0) + (cost.brokerCpuSecondsPer1000 ?? 0);
  let prediction: RatePrediction = {
    recordsPerSecond: (cores * 1000) / totalCpuSecondsPer1000,
    boundBy: 'machine cores',
  };
  for (const stage of PIPELINE_STAGES) {
    const stageCost = cost.stages.find((candidate) => candidate.stage === stage);
    if (!stageCost) continue;
    const stageRate = (instances[stage] ?? 1) * instanceCeilingRecordsPerSecond(stageCost);
    if (stageRate < prediction.recordsPerSecond) prediction = { recordsPerSecond: stageRate, boundBy: stage };
  }
  return prediction;
}
