import type { PipelineSample } from '../measure/pipeline-sampler';
import { replayCpuPer1000 } from './file-replay';

const SAMPLE: PipelineSample = {
  atSeconds: 30,
  rawRecords: 0,
  normalizedRecords: 0,
  enrichedRecords: 0,
  deadLetterRecords: 0,
  foldedRecords: 0,
  serviceCpuSeconds: { ingestor: 2, normalizer: 4, enricher: 6, metrics: 8 },
  serviceRssBytes: {},
  postgresCpuSecondsByApplication: { 'claims-metrics': 10, 'claims-api': 2 },
  brokerCpuSeconds: 4,
  machineCpu: { busySeconds: 0, totalSeconds: 0 },
};

describe('replayCpuPer1000', () => {
  it('sums services, every Postgres backend and the broker per 1,000 records', () => {
    expect(replayCpuPer1000(SAMPLE, 10_000)).toEqual({
      serviceCpuSecondsPer1000: 2,
      postgresCpuSecondsPer1000: 1.2,
      brokerCpuSecondsPer1000: 0.4,
      totalCpuSecondsPer1000: 3.6,
    });
  });

  it('leaves the broker out, not at zero, when it was not a process of this machine', () => {
    const cpu = replayCpuPer1000({ ...SAMPLE, brokerCpuSeconds: null }, 10_000);
    expect(cpu.brokerCpuSecondsPer1000).toBeNull();
    expect(cpu.totalCpuSecondsPer1000).toBeCloseTo(3.2);
  });
});
