import {
  consumerKafkaSettings,
  databaseEnvShape,
  kafkaEnvShape,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { z } from 'zod';

const EnricherEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...databaseEnvShape,
    ...serviceEnvShape(3003),
    KAFKA_GROUP_ID: z.string().default('claims-enricher'),
    /** NPPES npidata CSV files loaded into the provider directory at start-up (comma-separated paths). */
    PROVIDER_DIRECTORY_FILES: z.string().default(''),
  })
  .transform((env) => ({
    service: 'enricher' as const,
    ...serviceSettings(env),
    kafka: consumerKafkaSettings(env, env.KAFKA_GROUP_ID),
    databaseUrl: env.DATABASE_URL,
    providerDirectoryFiles: env.PROVIDER_DIRECTORY_FILES.split(',')
      .map((file) => file.trim())
      .filter(Boolean),
  }));

export type EnricherConfig = z.output<typeof EnricherEnvSchema>;

export function loadEnricherConfig(env: Record<string, string | undefined>): EnricherConfig {
  return loadConfig(EnricherEnvSchema, env);
}
