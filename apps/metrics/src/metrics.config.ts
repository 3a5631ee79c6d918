import {
  consumerKafkaSettings,
  databaseEnvShape,
  fetchMaxBytesPerPartitionEnv,
  kafkaEnvShape,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { acknowledgementSlaEnvShape, acknowledgementSlaPolicyOf } from '@claims/kpi';
import { z } from 'zod';

/**
 * The fold's batches are twice the transform stages' by default: its day-keyed
 * counters and the pend histogram aggregate a batch's records per (cell, day),
 * so a larger batch upserts fewer rows per record (docs/capacity-model.md).
 */
export const METRICS_FETCH_MAX_BYTES_PER_PARTITION = 16 * 1024 * 1024;

const MetricsEnvSchema = z
  .object({
    ...kafkaEnvShape,
    KAFKA_FETCH_MAX_BYTES_PER_PARTITION: fetchMaxBytesPerPartitionEnv(METRICS_FETCH_MAX_BYTES_PER_PARTITION),
    ...databaseEnvShape,
    ...serviceEnvShape(3004),
    KAFKA_GROUP_ID: z.string().default('claims-metrics'),
    /**
     * How long the group waits for a silent member before moving its
     * partitions: after a crash, the fold resumes about this long later.
     * Kafka's group.min.session.timeout.ms (6 s by default) is the floor.
     */
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(10_000),
    /**
     * Fault injection for crash tests, off unless set: when this file exists
     * as a batch's fold has committed, the service deletes it and SIGKILLs
     * itself before the Kafka offset commit, the narrowest crash window.
     */
    FAULT_KILL_AFTER_FOLD_COMMIT_FILE: z.string().min(1).optional(),
    /**
     * How long the fold keeps an event's id (and the claim history row it
     * carries). Exactly-once does not depend on it: past the window, a claim's
     * version recognises a replay. A redelivery within the window is
     * recognised by id alone; the claim detail's history covers the window.
     */
    PROCESSED_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
    PROCESSED_EVENT_PRUNE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    /** The claims_x12_submissions_overdue gauges count the submissions past these. */
    ...acknowledgementSlaEnvShape,
  })
  .transform((env) => ({
    service: 'metrics' as const,
    ...serviceSettings(env),
    kafka: { ...consumerKafkaSettings(env, env.KAFKA_GROUP_ID), sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS },
    databaseUrl: env.DATABASE_URL,
    faults: { killAfterFoldCommitFile: env.FAULT_KILL_AFTER_FOLD_COMMIT_FILE ?? null },
    acknowledgementSla: acknowledgementSlaPolicyOf(env),
    processedEventRetention: {
      days: env.PROCESSED_EVENT_RETENTION_DAYS,
      intervalMs: env.PROCESSED_EVENT_PRUNE_SECONDS * 1_000,
    },
  }));

export type MetricsConfig = z.output<typeof MetricsEnvSchema>;

export function loadMetricsConfig(env: Record<string, string | undefined>): MetricsConfig {
  return loadConfig(MetricsEnvSchema, env);
}
