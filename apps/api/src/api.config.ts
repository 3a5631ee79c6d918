import {
  databaseEnvShape,
  kafkaEnvShape,
  kafkaSettings,
  loadConfig,
  serviceEnvShape,
  serviceSettings,
} from '@claims/config';
import { API_TOKEN_SECRET_MIN_LENGTH } from '@claims/contracts';
import { acknowledgementSlaEnvShape, acknowledgementSlaPolicyOf } from '@claims/kpi';
import { resolve } from 'node:path';
import { z } from 'zod';
import { API_ROLES, type ApiRole } from './auth/api-role';

const TOKEN_ENTRY = /^(\w+)=([A-Za-z0-9._~+/-]{24,})$/;
const FOUR_GIBIBYTES = 4 * 1024 ** 3;
/** As the ingestor reads it: 24+ printable characters, sent as a bearer token. */
const SERVICE_TOKEN_MIN_LENGTH = 24;

const ApiEnvSchema = z
  .object({
    ...databaseEnvShape,
    ...kafkaEnvShape,
    ...serviceEnvShape(3000),
    /** Days within which a pended claim should clear: the SLA of the pended-queue KPI "cleared within SLA". */
    PEND_SLA_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
    /** GET /v1/kpis/claim-lifecycle/overdue lists the submissions past these, as the metrics service's gauges count them. */
    ...acknowledgementSlaEnvShape,
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
    /**
     * The ingestor's internal HTTP address, where POST /v1/ingestions streams
     * uploads (its /v1/uploads door). The default is the ingestor's own
     * default on the same machine, as `npm start` runs it.
     */
    INGESTOR_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001'),
    /**
     * The ingestor's service credential (its INGESTOR_SERVICE_TOKEN), sent as a
     * bearer token on every call to it. Unset or empty: none is sent, which
     * only an ingestor listening on loopback accepts.
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
    /** An upload (POST /v1/ingestions) over this many bytes is refused with 413, even mid-body; it is streamed, never held. */
    API_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(FOUR_GIBIBYTES),
    /** The ingestor's extra folder of layout mapping files, so an upload naming one of its layouts is not refused here. */
    LAYOUTS_DIR: z.string().min(1).optional(),
    /**
     * Small-cell suppression (CMS cell-size suppression policy): for a role
     * without `kpis:small-cells` (analyst), a KPI figure counting 1 to this
     * many minus one members (else claims) is withheld with its dollars.
     * Default 11 (no cell of 10 or fewer); 0 or 1 withholds nothing. See
     * docs/api/small-cell-suppression.md.
     */
    API_SMALL_CELL_THRESHOLD: z.coerce.number().int().min(0).max(1_000).default(11),
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
    acknowledgementSla: acknowledgementSlaPolicyOf(env),
    /** Null when API_RATE_LIMIT_PER_MINUTE is 0. */
    rateLimit:
      env.API_RATE_LIMIT_PER_MINUTE === 0
        ? null
        : { perMinute: env.API_RATE_LIMIT_PER_MINUTE, burst: env.API_RATE_LIMIT_BURST },
    /** Where uploads go, and the credential they carry there. */
    ingestor: { url: env.INGESTOR_URL.replace(/\/+$/, ''), serviceToken: env.INGESTOR_SERVICE_TOKEN ?? null },
    uploads: {
      maxBytes: env.API_MAX_UPLOAD_BYTES,
      layoutsDir: env.LAYOUTS_DIR === undefined ? undefined : resolve(env.LAYOUTS_DIR),
    },
    /** Null when API_SMALL_CELL_THRESHOLD is 0 or 1: no count is then a small cell. */
    smallCells: env.API_SMALL_CELL_THRESHOLD <= 1 ? null : { threshold: env.API_SMALL_CELL_THRESHOLD },
  }));

export type ApiConfig = z.output<typeof ApiEnvSchema>;

export function loadApiConfig(env: Record<string, string | undefined>): ApiConfig {
  return loadConfig(ApiEnvSchema, env);
}
