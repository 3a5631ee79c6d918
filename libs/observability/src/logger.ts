import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { withoutQuotedValues } from './quoted-values';

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'];

/**
 * Field names whose value is PHI, raw source bytes or a credential. Records
 * are never logged on purpose; the redaction is the net under that rule.
 */
const PHI_FIELDS = [
  'record',
  'claim',
  'patientToken',
  'patientTokens',
  'memberId',
  'subscriberId',
  'patientId',
  'patientIdentity',
  'patientAccount',
  // An X12 CLM01: the provider's own account number for the patient, often built from the name.
  'patientControlNumber',
  'birthDate',
  'deathDate',
  'firstName',
  'lastName',
  'address1',
  'practiceAddress',
  // A pended-queue export's adjudicator comments (claim.pend.comments, a pend episode's comments).
  'comments',
  'originalValueBase64',
  // Credentials: a bearer token, an API key, a session cookie, wherever a logged request or response carries them.
  ...CREDENTIAL_HEADERS,
  'token',
  'apiKey',
  'serviceToken',
  'password',
  'secret',
];

const CENSOR = '[redacted]';
const PHI_FIELD_NAMES = new Set(PHI_FIELDS.map((field) => field.toLowerCase()));

function isPhiField(key: string, value: unknown): boolean {
  if (PHI_FIELD_NAMES.has(key.toLowerCase())) return true;
  // A postal address is an object (PostalAddressSchema); Node's socket errors name the peer's IP as a string `address`.
  return key === 'address' && value !== null && typeof value === 'object';
}

/**
 * pino's own redaction paths for the same fields, at the top level, one
 * level down and in a logged request's or response's headers (what a pino
 * `redact` path can say). `loggerOptions` redacts the fields at any depth and
 * inside arrays as well (`phiSafeLogObject`).
 */
export const PHI_REDACT_PATHS = [
  ...PHI_FIELDS.filter((field) => !CREDENTIAL_HEADERS.includes(field)).flatMap((field) => [field, `*.${field}`]),
  ...CREDENTIAL_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
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

/**
 * How deep a logged object is searched for errors and PHI fields: KafkaJS's
 * lines carry theirs at `kafka.error`; a cause chain or a nesting deeper than
 * this is cut, which also ends a circular one.
 */
const MAX_SEARCH_DEPTH = 8;

/** An error's own message and stack, without the value Postgres quoted when it is Postgres's. */
function ownText(error: Error): { message: string; stack: string } {
  const message = typeof error.message === 'string' ? error.message : '';
  const stack = typeof error.stack === 'string' ? error.stack : '';
  if (!isDatabaseError(error)) return { message, stack };
  return { message: withoutQuotedValues(message), stack: withoutQuotedValues(stack) };
}

function serializeError(error: Error, depth: number): Record<string, unknown> {
  const serialized: Record<string, unknown> = pino.stdSerializers.err(error);
  for (const property of ERROR_VALUE_PROPERTIES) delete serialized[property];
  // pino joins the messages and stacks of the whole cause chain, each cause's as it was
  // (`fold failed: invalid input syntax for type date: "…"`): they are joined again from the PHI-safe ones.
  const own = ownText(error);
  const cause =
    error.cause instanceof Error && depth < MAX_SEARCH_DEPTH ? serializeError(error.cause, depth + 1) : null;
  serialized['message'] = cause ? `${own.message}: ${String(cause['message'])}` : own.message;
  serialized['stack'] = cause ? `${own.stack}\ncaused by: ${String(cause['stack'])}` : own.stack;
  if (cause) serialized['cause'] = cause;
  // The errors of an aggregate (AggregateError, KafkaJSAggregateError…), which pino serializes values and all.
  const { errors } = error as { errors?: unknown };
  if (Array.isArray(errors)) {
    serialized['aggregateErrors'] = errors.map((member: unknown) => phiSafeValue(member, depth + 1));
  }
  // Any other error or PHI field it holds (`originalError`, an `errors` array, a `record`…).
  for (const [property, value] of Object.entries(serialized)) {
    if (property === 'cause' || property === 'aggregateErrors') continue;
    serialized[property] = isPhiField(property, value) ? CENSOR : phiSafeValue(value, depth + 1);
  }
  return serialized;
}

export function phiSafeError(error: unknown): unknown {
  return error instanceof Error ? serializeError(error, 0) : error;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function phiSafeValue(value: unknown, depth: number): unknown {
  if (value instanceof Error) return depth < MAX_SEARCH_DEPTH ? serializeError(value, depth) : '[error]';
  if (depth >= MAX_SEARCH_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => phiSafeValue(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const safe = isPhiField(key, item) ? CENSOR : phiSafeValue(item, depth + 1);
    if (safe !== item) (copy ??= { ...value })[key] = safe;
  }
  return copy ?? value;
}

/**
 * A logged object with every error in it, at any key, made PHI-safe
 * (`phiSafeError`), and every PHI field (`PHI_FIELDS`) redacted at any depth,
 * inside arrays too. pino serializes only the `err` key; an error anywhere
 * else is written as JSON, which keeps a Postgres error's enumerable
 * `detail` ("Key (claim_id)=(…) already exists") and drops its message.
 * KafkaJS logs the error a batch handler threw that way ("Error when calling
 * eachBatch", `{ error }`). The caller's object is never changed.
 */
export function phiSafeLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return phiSafeValue(object, 0) as Record<string, unknown>;
}

/**
 * Logged with an error and no message, pino writes the error's own message
 * as the line's `msg`, quoted values and all: the message is the PHI-safe one.
 */
function withPhiSafeMessage(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof second === 'string' || first === null || typeof first !== 'object') return args;
  if (!(first instanceof Error) && (first as { msg?: unknown }).msg !== undefined) return args;
  const error = first instanceof Error ? first : (first as { err?: unknown }).err;
  if (!(error instanceof Error)) return args;
  const safe = serializeError(error, 0);
  const merged = first instanceof Error ? { err: first } : first;
  return [merged, String(safe['message']), ...args.slice(1)];
}

/** Every service's pino options: redaction, PHI-safe errors wherever they are logged, ISO timestamps. */
export function loggerOptions(options: { service: string; level: string }): pino.LoggerOptions {
  return {
    name: options.service,
    level: options.level,
    base: { service: options.service },
    redact: { paths: PHI_REDACT_PATHS, censor: CENSOR },
    serializers: { err: phiSafeError },
    formatters: { log: phiSafeLogObject },
    hooks: {
      logMethod(args, method) {
        method.apply(this, withPhiSafeMessage(args) as Parameters<pino.LogFn>);
      },
    },
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
    // Nest hands over the exception itself (its ExceptionsHandler, an error at boot): logged as one, PHI-safe.
    if (message instanceof Error) this.logger.error({ context, err: message });
    else this.logger.error({ context, trace }, String(message));
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
