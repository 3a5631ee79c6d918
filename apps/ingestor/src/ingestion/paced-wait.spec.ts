import { PACED_EARLY_MS, pacedWaitMilliseconds } from './paced-wait';

/**
 * A paced reader on a simulated clock: reading a record costs `readMs`, a
 * wait lasts what was asked plus `timerLateMs` (a timer never fires early).
 * Answers when each record left and how many waits it took.
 */
function simulatePacedReader(options: { records: number; ratePerSecond: number; readMs: number; timerLateMs: number }) {
  let clockMs = 0;
  let waits = 0;
  const leftAtMs: number[] = [];
  for (let read = 1; read <= options.records; read += 1) {
    clockMs += options.readMs;
    const waitMs = pacedWaitMilliseconds((read / options.ratePerSecond) * 1000, clockMs);
    if (waitMs > 0) {
      waits += 1;
      clockMs += waitMs + options.timerLateMs;
    }
    leftAtMs.push(clockMs);
  }
  return { waits, leftAtMs };
}

describe('pacedWaitMilliseconds', () => {
  it('waits until a record is due when it is due later than the early margin', () => {
    expect(pacedWaitMilliseconds(100, 40)).toBe(60);
    expect(pacedWaitMilliseconds(100, 100 - PACED_EARLY_MS)).toBe(PACED_EARLY_MS);
  });

  it('does not wait for a record due within the early margin, or already due', () => {
    expect(pacedWaitMilliseconds(100, 100 - PACED_EARLY_MS + 0.001)).toBe(0);
    expect(pacedWaitMilliseconds(100, 100)).toBe(0);
    expect(pacedWaitMilliseconds(100, 250)).toBe(0);
  });

  it('waits for every record that is not yet due when the margin is zero', () => {
    expect(pacedWaitMilliseconds(100, 99.9, 0)).toBeCloseTo(0.1);
    expect(pacedWaitMilliseconds(100, 100, 0)).toBe(0);
  });

  it('wakes a reader at 1,000 records/s about once per margin instead of once per record', () => {
    const { waits } = simulatePacedReader({ records: 1000, ratePerSecond: 1000, readMs: 0.01, timerLateMs: 0.1 });
    expect(waits).toBeLessThanOrEqual(Math.ceil(1000 / PACED_EARLY_MS) + 1);
    expect(waits).toBeGreaterThanOrEqual(Math.floor(1000 / (PACED_EARLY_MS + 1)));
  });

  it('keeps the offered rate: no record leaves more than the margin early, and the file takes its paced time', () => {
    const ratePerSecond = 1000;
    const { leftAtMs } = simulatePacedReader({ records: 5000, ratePerSecond, readMs: 0.01, timerLateMs: 0.1 });
    const mostEarlyMs = Math.max(...leftAtMs.map((leftMs, index) => ((index + 1) / ratePerSecond) * 1000 - leftMs));
    expect(mostEarlyMs).toBeLessThan(PACED_EARLY_MS);
    expect(mostEarlyMs).toBeGreaterThan(0);
    // The last record is due at 5 s; the reader ends within the margin of it, late only by its last timer.
    expect(leftAtMs[leftAtMs.length - 1]).toBeGreaterThan(5000 - PACED_EARLY_MS);
    expect(leftAtMs[leftAtMs.length - 1]).toBeLessThan(5000 + 1);
  });

  it('still waits for each record at a slow rate, where records are due further apart than the margin', () => {
    const { waits, leftAtMs } = simulatePacedReader({ records: 20, ratePerSecond: 10, readMs: 0.01, timerLateMs: 0.1 });
    expect(waits).toBe(20);
    leftAtMs.forEach((leftMs, index) => expect(leftMs).toBeGreaterThanOrEqual((index + 1) * 100));
  });
});
