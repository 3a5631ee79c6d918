import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who may call the API. Not a ladder: `ingest` (a billing system's upload
 * client) reads nothing, and `analyst` uploads nothing. The API's permission
 * table says what each role may do; the token issuer (`npm run token`) and the
 * API share this list and the token format below, which is why they live in
 * contracts.
 */
export const API_ROLES = ['analyst', 'manager', 'ingest', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

/** The shortest HS256 secret accepted: 32 characters, i.e. at least 256 bits when random (RFC 7518 §3.2). */
export const API_TOKEN_SECRET_MIN_LENGTH = 32;

/**
 * The longest life of a signed token: 366 days. A signed token cannot be
 * revoked before it expires (rotating the secret ends them all), so signing
 * refuses a longer life and verification refuses a token that claims one,
 * whoever minted it with the secret.
 */
export const API_TOKEN_MAX_LIFETIME_SECONDS = 366 * 86_400;

/** The claims of a signed API token (RFC 7519 names; times in seconds since the epoch). */
export interface ApiTokenClaims {
  sub: string;
  role: ApiRole;
  iat: number;
  exp: number;
}

/** Why a presented token was refused; each is a 401 with this code at the API. */
export type ApiTokenRefusal = 'TOKEN_MALFORMED' | 'TOKEN_SIGNATURE_INVALID' | 'TOKEN_EXPIRED';

export type ApiTokenVerification = { ok: true; claims: ApiTokenClaims } | { ok: false; code: ApiTokenRefusal };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const SUBJECT = /^[A-Za-z0-9._@-]{1,64}$/;

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function signature(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/**
 * An HS256 JWT for `sub` in `role`, valid `ttlSeconds` from `nowSeconds`.
 * @throws Error for a short secret, an unknown role, a subject outside
 * [A-Za-z0-9._@-]{1,64}, or a lifetime that is not positive or is over
 * API_TOKEN_MAX_LIFETIME_SECONDS: a token that could never be verified is a
 * bug at the caller.
 */
export function signApiToken(
  input: { sub: string; role: ApiRole; ttlSeconds: number; nowSeconds: number },
  secret: string,
): string {
  if (secret.length < API_TOKEN_SECRET_MIN_LENGTH) {
    throw new Error(`the token secret must be at least ${API_TOKEN_SECRET_MIN_LENGTH} characters`);
  }
  if (!isApiRole(input.role)) throw new Error(`unknown role ${String(input.role)}`);
  if (!SUBJECT.test(input.sub)) throw new Error('the subject is 1-64 of A-Z a-z 0-9 . _ @ -');
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds <= 0) throw new Error('the lifetime must be positive');
  if (input.ttlSeconds > API_TOKEN_MAX_LIFETIME_SECONDS) throw new Error('the lifetime must be at most 366 days');
  const iat = Math.floor(input.nowSeconds);
  const claims: ApiTokenClaims = { sub: input.sub, role: input.role, iat, exp: iat + input.ttlSeconds };
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${signature(signingInput, secret).toString('base64url')}`;
}

/** True when the text has the shape of a JWT (three base64url parts), so it is not taken for a static token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

function parseJsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Verifies an HS256 JWT: the header must say HS256 (never `none`, never an
 * asymmetric algorithm: the header is attacker-controlled), the signature is
 * compared in constant time before any claim is trusted, and only then is
 * `exp` checked, so an expired token is reported as expired only when it was
 * really ours. A token no signer of ours issues is refused as malformed even
 * when the secret signed it: one issued later than now (a clock-skewed or
 * misused signer), or one whose life is not positive or is over
 * API_TOKEN_MAX_LIFETIME_SECONDS, which would otherwise outlive the cap that
 * makes an unrevocable token acceptable. `leewaySeconds` absorbs clock skew
 * between issuer and API, both for `exp` and for `iat`.
 */
export function verifyApiToken(
  token: string,
  secret: string,
  nowSeconds: number,
  leewaySeconds = 30,
): ApiTokenVerification {
  const parts = token.split('.');
  if (parts.length !== 3 || !looksLikeJwt(token)) return { ok: false, code: 'TOKEN_MALFORMED' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJsonObject(headerPart);
  if (header === null || header['alg'] !== 'HS256') return { ok: false, code: 'TOKEN_MALFORMED' };
  const expected = signature(`${headerPart}.${payloadPart}`, secret);
  const presented = Buffer.from(signaturePart, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { ok: false, code: 'TOKEN_SIGNATURE_INVALID' };
  }
  const payload = parseJsonObject(payloadPart);
  const { sub, role, iat, exp } = payload ?? {};
  if (
    typeof sub !== 'string' ||
    !SUBJECT.test(sub) ||
    !isApiRole(role) ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    !Number.isFinite(iat) ||
    !Number.isFinite(exp) ||
    exp <= iat ||
    exp - iat > API_TOKEN_MAX_LIFETIME_SECONDS ||
    iat > nowSeconds + leewaySeconds
  ) {
    return { ok: false, code: 'TOKEN_MALFORMED' };
  }
  if (nowSeconds >= exp + leewaySeconds) return { ok: false, code: 'TOKEN_EXPIRED' };
  return { ok: true, claims: { sub, role, iat, exp } };
}

/**
 * `8h`, `30m`, `7d`, `90s` or a number of seconds, as seconds.
 * @returns null for anything else, or a lifetime over 366 days (a signed
 * token cannot be revoked before it expires; long-lived clients use API keys).
 */
export function parseTokenLifetime(text: string): number | null {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  if (!match?.[1]) return null;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] ?? ''] ?? 1;
  const seconds = Number(match[1]) * unit;
  return seconds > 0 && seconds <= API_TOKEN_MAX_LIFETIME_SECONDS ? seconds : null;
}
