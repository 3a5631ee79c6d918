import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { withoutQuotedValues } from './quoted-values';

/**
 * Every path that can hold PHI or raw source bytes. Records are never logged
 * on purpose; the redaction is the net under that rule.
 */
export const PHI_REDACT_PATHS = [
  'record',
  '*.record',
  'claim',
  '*.claim',
  'patientToken',
  '*.patientToken',
  'memberId',
  '*.memberId',
  // A pended-queue export's adjudicator comments (claim.pend.comments, a pend episode's comments).
  'comments',
  '*.comments',
  'originalValueBase64',
  '*.originalValueBase64',
  // Credentials: a bearer token, an API key, a session cookie, wherever a logged request or response carries them.
  ...['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'].flatMap((header) => [
    `headers["${header}"]`,
    `*.headers["${header}"]`,
  ]),
  ...['token', 'apiKey', 'serviceToken', 'password', 'secret'].flatMap((key) => [key, `*.${key}`]),
];

/**
 * What an error keeps of the values a failed query was given: nothing. A
 * TypeORM QueryFailedError carries the statement's `parameters` (a pend
 * episode's comments, a claim's patient tokens), and Postgres's `detail` and
 * `where` can quote the row ("Failing row contains (…)"); the message, code,
 * stack and the SQL text (placeholders, no values) stay.
 */
const ERROR_VALUE_PROPERTIES = ['parameters', 'detail', 'where', 'driverError'];

/**
 * A Postgres error (node-postgres's DatabaseError, or TypeORM's
 * QueryFailedError, which copies its fields): a SQLSTATE and a severity.
 */
function isDatabaseError(error: Error): boolean {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

export function phiSafeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized: Record<string, unknown> = pino.stdSerializers.err(error);
  for (const property of ERROR_VALUE_PROPERTIES) delete serialized[property];
  // Postgres's message quotes the value it refused (`invalid input syntax for type date: "…"`); the stack repeats it.
  if (isDatabaseError(error)) {
    for (const property of ['message', 'stack'] as const) {
      const text = serialized[property];
      if (typeof text === 'string') serialized[property] = withoutQuotedValues(text);
    }
  }
  if (error.cause instanceof Error) serialized['cause'] = phiSafeError(error.cause);
  // The members of an AggregateError (pino serializes them with its own serializer, values and all).
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    serialized['aggregateErrors'] = error.errors.map((member: unknown) => phiSafeError(member));
  }
  // Any other error it holds (`originalError`, `error`…) would be written with its enumerable `detail`.
  for (const [property, value] of Object.entries(serialized)) {
    if (value instanceof Error) serialized[property] = phiSafeError(value);
  }
  return serialized;
}

/** How deep a logged object is searched for errors: KafkaJS's lines carry theirs at `kafka.error`. */
const MAX_ERROR_SEARCH_DEPTH = 4;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function withPhiSafeErrors(value: unknown, depth: number): unknown {
  if (value instanceof Error) return phiSafeError(value);
  if (depth >= MAX_ERROR_SEARCH_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => withPhiSafeErrors(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const safe = withPhiSafeErrors(item, depth + 1);
    if (safe !== item) (copy ??= { ...value })[key] = safe;
  }
  return copy ?? value;
}

/**
 * A logged object with every error in it, at any key, made PHI-safe
 * (`phiSafeError`). pino serializes only the `err` key; an error anywhere
 * else is written as JSON, which keeps a Postgres error's enumerable
 * `detail` ("Key (claim_id)=(…) already exists") and drops its message.
 * KafkaJS logs the error a batch handler threw that way ("Error when calling
 * eachBatch", `{ error }`). The caller's object is never changed.
 */
export function phiSafeLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return withPhiSafeErrors(object, 0) as Record<string, unknown>;
}

/** Every service's pino options: redaction, PHI-safe errors wherever they are logged, ISO timestamps. */
export function loggerOptions(options: { service: string; level: string }): pino.LoggerOptions {
  return {
    name: options.service,
    level: options.level,
    base: { service: options.service },
    redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: phiSafeError },
    formatters: { log: phiSafeLogObject },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(options: { service: string; level: string }): Logger {
  return pino(
    loggerOptions(options),
    // Synchronous: each line is written when it is logged. pino's default stdout stream writes in the
    // background and, at exit, flushes what is left synchronously, retrying a failed write every 100 ms
    // for ever (sonic-boom 4). When the reader of stdout is gone (a supervisor that died), the write
    // fails with EPIPE, so a service that logged twice and then exited hung in that loop: SIGTERM
    // drained it and it never ended. Written synchronously, the EPIPE comes back from the write itself,
    // pino stops logging to that stream, and the process exits. The services log per batch at most.
    pino.destination({ dest: 1, sync: true }),
  );
}

/** Routes Nest's own log lines into the structured logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
export const LOGGER = Symbol('LOGGER');
