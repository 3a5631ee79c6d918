import { machineCpuSince, parseMachineCpu } from './process-stats';

describe('parseMachineCpu', () => {
  it('counts every state but idle and iowait as busy, from the aggregate line only', () => {
    const procStat = [
      'cpu  1000 50 300 5000 200 10 40 100 0 0',
      'cpu0 500 25 150 2500 100 5 20 50 0 0',
      'intr 12345',
    ].join('\n');
    // Busy: user 1000 + nice 50 + system 300 + irq 10 + softirq 40 + steal 100 ticks; all adds idle 5000 + iowait 200.
    expect(parseMachineCpu(procStat)).toEqual({ busySeconds: 15, totalSeconds: 67 });
  });

  it('refuses a /proc/stat without the aggregate line', () => {
    expect(() => parseMachineCpu('cpu0 1 2 3 4\n')).toThrow('aggregate cpu line');
  });
});

describe('machineCpuSince', () => {
  it('is the difference of two readings', () => {
    expect(machineCpuSince({ busySeconds: 10, totalSeconds: 40 }, { busySeconds: 25, totalSeconds: 60 })).toEqual({
      busySeconds: 15,
      totalSeconds: 20,
    });
  });
});
