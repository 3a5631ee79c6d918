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
  'originalValueBase64',
  '*.originalValueBase64',
  'headers.authorization',
  '*.headers.authorization',
];

export function createLogger(options: { service: string; level: string }): Logger {
  return pino({
    name: options.service,
    level: options.level,
    base: { service: options.service },
    redact: { paths: PHI_REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
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
