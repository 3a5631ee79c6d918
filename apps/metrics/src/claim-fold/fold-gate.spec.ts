import { FoldGate } from './fold-gate';

/** A task that records when it starts and ends only when told to. */
function heldTask(name: string, log: string[]) {
  let finish: (value?: unknown) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const work = () =>
    new Promise((resolve, reject) => {
      log.push(`start ${name}`);
      finish = (value) => {
        log.push(`end ${name}`);
        resolve(value);
      };
      fail = reject;
    });
  return { work, finish: (value?: unknown) => finish(value), fail: (error: Error) => fail(error) };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('FoldGate', () => {
  const SMALL = 100;
  const LARGE = 1_000;

  it('runs batches below the threshold side by side', async () => {
    const gate = new FoldGate(LARGE);
    const log: string[] = [];
    const first = heldTask('small-1', log);
    const second = heldTask('small-2', log);
    const running = [gate.run(SMALL, first.work), gate.run(SMALL, second.work)];
    await settled();
    expect(log).toEqual(['start small-1', 'start small-2']);
    first.finish();
    second.finish();
    await Promise.all(running);
  });

  it('runs a batch at the threshold alone: after the batches in the gate, before the ones that came after it', async () => {
    const gate = new FoldGate(LARGE);
    const log: string[] = [];
    const smallBefore = heldTask('small-before', log);
    const large = heldTask('large', log);
    const smallAfter = heldTask('small-after', log);
    const running = [gate.run(SMALL, smallBefore.work), gate.run(LARGE, large.work), gate.run(SMALL, smallAfter.work)];
    await settled();
    expect(log).toEqual(['start small-before']);
    smallBefore.finish();
    await settled();
    expect(log).toEqual(['start small-before', 'end small-before', 'start large']);
    large.finish();
    await settled();
    expect(log.slice(3)).toEqual(['end large', 'start small-after']);
    smallAfter.finish();
    await Promise.all(running);
  });

  it('admits two large batches one after the other, and the small ones queued behind them together', async () => {
    const gate = new FoldGate(LARGE);
    const log: string[] = [];
    const tasks = [
      heldTask('large-1', log),
      heldTask('large-2', log),
      heldTask('small-1', log),
      heldTask('small-2', log),
    ];
    const running = tasks.map((task, index) => gate.run(index < 2 ? LARGE : SMALL, task.work));
    await settled();
    expect(log).toEqual(['start large-1']);
    tasks[0]?.finish();
    await settled();
    expect(log.slice(1)).toEqual(['end large-1', 'start large-2']);
    tasks[1]?.finish();
    await settled();
    expect(log.slice(3)).toEqual(['end large-2', 'start small-1', 'start small-2']);
    tasks[2]?.finish();
    tasks[3]?.finish();
    await Promise.all(running);
  });

  it('tells the work whether its batch runs alone, from the threshold on', async () => {
    const gate = new FoldGate(LARGE);
    const alone = await Promise.all([SMALL, LARGE - 1, LARGE].map((records) => gate.run(records, async (a) => a)));
    expect(alone).toEqual([false, false, true]);
  });

  it('gives back what the work returns, and frees the gate when the work fails', async () => {
    const gate = new FoldGate(LARGE);
    const log: string[] = [];
    const failing = heldTask('large-failing', log);
    const next = heldTask('large-next', log);
    const failed = gate.run(LARGE, failing.work);
    const after = gate.run(LARGE, next.work);
    await settled();
    failing.fail(new Error('deadlock detected'));
    await expect(failed).rejects.toThrow('deadlock detected');
    await settled();
    expect(log).toEqual(['start large-failing', 'start large-next']);
    next.finish('committed');
    await expect(after).resolves.toBe('committed');
  });
});
