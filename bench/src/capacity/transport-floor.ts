import type { RawTransportResult } from '../phases/raw-transport.phase';

/** The Kafka hops a claim record crosses: ingestor → normalizer → enricher → metrics. */
export const PIPELINE_KAFKA_HOPS = 3;

/**
 * What the pipeline's transport alone costs on this machine, from the raw one
 * hop of the same run: every hop at the raw hop's CPU per record (its
 * producer, its consumer and the broker between them), the stages doing
 * nothing else. It is a floor, not an estimate: the later hops carry the
 * normalized and enriched events, larger than the raw event the hop was
 * measured with, and the fold's Postgres is not in it. So no change to the
 * stages' own work can take the pipeline past `ceilingRecordsPerSecond` on
 * these cores, and a throughput target above it is beyond this machine.
 */
export interface TransportFloor {
  layout: string;
  /** One raw hop: producer + consumer + broker CPU-s per 1,000 records. */
  hopCpuSecondsPer1000: number;
  /** The broker's part of a hop; null when it ran elsewhere (Docker, KAFKA_BROKERS) and is not in the floor. */
  brokerCpuSecondsPer1000: number | null;
  /** The pipeline's hops at the raw hop's cost each. */
  floorCpuSecondsPer1000: number;
  cores: number;
  /** Records/s the cores allow if every stage did nothing but move its records. */
  ceilingRecordsPerSecond: number;
  /** The end-to-end run of the same layout: CPU-s per 1,000 records in all (services, Postgres, broker). */
  pipelineCpuSecondsPer1000: number | null;
  /** How many times its transport floor the pipeline costs; what is above 1 is the stages' own work and Postgres. */
  pipelineOverFloor: number | null;
}

/**
 * The floor of one layout, from KafkaJS's raw hop of its file; undefined
 * when that hop was not measured or has no CPU figures.
 */
export function transportFloor(
  hop: RawTransportResult | undefined,
  cores: number,
  pipelineCpuSecondsPer1000?: number,
): TransportFloor | undefined {
  if (hop?.status !== 'measured') return undefined;
  const { producerCpuSecondsPer1000, consumerCpuSecondsPer1000 } = hop;
  if (producerCpuSecondsPer1000 === undefined || consumerCpuSecondsPer1000 === undefined) return undefined;
  const brokerCpuSecondsPer1000 = hop.brokerCpuSecondsPer1000 ?? null;
  const hopCpuSecondsPer1000 = producerCpuSecondsPer1000 + consumerCpuSecondsPer1000 + (brokerCpuSecondsPer1000 ?? 0);
  const floorCpuSecondsPer1000 = hopCpuSecondsPer1000 * PIPELINE_KAFKA_HOPS;
  return {
    layout: hop.layout,
    hopCpuSecondsPer1000,
    brokerCpuSecondsPer1000,
    floorCpuSecondsPer1000,
    cores,
    ceilingRecordsPerSecond: (cores / floorCpuSecondsPer1000) * 1000,
    pipelineCpuSecondsPer1000: pipelineCpuSecondsPer1000 ?? null,
    pipelineOverFloor:
      pipelineCpuSecondsPer1000 === undefined ? null : pipelineCpuSecondsPer1000 / floorCpuSecondsPer1000,
  };
}
