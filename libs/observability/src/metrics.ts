import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process, with the `claims_` prefix, base units and no
 * claim or member identifiers as label values (cardinality and PHI).
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'claims_process_' });
  removeMisnamedDefaultGauges(registry);
  return registry;
}

/**
 * prom-client's defaults add a sum of three by-type gauges under a `…_total`
 * name, a suffix Prometheus reserves for counters (`promtool check metrics`
 * refuses it). The sums go; `sum by (service)` of the by-type gauge
 * (`claims_process_nodejs_active_handles` …) says the same.
 */
function removeMisnamedDefaultGauges(registry: Registry): void {
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
    registry.removeSingleMetric(`claims_process_nodejs_${name}`);
  }
}

export interface StageMetrics {
  recordsTotal: Counter<'stage' | 'outcome'>;
  deadLettersTotal: Counter<'stage' | 'error_code'>;
  batchDurationSeconds: Histogram<'stage'>;
  /** Batches retried in place on transient trouble (a database or broker outage). */
  batchRetriesTotal: Counter<'stage'>;
  /** KafkaJS consumers rebuilt after they stopped for good (a lost group, a broker gone too long). */
  consumerRestartsTotal: Counter<'stage'>;
  /** Times a stage's consumer joined its group: at start, then once per rebalance (a member came, left or timed out). */
  consumerRebalancesTotal: Counter<'stage'>;
  /** 1 while a stage's consumer is retrying a batch: the stage is stalled, waiting for its dependencies. */
  consumerStalled: Gauge<'stage'>;
  /**
   * Records of a partition not yet handled by the stage: the partition's end
   * offset when the last batch was fetched less the offset after that batch.
   */
  consumerLagRecords: Gauge<'stage' | 'topic' | 'partition'>;
}

const stageMetricsByRegistry = new WeakMap<Registry, StageMetrics>();
const kafkaRequestCountersByRegistry = new WeakMap<Registry, Counter<'api'>>();

/**
 * claims_kafka_requests_total{api}: the requests a service's Kafka clients
 * send the broker, by API (Produce, Fetch, OffsetCommit, Heartbeat…),
 * created once per registry. At a steady feed a request costs the service
 * and the broker more than the few records it carries, so this rate per
 * record is a stage's batching made visible.
 */
export function kafkaRequestsCounter(registry: Registry): Counter<'api'> {
  const existing = kafkaRequestCountersByRegistry.get(registry);
  if (existing) return existing;
  const counter = new Counter({
    name: 'claims_kafka_requests_total',
    help: "Requests the service's Kafka producers, consumers and admin clients sent the broker, by API.",
    labelNames: ['api'],
    registers: [registry],
  });
  kafkaRequestCountersByRegistry.set(registry, counter);
  return counter;
}

/** The stage metrics of a registry, created once: a service with several consumers shares them. */
export function createStageMetrics(registry: Registry): StageMetrics {
  const existing = stageMetricsByRegistry.get(registry);
  if (existing) return existing;
  const metrics: StageMetrics = {
    recordsTotal: new Counter({
      name: 'claims_stage_records_total',
      help: 'Records handled by a pipeline stage, by outcome (emitted, dead_lettered, duplicate, superseded).',
      labelNames: ['stage', 'outcome'],
      registers: [registry],
    }),
    deadLettersTotal: new Counter({
      name: 'claims_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by stage and error code.',
      labelNames: ['stage', 'error_code'],
      registers: [registry],
    }),
    batchDurationSeconds: new Histogram({
      name: 'claims_stage_batch_duration_seconds',
      help: 'Time to handle one consumed batch (for the normalizer and the enricher, the small batches of several partitions one fetch brought, handled together), from receipt to committed output.',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchRetriesTotal: new Counter({
      name: 'claims_consumer_batch_retries_total',
      help: 'Consumed batches retried in place after transient trouble (database or broker unavailable).',
      labelNames: ['stage'],
      registers: [registry],
    }),
    consumerRestartsTotal: new Counter({
      name: 'claims_consumer_restarts_total',
      help: 'Kafka consumers rebuilt in process after they stopped for good.',
      labelNames: ['stage'],
      registers: [registry],
    }),
    consumerRebalancesTotal: new Counter({
      name: 'claims_consumer_rebalances_total',
      help: 'Consumer group joins of a stage: one at start, then one per rebalance of its group.',
      labelNames: ['stage'],
      registers: [registry],
    }),
    consumerStalled: new Gauge({
      name: 'claims_consumer_stalled',
      help: '1 while a stage retries a batch on transient trouble, else 0.',
      labelNames: ['stage'],
      registers: [registry],
    }),
    consumerLagRecords: new Gauge({
      name: 'claims_consumer_lag_records',
      help: 'Records behind the end of a partition after the last batch a stage handled from it (end offset at fetch time).',
      labelNames: ['stage', 'topic', 'partition'],
      registers: [registry],
    }),
  };
  stageMetricsByRegistry.set(registry, metrics);
  return metrics;
}
