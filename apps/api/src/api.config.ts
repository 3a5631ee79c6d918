import {
  databaseEnvShape,
  kafkaEnvShape,
  kafkaSettings,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { API_TOKEN_SECRET_MIN_LENGTH } from '@claims/contracts';
import { z } from 'zod';
import { API_ROLES, type ApiRole } from './auth/api-role';

const TOKEN_ENTRY = /^(\w+)=([A-Za-z0-9._~+/-]{24,})$/;

const ApiEnvSchema = z
  .object({
    ...databaseEnvShape,
    ...kafkaEnvShape,
    ...serviceEnvShape(3000),
    /** Days within which a pended claim should clear: the SLA of the pended-queue KPI "cleared within SLA". */
    PEND_SLA_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    /**
     * Static bearer tokens and their roles, `role=token` comma-separated, e.g.
     * `admin=…,ingest=…`: bootstrap and service tokens (the harness and the
     * CLIs use one). Tokens are at least 24 characters and never expire, so
     * people get signed tokens instead.
     */
    API_TOKENS: z
      .string()
      .min(1)
      .optional()
      .transform((value, context) => {
        const tokens = new Map<string, ApiRole>();
        if (value === undefined) return tokens;
        for (const entry of value.split(',').map((item) => item.trim())) {
          const match = TOKEN_ENTRY.exec(entry);
          const role = match?.[1] as ApiRole | undefined;
          if (!match?.[2] || !role || !API_ROLES.includes(role)) {
            context.addIssue({
              code: 'custom',
              message: `entries must be role=token with role in ${API_ROLES.join('|')} and a token of 24+ characters`,
            });
            return z.NEVER;
          }
          tokens.set(match[2], role);
        }
        return tokens;
      }),
    /**
     * The HS256 key of signed bearer tokens (`npm run token -- issue`), at
     * least 32 characters. Optional: without it only API_TOKENS and API keys
     * authenticate, and signed tokens are refused (401 TOKEN_INVALID).
     */
    API_TOKEN_SECRET: z
      .string()
      .min(API_TOKEN_SECRET_MIN_LENGTH, `at least ${API_TOKEN_SECRET_MIN_LENGTH} characters (256 bits when random)`)
      .optional(),
    /**
     * Requests a client (a signed token's subject, an API key, else an
     * address) may make a minute, on average; 0 turns the limit off. The
     * static API_TOKENS (service tokens) are not limited. The default lets a
     * dashboard refresh all its panels every few seconds and stops a runaway
     * script.
     */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
    /** Requests a client may make at once before the per-minute rate applies: a page load's burst. */
    API_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(120),
  })
  // An API with neither could authenticate nobody, not even the admin who would create the first API key.
  .refine((env) => env.API_TOKENS.size > 0 || env.API_TOKEN_SECRET !== undefined, {
    message: 'set API_TOKEN_SECRET (signed tokens) or API_TOKENS (static tokens), or both: the API never starts open',
    path: ['API_TOKENS'],
  })
  .transform((env) => ({
    service: 'api' as const,
    ...serviceSettings(env),
    databaseUrl: env.DATABASE_URL,
    /** Where reference fixes are published (the admin reference routes). */
    kafka: kafkaSettings(env),
    tokens: env.API_TOKENS,
    tokenSecret: env.API_TOKEN_SECRET ?? null,
    pendSlaDays: env.PEND_SLA_DAYS,
    /** Null when API_RATE_LIMIT_PER_MINUTE is 0. */
    rateLimit:
      env.API_RATE_LIMIT_PER_MINUTE === 0
        ? null
        : { perMinute: env.API_RATE_LIMIT_PER_MINUTE, burst: env.API_RATE_LIMIT_BURST },
  }));

export type ApiConfig = z.output<typeof ApiEnvSchema>;

export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return loadConfig(ApiEnvSchema, env);
}
