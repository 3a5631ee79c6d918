import {
  consumerKafkaSettings,
  databaseEnvShape,
  kafkaEnvShape,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { z } from 'zod';

const MetricsEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...databaseEnvShape,
    ...serviceEnvShape(3004),
    KAFKA_GROUP_ID: z.string().default('claims-metrics'),
  })
  .transform((env) => ({
    service: 'metrics' as const,
    ...serviceSettings(env),
    kafka: consumerKafkaSettings(env, env.KAFKA_GROUP_ID),
    databaseUrl: env.DATABASE_URL,
  }));

export type MetricsConfig = z.output<typeof MetricsEnvSchema>;

export function loadMetricsConfig(env: Record<string, string | undefined>): MetricsConfig {
  return loadConfig(MetricsEnvSchema, env);
}
