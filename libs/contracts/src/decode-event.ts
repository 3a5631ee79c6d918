import type { z } from 'zod';

export type DecodeResult<T> =
  | { ok: true; event: T }
  | { ok: false; code: 'JSON_INVALID' | 'SCHEMA_INVALID'; reason: string };

/**
 * Parses and validates a message payload against its topic's schema. The
 * reason names the failing fields only, never their values, since values may
 * be PHI and the reason travels to the dead-letter topic and to logs.
 */
export function decodeEvent<Schema extends z.ZodType>(
  schema: Schema,
  payload: Buffer | string | null,
): DecodeResult<z.output<Schema>> {
  if (payload === null) return { ok: false, code: 'JSON_INVALID', reason: 'message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch {
    return { ok: false, code: 'JSON_INVALID', reason: 'message value is not JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, event: result.data };
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  return { ok: false, code: 'SCHEMA_INVALID', reason: `invalid fields: ${fields.slice(0, 10).join(', ')}` };
}
