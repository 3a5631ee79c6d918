import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process, with the `claims_` prefix, base units and no
 * claim or member identifiers as label values (cardinality and PHI).
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'claims_process_' });
  return registry;
}

export interface StageMetrics {
  recordsTotal: Counter<'stage' | 'outcome'>;
  deadLettersTotal: Counter<'stage' | 'error_code'>;
  batchDurationSeconds: Histogram<'stage'>;
}

export function createStageMetrics(registry: Registry): StageMetrics {
  return {
    recordsTotal: new Counter({
      name: 'claims_stage_records_total',
      help: 'Records handled by a pipeline stage, by outcome (emitted, dead_lettered, duplicate).',
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
      help: 'Time to handle one consumed batch, from receipt to committed output.',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
