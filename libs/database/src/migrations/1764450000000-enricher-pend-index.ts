import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The enricher's own state, beside the reference tables it keeps in memory:
 * - the claims that wait in the pended queue, each with the canonical event
 *   it was judged on, so a reference fix can judge it again without the
 *   claim being sent twice;
 * - what each waits on (provider, group, location, member), the index a fix
 *   is looked up in, so clearing never scans the queue;
 * - claim fingerprints (member, provider, date, procedure) for the duplicate
 *   rule, held by the claim first in event time.
 * The old database provider directory goes: lookups are in-process now.
 */
export class EnricherPendIndex1764450000000 implements MigrationInterface {
  name = 'EnricherPendIndex1764450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE enricher_pended_claim (
        claim_id text PRIMARY KEY,
        -- The canonical (normalized) event, as the bytes it arrived in: re-judged on a fix.
        normalized_event text NOT NULL,
        decision jsonb NOT NULL,
        pended_on date NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE enricher_pend_dependency (
        kind text NOT NULL,
        key text NOT NULL,
        claim_id text NOT NULL,
        PRIMARY KEY (kind, key, claim_id)
      )`);
    await queryRunner.query(`CREATE INDEX enricher_pend_dependency_claim ON enricher_pend_dependency (claim_id)`);
    await queryRunner.query(`
      CREATE TABLE enricher_claim_fingerprint (
        fingerprint text PRIMARY KEY,
        claim_id text NOT NULL,
        occurred_at date NOT NULL
      )`);
    await queryRunner.query(`DROP TABLE IF EXISTS reference_provider`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['enricher_claim_fingerprint', 'enricher_pend_dependency', 'enricher_pended_claim']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`
      CREATE TABLE reference_provider (
        npi text PRIMARY KEY,
        entity_type text NOT NULL,
        display_name text NOT NULL,
        taxonomy_code text,
        practice_state text,
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
