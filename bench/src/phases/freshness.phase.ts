import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import { PIPELINE_WARM_UP_CLAIMS, type FileCatalog } from '../generator/file-catalog';
import { publishBenchDirectory, type BenchDirectory } from '../pipeline/bench-directory';
import {
  checkCorrectness,
  pendedClaimsOf,
  readableClaimsReceived,
  waitForClaimsReceived,
  type CorrectnessCheck,
} from '../measure/kpi-checks';
import { meanHopLatencies, type HopLatencies } from '../measure/hop-latency';
import { PipelineSampler, type PipelineSample } from '../measure/pipeline-sampler';
import {
  foldStepCosts,
  kafkaRequestsPer1000Between,
  serviceCountersBetween,
  summarizeLatencies,
  type LatencySummary,
  type StageBatchStats,
} from '../measure/service-metrics';
import {
  addCarrierKpis,
  emptyCarrierKpis,
  type ExpectedCarrierKpis,
  type GeneratedCarrierFile,
} from '@claims/claims-generator';
import type { LocalPipeline, ServiceName } from '@claims/harness';
import { readServiceCountersAndKafkaRequests, replayCpuPer1000 } from '../pipeline/file-replay';
import { PIPELINE_STAGES, type PipelineStageName } from '../pipeline/pipeline-stages';
import type { EndToEndResult } from './end-to-end.phase';

/** How often a reader polls the KPI counter: the resolution of "readable". */
const READER_POLL_MS = 10;
/**
 * Lag is flat when the backlog grows by at most 2.5 % of the offered rate per
 * second over the paced window (batching makes it saw-tooth; a pipeline that
 * cannot keep up grows it by offered − capacity every second) and what is
 * left when the last record is published drains within one second.
 */
const FLAT_BACKLOG_GROWTH = 0.025;
const FLAT_DRAIN_SECONDS = 1;
const WARM_UP_SECONDS = 3;
/** The stages that consume a topic in batches: the ones with batch counters. */
const CONSUMING_STAGES = PIPELINE_STAGES.filter((stage) => stage !== 'ingestor');

export interface FreshnessStep {
  offeredRecordsPerSecond: number;
  /** What the ingestor really published per second while pacing. */
  achievedRecordsPerSecond: number;
  records: number;
  /** Claims of the step the enricher filed in the pended queue (claim_pend rows), the rest clean. */
  pendedClaims: number;
  /** Published (ingestor stamps publishedAt just before the produce request) → KPI readable by a reader polling every 10 ms. */
  publishToReadable: LatencySummary;
  /** Published → the fold's processed_at (clock_timestamp() inside the fold transaction, before COMMIT). */
  publishToFold: LatencySummary;
  /** Mean time in each hop over the paced window (Little's law on the sampled backlogs); null without samples. */
  meanHopLatency: HopLatencies | null;
  /** Backlog (published − folded) growth over the paced window, records per second; ~0 means the pipeline keeps up. */
  backlogGrowthPerSecond: number;
  /** From the ingestor's last publish to the last record readable. */
  drainSeconds: number;
  peakBacklogRecords: number;
  lagFlat: boolean;
  /** Each consuming stage's batches during the step (its own metrics, differenced): how big, how long. */
  batches: Partial<Record<PipelineStageName, StageBatchStats | null>>;
  /** CPU per 1,000 records from the step's start until it drained: what a steady feed's batches cost. */
  cpuPer1000: {
    services: Partial<Record<ServiceName, number>>;
    /** By application_name: the Postgres backends serving each service. */
    postgres: Record<string, number>;
    broker: number | null;
    total: number;
    /** Busy share of the whole machine (every core) over the same time. */
    machineBusyShare: number;
  };
  /** The fold transaction's steps during the step, ms per 1,000 folded records; null when not reported. */
  foldSteps: Array<{ step: string; msPer1000: number; share: number }> | null;
  /**
   * Each service's requests to the broker per 1,000 records published, by API
   * (its claims_kafka_requests_total, differenced over the step): at a steady
   * rate what batching leaves of a request per record. Null when unreadable.
   */
  kafkaRequestsPer1000?: Partial<Record<PipelineStageName, Array<{ api: string; per1000: number }> | null>>;
}

export interface FreshnessResult {
  measured: string;
  /** The directory the enricher judged every step's claims against, loaded before the warm-up. */
  directory: BenchDirectory;
  steps: FreshnessStep[];
  atFixedRate: FreshnessStep | null;
  highestFlatRate: FreshnessStep | null;
  correctness: CorrectnessCheck;
}

/** Least-squares slope of backlog over time during the paced window. */
function backlogSlope(samples: readonly PipelineSample[]): number {
  const points = samples.map(
    (sample) => [sample.atSeconds, Math.max(0, sample.rawRecords - sample.foldedRecords)] as const,
  );
  if (points.length < 3) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

/** Enriched events per normalized one once the step has drained (a claim that pends and clears is two). */
function enrichedPerNormalized(samples: readonly PipelineSample[]): number {
  const last = samples[samples.length - 1];
  return last && last.normalizedRecords > 0 ? last.enrichedRecords / last.normalizedRecords : 1;
}

/** Reader-side visibility: each poll of the committed claims_received, with the time it answered. */
async function pollVisibility(client: Client, until: () => boolean): Promise<Array<{ atMs: number; count: number }>> {
  const polls: Array<{ atMs: number; count: number }> = [];
  while (!until()) {
    const count = await readableClaimsReceived(client);
    polls.push({ atMs: Date.now(), count });
    await new Promise((resolve) => setTimeout(resolve, READER_POLL_MS));
  }
  return polls;
}

/**
 * Per record: published_at from processed_event, and the first reader poll
 * whose claims_received covers it: the k-th claim first folded in the step
 * (by processed_at) is taken as readable once the counter reaches baseline + k.
 * The fold runs up to three partitions' small batches side by side, so
 * commit order follows processed_at order only as closely as those
 * transactions overlap: where a later one commits first, the earlier one's
 * records count as readable a little early and its own a little late. The
 * counter's crossings are exactly when records became readable; pairing them
 * with records in processed_at order puts a record's time off by at most that
 * overlap.
 */
async function stepLatencies(
  client: Client,
  firstClaimId: string,
  lastClaimId: string,
  baseline: number,
  polls: ReadonlyArray<{ atMs: number; count: number }>,
): Promise<{ readable: number[]; fold: number[] }> {
  // Each claim's first event only: the one that counts it in claims_received. A claim that pends and clears
  // at once is two events; paired with every event, the counter put each record later by the cleared events
  // folded before it (a 20 s step at 1,000/s, 3 % of claims cleared at once: readable p50 468 ms, fold 123).
  const { rows } = await client.query<{ published_ms: string; processed_ms: string }>(
    `SELECT (extract(epoch FROM published_at) * 1000)::text AS published_ms,
            (extract(epoch FROM processed_at) * 1000)::text AS processed_ms
       FROM (SELECT DISTINCT ON (claim_id) published_at, processed_at
               FROM processed_event WHERE claim_id BETWEEN $1 AND $2
              ORDER BY claim_id, processed_at) first_events
      ORDER BY processed_at`,
    [firstClaimId, lastClaimId],
  );
  const readable: number[] = [];
  const fold: number[] = [];
  let pollIndex = 0;
  rows.forEach((row, index) => {
    const publishedMs = Number(row.published_ms);
    fold.push(Number(row.processed_ms) - publishedMs);
    while (pollIndex < polls.length && (polls[pollIndex]?.count ?? 0) < baseline + index + 1) pollIndex += 1;
    const poll = polls[pollIndex];
    if (poll) readable.push(poll.atMs - publishedMs);
  });
  return { readable, fold };
}

function stepCpuPer1000(last: PipelineSample | undefined, records: number): FreshnessStep['cpuPer1000'] {
  const per1000 = (seconds: number): number => (seconds / records) * 1000;
  const perEntry = <Key extends string>(seconds: Partial<Record<Key, number>>): Partial<Record<Key, number>> =>
    Object.fromEntries(
      Object.entries<number | undefined>(seconds).map(([key, value]) => [key, per1000(value ?? 0)]),
    ) as Partial<Record<Key, number>>;
  const machine = last?.machineCpu;
  return {
    services: perEntry(last?.serviceCpuSeconds ?? {}),
    postgres: perEntry(last?.postgresCpuSecondsByApplication ?? {}) as Record<string, number>,
    broker: last?.brokerCpuSeconds == null ? null : per1000(last.brokerCpuSeconds),
    total: replayCpuPer1000(last, records).totalCpuSecondsPer1000,
    machineBusyShare: machine && machine.totalSeconds > 0 ? machine.busySeconds / machine.totalSeconds : Number.NaN,
  };
}

async function runStep(
  context: BenchContext,
  pipeline: LocalPipeline,
  client: Client,
  databaseUrl: string,
  file: GeneratedCarrierFile,
  rate: number,
): Promise<{ result: FreshnessStep; expected: ExpectedCarrierKpis }> {
  const baseline = await readableClaimsReceived(client);
  const sampler = await PipelineSampler.start({
    brokers: context.brokers,
    namespace: context.namespace('freshness'),
    databaseUrl,
    pids: pipeline.pids(),
    intervalMs: 250,
  });
  const before = await readServiceCountersAndKafkaRequests(pipeline, CONSUMING_STAGES);
  let drained = false;
  const visibility = pollVisibility(client, () => drained);
  const report = await pipeline.ingest(file.name, rate);
  const publishedAllAtMs = Date.now();
  const pacedSamples = [...sampler.samples];
  const drainedAtMs = await waitForClaimsReceived(
    client,
    baseline + report.recordsPublished,
    120_000,
    READER_POLL_MS,
  ).finally(() => {
    drained = true;
  });
  const drainSeconds = (drainedAtMs - publishedAllAtMs) / 1000;
  const polls = await visibility;
  const samples = await sampler.stop();
  const after = await readServiceCountersAndKafkaRequests(pipeline, CONSUMING_STAGES);
  const during = serviceCountersBetween(before.counters, after.counters);
  // Claim ids of one file have the same number of digits, so text order is numeric order.
  const first = String(file.claimIdStart);
  const last = String(file.claimIdStart + file.records - 1);
  const latencies = await stepLatencies(client, first, last, baseline, polls);
  const growth = backlogSlope(pacedSamples);
  const achievedRecordsPerSecond = report.recordsPublished / report.durationSeconds;
  const result: FreshnessStep = {
    offeredRecordsPerSecond: rate,
    achievedRecordsPerSecond,
    records: report.recordsPublished,
    pendedClaims: await pendedClaimsOf(client, file),
    publishToReadable: summarizeLatencies(latencies.readable),
    publishToFold: summarizeLatencies(latencies.fold),
    // Past the warm-up of the step's first second, when the hops still fill.
    meanHopLatency: meanHopLatencies(
      pacedSamples.filter((sample) => sample.atSeconds >= 1),
      achievedRecordsPerSecond,
      enrichedPerNormalized(samples),
    ),
    backlogGrowthPerSecond: growth,
    drainSeconds,
    peakBacklogRecords: Math.max(0, ...samples.map((sample) => sample.rawRecords - sample.foldedRecords)),
    lagFlat: growth <= FLAT_BACKLOG_GROWTH * rate && drainSeconds <= FLAT_DRAIN_SECONDS,
    cpuPer1000: stepCpuPer1000(samples[samples.length - 1], report.recordsPublished),
    batches: during.batches,
    foldSteps: during.foldStepSeconds ? foldStepCosts(during.foldStepSeconds, latencies.fold.length) : null,
    kafkaRequestsPer1000: Object.fromEntries(
      PIPELINE_STAGES.map((stage) => {
        const requestsAfter = after.kafkaRequests[stage];
        return [
          stage,
          requestsAfter
            ? kafkaRequestsPer1000Between(before.kafkaRequests[stage] ?? {}, requestsAfter, report.recordsPublished)
            : null,
        ];
      }),
    ),
  };
  progress(
    `freshness ${rate}/s: p50 ${result.publishToReadable.p50Ms.toFixed(0)} ms, p99 ${result.publishToReadable.p99Ms.toFixed(0)} ms, ` +
      `backlog growth ${growth.toFixed(1)} records/s, drained ${drainSeconds.toFixed(1)} s after the last publish (${result.lagFlat ? 'flat' : 'growing'})`,
  );
  return { result, expected: file.expected };
}

const roundRate = (rate: number): number => Math.max(100, Math.round(rate / 100) * 100);

/** Rates to try for the highest flat one: down from 80 % of the end-to-end capacity until one keeps up. */
function candidateRates(capacity: number, fixedRate: number, quick: boolean): number[] {
  const shares = quick ? [0.6] : [0.8, 0.55, 0.35];
  return shares.map((share) => roundRate(capacity * share)).filter((rate) => rate > fixedRate);
}

/** One step the phase may run: its rate and the claims it replays (a file of its own, new to the fold). */
interface PlannedStep {
  rate: number;
  file: GeneratedCarrierFile;
}

/**
 * Every step the phase may run, with its file: the fixed rate, the
 * candidates for the highest flat rate, and the one closer to capacity
 * tried when the first candidate keeps up. Written before any runs, so the
 * directory can hold every step's providers (each file draws them from
 * pools of its own seed).
 */
async function planSteps(
  catalog: FileCatalog,
  fixedRate: number,
  capacity: number,
  quick: boolean,
  durationSeconds: number,
): Promise<{ atFixedRate: PlannedStep; candidates: PlannedStep[]; closer: PlannedStep | null }> {
  let step = 0;
  const plan = async (rate: number): Promise<PlannedStep> => {
    const records = Math.max(100, Math.round(rate * durationSeconds));
    const file = await catalog.freshnessStep(step, records);
    step += 1;
    return { rate, file };
  };
  const atFixedRate = await plan(fixedRate);
  const candidates: PlannedStep[] = [];
  for (const rate of candidateRates(capacity, fixedRate, quick)) candidates.push(await plan(rate));
  const closerRate = roundRate(capacity * 0.95);
  const firstCandidate = candidates[0];
  const closer = !quick && firstCandidate && closerRate > firstCandidate.rate ? await plan(closerRate) : null;
  return { atFixedRate, candidates, closer };
}

/** The files of every planned step, whether or not the phase comes to run it. */
function plannedFiles(planned: Awaited<ReturnType<typeof planSteps>>): GeneratedCarrierFile[] {
  const steps = [planned.atFixedRate, ...planned.candidates, ...(planned.closer ? [planned.closer] : [])];
  return steps.map((step) => step.file);
}

/**
 * (4): offered load at a fixed rate through the ingestor's pacing, and the
 * highest rate (searched downward from 80 % of the end-to-end capacity) at
 * which the backlog stays flat; per-record latency from publish to KPI readable.
 */
export async function runFreshnessPhase(
  context: BenchContext,
  catalog: FileCatalog,
  endToEnd: EndToEndResult | undefined,
): Promise<FreshnessResult> {
  return context.phase('freshness', async () => {
    const database = await context.database('freshness');
    const pipeline = await context.pipeline('freshness', database.url);
    await pipeline.start();
    const client = new Client({ connectionString: database.url, application_name: 'claims-bench-reader' });
    await client.connect();
    context.cleanup.push('close the freshness reader', () => client.end());

    const capacity =
      endToEnd && Number.isFinite(endToEnd.recordsPerSecond) ? endToEnd.recordsPerSecond : context.options.rate * 3;
    const planned = await planSteps(
      catalog,
      context.options.rate,
      capacity,
      context.options.quick,
      context.options.durationSeconds,
    );
    const unpacedWarmUp = await catalog.freshnessStep(98, PIPELINE_WARM_UP_CLAIMS);
    const pacedWarmUp = await catalog.freshnessStep(99, Math.max(500, context.options.rate * WARM_UP_SECONDS));
    // Judged against a directory that knows the claims' providers, as the end-to-end phase's replay is: without
    // one every claim pends on a missing provider, and each step would measure the pend path alone.
    const directory = await publishBenchDirectory({
      files: [unpacedWarmUp, pacedWarmUp, ...plannedFiles(planned)].map((file) => file.path),
      providers: context.options.directoryProviders,
      seed: context.options.seed,
      brokers: context.brokers,
      namespace: context.namespace('freshness'),
      enrichers: pipeline.instances.enricher,
    });
    progress(
      `freshness: the enricher holds a ${directory.providers}-provider directory (loaded in ${directory.loadSeconds.toFixed(1)} s)`,
    );

    const steps: FreshnessStep[] = [];
    let expected = emptyCarrierKpis();
    const run = async ({ rate, file }: PlannedStep): Promise<FreshnessStep> => {
      const outcome = await runStep(context, pipeline, client, database.url, file, rate);
      steps.push(outcome.result);
      expected = addCarrierKpis(expected, outcome.expected);
      return outcome.result;
    };

    const replayUntilReadable = async (file: GeneratedCarrierFile, rate?: number): Promise<void> => {
      const baseline = await readableClaimsReceived(client);
      await pipeline.ingest(file.name, rate);
      await waitForClaimsReceived(client, baseline + file.records, 120_000, 50);
      expected = addCarrierKpis(expected, file.expected);
    };
    // Unpaced first, so the hot paths are compiled before any latency counts (with only the paced replay
    // below, the step's first seconds ran partly unoptimized).
    await replayUntilReadable(unpacedWarmUp);
    // Then a short paced replay: the services' batches settle at the paced rate's size.
    await replayUntilReadable(pacedWarmUp, context.options.rate);

    const atFixedRate = await run(planned.atFixedRate);
    let highestFlatRate: FreshnessStep | null = atFixedRate.lagFlat ? atFixedRate : null;
    for (const [index, candidate] of planned.candidates.entries()) {
      const result = await run(candidate);
      if (!result.lagFlat) continue;
      highestFlatRate = result;
      // The first candidate kept up: one step closer to the capacity before settling.
      if (index === 0 && planned.closer) {
        const nearCapacity = await run(planned.closer);
        if (nearCapacity.lagFlat) highestFlatRate = nearCapacity;
      }
      break;
    }
    return {
      measured:
        'publish = publishedAt the ingestor stamps on each raw event just before its produce request; ' +
        `readable = the first poll (every ${READER_POLL_MS} ms, a separate reader) whose committed claims_received covers the record; ` +
        'fold = processed_event.processed_at, clock_timestamp() inside the fold transaction (before COMMIT)',
      directory,
      steps,
      atFixedRate,
      highestFlatRate,
      correctness: await checkCorrectness(pipeline, expected),
    };
  });
}
