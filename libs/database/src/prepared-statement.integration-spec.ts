import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { createDataSource, isRecordDataError } from './data-source';
import { queryPrepared } from './prepared-statement';

/** A text's prepared statements on the connection that runs this query (pg_prepared_statements is per session). */
const PREPARED_HERE = `SELECT name, statement FROM pg_prepared_statements WHERE NOT from_sql AND statement = $1`;

describe('queryPrepared against a real Postgres', () => {
  const table = 'prepared_probe';
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase('prepared-statement');
    dataSource = createDataSource({ url: database.url, applicationName: 'claims-prepared-probe', poolSize: 2 });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, amount bigint NOT NULL)`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });
  beforeEach(() => dataSource.query(`TRUNCATE ${table}`));

  it('prepares the statement on the transaction’s own connection, once, and answers as manager.query does', async () => {
    const insert = `INSERT INTO ${table} (id, amount) SELECT * FROM unnest($1::integer[], $2::bigint[]) RETURNING id`;
    const prepared = await dataSource.transaction(async (manager) => {
      const first = await queryPrepared<Array<{ id: number }>>(manager, insert, ['{1,2}', '{10,20}']);
      const second = await queryPrepared<Array<{ id: number }>>(manager, insert, ['{3}', '{30}']);
      expect(first).toEqual(await manager.query(`SELECT id FROM ${table} WHERE id <= 2 ORDER BY id`));
      expect(second).toEqual([{ id: 3 }]);
      return manager.query(PREPARED_HERE, [insert]);
    });
    expect(prepared).toEqual([{ name: expect.stringMatching(/^claims_/), statement: insert }]);
  });

  it('answers an UPDATE or a DELETE with its rows and row count, as manager.query does', async () => {
    await dataSource.query(`INSERT INTO ${table} VALUES (1, 10), (2, 20), (3, 30)`);
    await dataSource.transaction(async (manager) => {
      const update = `UPDATE ${table} SET amount = amount + 1 WHERE id = ANY($1::integer[])`;
      expect(await queryPrepared(manager, update, ['{1,2}'])).toEqual([[], 2]);
      expect(await manager.query(update, ['{3}'])).toEqual([[], 1]);
      const remove = `DELETE FROM ${table} WHERE id = ANY($1::integer[]) RETURNING amount`;
      expect(await queryPrepared(manager, remove, ['{2,3}'])).toEqual([[{ amount: '21' }, { amount: '31' }], 2]);
    });
  });

  it('runs outside a transaction on a pooled connection it gives back', async () => {
    const count = `SELECT count(*)::integer AS rows FROM ${table} WHERE amount >= $1`;
    await dataSource.query(`INSERT INTO ${table} VALUES (1, 10), (2, 20)`);
    for (let round = 0; round < 5; round += 1) {
      expect(await queryPrepared(dataSource.manager, count, [15])).toEqual([{ rows: 1 }]);
    }
    const pool = (dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('fails a refused value with its SQLSTATE, rolls back, and runs the prepared text again on the same connection', async () => {
    // One connection, so the text prepared before the failure is the one run after it.
    const single = createDataSource({ url: database.url, applicationName: 'claims-prepared-probe', poolSize: 1 });
    await single.initialize();
    try {
      const insert = `INSERT INTO ${table} (id, amount) VALUES ($1, $2::text::bigint)`;
      const refused = await single
        .transaction(async (manager) => {
          await queryPrepared(manager, insert, [1, 10]);
          await queryPrepared(manager, insert, [2, 'not a number']);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(refused).toMatchObject({ code: '22P02' });
      expect(isRecordDataError(refused)).toBe(true);
      for (let round = 0; round < 3; round += 1) {
        await single.transaction((manager) => queryPrepared(manager, insert, [10 + round, 5]));
      }
      expect(await single.query(PREPARED_HERE, [insert])).toHaveLength(1);
      expect(await single.query(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 10 }, { id: 11 }, { id: 12 }]);
    } finally {
      await single.destroy();
    }
  });
});
