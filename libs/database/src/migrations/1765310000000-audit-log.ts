import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API's audit log: one row per state-changing or PHI-reading request
 * (uploads, dead-letter replay plans, reference fixes, API key changes,
 * claim detail and lineage reads), written once the answer is sent. Who
 * (the principal's subject and role, how it authenticated; null when the
 * request carried no valid credential), what (method, route template, the
 * target: a claim id only as its SHA-256), the outcome (HTTP status), when,
 * and the request id the answer carried. Never a request body, a query
 * string or a raw path: nothing in a row is PHI. Rows are only appended;
 * the identity key orders them and is the cursor of GET /v1/audit.
 */
export class AuditLog1765310000000 implements MigrationInterface {
  name = 'AuditLog1765310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_event (
        audit_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 128),
        principal_subject text CHECK (length(principal_subject) <= 200),
        principal_role text CHECK (principal_role IN ('analyst', 'manager', 'ingest', 'admin')),
        principal_via text CHECK (principal_via IN ('static-token', 'signed-token', 'api-key')),
        method text NOT NULL CHECK (method ~ '^[A-Z]{3,7}$'),
        route text NOT NULL CHECK (length(route) BETWEEN 1 AND 200),
        target_kind text CHECK (target_kind IN ('claim', 'api-key', 'reference-kind', 'file', 'ingest-job')),
        target_id text CHECK (length(target_id) <= 128),
        status smallint NOT NULL CHECK (status BETWEEN 100 AND 599),
        CHECK ((target_kind IS NULL) = (target_id IS NULL))
      )`);
    // Who did what over a period: the questions an audit asks besides "the latest".
    await queryRunner.query(`CREATE INDEX audit_event_subject ON audit_event (principal_subject, audit_id)`);
    await queryRunner.query(
      `CREATE INDEX audit_event_target ON audit_event (target_id, audit_id) WHERE target_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_event`);
  }
}
