import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The duplicate rule's fingerprints as 16-byte uuids instead of 64-character
 * hex text (@claims/enrichment duplicateFingerprints): the table gains a row
 * per claim line and every batch inserts at random places in its key, so the
 * key's size decides how many index pages a batch touches. A stored
 * fingerprint becomes its first 128 bits, which is what the enricher now
 * computes for the same claim line, so claims already held keep their hold.
 */
export class UuidClaimFingerprints1765800000000 implements MigrationInterface {
  name = 'UuidClaimFingerprints1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE enricher_claim_fingerprint
        ALTER COLUMN fingerprint TYPE uuid USING substr(fingerprint, 1, 32)::uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The hex text's last 128 bits are gone: the old enricher would see every stored claim as new.
    await queryRunner.query(`TRUNCATE enricher_claim_fingerprint`);
    await queryRunner.query(`ALTER TABLE enricher_claim_fingerprint ALTER COLUMN fingerprint TYPE text`);
  }
}
