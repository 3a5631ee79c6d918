import type { RawTransportResult } from '../phases/raw-transport.phase';
import { PIPELINE_KAFKA_HOPS, transportFloor } from './transport-floor';

/** Round figures, so every expected number can be checked by hand. */
function measuredHop(brokerCpuSecondsPer1000: number | null): RawTransportResult {
  return {
    client: 'kafkajs',
    layout: 'carrier',
    status: 'measured',
    producerCpuSecondsPer1000: 0.03,
    consumerCpuSecondsPer1000: 0.02,
    brokerCpuSecondsPer1000,
  };
}

describe('transportFloor', () => {
  it("costs the pipeline's three hops at the raw hop's producer, consumer and broker CPU each", () => {
    const floor = transportFloor(measuredHop(0.05), 2, 0.6);
    expect(PIPELINE_KAFKA_HOPS).toBe(3);
    expect(floor?.hopCpuSecondsPer1000).toBeCloseTo(0.1);
    expect(floor?.floorCpuSecondsPer1000).toBeCloseTo(0.3);
    // 2 cores ÷ 0.3 CPU-s per 1,000 records.
    expect(floor?.ceilingRecordsPerSecond).toBeCloseTo(6_666.7, 1);
    expect(floor?.pipelineOverFloor).toBeCloseTo(2);
    expect(floor).toMatchObject({ layout: 'carrier', cores: 2, brokerCpuSecondsPer1000: 0.05 });
  });

  it('leaves the broker out, and says so, when it ran on another machine', () => {
    const floor = transportFloor(measuredHop(null), 2);
    expect(floor?.brokerCpuSecondsPer1000).toBeNull();
    expect(floor?.floorCpuSecondsPer1000).toBeCloseTo(0.15);
    expect(floor?.pipelineCpuSecondsPer1000).toBeNull();
    expect(floor?.pipelineOverFloor).toBeNull();
  });

  it('gives no floor for a hop that was skipped or has no CPU figures', () => {
    expect(transportFloor(undefined, 2)).toBeUndefined();
    expect(transportFloor({ client: 'kafkajs', layout: 'carrier', status: 'skipped' }, 2)).toBeUndefined();
    expect(
      transportFloor({ client: 'kafkajs', layout: 'carrier', status: 'measured', oneHopRecordsPerSecond: 1 }, 2),
    ).toBeUndefined();
  });
});
