import { createDataSource, migrateDatabase } from '@claims/database';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Every bench database starts with this, so leftovers of an interrupted run can be found and dropped. */
export const BENCH_DATABASE_PREFIX = 'claims_bench_';

export interface BenchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of the phase's own (like the harness's createIsolatedDatabase,
 * but with the bench prefix: `npm test` drops `claims_test_*` databases at
 * start and must not drop a running benchmark's).
 */
export async function createBenchDatabase(adminUrl: string, label: string): Promise<BenchDatabase> {
  const name = `${BENCH_DATABASE_PREFIX}${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(3).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function dropLeftoverBenchDatabases(adminUrl: string): Promise<string[]> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname ~ '^[a-z0-9_]+$'`,
      [BENCH_DATABASE_PREFIX],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    return rows.map((row) => row.datname);
  });
}

/** Applies the product's own migrations, for phases that use the schema without the metrics service. */
export async function applyProductSchema(databaseUrl: string): Promise<void> {
  const dataSource = createDataSource({ url: databaseUrl, applicationName: 'claims-bench' });
  await dataSource.initialize();
  try {
    await migrateDatabase(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
