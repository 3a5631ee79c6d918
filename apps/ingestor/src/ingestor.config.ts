import { kafkaEnvShape, kafkaSettings, loadConfig, serviceEnvShape, serviceSettings } from '@claims/config';
import { DEFAULT_SERVICE_DATE_RANGE } from '@claims/source-layouts';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The largest record setting allowed: the broker refuses a record batch over
 * its `message.max.bytes` (1 MiB by default), and a record's raw event adds
 * its key, lineage headers and batch framing to the limit checked here.
 */
export const MAX_RECORD_BYTES_CEILING = 960 * 1024;

const FOUR_GIBIBYTES = 4 * 1024 ** 3;
const IsoDateSetting = z.iso.date();

/** The shortest service credential accepted: 24 characters of `openssl rand -base64 24` are 144 random bits. */
export const SERVICE_TOKEN_MIN_LENGTH = 24;

/** Addresses only this machine reaches: the one place the doors may listen without a credential. */
const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

const IngestorEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...serviceEnvShape(3001),
    /**
     * Where the HTTP doors listen. Unset: every address when a service
     * credential is set, else 127.0.0.1 only: the doors are never open to the
     * network without a credential.
     */
    HOST: z.string().min(1).optional(),
    /**
     * The credential the API gateway (and any other internal caller) sends as
     * `Authorization: Bearer <token>` to reach the /v1 doors; compared in
     * constant time. Unset (or empty): the doors listen on loopback only.
     */
    INGESTOR_SERVICE_TOKEN: z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value))
      .pipe(
        z
          .string()
          .min(SERVICE_TOKEN_MIN_LENGTH, `at least ${SERVICE_TOKEN_MIN_LENGTH} characters`)
          .regex(/^[\x21-\x7e]+$/, 'printable characters without blanks (it travels in a header)')
          .optional(),
      ),
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
    /** An ingestion job (HTTP, upload or inbox) still running after this long is stopped with INGEST_TIMEOUT. */
    INGEST_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86400).default(3600),
    /** An upload (POST /v1/uploads) over this many bytes is refused with 413; it is streamed to disk, never held. */
    INGEST_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(FOUR_GIBIBYTES),
    /** Ingestion jobs running at once; one more is refused with 429 (each holds a file and a share of the producer). */
    INGEST_MAX_RUNNING_JOBS: z.coerce.number().int().min(1).max(64).default(4),
    /** Finished jobs whose status stays readable (GET /v1/ingestions/:ingestId); the oldest are forgotten first. */
    INGEST_JOB_HISTORY: z.coerce.number().int().min(1).max(100000).default(500),
    /** A folder watched for files to ingest (each once, by SHA-256); unset: no inbox. */
    INGEST_INBOX: z.string().min(1).optional(),
    /** How often the inbox is listed; a file is taken once its size and time stay unchanged over one interval. */
    INGEST_INBOX_POLL_MILLISECONDS: z.coerce.number().int().min(50).max(60000).default(1000),
    /**
     * The normalizer's plausible service dates, read here only to predict its
     * dead letters in a dry run: set them as the normalizer's are.
     */
    CLAIM_SERVICE_DATE_EARLIEST: IsoDateSetting.default(DEFAULT_SERVICE_DATE_RANGE.earliest),
    CLAIM_SERVICE_DATE_LATEST: IsoDateSetting.default(DEFAULT_SERVICE_DATE_RANGE.latest),
  })
  // An ingestor reachable from the network with no credential is an open door to the raw topic.
  .refine((env) => env.INGESTOR_SERVICE_TOKEN !== undefined || env.HOST === undefined || isLoopbackHost(env.HOST), {
    message:
      'the doors would listen beyond this machine with no credential: set INGESTOR_SERVICE_TOKEN ' +
      `(${SERVICE_TOKEN_MIN_LENGTH}+ characters, sent by the API as a bearer token) or bind HOST to 127.0.0.1`,
    path: ['INGESTOR_SERVICE_TOKEN'],
  })
  .refine((env) => env.CLAIM_SERVICE_DATE_EARLIEST <= env.CLAIM_SERVICE_DATE_LATEST, {
    message: 'must not be after CLAIM_SERVICE_DATE_LATEST',
    path: ['CLAIM_SERVICE_DATE_EARLIEST'],
  })
  .transform((env) => ({
    service: 'ingestor' as const,
    ...serviceSettings({
      ...env,
      HOST: env.HOST ?? (env.INGESTOR_SERVICE_TOKEN === undefined ? '127.0.0.1' : '0.0.0.0'),
    }),
    /** What the /v1 doors require as a bearer token; null: none (they listen on loopback only). */
    serviceToken: env.INGESTOR_SERVICE_TOKEN ?? null,
    kafka: kafkaSettings(env),
    ingestRoot: resolve(env.INGEST_ROOT),
    produceBatchSize: env.INGEST_PRODUCE_BATCH_SIZE,
    maxRecordBytes: env.INGEST_MAX_RECORD_BYTES,
    requestTimeoutSeconds: env.INGEST_REQUEST_TIMEOUT_SECONDS,
    maxUploadBytes: env.INGEST_MAX_UPLOAD_BYTES,
    maxRunningJobs: env.INGEST_MAX_RUNNING_JOBS,
    jobHistory: env.INGEST_JOB_HISTORY,
    inbox:
      env.INGEST_INBOX === undefined
        ? null
        : { directory: resolve(env.INGEST_INBOX), pollMilliseconds: env.INGEST_INBOX_POLL_MILLISECONDS },
    serviceDateRange: { earliest: env.CLAIM_SERVICE_DATE_EARLIEST, latest: env.CLAIM_SERVICE_DATE_LATEST },
    layoutsDir: env.LAYOUTS_DIR === undefined ? undefined : resolve(env.LAYOUTS_DIR),
  }));

export type IngestorConfig = z.output<typeof IngestorEnvSchema>;

export function loadIngestorConfig(env: Record<string, string | undefined>): IngestorConfig {
  return loadConfig(IngestorEnvSchema, env);
}
