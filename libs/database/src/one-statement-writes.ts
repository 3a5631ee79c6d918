/**
 * One INSERT, UPDATE or DELETE with its own parameters, spelled `$1` to
 * `$n` in its text as if it ran alone. Its text holds no `$` followed by a
 * digit but its parameters (values are bound, never spelled into SQL).
 */
export interface WriteStatement {
  text: string;
  parameters: readonly unknown[];
}

const PARAMETER = /\$(\d+)/g;

/**
 * Independent writes as one statement: each a data-modifying WITH query of
 * `SELECT 1`, its parameters renumbered after the writes before it. One
 * round trip instead of one per write: at a steady feed, a fold of a few
 * dozen claims waited about as long for each statement's turn on a busy
 * core as for its work. Postgres runs every write of a WITH to completion,
 * each against the snapshot the statement began with, so the writes must
 * not depend on one another: no write may touch a row another writes, nor
 * read what another writes (each of the fold's goes to a table of its own).
 * A single write is its own text; none is no statement.
 */
export function writesAsOneStatement(writes: readonly WriteStatement[]): WriteStatement | null {
  if (writes.length === 0) return null;
  if (writes.length === 1) return writes[0] ?? null;
  const parameters: unknown[] = [];
  const texts = writes.map((write, writeIndex) => {
    const first = parameters.length;
    const text = write.text.replace(PARAMETER, (_, digits: string) => {
      const index = Number(digits);
      if (index < 1 || index > write.parameters.length) {
        throw new RangeError(`write ${writeIndex + 1} names $${index} of its ${write.parameters.length} parameters`);
      }
      return `$${first + index}`;
    });
    parameters.push(...write.parameters);
    return `write_${writeIndex + 1} AS (\n${text}\n)`;
  });
  return { text: `WITH ${texts.join(',\n')}\nSELECT 1`, parameters };
}
