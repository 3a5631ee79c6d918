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

  it('lets a timer due during a long loop run while the loop still runs', async () => {
    // The loop stops only once the timer has run (or after a generous
    // deadline): under a loaded machine a fixed-length loop could be
    // descheduled past its own end before its first slice was over, and the
    // timer's turn then came with the loop's last pause.
    const pause = eventLoopTurns(5);
    let timerRan = false;
    const timer = setTimeout(() => (timerRan = true), 1);
    // A pause that never turned the loop would spin here until the deadline.
    const deadline = performance.now() + 10_000;
    while (!timerRan && performance.now() < deadline) {
      await pause();
    }
    clearTimeout(timer);

    expect(timerRan).toBe(true);
  });
});
