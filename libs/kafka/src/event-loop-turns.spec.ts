import { eventLoopTurns } from './event-loop-turns';

describe('eventLoopTurns', () => {
  it('lets the event loop turn only once a slice of work has run its length', async () => {
    let clock = 0;
    const turns: number[] = [];
    const pause = eventLoopTurns(
      100,
      () => clock,
      async () => void turns.push(clock),
    );

    clock = 40;
    await pause();
    clock = 99;
    await pause();
    expect(turns).toEqual([]);

    clock = 100;
    await pause();
    expect(turns).toEqual([100]);
  });

  it('starts the next slice after the turn, not at the previous one', async () => {
    let clock = 0;
    const turns: number[] = [];
    const pause = eventLoopTurns(
      100,
      () => clock,
      async () => {
        turns.push(clock);
        clock += 30; // what the event loop ran meanwhile
      },
    );

    clock = 120;
    await pause();
    clock = 240;
    await pause();
    clock = 250;
    await pause();

    expect(turns).toEqual([120, 250]);
  });

  it('lets a timer due during a long loop run before the loop ends', async () => {
    const pause = eventLoopTurns(5);
    let timerRanAt: number | null = null;
    const timer = setTimeout(() => (timerRanAt = iteration), 1);
    let iteration = 0;
    const until = performance.now() + 50;
    while (performance.now() < until) {
      iteration += 1;
      await pause();
    }
    clearTimeout(timer);

    expect(timerRanAt).not.toBeNull();
    expect(timerRanAt).toBeLessThan(iteration);
  });
});
