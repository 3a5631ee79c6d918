import { setTimeout as sleep } from 'node:timers/promises';
import { SerialLock } from './serial-lock';

describe('SerialLock', () => {
  it('runs a task only after the one before it has finished', async () => {
    const lock = new SerialLock();
    const trace: string[] = [];
    const slow = lock.run(async () => {
      trace.push('slow start');
      await sleep(20);
      trace.push('slow end');
    });
    const fast = lock.run(async () => {
      trace.push('fast');
    });
    await Promise.all([slow, fast]);
    expect(trace).toEqual(['slow start', 'slow end', 'fast']);
  });

  it('goes on with the next task after one fails, and hands the failure to its caller', async () => {
    const lock = new SerialLock();
    const failed = lock.run(async () => {
      throw new Error('database down');
    });
    await expect(failed).rejects.toThrow('database down');
    await expect(lock.run(async () => 42)).resolves.toBe(42);
  });
});
