import { deriveEventId, sha256Hex, type MemberReferenceEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { RecordAccountingRepository } from '../record-accounting/record-accounting.repository';
import { MemberReferenceRepository, type MemberReferenceBatch } from './member-reference.repository';

const FILE_ID = sha256Hex('beneficiaries.csv');

function memberEvent(
  patientToken: string,
  recordNumber: number,
  year: number | null,
  partA = 12,
): MemberReferenceEvent {
  const rawEventId = deriveEventId('claims.raw', patientToken, String(recordNumber), String(partA));
  return {
    schemaVersion: 1,
    eventId: deriveEventId('reference.members', rawEventId, String(year ?? 'undated')),
    rawEventId,
    layout: 'desynpuf.beneficiary-summary',
    lineage: { source: 'beneficiaries.csv', fileId: FILE_ID, recordNumber, recordSha256: sha256Hex(`${recordNumber}`) },
    publishedAt: '2024-01-02T03:04:05.000Z',
    member: {
      patientToken,
      referenceYear: year,
      birthDate: '1923-09-01',
      deathDate: null,
      sex: 'female',
      raceCode: '1',
      ssaStateCode: '10',
      ssaCountyCode: '260',
      coverageMonths: { partA, partB: 12, hmo: 0, partD: 0 },
      chronicConditions: { heart_failure: true },
      sourceOperation: null,
    },
    dataQuality: [],
  };
}

describe('MemberReferenceRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: MemberReferenceRepository;

  const batch = (firstOffset: number, events: MemberReferenceEvent[]): MemberReferenceBatch => ({
    groupId: 'claims-metrics.member-references',
    topic: 'reference.members.v1',
    partition: 0,
    messages: events.map((event, index) => ({ offset: String(firstOffset + index), event })),
  });
  const accounting = async (): Promise<Array<{ outcome: string; n: string }>> =>
    dataSource.query(`SELECT outcome, count(*)::text AS n FROM ingest_record GROUP BY outcome ORDER BY outcome`);

  beforeEach(async () => {
    database = await createIsolatedDatabase('members');
    dataSource = createDataSource({ url: database.url, applicationName: 'member-reference-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new MemberReferenceRepository(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('folds one row per member and year and counts each source row for its file', async () => {
    const outcome = await repository.foldPartitionBatch(
      batch(0, [memberEvent('t1', 1, 2008), memberEvent('t1', 2, 2009), memberEvent('t2', 3, null)]),
    );
    expect(outcome).toEqual({ folded: 3, duplicates: 0, alreadyCommitted: 0 });
    const rows = await dataSource.query(
      `SELECT patient_token, reference_period, coverage_months_part_a FROM reference_member ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { patient_token: 't1', reference_period: '2008', coverage_months_part_a: 12 },
      { patient_token: 't1', reference_period: '2009', coverage_months_part_a: 12 },
      { patient_token: 't2', reference_period: 'undated', coverage_months_part_a: 12 },
    ]);
    expect(await accounting()).toEqual([{ outcome: 'folded', n: '3' }]);
  });

  it('keeps the later record of a member and year when one batch holds both', async () => {
    await repository.foldPartitionBatch(batch(0, [memberEvent('t1', 1, 2008, 6), memberEvent('t1', 2, 2008, 9)]));
    const [row] = await dataSource.query(`SELECT coverage_months_part_a FROM reference_member`);
    expect(row).toEqual({ coverage_months_part_a: 9 });
  });

  it('moves a record dead-lettered before to folded when its replayed dead letter folds, even from a batch that holds it twice', async () => {
    const refusedThenFixed = memberEvent('t2', 2, 2008);
    // The normalizer refused record 2 once; its dead letter, replayed after the fix, now folds.
    await new RecordAccountingRepository(dataSource).recordDeadLetters([
      {
        deadLetter: {
          schemaVersion: 1,
          stage: 'normalizer',
          errorCode: 'DATE_INVALID',
          reason: 'BENE_BIRTH_DT is not a date',
          failedAt: '2024-01-02T03:04:05.000Z',
          origin: { topic: 'claims.raw.v1', partition: 0, offset: '7', key: 't2' },
          lineage: refusedThenFixed.lineage,
          originalValueBase64: '',
          originalHeaders: {},
        },
        partition: 0,
        offset: '0',
      },
    ]);
    expect(await accounting()).toEqual([{ outcome: 'dead_lettered', n: '1' }]);
    // A producer retry puts the replayed record in the batch twice.
    const outcome = await repository.foldPartitionBatch(
      batch(0, [memberEvent('t1', 1, 2008), refusedThenFixed, refusedThenFixed]),
    );
    expect(outcome).toEqual({ folded: 2, duplicates: 1, alreadyCommitted: 0 });
    expect(
      await dataSource.query(`SELECT record_number, outcome, stage, error_code FROM ingest_record ORDER BY 1`),
    ).toEqual([
      { record_number: 1, outcome: 'folded', stage: null, error_code: null },
      { record_number: 2, outcome: 'folded', stage: null, error_code: null },
    ]);
  });

  it('skips a redelivered batch and counts a replayed record as a duplicate that changes nothing', async () => {
    const older = memberEvent('t1', 1, 2008, 6);
    await repository.foldPartitionBatch(batch(0, [older]));
    await repository.foldPartitionBatch(batch(1, [memberEvent('t1', 2, 2008, 9)]));
    expect(await repository.foldPartitionBatch(batch(0, [older]))).toEqual({
      folded: 0,
      duplicates: 0,
      alreadyCommitted: 1,
    });
    // The same file replayed later: its event is known, so the member is not rolled back to it.
    const replayed = { ...older, lineage: { ...older.lineage, recordNumber: 5 } };
    expect(await repository.foldPartitionBatch(batch(2, [replayed]))).toEqual({
      folded: 0,
      duplicates: 1,
      alreadyCommitted: 0,
    });
    const [row] = await dataSource.query(`SELECT coverage_months_part_a FROM reference_member`);
    expect(row).toEqual({ coverage_months_part_a: 9 });
    expect(await accounting()).toEqual([
      { outcome: 'duplicate', n: '1' },
      { outcome: 'folded', n: '2' },
    ]);
  });
});
