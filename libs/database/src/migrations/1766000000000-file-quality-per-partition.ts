import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A file's quality tally kept per Kafka partition, as every counter the fold
 * writes is, and summed by its reader. A file's records spread over every
 * partition, and the folds of the partitions run concurrently: with one row
 * per file, kind and name, each fold waited at that row's lock for another
 * partition's fold to commit: at 1,000 records/s the tally's step took
 * 126-147 ms per 1,000 records, 91-94 with rows of its own. The rows already
 * there keep their counts as partition 0's; the sums are unchanged.
 */
export class FileQualityPerPartition1766000000000 implements MigrationInterface {
  name = 'FileQualityPerPartition1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ingest_file_quality ADD COLUMN kafka_partition integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality ALTER COLUMN kafka_partition DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality DROP CONSTRAINT ingest_file_quality_pkey`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality ADD PRIMARY KEY (file_id, kind, name, kafka_partition)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TEMPORARY TABLE ingest_file_quality_summed AS
        SELECT file_id, kind, name, sum(count)::bigint AS count FROM ingest_file_quality GROUP BY file_id, kind, name`);
    await queryRunner.query(`DELETE FROM ingest_file_quality`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality DROP CONSTRAINT ingest_file_quality_pkey`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality DROP COLUMN kafka_partition`);
    await queryRunner.query(`ALTER TABLE ingest_file_quality ADD PRIMARY KEY (file_id, kind, name)`);
    await queryRunner.query(`INSERT INTO ingest_file_quality SELECT * FROM ingest_file_quality_summed`);
    await queryRunner.query(`DROP TABLE ingest_file_quality_summed`);
  }
}
