import { PreparedStatementNames } from './prepared-statement';

describe('PreparedStatementNames', () => {
  it('names the same text the same way every time, and in every instance', () => {
    const sql = 'SELECT $1::int AS one';
    const names = new PreparedStatementNames();
    const first = names.nameOf(sql);
    expect(first).toMatch(/^claims_[0-9a-f]{32}$/);
    expect(names.nameOf(sql)).toBe(first);
    expect(new PreparedStatementNames().nameOf(sql)).toBe(first);
  });

  it('gives two texts two names, even texts that differ only in white space', () => {
    const names = new PreparedStatementNames();
    expect(names.nameOf('SELECT 1')).not.toBe(names.nameOf('SELECT  1'));
  });

  it('keeps a name within the 63 bytes of a Postgres identifier, however long the text', () => {
    const name = new PreparedStatementNames().nameOf(`SELECT ${'x, '.repeat(10_000)}1`);
    expect(Buffer.byteLength(name ?? '')).toBeLessThanOrEqual(63);
  });

  it('names no new text past its cap, while the texts named before keep their names', () => {
    const names = new PreparedStatementNames(2);
    const first = names.nameOf('SELECT 1');
    names.nameOf('SELECT 2');
    expect(names.nameOf('SELECT 3')).toBeNull();
    expect(names.nameOf('SELECT 1')).toBe(first);
  });
});
