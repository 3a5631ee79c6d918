import { waitFor, type IngestReport, type LocalPipeline, type ServiceName } from '@claims/harness';
import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import { checkReplayedFile, recordsAccounted, type CorrectnessCheck, type ReplayedFile } from '../measure/kpi-checks';
import { PipelineSampler, type PipelineSample } from '../measure/pipeline-sampler';
import {
  foldStepSecondsOf,
  foldWriteSecondsOf,
  gcPauseSecondsOf,
  kafkaRequestsOf,
  metricsTextOf,
  serviceCountersBetween,
  stageBatchStatsOf,
  type ServiceCounters,
  type StageBatchStats,
} from '../measure/service-metrics';
import { publishBenchDirectory, type BenchDirectory } from './bench-directory';
import { PIPELINE_STAGES, type PipelineStageName } from './pipeline-stages';

/** One replay of a generated claim file through a running pipeline, from directory load to the correctness check. */
export interface FileReplay {
  directory: BenchDirectory;
  report: IngestReport;
  /** When the POST that started the replay was sent. */
  postedAtMs: number;
  /** The sampler's samples, from just before the POST to after the last fold. */
  samples: PipelineSample[];
  /** Of each service's largest instance. */
  peakRssBytes: Partial<Record<ServiceName, number>>;
  /** Of each stage's first instance (the batch histograms live in each process). */
  batches: Partial<Record<PipelineStageName, StageBatchStats | null>>;
  /** Seconds each stage's first instance stood still for garbage collection during the replay. */
  gcPauseSeconds: Partial<Record<PipelineStageName, number | null>>;
  /** Seconds the metrics service's (first instance's) fold transactions spent in each step (claims_fold_step_duration_seconds). */
  foldStepSeconds: Record<string, number> | null;
  /** Seconds of the fold's write statements by table (claims_fold_write_duration_seconds). */
  foldWriteSeconds: Record<string, number> | null;
  /** processed_at of the first and the last folded event. */
  foldWindow: { firstMs: number; lastMs: number };
  correctness: CorrectnessCheck;
}

async function foldWindow(databaseUrl: string): Promise<{ firstMs: number; lastMs: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ first_ms: string; last_ms: string }>(
      `SELECT (extract(epoch FROM min(processed_at)) * 1000)::text AS first_ms,
              (extract(epoch FROM max(processed_at)) * 1000)::text AS last_ms FROM processed_event`,
    );
    return { firstMs: Number(rows[0]?.first_ms), lastMs: Number(rows[0]?.last_ms) };
  } finally {
    await client.end();
  }
}

/**
 * Loads the bench's provider directory into every enricher instance, then
 * replays `file` through the ingestor's door while the sampler watches every
 * instance of every service, waits until every record is folded and
 * accounted for, and checks the KPIs against the generator's figures
 * (checkReplayedFile: what the generator counts for the file's layout).
 * The pipeline must be started; it is left running.
 */
export async function replayGeneratedFile(input: {
  context: BenchContext;
  pipeline: LocalPipeline;
  databaseUrl: string;
  namespace: string;
  file: ReplayedFile;
  /** Names the replay in progress lines and its cleanup. */
  label: string;
}): Promise<FileReplay> {
  const { context, pipeline, databaseUrl, namespace, file, label } = input;
  const directory = await publishBenchDirectory({
    files: [file.path],
    // The enricher judges the file against the file's own providers and many more (--directory-providers).
    providers: context.options.directoryProviders,
    seed: context.options.seed,
    brokers: context.brokers,
    namespace,
    enrichers: pipeline.instances.enricher,
  });
  progress(
    `${label}: the enricher holds a ${directory.providers}-provider directory (${directory.versions} versions, ` +
      `loaded in ${directory.loadSeconds.toFixed(1)} s)`,
  );
  const sampler = await PipelineSampler.start({
    brokers: context.brokers,
    namespace,
    databaseUrl,
    pids: pipeline.instancePids(),
  });
  context.cleanup.push(`stop the ${label} sampler`, async () => void (await sampler.stop().catch(() => undefined)));

  // From here, as the sampler's CPU: the directory's load is not the replay's.
  const countersBefore = await readServiceCounters(pipeline);
  const postedAtMs = Date.now();
  const report = await pipeline.ingest(file.name);
  progress(
    `${label}: ${report.recordsPublished} records published in ${report.durationSeconds.toFixed(1)} s; waiting for the fold`,
  );
  const timeoutMs = Math.max(300_000, report.recordsPublished * 2);
  const deadline = Date.now() + timeoutMs;
  while ((sampler.latest()?.foldedRecords ?? 0) < report.recordsPublished) {
    if (Date.now() > deadline)
      throw new Error(`the fold did not commit ${report.recordsPublished} records within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Folded offsets count enriched events, and a claim that pends and clears is two: the fold is done once
  // every source record has its outcome (folded, duplicate or dead-lettered) in the per-file accounting.
  await waitFor(
    'every record of the file to have its outcome',
    () => recordsAccounted(databaseUrl),
    (accounted) => accounted >= report.recordsPublished,
    { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 1_000 },
  );
  const peakRssBytes = sampler.peakRssBytes();
  const { batches, gcPauseSeconds, foldStepSeconds, foldWriteSeconds } = serviceCountersBetween(
    countersBefore,
    await readServiceCounters(pipeline),
  );
  const samples = await sampler.stop();
  return {
    directory,
    report,
    postedAtMs,
    samples,
    peakRssBytes,
    batches,
    gcPauseSeconds,
    foldStepSeconds,
    foldWriteSeconds,
    foldWindow: await foldWindow(databaseUrl),
    correctness: await checkReplayedFile(pipeline, file),
  };
}

/** The /metrics text of each of `stages` now (its first instance's); null where unreadable. */
async function metricsTextsOf(
  pipeline: LocalPipeline,
  stages: readonly PipelineStageName[],
): Promise<Map<PipelineStageName, string | null>> {
  return new Map(
    await Promise.all(
      stages.map(async (stage) => [stage, await metricsTextOf(pipeline.services[stage].baseUrl)] as const),
    ),
  );
}

/** From one reading of the texts: the batches and GC pauses of `stages`, and the fold's time by step. */
function serviceCountersOf(
  texts: ReadonlyMap<PipelineStageName, string | null>,
  stages: readonly PipelineStageName[],
): ServiceCounters<PipelineStageName> {
  const batches: ServiceCounters<PipelineStageName>['batches'] = {};
  const gcPauseSeconds: ServiceCounters<PipelineStageName>['gcPauseSeconds'] = {};
  for (const stage of stages) {
    const text = texts.get(stage) ?? null;
    batches[stage] = text === null ? null : stageBatchStatsOf(text, stage);
    gcPauseSeconds[stage] = text === null ? null : gcPauseSecondsOf(text);
  }
  const metricsText = texts.get('metrics') ?? null;
  return {
    batches,
    gcPauseSeconds,
    foldStepSeconds: metricsText === null ? null : foldStepSecondsOf(metricsText),
    foldWriteSeconds: metricsText === null ? null : foldWriteSecondsOf(metricsText),
  };
}

/**
 * The services' own counters now: the batches and GC pauses of `stages`
 * (every stage by default, each its first instance), and the fold's time by step.
 */
export async function readServiceCounters(
  pipeline: LocalPipeline,
  stages: readonly PipelineStageName[] = PIPELINE_STAGES,
): Promise<ServiceCounters<PipelineStageName>> {
  const read: readonly PipelineStageName[] = stages.includes('metrics') ? stages : [...stages, 'metrics'];
  return serviceCountersOf(await metricsTextsOf(pipeline, read), stages);
}

/**
 * One reading of every stage's /metrics: the counters of `counterStages`
 * (as readServiceCounters answers them) and each stage's requests to the
 * broker so far, by API (claims_kafka_requests_total; null when unreadable).
 */
export async function readServiceCountersAndKafkaRequests(
  pipeline: LocalPipeline,
  counterStages: readonly PipelineStageName[],
): Promise<{
  counters: ServiceCounters<PipelineStageName>;
  kafkaRequests: Partial<Record<PipelineStageName, Record<string, number> | null>>;
}> {
  const texts = await metricsTextsOf(pipeline, PIPELINE_STAGES);
  return {
    counters: serviceCountersOf(texts, counterStages),
    kafkaRequests: Object.fromEntries(
      [...texts].map(([stage, text]) => [stage, text === null ? null : kafkaRequestsOf(text)]),
    ),
  };
}

/** CPU a replay's records cost, per 1,000 records: the services, their Postgres backends and the broker. */
export interface ReplayCpu {
  serviceCpuSecondsPer1000: number;
  postgresCpuSecondsPer1000: number;
  /** Null when the broker is not a process of this machine (Docker). */
  brokerCpuSecondsPer1000: number | null;
  totalCpuSecondsPer1000: number;
}

export function replayCpuPer1000(sample: PipelineSample | undefined, records: number): ReplayCpu {
  const sum = (values: Record<string, number | undefined>): number =>
    Object.values(values).reduce<number>((total, seconds) => total + (seconds ?? 0), 0);
  const serviceCpu = sum(sample?.serviceCpuSeconds ?? {});
  const postgresCpu = sum(sample?.postgresCpuSecondsByApplication ?? {});
  const brokerCpu = sample?.brokerCpuSeconds ?? null;
  const per1000 = (seconds: number): number => (seconds / records) * 1000;
  return {
    serviceCpuSecondsPer1000: per1000(serviceCpu),
    postgresCpuSecondsPer1000: per1000(postgresCpu),
    brokerCpuSecondsPer1000: brokerCpu === null ? null : per1000(brokerCpu),
    totalCpuSecondsPer1000: per1000(serviceCpu + postgresCpu + (brokerCpu ?? 0)),
  };
}
