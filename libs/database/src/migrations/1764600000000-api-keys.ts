import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys for service clients (BI tools, a billing system's upload job).
 * Only the SHA-256 of a key is kept: the key is shown once, when it is made,
 * and a copy of this table authenticates nobody. A plain (unsalted, fast)
 * hash is enough because keys are 256 random bits, not passwords a dictionary
 * could guess. Revoking stamps revoked_at rather than deleting, so a key's
 * history stays readable to admins.
 */
export class ApiKeys1764600000000 implements MigrationInterface {
  name = 'ApiKeys1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_key (
        key_id uuid PRIMARY KEY,
        key_hash char(64) NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        role text NOT NULL CHECK (role IN ('analyst', 'manager', 'ingest', 'admin')),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_key`);
  }
}
