import type { z } from 'zod';

export type DecodeResult<T> =
  | { ok: true; event: T }
  | { ok: false; code: 'JSON_INVALID' | 'SCHEMA_INVALID' | 'ENVELOPE_INVALID'; reason: string };

/**
 * Parses and validates a message payload against its topic's schema. The
 * reason names the failing fields only, never their values, since values may
 * be PHI and the reason travels to the dead-letter topic and to logs.
 */
export function decodeEvent<Schema extends z.ZodType>(
  schema: Schema,
  payload: Buffer | string | null,
): DecodeResult<z.output<Schema>> {
  const parsed = parsePayload(payload);
  return parsed.ok ? validateEvent(schema, parsed.event) : parsed;
}

/** The full check of an already parsed value: what a trusted decode falls back to when the event breaks its consumer. */
export function validateEvent<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): DecodeResult<z.output<Schema>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  return { ok: false, code: 'SCHEMA_INVALID', reason: `invalid fields: ${fields.slice(0, 10).join(', ')}` };
}

type PrimitiveName = 'string' | 'number';

/**
 * What a consumer of an internal topic checks of an event it trusts: the
 * schema versions it knows and the identity fields it reads before anything
 * else (one level of nesting, for lineage). The rest of the event was
 * validated in full by its producer where the data entered; `schema` is kept
 * for the fallback when an event breaks its consumer all the same.
 */
export interface TrustedEnvelope<Schema extends z.ZodType> {
  schema: Schema;
  schemaVersions: readonly number[];
  fields: Readonly<Record<string, PrimitiveName | Readonly<Record<string, PrimitiveName>>>>;
}

/**
 * Parses an event of an internal topic and checks its envelope only (about
 * a microsecond, where the full schema costs tens): the producer validated
 * the event in full before it was written. A payload that fails the envelope
 * check is refused as a decode failure is, naming the fields, never values.
 */
export function decodeTrustedEvent<Schema extends z.ZodType>(
  envelope: TrustedEnvelope<Schema>,
  payload: Buffer | string | null,
): DecodeResult<z.output<Schema>> {
  const parsed = parsePayload(payload);
  if (!parsed.ok) return parsed;
  const event = parsed.event;
  if (!isRecord(event)) return envelopeInvalid(['(root)']);
  const invalid: string[] = [];
  if (!envelope.schemaVersions.includes(event['schemaVersion'] as number)) invalid.push('schemaVersion');
  for (const [name, expected] of Object.entries(envelope.fields)) {
    const value = event[name];
    if (typeof expected === 'string') {
      if (typeof value !== expected) invalid.push(name);
    } else if (!isRecord(value)) {
      invalid.push(name);
    } else {
      for (const [inner, innerExpected] of Object.entries(expected)) {
        if (typeof value[inner] !== innerExpected) invalid.push(`${name}.${inner}`);
      }
    }
  }
  return invalid.length === 0 ? { ok: true, event: event as z.output<Schema> } : envelopeInvalid(invalid);
}

function parsePayload(payload: Buffer | string | null): DecodeResult<unknown> {
  if (payload === null) return { ok: false, code: 'JSON_INVALID', reason: 'message has no value' };
  try {
    return { ok: true, event: JSON.parse(payload.toString()) as unknown };
  } catch {
    return { ok: false, code: 'JSON_INVALID', reason: 'message value is not JSON' };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const envelopeInvalid = (fields: readonly string[]): DecodeResult<never> => ({
  ok: false,
  code: 'ENVELOPE_INVALID',
  reason: `invalid envelope fields: ${fields.slice(0, 10).join(', ')}`,
});
