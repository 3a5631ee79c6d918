import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';

describe('a service’s connections to a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase('session-options');
    // A database whose own default is stricter than what the fold is written for.
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${database.name} SET default_transaction_isolation = 'serializable'`);
    await admin.end();
    dataSource = createDataSource({ url: database.url, applicationName: 'claims-session-probe', poolSize: 2 });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('runs every transaction at READ COMMITTED whatever the database’s default, without a SET of its own, and plans every prepared execution for its values, on every connection of the pool', async () => {
    const levels = await Promise.all(
      [1, 2].map(() =>
        dataSource.transaction(async (manager) => {
          await manager.query('SELECT pg_sleep(0.05)');
          return manager.query(
            `SELECT current_setting('transaction_isolation') AS level, current_setting('plan_cache_mode') AS mode,
                    pg_backend_pid() AS pid`,
          );
        }),
      ),
    );
    expect(new Set(levels.map(([row]) => row.pid)).size).toBe(2);
    expect(levels.map(([row]) => row.level)).toEqual(['read committed', 'read committed']);
    expect(levels.map(([row]) => row.mode)).toEqual(['force_custom_plan', 'force_custom_plan']);

    const direct = new Client({ connectionString: database.url });
    await direct.connect();
    try {
      // The database's default does hold for a connection made without the product's options.
      const [row] = (await direct.query(`SELECT current_setting('transaction_isolation') AS level`)).rows;
      expect(row.level).toBe('serializable');
    } finally {
      await direct.end();
    }
  });
});
