import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work queue reads open pends oldest first. Through the one index on
 * (pended_on, claim_id) it walked past every cleared pend older than the
 * oldest open one: on 200,000 claims a page took 215 ms (p50) and, under a
 * dashboard's read load, cut the fold's rate to a third (`npm run bench --
 * --phases api-load`). Open at `asOf` is "not cleared" or "cleared after
 * asOf", two disjoint index ranges the query now reads one by one:
 * - pends not cleared, in queue order (a partial index: only open rows);
 * - pends cleared after asOf, by clearing date (none when asOf is the
 *   watermark, the usual case).
 */
export class WorkQueueIndexes1765400000000 implements MigrationInterface {
  name = 'WorkQueueIndexes1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX claim_pend_open_queue_idx ON claim_pend (pended_on, claim_id) WHERE cleared_on IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX claim_pend_cleared_on_idx ON claim_pend (cleared_on)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX claim_pend_cleared_on_idx`);
    await queryRunner.query(`DROP INDEX claim_pend_open_queue_idx`);
  }
}
