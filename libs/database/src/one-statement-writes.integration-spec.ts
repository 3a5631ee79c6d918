import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source';
import { writesAsOneStatement, type WriteStatement } from './one-statement-writes';
import { queryPrepared } from './prepared-statement';

describe('writesAsOneStatement against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase('one-statement-writes');
    dataSource = createDataSource({ url: database.url, applicationName: 'claims-one-statement-probe', poolSize: 1 });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE counter_probe (key text PRIMARY KEY, amount bigint NOT NULL)`);
    await dataSource.query(`CREATE TABLE offset_probe (partition_id integer PRIMARY KEY, next_offset bigint NOT NULL)`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });
  beforeEach(async () => {
    await dataSource.query(`TRUNCATE counter_probe, offset_probe`);
    await dataSource.query(`INSERT INTO offset_probe VALUES (0, 5), (1, 5)`);
  });

  const addCounts = (keys: string[], amounts: number[]): WriteStatement => ({
    text: `INSERT INTO counter_probe (key, amount) SELECT * FROM unnest($1::text[], $2::bigint[])
           ON CONFLICT (key) DO UPDATE SET amount = counter_probe.amount + EXCLUDED.amount`,
    parameters: [keys, amounts],
  });
  const storeOffset = (partition: number, nextOffset: number): WriteStatement => ({
    text: `UPDATE offset_probe SET next_offset = GREATEST(next_offset, $2::bigint) WHERE partition_id = $1::integer`,
    parameters: [partition, nextOffset],
  });
  const run = async (writes: WriteStatement[]): Promise<void> => {
    const statement = writesAsOneStatement(writes);
    if (!statement) throw new Error('no statement');
    await dataSource.transaction((manager) => queryPrepared(manager, statement.text, statement.parameters));
  };
  const state = async () => ({
    counters: await dataSource.query(`SELECT key, amount::integer FROM counter_probe ORDER BY key`),
    offsets: await dataSource.query(`SELECT partition_id, next_offset::integer FROM offset_probe ORDER BY 1`),
  });

  it('carries out every write to completion though its SELECT reads none of them', async () => {
    await run([addCounts(['a', 'b'], [1, 2]), storeOffset(1, 9)]);
    await run([storeOffset(0, 7), addCounts(['b', 'c'], [10, 20]), storeOffset(1, 6)]);
    expect(await state()).toEqual({
      counters: [
        { key: 'a', amount: 1 },
        { key: 'b', amount: 12 },
        { key: 'c', amount: 20 },
      ],
      offsets: [
        { partition_id: 0, next_offset: 7 },
        { partition_id: 1, next_offset: 9 },
      ],
    });
  });

  it('leaves nothing of any write when one of them fails', async () => {
    const refused: WriteStatement = { text: `INSERT INTO offset_probe VALUES ($1::integer, 0)`, parameters: [0] };
    await expect(run([addCounts(['a'], [1]), storeOffset(1, 9), refused])).rejects.toMatchObject({ code: '23505' });
    expect(await state()).toEqual({
      counters: [],
      offsets: [
        { partition_id: 0, next_offset: 5 },
        { partition_id: 1, next_offset: 5 },
      ],
    });
  });
});
