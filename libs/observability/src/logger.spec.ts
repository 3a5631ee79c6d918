import pino from 'pino';
import { Writable } from 'node:stream';
import { PHI_REDACT_PATHS, PinoNestLogger, loggerOptions, phiSafeError } from './logger';

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

/** A Postgres unique violation as node-postgres raises it: the message names the constraint, `detail` the row's key. */
function uniqueViolation(): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint "claim_pkey"'), {
    name: 'error',
    severity: 'ERROR',
    code: '23505',
    detail: 'Key (claim_id)=(542192281063886) already exists.',
  });
}

/** The lines a logger with every service's options (createLogger's) writes. */
function serviceLogLines(write: (logger: pino.Logger) => void): string {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  });
  write(pino(loggerOptions({ service: 'unit', level: 'info' }), sink));
  return written;
}

describe("every service's logger", () => {
  it('drops the row Postgres quotes from an error logged at a key other than err, as KafkaJS logs a failed batch', () => {
    // KafkaJS's runner: logger.error('Error when calling eachBatch', { topic, partition, offset, stack, error })
    const error = uniqueViolation();
    const line = serviceLogLines((logger) =>
      logger.error(
        { kafka: { topic: 'claims.enriched.v1', error, stack: error.stack } },
        'Error when calling eachBatch',
      ),
    );
    expect(line).not.toContain('542192281063886');
    expect(JSON.parse(line)).toMatchObject({
      kafka: {
        topic: 'claims.enriched.v1',
        error: { message: expect.stringContaining('unique constraint'), code: '23505' },
      },
    });
  });

  it('drops the row Postgres quotes from every member of an AggregateError', () => {
    const line = serviceLogLines((logger) =>
      logger.error({ err: new AggregateError([uniqueViolation()], 'two writes failed') }, 'x'),
    );
    expect(line).not.toContain('542192281063886');
    expect(line).toContain('unique constraint');
  });

  it('drops the value a Postgres message quotes from the message and the stack, and keeps the other words', () => {
    const refused = Object.assign(new Error('invalid input syntax for type date: "1931-02-30"'), {
      severity: 'ERROR',
      code: '22007',
    });
    const line = serviceLogLines((logger) => logger.error({ err: refused }, 'request failed'));
    expect(line).not.toContain('1931-02-30');
    expect(JSON.parse(line)).toMatchObject({
      err: { message: 'invalid input syntax for type date: "…"', code: '22007' },
    });
  });

  it("keeps the message of an error that is not Postgres's whole", () => {
    const line = serviceLogLines((logger) => logger.error({ err: new Error('layout "rif-carrier" not found') }, 'x'));
    expect(JSON.parse(line)).toMatchObject({ err: { message: 'layout "rif-carrier" not found' } });
  });

  it('leaves the logged object as the caller built it', () => {
    const error = uniqueViolation();
    const logged = { kafka: { error } };
    serviceLogLines((logger) => logger.error(logged, 'x'));
    expect(logged.kafka.error).toBe(error);
  });

  it('redacts credentials wherever a logged request carries them: bearer token, API key, cookies', () => {
    const line = serviceLogLines((logger) =>
      logger.info(
        {
          req: {
            headers: {
              authorization: 'Bearer eyJhbGciOi.secret-jwt',
              'x-api-key': 'ck_live_secret-key',
              cookie: 'session=secret-session',
              'user-agent': 'curl/8',
            },
          },
          res: { headers: { 'set-cookie': ['session=secret-session'] } },
          serviceToken: 'secret-service-token',
        },
        'request',
      ),
    );
    expect(line).not.toMatch(/secret/);
    expect(JSON.parse(line)).toMatchObject({ req: { headers: { 'user-agent': 'curl/8', 'x-api-key': '[redacted]' } } });
  });

  it('writes the message of an error logged without one PHI-safe, as pino takes it from the error', () => {
    const asObject = serviceLogLines((logger) => logger.error(dateRefused()));
    const atErrKey = serviceLogLines((logger) => logger.error({ err: dateRefused() }));
    for (const line of [asObject, atErrKey]) {
      expect(line).not.toContain('1931-02-30');
      expect(JSON.parse(line)).toMatchObject({
        msg: 'invalid input syntax for type date: "…"',
        err: { code: '22007' },
      });
    }
  });

  it('logs an error Nest hands over (an exception no filter caught) with its code and stack, without the value Postgres quoted', () => {
    // Nest 11's ExceptionsHandler and ExceptionHandler call logger.error(exception).
    const line = serviceLogLines((logger) =>
      new PinoNestLogger(logger).error(dateRefused(), undefined, 'ExceptionsHandler'),
    );
    expect(line).not.toContain('1931-02-30');
    expect(JSON.parse(line)).toMatchObject({
      context: 'ExceptionsHandler',
      msg: 'invalid input syntax for type date: "…"',
      err: { code: '22007', stack: expect.stringContaining('invalid input syntax') },
    });
  });

  it('redacts member, patient and credential fields at any depth and inside arrays', () => {
    const line = serviceLogLines((logger) =>
      logger.info(
        {
          batch: { event: { memberId: '00013D2EFD8E45D1', birthDate: '1931-02-01' } },
          events: [{ patientControlNumber: 'PCN-SMITH-0042', subscriberId: 'SUB-778899' }],
          upstream: { req: { headers: { authorization: 'Bearer eyJhbGciOi.secret-jwt' } } },
          member: { address: { address1: '12 Elm Street' }, lastName: 'Smithson' },
          rows: 3,
        },
        'batch handled',
      ),
    );
    for (const value of [
      '00013D2EFD8E45D1',
      '1931-02-01',
      'PCN-SMITH',
      'SUB-778899',
      'secret-jwt',
      'Elm Street',
      'Smithson',
    ]) {
      expect(line).not.toContain(value);
    }
    expect(JSON.parse(line)).toMatchObject({ rows: 3, events: [{ patientControlNumber: '[redacted]' }] });
  });

  it("drops the value Postgres quoted from a wrapping error's message and stack, which pino joins with its cause's", () => {
    const wrapped = new Error('fold failed', { cause: new Error('batch refused', { cause: dateRefused() }) });
    const line = serviceLogLines((logger) => logger.error({ err: wrapped }, 'x'));
    expect(line).not.toContain('1931-02-30');
    expect(JSON.parse(line)).toMatchObject({
      err: {
        message: 'fold failed: batch refused: invalid input syntax for type date: "…"',
        stack: expect.stringContaining('caused by: Error: batch refused'),
        cause: { cause: { code: '22007' } },
      },
    });
  });

  it('drops the row Postgres quotes from the errors an error holds in an `errors` array', () => {
    // KafkaJSAggregateError and other libraries' aggregates are plain errors with an `errors` property.
    const aggregate = Object.assign(new Error('2 writes failed'), { errors: [uniqueViolation(), dateRefused()] });
    const line = serviceLogLines((logger) => logger.error({ err: aggregate }, 'x'));
    expect(line).not.toContain('542192281063886');
    expect(line).not.toContain('1931-02-30');
    expect(line).toContain('unique constraint');
  });
});

function dateRefused(): Error {
  return Object.assign(new Error('invalid input syntax for type date: "1931-02-30"'), {
    severity: 'ERROR',
    code: '22007',
  });
}
