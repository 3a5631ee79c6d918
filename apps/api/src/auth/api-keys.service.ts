import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { apiKeyHash, generateApiKey, isWellFormedApiKey } from './api-key';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import type { ApiRole } from './api-role';
import { ApiKeysRepository, type ApiKeyRow } from './api-keys.repository';

/** An API key as listed: never the key, which only its creator saw, once. */
export interface ApiKeyListing {
  keyId: string;
  role: ApiRole;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyListing {
  /** The key: shown in this answer only. Send it as `Authorization: ApiKey <key>` or `X-API-Key: <key>`. */
  key: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function listingOf(row: ApiKeyRow): ApiKeyListing {
  return {
    keyId: row.key_id,
    role: row.role,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService implements ApiKeyAuthenticator {
  constructor(private readonly repository: ApiKeysRepository) {}

  async create(role: ApiRole, label: string): Promise<CreatedApiKey> {
    const key = generateApiKey();
    const row = await this.repository.insert({ keyId: randomUUID(), keyHash: apiKeyHash(key), role, label });
    return { ...listingOf(row), key };
  }

  async list(): Promise<ApiKeyListing[]> {
    return (await this.repository.list()).map(listingOf);
  }

  async revoke(keyId: string): Promise<ApiKeyListing> {
    const row = UUID.test(keyId) ? await this.repository.revoke(keyId.toLowerCase()) : null;
    if (row === null) throw new NotFoundException({ statusCode: 404, code: 'API_KEY_NOT_FOUND' });
    return listingOf(row);
  }

  /**
   * Looked up on every request rather than cached, so a revoked key stops
   * working at once; it is one indexed read by a unique hash.
   */
  async authenticate(key: string): Promise<{ keyId: string; role: ApiRole } | null> {
    if (!isWellFormedApiKey(key)) return null;
    const row = await this.repository.live(apiKeyHash(key));
    return row === null ? null : { keyId: row.key_id, role: row.role };
  }
}
