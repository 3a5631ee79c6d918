import { CLAIMS_RECEIVED_BATCH_SQL } from '@claims/kpi';
import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import { expectedHistoryKpis, loadFoldedHistory } from '../batch/folded-history';
import { addCarrierKpis, type GeneratedCarrierFile } from '@claims/claims-generator';
import { HISTORY_CLAIM_ID_START, type FileCatalog } from '../generator/file-catalog';
import {
  checkCorrectness,
  pendedClaimsOf,
  readableClaimsReceived,
  waitForClaimsReceived,
  type CorrectnessCheck,
} from '../measure/kpi-checks';
import type { LocalPipeline } from '@claims/harness';
import { TopicOffsetReader } from '../infra/kafka-topics';
import { publishBenchDirectory, type BenchDirectory } from '../pipeline/bench-directory';
import { HopCountPoller, hopTimeline, type HopTimeline } from '../measure/hop-timeline';
import { PipelineSampler, type PipelineSample } from '../measure/pipeline-sampler';

export interface IncrementalResult {
  historyClaims: number;
  historyLines: number;
  historyLoadSeconds: number;
  historyLoadedBy: string;
  /** The directory the enricher judged the claims against, as in the end-to-end phase. */
  directory: BenchDirectory;
  newClaims: number;
  /** Of the new claims, how many the pend rules held (claim_pend rows, cleared or not). */
  newClaimsPended: number;
  /** POST of the new claims' file → the last of them readable in claims_received (reader polls every 10 ms). */
  streamingSeconds: number;
  /** The fold transactions alone: first to last processed_at of the new claims. */
  streamingFoldSeconds: number;
  /** When each stage's output for the new claims began and finished, after the POST (sampled every 20 ms). */
  hops: HopTimeline;
  /** The ingest POST answered (every record published), ms after it was sent. */
  ingestAnsweredMs: number;
  /**
   * CPU from the POST to the KPI readable: each service, the Postgres
   * backends by the service they serve, the broker, and the whole machine
   * (busy seconds against the cores' seconds: whether the burst waited on
   * CPU; the bench's own pollers are in it).
   */
  cpu: BurstCpu;
  /** The product's KPI batch SQL over the whole claim state (median of its runs); the batch load of the new rows is not even counted. */
  batchRecomputeSeconds: number;
  batchRecomputeRuns: number[];
  /** batchRecomputeSeconds / streamingSeconds. */
  speedup: number;
  correctness: CorrectnessCheck;
}

/**
 * Between samples of the topic ends and the fold's offsets. The polling costs
 * the machine about 0.08 CPU-s over a 1,000-claim burst at 10 ms (measured
 * against runs without it); 20 ms halves that and still resolves hops that
 * take 50-250 ms each.
 */
const HOP_POLL_INTERVAL_MS = 20;

export type BurstCpu = Pick<
  PipelineSample,
  'serviceCpuSeconds' | 'postgresCpuSecondsByApplication' | 'brokerCpuSeconds' | 'machineCpu'
>;

interface Watch {
  topics: TopicOffsetReader;
  poller: Client;
  namespace: string;
  brokers: string;
  databaseUrl: string;
}

interface Replay {
  seconds: number;
  /** The POST's answer: the ingestor answers once every record is published. */
  ingestAnsweredMs: number;
  hops: HopTimeline;
  cpu: BurstCpu;
}

async function replayAndWait(
  pipeline: LocalPipeline,
  client: Client,
  file: GeneratedCarrierFile,
  watch: Watch,
): Promise<Replay> {
  const baseline = await readableClaimsReceived(client);
  // Its first sample is its baseline and the last is taken at stop: nothing in between.
  const sampler = await PipelineSampler.start({
    brokers: watch.brokers,
    namespace: watch.namespace,
    databaseUrl: watch.databaseUrl,
    pids: pipeline.instancePids(),
    intervalMs: 600_000,
  });
  const poller = new HopCountPoller(watch.topics, watch.poller, watch.namespace, HOP_POLL_INTERVAL_MS);
  try {
    const postedAtMs = Date.now();
    await pipeline.ingest(file.name);
    const ingestAnsweredMs = Date.now() - postedAtMs;
    const readableAtMs = await waitForClaimsReceived(client, baseline + file.records, 120_000, 10);
    const last = (await sampler.stop()).at(-1);
    if (last === undefined) throw new Error('the CPU sampler took no sample');
    // The last hop counts settle once the KPI is readable; a short wait catches a fold commit's offsets row.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const counts = await poller.stop();
    return {
      seconds: (readableAtMs - postedAtMs) / 1000,
      ingestAnsweredMs,
      hops: hopTimeline(counts, postedAtMs),
      cpu: {
        serviceCpuSeconds: last.serviceCpuSeconds,
        postgresCpuSecondsByApplication: last.postgresCpuSecondsByApplication,
        brokerCpuSeconds: last.brokerCpuSeconds,
        machineCpu: last.machineCpu,
      },
    };
  } finally {
    // Both stop once; on a failure above they must not poll connections the phase's cleanup closes.
    await sampler.stop().catch(() => undefined);
    await poller.stop().catch(() => undefined);
  }
}

async function foldSpanSeconds(client: Client, file: GeneratedCarrierFile): Promise<number> {
  const { rows } = await client.query<{ seconds: string }>(
    `SELECT extract(epoch FROM max(processed_at) - min(processed_at))::text AS seconds
       FROM processed_event WHERE claim_id BETWEEN $1 AND $2`,
    [String(file.claimIdStart), String(file.claimIdStart + file.records - 1)],
  );
  return Number(rows[0]?.seconds ?? Number.NaN);
}

async function batchRecompute(client: Client, runs: number): Promise<number[]> {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    await client.query(CLAIMS_RECEIVED_BATCH_SQL);
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return seconds;
}

/**
 * (6), second half: with a large history already folded, how long until the
 * KPIs include 1,000 new claims: streaming (replay them through all five
 * services) against the batch way (recompute every KPI from claim state).
 */
export async function runIncrementalPhase(context: BenchContext, catalog: FileCatalog): Promise<IncrementalResult> {
  const warmUp = await catalog.incrementalWarmUp();
  const fresh = await catalog.incremental();
  return context.phase('incremental', async () => {
    const { historyClaims } = context.options;
    const database = await context.database('incremental');
    const pipeline = await context.pipeline('incremental', database.url);
    await pipeline.start();
    const client = new Client({ connectionString: database.url, application_name: 'claims-bench-reader' });
    await client.connect();
    context.cleanup.push('close the incremental reader', () => client.end());
    const pollerClient = new Client({ connectionString: database.url, application_name: 'claims-bench-sampler' });
    await pollerClient.connect();
    context.cleanup.push('close the hop poller', () => pollerClient.end());
    const topics = await TopicOffsetReader.connect(context.brokers);
    context.cleanup.push('close the hop poller offsets', () => topics.disconnect());
    const watch: Watch = {
      topics,
      poller: pollerClient,
      namespace: context.namespace('incremental'),
      brokers: context.brokers,
      databaseUrl: database.url,
    };

    const historyLoadSeconds = await loadFoldedHistory(client, historyClaims, HISTORY_CLAIM_ID_START);
    const history = expectedHistoryKpis(historyClaims);
    progress(
      `incremental: ${historyClaims} claims (${history.lines} lines) of history loaded in ${historyLoadSeconds.toFixed(1)} s`,
    );

    // A directory made as the end-to-end phase's is, for the measured file: the generator draws each file's
    // providers from pools of its seed's own, so the measured claims find theirs (with the harness's two-file
    // directory every one pended on a missing provider) and the pend and clear paths run at their share.
    // The warm-up's claims mostly pend: they are there for the code's sake.
    const directory = await publishBenchDirectory({
      files: [fresh.path],
      providers: context.options.directoryProviders,
      seed: context.options.seed,
      brokers: context.brokers,
      namespace: watch.namespace,
      enrichers: pipeline.instances.enricher,
    });
    await replayAndWait(pipeline, client, warmUp, watch);
    const {
      seconds: streamingSeconds,
      hops,
      ingestAnsweredMs,
      cpu,
    } = await replayAndWait(pipeline, client, fresh, watch);
    const streamingFoldSeconds = await foldSpanSeconds(client, fresh);
    const runs = await batchRecompute(client, context.options.quick ? 1 : 3);
    const sorted = [...runs].sort((left, right) => left - right);
    const batchRecomputeSeconds = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    progress(
      `incremental: streaming ${streamingSeconds.toFixed(2)} s, batch recompute ${batchRecomputeSeconds.toFixed(2)} s`,
    );

    return {
      historyClaims,
      historyLines: history.lines,
      historyLoadSeconds,
      directory,
      historyLoadedBy:
        'SQL generate_series straight into claim_state, claim_line_state, processed_event and kpi_counter (not streamed), then VACUUM ANALYZE',
      newClaims: fresh.records,
      newClaimsPended: await pendedClaimsOf(client, fresh),
      streamingSeconds,
      streamingFoldSeconds,
      hops,
      ingestAnsweredMs,
      cpu,
      batchRecomputeSeconds,
      batchRecomputeRuns: runs,
      speedup: batchRecomputeSeconds / streamingSeconds,
      correctness: await checkCorrectness(
        pipeline,
        addCarrierKpis(addCarrierKpis(history, warmUp.expected), fresh.expected),
      ),
    };
  });
}
