import { ExitCause, failureIn } from './exit-cause';

describe('failureIn', () => {
  it('reads a fatal log record as its message and its error message', () => {
    const line = JSON.stringify({ level: 60, msg: 'unhandled rejection', err: { message: 'boom', stack: 'x' } });
    expect(failureIn(line)).toBe('unhandled rejection: boom');
  });

  it('reads an error log record without an error object as its message', () => {
    expect(failureIn(JSON.stringify({ level: 50, msg: 'consumer stopped for good' }))).toBe(
      'consumer stopped for good',
    );
  });

  it('ignores info and warning records', () => {
    expect(failureIn(JSON.stringify({ level: 30, msg: 'service listening' }))).toBeNull();
    expect(failureIn(JSON.stringify({ level: 40, msg: 'record dead-lettered' }))).toBeNull();
  });

  it("reads the error line Node prints for an uncaught exception, and not the stack's other lines", () => {
    expect(failureIn("TypeError: Cannot read properties of undefined (reading 'offset')")).toBe(
      "TypeError: Cannot read properties of undefined (reading 'offset')",
    );
    expect(failureIn('Error [ERR_STREAM_DESTROYED]: Cannot call write after a stream was destroyed')).toBe(
      'Error [ERR_STREAM_DESTROYED]: Cannot call write after a stream was destroyed',
    );
    expect(failureIn('    at handleGathered (/app/dist/libs/kafka/src/batch-consumer.js:1:1)')).toBeNull();
    expect(failureIn('                ^')).toBeNull();
  });

  it('reads the sentence a service prints when its environment is refused', () => {
    expect(failureIn('Invalid configuration: KAFKA_TOPIC_PARTITIONS: Expected number')).toBe(
      'Invalid configuration: KAFKA_TOPIC_PARTITIONS: Expected number',
    );
  });

  it('ignores lines that are not JSON records though they start like one', () => {
    expect(failureIn('{ not json')).toBeNull();
  });

  it('clips a long failure so a report stays one readable line', () => {
    const cause = failureIn(JSON.stringify({ level: 60, msg: 'x'.repeat(1_000) }));
    expect(cause?.length).toBe(301);
  });
});

describe('ExitCause', () => {
  it('keeps the last failure seen until it is reset', () => {
    const cause = new ExitCause();
    cause.observe(JSON.stringify({ level: 50, msg: 'first' }));
    cause.observe(JSON.stringify({ level: 30, msg: 'fine again' }));
    cause.observe(JSON.stringify({ level: 60, msg: 'second' }));
    expect(cause.lastFailure).toBe('second');
    cause.reset();
    expect(cause.lastFailure).toBeNull();
  });
});
