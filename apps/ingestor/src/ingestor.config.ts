import { kafkaEnvShape, kafkaSettings, loadConfig, serviceEnvShape, serviceSettings } from '@claims/config';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The largest record setting allowed: the broker refuses a record batch over
 * its `message.max.bytes` (1 MiB by default), and a record's raw event adds
 * its key, lineage headers and batch framing to the limit checked here.
 */
export const MAX_RECORD_BYTES_CEILING = 960 * 1024;

const IngestorEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...serviceEnvShape(3001),
    /** Only files under this folder (symbolic links resolved) can be ingested, through any door. */
    INGEST_ROOT: z.string().min(1),
    /** Records per producer request: large enough to amortise the round trip, small enough to bound memory. */
    INGEST_PRODUCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
    /**
     * A source record, and the raw event made of it, over this many bytes is
     * dead-lettered as RECORD_TOO_LARGE instead of published: a claim line is
     * about 1 KiB, so this only stops records no broker would accept.
     */
    INGEST_MAX_RECORD_BYTES: z.coerce.number().int().min(4096).max(MAX_RECORD_BYTES_CEILING).default(921600),
    /** An extra folder of layout mapping files, beside the shipped layouts/ (onboarding a source needs no build). */
    LAYOUTS_DIR: z.string().min(1).optional(),
    /** An HTTP ingestion still running after this long is stopped with INGEST_TIMEOUT. */
    INGEST_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86400).default(3600),
  })
  .transform((env) => ({
    service: 'ingestor' as const,
    ...serviceSettings(env),
    kafka: kafkaSettings(env),
    ingestRoot: resolve(env.INGEST_ROOT),
    produceBatchSize: env.INGEST_PRODUCE_BATCH_SIZE,
    maxRecordBytes: env.INGEST_MAX_RECORD_BYTES,
    requestTimeoutSeconds: env.INGEST_REQUEST_TIMEOUT_SECONDS,
    layoutsDir: env.LAYOUTS_DIR === undefined ? undefined : resolve(env.LAYOUTS_DIR),
  }));

export type IngestorConfig = z.output<typeof IngestorEnvSchema>;

export function loadIngestorConfig(env: Record<string, string | undefined>): IngestorConfig {
  return loadConfig(IngestorEnvSchema, env);
}
