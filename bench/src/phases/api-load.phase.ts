import { addCarrierKpis, emptyCarrierKpis, type GeneratedCarrierFile } from '@claims/claims-generator';
import { waitFor, type LocalPipeline } from '@claims/harness';
import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import type { FileCatalog } from '../generator/file-catalog';
import { runHttpLoad, type HttpLoadResult, type LoadTarget } from '../measure/http-load';
import { checkCorrectness, recordsAccounted, type CorrectnessCheck } from '../measure/kpi-checks';

/** What an analyst's dashboard and a work-queue client read, in the rotation the load client follows. */
const LOADED_ROUTES: ReadonlyArray<{ route: string; path: string }> = [
  { route: 'summary', path: '/v1/kpis/summary' },
  { route: 'pended queue', path: '/v1/kpis/pended-queue' },
  { route: 'work queue', path: '/v1/kpis/pended-queue/work-queue?limit=50' },
  { route: 'pend flow', path: '/v1/kpis/pended-queue/flow' },
  { route: 'denials', path: '/v1/kpis/denials?source=carrier_lines&groupBy=payer' },
  { route: 'payments', path: '/v1/kpis/payments' },
];
/** The client's bound on requests in flight: a dashboard fleet's few connections, not a flood. */
const MAX_IN_FLIGHT = 8;
/** How long the API is loaded with nothing folding: the latency to compare the loaded fold's with. */
const IDLE_SECONDS = { default: 20, quick: 5 } as const;

export interface FoldRun {
  records: number;
  /** From the POST that started the replay to the last record's fold commit. */
  seconds: number;
  recordsPerSecond: number;
}

export interface ApiLoadResult {
  routes: string[];
  offeredRequestsPerSecond: number;
  maxInFlight: number;
  /** The API loaded with nothing folding (the first replay's claims already in the KPIs). */
  idle: HttpLoadResult;
  /** The API loaded while the second replay folds at full speed. */
  duringFold: HttpLoadResult;
  foldAlone: FoldRun;
  foldUnderLoad: FoldRun;
  /** foldUnderLoad / foldAlone records per second: 1 when reads cost the fold nothing. */
  foldRateUnderLoadShare: number;
  correctness: CorrectnessCheck;
}

async function lastFoldMs(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ last_ms: string | null }>(
      `SELECT (extract(epoch FROM max(processed_at)) * 1000)::text AS last_ms FROM processed_event`,
    );
    return Number(rows[0]?.last_ms ?? 0);
  } finally {
    await client.end();
  }
}

/** Replays a file at full speed and waits until every record has its outcome; the fold's rate over that span. */
async function replayAtFullSpeed(
  pipeline: LocalPipeline,
  databaseUrl: string,
  file: GeneratedCarrierFile,
  accountedBefore: number,
): Promise<FoldRun> {
  const postedAtMs = Date.now();
  const report = await pipeline.ingest(file.name);
  await waitFor(
    `every record of ${file.name} to have its outcome`,
    () => recordsAccounted(databaseUrl),
    (accounted) => accounted >= accountedBefore + report.recordsPublished,
    { timeoutMs: Math.max(300_000, report.recordsPublished * 2), intervalMs: 250 },
  );
  const seconds = ((await lastFoldMs(databaseUrl)) - postedAtMs) / 1000;
  return { records: report.recordsPublished, seconds, recordsPerSecond: report.recordsPublished / seconds };
}

/**
 * The API under a steady read load, with nothing folding and while a replay
 * folds at full speed: latency and errors of the KPI and work-queue routes
 * in both, and the fold's rate alone and under the load. Reads that blocked
 * the fold would cut its rate; a fold that blocked reads would raise their p99.
 */
export async function runApiLoadPhase(context: BenchContext, catalog: FileCatalog): Promise<ApiLoadResult> {
  return context.phase('api load', async () => {
    const records = context.options.apiLoadRecords;
    const alone = await catalog.apiLoadReplay('alone', records);
    const underLoad = await catalog.apiLoadReplay('under-load', records);
    const database = await context.database('api-load');
    const pipeline = await context.pipeline('api-load', database.url);
    await pipeline.start();

    const targets: LoadTarget[] = LOADED_ROUTES.map(({ route, path }) => ({
      route,
      url: `${pipeline.services.api.baseUrl}${path}`,
    }));
    const load = (until: () => boolean, seconds?: number): Promise<HttpLoadResult> => {
      const endsAt = seconds === undefined ? Infinity : Date.now() + seconds * 1000;
      return runHttpLoad({
        targets,
        headers: { authorization: `Bearer ${pipeline.apiToken}` },
        ratePerSecond: context.options.apiRate,
        maxInFlight: MAX_IN_FLIGHT,
        until: () => until() || Date.now() >= endsAt,
      });
    };

    progress(`api load: replaying ${records} records with no read load`);
    const foldAlone = await replayAtFullSpeed(pipeline, database.url, alone, 0);
    const idleSeconds = context.options.quick ? IDLE_SECONDS.quick : IDLE_SECONDS.default;
    progress(`api load: ${context.options.apiRate} requests/s for ${idleSeconds} s with nothing folding`);
    const idle = await load(() => false, idleSeconds);

    progress(`api load: replaying ${records} more records under ${context.options.apiRate} requests/s`);
    let folding = true;
    const duringFoldLoad = load(() => !folding);
    const foldUnderLoad = await replayAtFullSpeed(pipeline, database.url, underLoad, foldAlone.records).finally(
      () => (folding = false),
    );
    const duringFold = await duringFoldLoad;

    const correctness = await checkCorrectness(
      pipeline,
      addCarrierKpis(addCarrierKpis(emptyCarrierKpis(), alone.expected), underLoad.expected),
    );
    return {
      routes: LOADED_ROUTES.map(({ route }) => route),
      offeredRequestsPerSecond: context.options.apiRate,
      maxInFlight: MAX_IN_FLIGHT,
      idle,
      duringFold,
      foldAlone,
      foldUnderLoad,
      foldRateUnderLoadShare: foldUnderLoad.recordsPerSecond / foldAlone.recordsPerSecond,
      correctness,
    };
  });
}
