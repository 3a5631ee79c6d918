import {
  consumerKafkaSettings,
  databaseEnvShape,
  fetchGatherMsEnv,
  kafkaEnvShape,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { shippedFolder } from '@claims/source-layouts';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const EnricherEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...databaseEnvShape,
    ...serviceEnvShape(3003),
    KAFKA_GROUP_ID: z.string().default('claims-enricher'),
    KAFKA_FETCH_GATHER_MS: fetchGatherMsEnv(),
    /**
     * NPPES npidata or CMS clinician CSV files published to the reference
     * topics at start-up (comma-separated paths); re-publishing is harmless.
     */
    PROVIDER_DIRECTORY_FILES: z.string().default(''),
    /** The pend rule set (validated at start; a bad file stops the service with the rule named). */
    PEND_RULES_FILE: z.string().min(1).optional(),
    /** Keyword rules that read a pended-queue export's reason from its adjudicator comments. */
    PEND_COMMENT_RULES_FILE: z.string().min(1).optional(),
    /** Where the NUCC taxonomy and SSA state code lists are (data/codes). */
    REFERENCE_CODES_DIR: z.string().min(1).optional(),
  })
  .transform((env) => ({
    service: 'enricher' as const,
    ...serviceSettings(env),
    kafka: consumerKafkaSettings(env, env.KAFKA_GROUP_ID),
    fetchGatherMs: env.KAFKA_FETCH_GATHER_MS,
    databaseUrl: env.DATABASE_URL,
    providerDirectoryFiles: env.PROVIDER_DIRECTORY_FILES.split(',')
      .map((file) => file.trim())
      .filter(Boolean),
    // Unset, the files shipped with the build are used, wherever it is installed.
    pendRulesFile: shippedOr(env.PEND_RULES_FILE, 'rules', 'pend-rules.yaml'),
    pendCommentRulesFile: shippedOr(env.PEND_COMMENT_RULES_FILE, 'rules', 'pend-comment-keywords.yaml'),
    referenceCodesDir: shippedOr(env.REFERENCE_CODES_DIR, 'data', 'codes'),
  }));

function shippedOr(configured: string | undefined, folder: string, name: string): string {
  return configured === undefined ? join(shippedFolder(folder), name) : resolve(configured);
}

export type EnricherConfig = z.output<typeof EnricherEnvSchema>;

export function loadEnricherConfig(env: Record<string, string | undefined>): EnricherConfig {
  return loadConfig(EnricherEnvSchema, env);
}
