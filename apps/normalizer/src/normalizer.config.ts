import {
  consumerKafkaSettings,
  fetchGatherMsEnv,
  kafkaEnvShape,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { DEFAULT_SERVICE_DATE_RANGE } from '@claims/source-layouts';
import { resolve } from 'node:path';
import { z } from 'zod';

const IsoDateSetting = z.iso.date();

const NormalizerEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...serviceEnvShape(3002),
    KAFKA_GROUP_ID: z.string().default('claims-normalizer'),
    KAFKA_FETCH_GATHER_MS: fetchGatherMsEnv(),
    /** HMAC key that turns member ids into patient tokens; a secret in production. */
    PATIENT_TOKEN_KEY: z.string().min(16, 'must be at least 16 characters'),
    /** Plausible service dates (YYYY-MM-DD): a claim dated outside is dead-lettered with DATE_OUT_OF_RANGE. */
    CLAIM_SERVICE_DATE_EARLIEST: IsoDateSetting.default(DEFAULT_SERVICE_DATE_RANGE.earliest),
    CLAIM_SERVICE_DATE_LATEST: IsoDateSetting.default(DEFAULT_SERVICE_DATE_RANGE.latest),
    /** An extra folder of layout mapping files, beside the shipped layouts/: the same setting as the ingestor's. */
    LAYOUTS_DIR: z.string().min(1).optional(),
  })
  .refine((env) => env.CLAIM_SERVICE_DATE_EARLIEST <= env.CLAIM_SERVICE_DATE_LATEST, {
    message: 'must not be after CLAIM_SERVICE_DATE_LATEST',
    path: ['CLAIM_SERVICE_DATE_EARLIEST'],
  })
  .transform((env) => ({
    service: 'normalizer' as const,
    ...serviceSettings(env),
    kafka: consumerKafkaSettings(env, env.KAFKA_GROUP_ID),
    fetchGatherMs: env.KAFKA_FETCH_GATHER_MS,
    patientTokenKey: env.PATIENT_TOKEN_KEY,
    serviceDateRange: { earliest: env.CLAIM_SERVICE_DATE_EARLIEST, latest: env.CLAIM_SERVICE_DATE_LATEST },
    layoutsDir: env.LAYOUTS_DIR === undefined ? undefined : resolve(env.LAYOUTS_DIR),
  }));

export type NormalizerConfig = z.output<typeof NormalizerEnvSchema>;

export function loadNormalizerConfig(env: Record<string, string | undefined>): NormalizerConfig {
  return loadConfig(NormalizerEnvSchema, env);
}
