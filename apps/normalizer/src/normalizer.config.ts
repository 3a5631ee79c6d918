import { kafkaEnvShape, kafkaSettings, loadConfig, serviceEnvShape, serviceSettings } from '@claims/config';
import { z } from 'zod';

const NormalizerEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...serviceEnvShape(3002),
    KAFKA_GROUP_ID: z.string().default('claims-normalizer'),
    /** HMAC key that turns member ids into patient tokens; a secret in production. */
    PATIENT_TOKEN_KEY: z.string().min(16, 'must be at least 16 characters'),
  })
  .transform((env) => ({
    service: 'normalizer' as const,
    ...serviceSettings(env),
    kafka: { ...kafkaSettings(env), groupId: env.KAFKA_GROUP_ID },
    patientTokenKey: env.PATIENT_TOKEN_KEY,
  }));

export type NormalizerConfig = z.output<typeof NormalizerEnvSchema>;

export function loadNormalizerConfig(env: Record<string, string | undefined>): NormalizerConfig {
  return loadConfig(NormalizerEnvSchema, env);
}
