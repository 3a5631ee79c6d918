import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many claims the enricher's pended queue holds, kept as it changes, for
 * the `claims_pended_claims_waiting` gauge. The gauge counted the table at
 * every scrape, a scan of a queue that only grows with the claims no fix
 * ever clears (19 ms at 31,000 claims, every 15 s per Prometheus).
 *
 * Kept by statement-level triggers rather than by the enricher's code, so
 * every writer counts, an enricher of an older version during a rolling
 * upgrade included. The INSERT trigger's transition table holds only the
 * rows inserted, not those an `ON CONFLICT DO UPDATE` updated. Each backend
 * adds to a shard of its own (its pid modulo 16), so enricher instances
 * writing at once do not queue on one row's lock until COMMIT; the gauge
 * sums the shards. The table is locked while it is counted here, so no write
 * falls between the count and the triggers.
 */
export class PendedClaimCount1765900000000 implements MigrationInterface {
  name = 'PendedClaimCount1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`LOCK TABLE enricher_pended_claim IN SHARE ROW EXCLUSIVE MODE`);
    await queryRunner.query(`
      CREATE TABLE enricher_pended_claim_count (
        shard smallint PRIMARY KEY,
        claims bigint NOT NULL
      )`);
    await queryRunner.query(`
      INSERT INTO enricher_pended_claim_count (shard, claims) SELECT 0, count(*) FROM enricher_pended_claim`);
    await queryRunner.query(`
      CREATE FUNCTION enricher_pended_claim_counted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        change bigint;
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          -- The queue is empty, whatever each shard held.
          DELETE FROM enricher_pended_claim_count;
          RETURN NULL;
        END IF;
        SELECT count(*) INTO change FROM changed_claims;
        IF TG_OP = 'DELETE' THEN
          change := -change;
        END IF;
        IF change <> 0 THEN
          INSERT INTO enricher_pended_claim_count AS c (shard, claims) VALUES (pg_backend_pid() % 16, change)
            ON CONFLICT (shard) DO UPDATE SET claims = c.claims + EXCLUDED.claims;
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER enricher_pended_claim_inserted AFTER INSERT ON enricher_pended_claim
        REFERENCING NEW TABLE AS changed_claims
        FOR EACH STATEMENT EXECUTE FUNCTION enricher_pended_claim_counted()`);
    await queryRunner.query(`
      CREATE TRIGGER enricher_pended_claim_deleted AFTER DELETE ON enricher_pended_claim
        REFERENCING OLD TABLE AS changed_claims
        FOR EACH STATEMENT EXECUTE FUNCTION enricher_pended_claim_counted()`);
    await queryRunner.query(`
      CREATE TRIGGER enricher_pended_claim_truncated AFTER TRUNCATE ON enricher_pended_claim
        FOR EACH STATEMENT EXECUTE FUNCTION enricher_pended_claim_counted()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['inserted', 'deleted', 'truncated']) {
      await queryRunner.query(`DROP TRIGGER enricher_pended_claim_${trigger} ON enricher_pended_claim`);
    }
    await queryRunner.query(`DROP FUNCTION enricher_pended_claim_counted()`);
    await queryRunner.query(`DROP TABLE enricher_pended_claim_count`);
  }
}
