import {
  instanceCeilingRecordsPerSecond,
  planCapacity,
  predictRecordsPerSecond,
  type PipelineCost,
} from './capacity-model';

/** Round figures, so every expected number can be checked by hand. */
const COST: PipelineCost = {
  stages: [
    { stage: 'ingestor', serviceCpuSecondsPer1000: 0.05, postgresCpuSecondsPer1000: 0 },
    { stage: 'normalizer', serviceCpuSecondsPer1000: 0.1, postgresCpuSecondsPer1000: 0 },
    { stage: 'enricher', serviceCpuSecondsPer1000: 0.15, postgresCpuSecondsPer1000: 0.05 },
    { stage: 'metrics', serviceCpuSecondsPer1000: 0.2, postgresCpuSecondsPer1000: 0.3 },
  ],
  brokerCpuSecondsPer1000: 0.1,
};

describe('instanceCeilingRecordsPerSecond', () => {
  it('is 1,000 over the CPU-s per 1,000 of the service and its Postgres backends', () => {
    expect(
      instanceCeilingRecordsPerSecond({
        stage: 'metrics',
        serviceCpuSecondsPer1000: 0.2,
        postgresCpuSecondsPer1000: 0.3,
      }),
    ).toBe(2000);
  });
});

describe('planCapacity', () => {
  it('gives cores per stage, instances at the planned utilisation, and one partition per instance', () => {
    const plan = planCapacity(COST, { label: 'peak', recordsPerSecond: 50_000 }, 0.5);
    const metrics = plan.stages.find((stage) => stage.stage === 'metrics');
    // 50,000/s × 0.2 CPU-s per 1,000 = 10 cores, at half a core each: 20.
    expect(metrics?.serviceCores).toBeCloseTo(20);
    expect(metrics?.postgresCores).toBeCloseTo(30);
    // One instance does 2,000/s flat out, 1,000/s at 50 %: 50 of them.
    expect(metrics).toMatchObject({ instanceCeilingRecordsPerSecond: 2000, instances: 50, partitions: 50 });
    expect(metrics?.inputTopic).toBe('claims.enriched.v1');
    const ingestor = plan.stages.find((stage) => stage.stage === 'ingestor');
    expect(ingestor).toMatchObject({ inputTopic: null, partitions: null, instances: 5 });
    expect(plan.serviceCores).toBeCloseTo(((0.05 + 0.1 + 0.15 + 0.2) * 50) / 0.5);
    expect(plan.postgresCores).toBeCloseTo(((0.05 + 0.3) * 50) / 0.5);
    expect(plan.brokerCores).toBeCloseTo(10);
    expect(plan.totalCores).toBeCloseTo(50 + 35 + 10);
  });

  it('never plans fewer than one instance, and leaves the broker out when it was not measured', () => {
    const plan = planCapacity({ ...COST, brokerCpuSecondsPer1000: null }, { label: 'trickle', recordsPerSecond: 1 });
    expect(plan.stages.every((stage) => stage.instances === 1)).toBe(true);
    expect(plan.brokerCores).toBeNull();
    expect(plan.totalCores).toBeCloseTo(plan.serviceCores + plan.postgresCores);
  });

  it('refuses a utilisation outside (0, 1]', () => {
    expect(() => planCapacity(COST, { label: 'x', recordsPerSecond: 1 }, 0)).toThrow('plannedUtilisation');
    expect(() => planCapacity(COST, { label: 'x', recordsPerSecond: 1 }, 1.5)).toThrow('plannedUtilisation');
  });
});

describe('predictRecordsPerSecond', () => {
  it('is the machine bound when the cores are too few for every process at once', () => {
    // 0.95 CPU-s per 1,000 in all: one core does 1,053/s, below every stage's one-instance ceiling.
    const prediction = predictRecordsPerSecond(COST, {}, 1);
    expect(prediction.boundBy).toBe('machine cores');
    expect(prediction.recordsPerSecond).toBeCloseTo(1000 / 0.95);
  });

  it('is the slowest stage when the cores are plenty, and moves as that stage gets instances', () => {
    // Metrics and enricher: one instance does 2,000/s and 5,000/s; 64 cores do 64,000/s.
    expect(predictRecordsPerSecond(COST, {}, 64)).toEqual({ recordsPerSecond: 2000, boundBy: 'metrics' });
    expect(predictRecordsPerSecond(COST, { metrics: 3 }, 64)).toEqual({ recordsPerSecond: 5000, boundBy: 'enricher' });
  });
});
