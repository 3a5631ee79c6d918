import { gracefulShutdownHandler, type GracefulShutdownOptions, type ShutdownLogger } from './graceful-shutdown';

interface Recorded {
  events: string[];
  exits: number[];
  lines: Array<{ level: string; fields: object; message: string }>;
  fireDeadline: () => void;
}

/** A handler whose clock, timer, exit and log are recorded instead of real. */
function handlerUnderTest(close: GracefulShutdownOptions['close'], timeoutMs = 25_000) {
  const recorded: Recorded = { events: [], exits: [], lines: [], fireDeadline: () => undefined };
  const logger: ShutdownLogger = {
    info: (fields, message) => recorded.lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => recorded.lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => recorded.lines.push({ level: 'error', fields, message }),
  };
  let clock = 1_000;
  const handler = gracefulShutdownHandler({
    drain: (reason) => recorded.events.push(`drain: ${reason}`),
    close: async (signal) => {
      recorded.events.push('close');
      await close(signal);
      clock += 120;
    },
    timeoutMs,
    logger,
    exit: (code) => recorded.exits.push(code),
    now: () => clock,
    setTimer: (callback) => {
      recorded.fireDeadline = callback;
      return { clear: () => (recorded.fireDeadline = () => undefined) };
    },
  });
  return { handler, recorded };
}

describe('gracefulShutdownHandler', () => {
  it('turns readiness false before it closes anything, then exits 0 once closed', async () => {
    const { handler, recorded } = handlerUnderTest(async () => undefined);
    await handler('SIGTERM');
    expect(recorded.events).toEqual(['drain: shutting down on SIGTERM', 'close']);
    expect(recorded.exits).toEqual([0]);
    expect(recorded.lines.at(-1)).toEqual({
      level: 'info',
      fields: { signal: 'SIGTERM', durationMs: 120 },
      message: 'shutdown complete',
    });
  });

  it('exits 1 with a log line naming the bound when closing outlasts it, and not again when the close ends later', async () => {
    let finishClose: () => void = () => undefined;
    const { handler, recorded } = handlerUnderTest(
      () => new Promise<void>((resolve) => (finishClose = resolve)),
      5_000,
    );
    const shutdown = handler('SIGTERM');
    recorded.fireDeadline();
    expect(recorded.exits).toEqual([1]);
    expect(recorded.lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'shutdown did not end within 5000 ms; exiting with code 1',
    });
    finishClose();
    await shutdown;
    expect(recorded.exits).toEqual([1]);
  });

  it('exits 1 when closing fails', async () => {
    const { handler, recorded } = handlerUnderTest(async () => {
      throw new Error('pool refused to close');
    });
    await handler('SIGINT');
    expect(recorded.exits).toEqual([1]);
    expect(recorded.lines.at(-1)).toMatchObject({ level: 'error', message: 'shutdown failed; exiting with code 1' });
  });

  it('ignores a second signal while draining: one close, one exit', async () => {
    let finishClose: () => void = () => undefined;
    const { handler, recorded } = handlerUnderTest(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const first = handler('SIGTERM');
    await handler('SIGINT');
    finishClose();
    await first;
    expect(recorded.events).toEqual(['drain: shutting down on SIGTERM', 'close']);
    expect(recorded.exits).toEqual([0]);
    expect(recorded.lines.some((line) => line.message.startsWith('shutdown already under way'))).toBe(true);
  });
});
