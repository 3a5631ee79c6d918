import { Client } from 'pg';
import { postgresArrayLiteral } from './postgres-array-literal';

/** Strings a claim field may hold that an array literal must carry through unchanged. */
const AWKWARD_TEXTS = [
  '',
  'NULL',
  'null',
  ' padded ',
  'a,b',
  '{braces}',
  'say "hi"',
  'back\\slash',
  '\\"',
  'tab\tand\nnewline',
  'ünïcødé ✓ 𝄞',
  "O'Brien; DROP TABLE claim_state; --",
];

describe('postgresArrayLiteral against a real Postgres', () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });

  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('reads back every awkward text, and NULL, exactly as given', async () => {
    const values = [...AWKWARD_TEXTS, null];
    const { rows } = await client.query<{ value: string | null }>(
      `SELECT value FROM unnest($1::text[]) WITH ORDINALITY AS t(value, position) ORDER BY position`,
      [postgresArrayLiteral(values)],
    );
    expect(rows.map((row) => row.value)).toEqual(values);
  });

  it('reads back numbers, booleans, uuids and dates in their typed arrays', async () => {
    const { rows } = await client.query<{ amounts: string[]; flags: boolean[]; ids: string[]; days: string[] }>(
      `SELECT $1::bigint[]::text[] AS amounts, $2::boolean[] AS flags, $3::uuid[]::text[] AS ids,
              $4::date[]::text[] AS days`,
      [
        postgresArrayLiteral([0, -125, 9_007_199_254_740_991, null]),
        postgresArrayLiteral([true, false, null]),
        postgresArrayLiteral(['2f1c0d8e-8a5b-8c3d-9e4f-0123456789ab']),
        postgresArrayLiteral(['2008-02-29', null]),
      ],
    );
    expect(rows[0]).toEqual({
      amounts: ['0', '-125', '9007199254740991', null],
      flags: [true, false, null],
      ids: ['2f1c0d8e-8a5b-8c3d-9e4f-0123456789ab'],
      days: ['2008-02-29', null],
    });
  });
});
