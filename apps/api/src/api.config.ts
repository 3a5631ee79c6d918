import {
  databaseEnvShape,
  kafkaEnvShape,
  kafkaSettings,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
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
     * Bearer tokens and their roles, `role=token` comma-separated, e.g.
     * `analyst=…,admin=…`. Tokens are at least 24 characters; there is no
     * default, so the API never starts open.
     */
    API_TOKENS: z
      .string()
      .min(1)
      .transform((value, context) => {
        const tokens = new Map<string, ApiRole>();
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
  })
  .transform((env) => ({
    service: 'api' as const,
    ...serviceSettings(env),
    databaseUrl: env.DATABASE_URL,
    /** Where reference fixes are published (the admin reference routes). */
    kafka: kafkaSettings(env),
    tokens: env.API_TOKENS,
    pendSlaDays: env.PEND_SLA_DAYS,
  }));

export type ApiConfig = z.output<typeof ApiEnvSchema>;

export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return loadConfig(ApiEnvSchema, env);
}
