import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiRole } from './api-role';

export interface ApiKeyRow {
  key_id: string;
  role: ApiRole;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** The api_key table; parameterised SQL only. The key itself is never stored, only its hash. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: { keyId: string; keyHash: string; role: ApiRole; label: string }): Promise<ApiKeyRow> {
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `INSERT INTO api_key (key_id, key_hash, role, label) VALUES ($1, $2, $3, $4)
       RETURNING key_id, role, label, created_at, revoked_at`,
      [key.keyId, key.keyHash, key.role, key.label],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('INSERT … RETURNING answered no row');
    return row;
  }

  list(): Promise<ApiKeyRow[]> {
    return this.dataSource.query(
      `SELECT key_id, role, label, created_at, revoked_at FROM api_key ORDER BY created_at DESC, key_id`,
    );
  }

  /** The unrevoked key with this hash. */
  async live(keyHash: string): Promise<Pick<ApiKeyRow, 'key_id' | 'role'> | null> {
    const rows: Array<Pick<ApiKeyRow, 'key_id' | 'role'>> = await this.dataSource.query(
      `SELECT key_id, role FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return rows[0] ?? null;
  }

  /** Stamps revoked_at once; answers the row, or null for an unknown key. */
  async revoke(keyId: string): Promise<ApiKeyRow | null> {
    // TypeORM answers an UPDATE on Postgres as [rows, affected count], unlike a SELECT or INSERT.
    const [rows]: [ApiKeyRow[], number] = await this.dataSource.query(
      `UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1
       RETURNING key_id, role, label, created_at, revoked_at`,
      [keyId],
    );
    return rows[0] ?? null;
  }
}
