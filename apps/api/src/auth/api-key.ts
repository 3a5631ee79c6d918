import { createHash, randomBytes } from 'node:crypto';

/**
 * An API key: a recognisable prefix (so a leaked key is found by secret
 * scanners and in logs) and 32 random bytes, base64url.
 */
const API_KEY = /^ck_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): string {
  return `ck_${randomBytes(32).toString('base64url')}`;
}

/** True when the text could be a key: anything else is refused without a database round trip. */
export function isWellFormedApiKey(text: string): boolean {
  return API_KEY.test(text);
}

/** What api_key.key_hash holds: the SHA-256 of the key, hex. */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
