import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/** The repository root, whether this runs from source (jest) or from dist/ (demo, bench). */
function findRepoRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'nx.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no nx.json above ${start}`);
    directory = parent;
  }
  return directory;
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** Set by scripts/test.mjs, which starts (or finds) the real broker and Postgres before jest runs. */
export function testInfrastructure(): { brokers: string; adminDatabaseUrl: string } {
  const brokers = process.env['KAFKA_BROKERS'];
  const adminDatabaseUrl = process.env['DATABASE_URL'];
  if (!brokers || !adminDatabaseUrl) {
    throw new Error('KAFKA_BROKERS and DATABASE_URL must be set: run the suite with `npm test`');
  }
  return { brokers, adminDatabaseUrl };
}

/** A short random suffix for names that must not collide between suites or runs. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface IsolatedDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/**
 * Every suite works in a database of its own and drops it afterwards, so
 * suites never see each other's rows. It is made on the shared server unless
 * `adminDatabaseUrl` names another (a fault test's private server).
 */
export async function createIsolatedDatabase(
  label: string,
  adminDatabaseUrl: string = testInfrastructure().adminDatabaseUrl,
): Promise<IsolatedDatabase> {
  const name = `claims_test_${label.replace(/[^a-z0-9]/g, '_')}_${uniqueSuffix()}`;
  const admin = new Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new Client({ connectionString: adminDatabaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Undoes migrations, newest first, through the one named: the schema as it
 * stood before it, whatever migrations came after it.
 */
export async function undoMigrationsThrough(
  dataSource: {
    query(sql: string): Promise<Array<{ name: string }>>;
    undoLastMigration(options: { transaction: 'all' }): Promise<void>;
  },
  name: string,
): Promise<void> {
  for (;;) {
    const [newest] = await dataSource.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`);
    if (!newest) throw new Error(`migration ${name} was never run`);
    await dataSource.undoLastMigration({ transaction: 'all' });
    if (newest.name === name) return;
  }
}
