import pino from 'pino';
import { Writable } from 'node:stream';
import { PHI_REDACT_PATHS, phiSafeError } from './logger';

const COMMENT = 'Member called 3/1, confirmed coverage through employer plan; retro-term reversed.';

/** A failed fold statement as TypeORM raises it: the statement's values and Postgres's row in `detail`. */
function queryFailed(): Error {
  return Object.assign(new Error('new row for relation "claim_pend" violates check constraint'), {
    code: '23514',
    query: 'INSERT INTO claim_pend (claim_id, comments) SELECT … FROM unnest($1::text[], $13::text[])',
    parameters: [['PQ-2024-000102'], [COMMENT]],
    detail: `Failing row contains (PQ-2024-000102, ${COMMENT}).`,
    where: `SQL function with ${COMMENT}`,
    driverError: { detail: COMMENT },
  });
}

/** The lines a logger with createLogger's redaction and serializers writes. */
function logLines(write: (logger: pino.Logger) => void): string {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  });
  write(pino({ redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' }, serializers: { err: phiSafeError } }, sink));
  return written;
}

describe('the PHI-safe logger', () => {
  it("logs a failed statement's message, code and SQL, never the values it was given nor the row Postgres quotes", () => {
    const line = logLines((logger) => logger.warn({ err: queryFailed() }, 'batch failed on transient trouble'));
    expect(line).not.toContain('retro-term');
    expect(line).not.toContain('PQ-2024-000102');
    expect(JSON.parse(line)).toMatchObject({
      err: { message: expect.stringContaining('violates check constraint'), code: '23514', query: expect.any(String) },
    });
  });

  it('drops the values of an error wrapped as the cause of another', () => {
    const line = logLines((logger) => logger.error({ err: new Error('fold failed', { cause: queryFailed() }) }, 'x'));
    expect(line).not.toContain('retro-term');
    expect(line).toContain('fold failed');
  });

  it('redacts comments wherever a logged object carries them', () => {
    const line = logLines((logger) => logger.info({ episode: { comments: COMMENT }, comments: COMMENT }, 'folded'));
    expect(line).not.toContain('retro-term');
    expect(line).toContain('[redacted]');
  });
});
