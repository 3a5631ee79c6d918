import { writesAsOneStatement, type WriteStatement } from './one-statement-writes';

const counterWrite: WriteStatement = {
  text: 'INSERT INTO a (k, v) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (k) DO UPDATE SET v = a.v + EXCLUDED.v',
  parameters: [['x'], [1]],
};
const offsetWrite: WriteStatement = {
  text: 'UPDATE o SET next = GREATEST(next, $2) WHERE p = $1',
  parameters: [3, '41'],
};

describe('writesAsOneStatement', () => {
  it('answers no statement for no writes', () => {
    expect(writesAsOneStatement([])).toBeNull();
  });

  it('runs a single write as its own text, unwrapped', () => {
    expect(writesAsOneStatement([offsetWrite])).toEqual({ text: offsetWrite.text, parameters: [3, '41'] });
  });

  it('numbers each write’s parameters after the writes before it, in one WITH of SELECT 1', () => {
    const statement = writesAsOneStatement([counterWrite, offsetWrite, counterWrite]);
    expect(statement?.parameters).toEqual([['x'], [1], 3, '41', ['x'], [1]]);
    expect(statement?.text).toBe(
      [
        'WITH write_1 AS (',
        'INSERT INTO a (k, v) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (k) DO UPDATE SET v = a.v + EXCLUDED.v',
        '),',
        'write_2 AS (',
        'UPDATE o SET next = GREATEST(next, $4) WHERE p = $3',
        '),',
        'write_3 AS (',
        'INSERT INTO a (k, v) SELECT * FROM unnest($5::text[], $6::bigint[]) ON CONFLICT (k) DO UPDATE SET v = a.v + EXCLUDED.v',
        ')',
        'SELECT 1',
      ].join('\n'),
    );
  });

  it('renumbers two-digit parameters whole ($12 is not $1 followed by 2)', () => {
    const wide: WriteStatement = {
      text: `INSERT INTO w VALUES (${Array.from({ length: 12 }, (_, index) => `$${index + 1}`).join(', ')})`,
      parameters: Array.from({ length: 12 }, (_, index) => index),
    };
    const statement = writesAsOneStatement([offsetWrite, wide]);
    expect(statement?.text).toContain('VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)');
    expect(statement?.parameters).toHaveLength(14);
  });

  it('refuses a write that names a parameter it was not given', () => {
    const short: WriteStatement = { text: 'DELETE FROM t WHERE a = $1 AND b = $2', parameters: [1] };
    expect(() => writesAsOneStatement([offsetWrite, short])).toThrow('write 2 names $2 of its 1 parameters');
    expect(() => writesAsOneStatement([offsetWrite, { text: 'DELETE FROM t WHERE a = $0', parameters: [1] }])).toThrow(
      RangeError,
    );
  });
});
