import { CLAIMS_RECEIVED_BATCH_SQL, summarizeKpiCounters, type KpiCounterRow } from '@claims/kpi';
import { Client } from 'pg';
import { progress, type BenchContext } from '../bench-context';
import {
  claimLineInsertSql,
  claimStateInsertSql,
  copyStagingSql,
  linesTableSql,
  stagingTableDdl,
} from '../batch/carrier-batch-sql';
import type { GeneratedCarrierFile } from '@claims/claims-generator';
import { summaryDifferences } from '../measure/summary-differences';
import { applyProductSchema } from '../infra/bench-database';
import { copyFromFile } from '../infra/copy-from-file';

export interface BatchLoadResult {
  records: number;
  copySeconds: number;
  transformSeconds: number;
  kpiSqlSeconds: number;
  /** COPY + transform + KPI SQL: a batch answers nothing before all of it is done. */
  timeToFirstKpiSeconds: number;
  recordsPerSecond: number;
  summaryMatchesGenerator: boolean;
  differences: string[];
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * (6), first half: the same carrier file the stream replays, loaded the batch
 * way into a database of its own: COPY into staging, SQL into claim state,
 * then the product's KPI batch SQL. The figures must equal the generator's.
 */
export async function runBatchPhase(context: BenchContext, file: GeneratedCarrierFile): Promise<BatchLoadResult> {
  return context.phase('batch load', async () => {
    const database = await context.database('batch');
    await applyProductSchema(database.url);
    const client = new Client({ connectionString: database.url, application_name: 'claims-bench-batch' });
    await client.connect();
    context.cleanup.push('close the batch connection', () => client.end());
    await client.query(stagingTableDdl());

    const copy = await timed(() => copyFromFile(client, copyStagingSql(), file.path));
    progress(`batch load: COPY of ${copy.value} rows in ${copy.seconds.toFixed(1)} s`);
    const transform = await timed(async () => {
      await client.query('BEGIN');
      await client.query(linesTableSql());
      await client.query(claimStateInsertSql(), [file.name, file.sha256]);
      await client.query(claimLineInsertSql());
      await client.query('COMMIT');
    });
    const kpi = await timed(async () => (await client.query<KpiCounterRow>(CLAIMS_RECEIVED_BATCH_SQL)).rows);
    const differences = summaryDifferences(summarizeKpiCounters(kpi.value), file.expected);
    const total = copy.seconds + transform.seconds + kpi.seconds;
    return {
      records: copy.value,
      copySeconds: copy.seconds,
      transformSeconds: transform.seconds,
      kpiSqlSeconds: kpi.seconds,
      timeToFirstKpiSeconds: total,
      recordsPerSecond: copy.value / total,
      summaryMatchesGenerator: differences.length === 0,
      differences: differences.slice(0, 20),
    };
  });
}
