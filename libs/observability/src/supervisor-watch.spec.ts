import { watchSupervisor } from './supervisor-watch';

/** A timer the spec ticks by hand. */
function manualTimer() {
  let tick: (() => void) | null = null;
  return {
    setInterval: (callback: () => void) => {
      tick = callback;
      return { clear: () => (tick = null) };
    },
    tick: () => tick?.(),
    get running() {
      return tick !== null;
    },
  };
}

describe('watchSupervisor', () => {
  it('does nothing while the supervisor is still the parent', () => {
    const timer = manualTimer();
    const onGone = jest.fn();
    watchSupervisor({ supervisorPid: 41, parentPid: () => 41, onGone, setInterval: timer.setInterval });

    timer.tick();
    timer.tick();

    expect(onGone).not.toHaveBeenCalled();
    expect(timer.running).toBe(true);
  });

  it('reports once, and stops looking, when the process has another parent', () => {
    const timer = manualTimer();
    const onGone = jest.fn();
    let parent = 41;
    watchSupervisor({ supervisorPid: 41, parentPid: () => parent, onGone, setInterval: timer.setInterval });

    timer.tick();
    parent = 1;
    timer.tick();
    timer.tick();

    expect(onGone).toHaveBeenCalledTimes(1);
    expect(timer.running).toBe(false);
  });

  it('stops looking when asked, before the supervisor ends', () => {
    const timer = manualTimer();
    const onGone = jest.fn();
    const stop = watchSupervisor({ supervisorPid: 41, parentPid: () => 1, onGone, setInterval: timer.setInterval });

    stop();
    timer.tick();

    expect(onGone).not.toHaveBeenCalled();
  });
});
