import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

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
  'headers.authorization',
  '*.headers.authorization',
];

/**
 * What an error keeps of the values a failed query was given: nothing. A
 * TypeORM QueryFailedError carries the statement's `parameters` (a pend
 * episode's comments, a claim's patient tokens), and Postgres's `detail` and
 * `where` can quote the row ("Failing row contains (…)"); the message, code,
 * stack and the SQL text (placeholders, no values) stay.
 */
const ERROR_VALUE_PROPERTIES = ['parameters', 'detail', 'where', 'driverError'];

export function phiSafeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized: Record<string, unknown> = pino.stdSerializers.err(error);
  for (const property of ERROR_VALUE_PROPERTIES) delete serialized[property];
  if (error.cause instanceof Error) serialized['cause'] = phiSafeError(error.cause);
  return serialized;
}

export function createLogger(options: { service: string; level: string }): Logger {
  return pino(
    {
      name: options.service,
      level: options.level,
      base: { service: options.service },
      redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: phiSafeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
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
