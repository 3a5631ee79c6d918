import type { PipelineSample } from '../measure/pipeline-sampler';
import { stageCostsPer1000 } from './scale-out.phase';

const SAMPLE: PipelineSample = {
  atSeconds: 30,
  rawRecords: 20_000,
  normalizedRecords: 19_990,
  enrichedRecords: 21_000,
  deadLetterRecords: 10,
  foldedRecords: 21_000,
  serviceCpuSeconds: { ingestor: 2, normalizer: 4, enricher: 6, metrics: 8, api: 1 },
  serviceRssBytes: {},
  postgresCpuSecondsByApplication: { 'claims-enricher': 1, 'claims-metrics': 10, 'claims-api': 3 },
  brokerCpuSeconds: 5,
  machineCpu: { busySeconds: 58, totalSeconds: 60 },
};

describe('stageCostsPer1000', () => {
  it("divides each stage's service and Postgres CPU by the source records, not the stage's own outputs", () => {
    expect(stageCostsPer1000(SAMPLE, 20_000)).toEqual([
      { stage: 'ingestor', serviceCpuSecondsPer1000: 0.1, postgresCpuSecondsPer1000: 0 },
      { stage: 'normalizer', serviceCpuSecondsPer1000: 0.2, postgresCpuSecondsPer1000: 0 },
      { stage: 'enricher', serviceCpuSecondsPer1000: 0.3, postgresCpuSecondsPer1000: 0.05 },
      { stage: 'metrics', serviceCpuSecondsPer1000: 0.4, postgresCpuSecondsPer1000: 0.5 },
    ]);
  });
});
