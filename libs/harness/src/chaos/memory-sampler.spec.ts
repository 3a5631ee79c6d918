import { residentKilobytes } from '../process-memory';
import { servicesPastMemoryLimit, startMemorySampler } from './memory-sampler';

describe('residentKilobytes', () => {
  it('reads VmRSS from a /proc/<pid>/status text', () => {
    const status = [
      'Name:\tnode',
      'VmPeak:\t 1200000 kB',
      'VmHWM:\t  180000 kB',
      'VmRSS:\t  153344 kB',
      'Threads:\t11',
    ];
    expect(residentKilobytes(status.join('\n'))).toBe(153_344);
  });

  it('gives null when the status has no VmRSS line', () => {
    expect(residentKilobytes('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeNull();
  });
});

describe('startMemorySampler', () => {
  it('samples a running process and skips a service that is not running', () => {
    const sampler = startMemorySampler(() => [
      ['metrics', process.pid],
      ['api', null],
    ]);
    const memory = sampler.stop();
    expect(memory.map((entry) => entry.service)).toEqual(['metrics']);
    expect(memory[0]?.beforeMb).toBeGreaterThan(0);
    expect(memory[0]?.peakMb).toBeGreaterThanOrEqual(memory[0]?.beforeMb ?? Infinity);
  });
});

describe('servicesPastMemoryLimit', () => {
  it('names the services whose peak grew more than the limit above their memory before the outage', () => {
    expect(
      servicesPastMemoryLimit([
        { service: 'ingestor', beforeMb: 120, peakMb: 180 },
        { service: 'metrics', beforeMb: 150, peakMb: 400 },
      ]),
    ).toEqual([{ service: 'metrics', beforeMb: 150, peakMb: 400 }]);
  });
});
