import { SourceRecordError, type SourceRecordErrorCode } from '../source-record.errors';

/** Runs an action that must throw a SourceRecordError and returns that error. */
export function sourceRecordErrorOf(action: () => unknown): SourceRecordError {
  try {
    action();
  } catch (error) {
    if (error instanceof SourceRecordError) return error;
    throw error;
  }
  throw new Error('expected a SourceRecordError, but nothing was thrown');
}

export function sourceRecordErrorCodeOf(action: () => unknown): SourceRecordErrorCode {
  return sourceRecordErrorOf(action).code;
}
