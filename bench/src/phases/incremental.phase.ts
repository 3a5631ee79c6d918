import { CLAIMS_RECEIVED_BATCH_SQL } from '@claims/kpi';
import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import { expectedHistoryKpis, loadFoldedHistory } from '../batch/folded-history';
import { addCarrierKpis, type GeneratedCarrierFile } from '@claims/claims-generator';
import { HISTORY_CLAIM_ID_START, type FileCatalog } from '../generator/file-catalog';
import {
  checkCorrectness,
  readableClaimsReceived,
  waitForClaimsReceived,
  type CorrectnessCheck,
} from '../measure/kpi-checks';
import type { LocalPipeline } from '@claims/harness';

export interface IncrementalResult {
  historyClaims: number;
  historyLines: number;
  historyLoadSeconds: number;
  historyLoadedBy: string;
  newClaims: number;
  /** POST of the new claims' file → the last of them readable in claims_received (reader polls every 10 ms). */
  streamingSeconds: number;
  /** The fold transactions alone: first to last processed_at of the new claims. */
  streamingFoldSeconds: number;
  /** The product's KPI batch SQL over the whole claim state (median of its runs); the batch load of the new rows is not even counted. */
  batchRecomputeSeconds: number;
  batchRecomputeRuns: number[];
  /** batchRecomputeSeconds / streamingSeconds. */
  speedup: number;
  correctness: CorrectnessCheck;
}

async function replayAndWait(pipeline: LocalPipeline, client: Client, file: GeneratedCarrierFile): Promise<number> {
  const baseline = await readableClaimsReceived(client);
  const postedAtMs = Date.now();
  await pipeline.ingest(file.name);
  const readableAtMs = await waitForClaimsReceived(client, baseline + file.records, 120_000, 10);
  return (readableAtMs - postedAtMs) / 1000;
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

    const historyLoadSeconds = await loadFoldedHistory(client, historyClaims, HISTORY_CLAIM_ID_START);
    const history = expectedHistoryKpis(historyClaims);
    progress(
      `incremental: ${historyClaims} claims (${history.lines} lines) of history loaded in ${historyLoadSeconds.toFixed(1)} s`,
    );

    await replayAndWait(pipeline, client, warmUp);
    const streamingSeconds = await replayAndWait(pipeline, client, fresh);
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
      historyLoadedBy:
        'SQL generate_series straight into claim_state, claim_line_state, processed_event and kpi_counter (not streamed), then VACUUM ANALYZE',
      newClaims: fresh.records,
      streamingSeconds,
      streamingFoldSeconds,
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
