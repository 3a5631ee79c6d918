import { kafkaEnvShape, kafkaSettings, loadConfig, serviceEnvShape, serviceSettings } from '@claims/config';
import { resolve } from 'node:path';
import { z } from 'zod';

const IngestorEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...serviceEnvShape(3001),
    /** Only files under this folder can be ingested through the API: no path escapes it. */
    INGEST_ROOT: z.string().min(1),
    /** Records per producer request: large enough to amortise the round trip, small enough to bound memory. */
    INGEST_PRODUCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
  })
  .transform((env) => ({
    service: 'ingestor' as const,
    ...serviceSettings(env),
    kafka: kafkaSettings(env),
    ingestRoot: resolve(env.INGEST_ROOT),
    produceBatchSize: env.INGEST_PRODUCE_BATCH_SIZE,
  }));

export type IngestorConfig = z.output<typeof IngestorEnvSchema>;

export function loadIngestorConfig(env: Record<string, string | undefined>): IngestorConfig {
  return loadConfig(IngestorEnvSchema, env);
}
