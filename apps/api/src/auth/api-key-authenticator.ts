import type { ApiRole } from './api-role';

export const API_KEY_AUTHENTICATOR = Symbol('API_KEY_AUTHENTICATOR');

/** What the guard needs of the key store: the live (unrevoked) key a presented key is, if any. */
export interface ApiKeyAuthenticator {
  authenticate(key: string): Promise<{ keyId: string; role: ApiRole } | null>;
}
