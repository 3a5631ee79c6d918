import { sha256Hex, type DeadLetter, type IngestReport } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { RecordAccountingRepository, type ReceivedDeadLetter } from './record-accounting.repository';
import { RECORD_OUTCOMES_SQL } from './source-rows';

const FILE_ID = sha256Hex('damaged.837');

/** The dead letter the ingestor wrote for a damaged X12 file, its reason quoting a segment tag with a NUL in it. */
const deadLetter: DeadLetter = {
  schemaVersion: 1,
  stage: 'ingestor',
  errorCode: 'X12_SEGMENT_UNKNOWN',
  reason: 'transaction: segment CL\u0000 is not a segment of x12.837p (segment 21, element 0)',
  failedAt: '2026-01-01T00:00:00.000Z',
  origin: null,
  lineage: { source: 'damaged\u0000.837', fileId: FILE_ID, recordNumber: 1, recordSha256: sha256Hex('record') },
  originalValueBase64: Buffer.from('ST*837*0001~CL\u0000*1~SE*3*0001~').toString('base64'),
  originalHeaders: {},
};

const report: IngestReport = {
  schemaVersion: 1,
  source: 'damaged\u0000.837',
  fileId: FILE_ID,
  layout: 'x12',
  recordsRead: 2,
  recordsPublished: 0,
  recordsDeadLettered: 1,
  blankLinesSkipped: 0,
  recordsSkipped: 1,
  skippedByReason: [{ code: 'X12_VERSION_UNSUPPORTED', reason: 'version 00401\u0000 is not read', records: 1 }],
  durationSeconds: 0.01,
  completedAt: '2026-01-01T00:00:01.000Z',
};

describe('RecordAccountingRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: RecordAccountingRepository;

  beforeEach(async () => {
    database = await createIsolatedDatabase('record-accounting');
    dataSource = createDataSource({ url: database.url, applicationName: 'record-accounting-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new RecordAccountingRepository(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('records a dead letter whose reason and source hold a NUL (which Postgres text refuses) with U+FFFD in its place, and counts its record', async () => {
    await repository.recordDeadLetters([{ deadLetter, partition: 0, offset: '5' }]);
    expect(await dataSource.query(`SELECT error_code, reason, source, record_number FROM dead_letter`)).toEqual([
      {
        error_code: 'X12_SEGMENT_UNKNOWN',
        reason: 'transaction: segment CL\uFFFD is not a segment of x12.837p (segment 21, element 0)',
        source: 'damaged\uFFFD.837',
        record_number: 1,
      },
    ]);
    expect(
      await dataSource.query(`SELECT record_number, outcome, stage, error_code FROM ingest_record WHERE file_id = $1`, [
        FILE_ID,
      ]),
    ).toEqual([{ record_number: 1, outcome: 'dead_lettered', stage: 'ingestor', error_code: 'X12_SEGMENT_UNKNOWN' }]);
  });

  it('records the dead letters around one whose values Postgres refuses (failed in year 0, an offset that is no number) and hands those back', async () => {
    const letterOfRecord = (recordNumber: number, change: Partial<DeadLetter> = {}) => ({
      deadLetter: { ...deadLetter, lineage: { ...deadLetter.lineage!, recordNumber }, ...change },
      partition: 0,
      offset: String(recordNumber),
    });
    const yearZero = letterOfRecord(2, { failedAt: '0000-01-01T00:00:00.000Z' });
    const offsetNotANumber = letterOfRecord(4, {
      origin: { topic: 'claims.raw.v1', partition: 0, offset: 'last', key: null },
    });
    const refused = await repository.recordDeadLetters([
      letterOfRecord(1),
      yearZero,
      letterOfRecord(3),
      offsetNotANumber,
    ]);
    expect(refused.map(({ received, sqlState }) => ({ received, sqlState }))).toEqual([
      { received: yearZero, sqlState: '22008' },
      { received: offsetNotANumber, sqlState: '22P02' },
    ]);
    expect(await dataSource.query(`SELECT record_number FROM dead_letter ORDER BY 1`)).toEqual([
      { record_number: 1 },
      { record_number: 3 },
    ]);
    expect(await dataSource.query(`SELECT record_number FROM ingest_record ORDER BY 1`)).toEqual([
      { record_number: 1 },
      { record_number: 3 },
    ]);
  });

  describe('a record dead-lettered, replayed and refused again elsewhere', () => {
    const rawOrigin = { topic: 'claims.raw.v1', partition: 2, offset: '40', key: null };
    /** The normalizer's letter of the record, as first ingested. */
    const first: DeadLetter = {
      ...deadLetter,
      stage: 'normalizer',
      errorCode: 'DATE_OUT_OF_RANGE',
      reason: 'claim: CLM_FROM_DT is before the earliest service date',
      failedAt: '2026-01-01T00:00:00.000Z',
      origin: rawOrigin,
    };
    /** The replay's letter: the normalizer let it through, the enricher refused it. */
    const later: DeadLetter = {
      ...first,
      stage: 'enricher',
      errorCode: 'ENRICH_REFUSED',
      reason: "Postgres refused the claim's pend index row",
      failedAt: '2026-01-02T00:00:00.000Z',
      origin: { topic: 'claims.normalized.v1', partition: 1, offset: '77', key: null },
    };
    const received = (letter: DeadLetter, offset: string): ReceivedDeadLetter => ({
      deadLetter: letter,
      partition: 0,
      offset,
    });
    const recordAccounting = () =>
      dataSource.query(
        `SELECT record_number, outcome, stage, error_code FROM ingest_record WHERE file_id = $1 ORDER BY record_number`,
        [FILE_ID],
      );
    const accountedAs = (letter: DeadLetter, recordNumbers: number[]) =>
      recordNumbers.map((recordNumber) => ({
        record_number: recordNumber,
        outcome: 'dead_lettered',
        stage: letter.stage,
        error_code: letter.errorCode,
      }));

    it("accounts the record by its latest failure's stage and code, as the dead-letter list shows it", async () => {
      await repository.recordDeadLetters([received(first, '1')]);
      await repository.recordDeadLetters([received(later, '2')]);
      expect(await recordAccounting()).toEqual(accountedAs(later, [1]));
    });

    it('keeps the latest failure when the older dead letter is redelivered after it', async () => {
      await repository.recordDeadLetters([received(later, '2')]);
      await repository.recordDeadLetters([received(first, '1')]);
      await repository.recordDeadLetters([received(first, '1'), received(later, '2')]);
      // The normalizer's redelivered batch dead-letters the same message again, later: the letter stored first counts.
      await repository.recordDeadLetters([received({ ...first, failedAt: '2026-01-03T00:00:00.000Z' }, '3')]);
      expect(await recordAccounting()).toEqual(accountedAs(later, [1]));
    });

    it('takes the latest of two dead letters of one record that arrive in one batch, in either order', async () => {
      const ofRecord = (letter: DeadLetter, recordNumber: number): DeadLetter => ({
        ...letter,
        lineage: { ...letter.lineage!, recordNumber },
      });
      await repository.recordDeadLetters([
        received(ofRecord(first, 1), '1'),
        received(ofRecord(later, 1), '2'),
        received(ofRecord(later, 2), '3'),
        received(ofRecord(first, 2), '4'),
      ]);
      expect(await recordAccounting()).toEqual([...accountedAs(later, [1]), ...accountedAs(later, [2])]);
    });

    it('accounts every row of a multi-row claim by its latest failure, rows apart included', async () => {
      const rows = { ...first.lineage!, recordNumber: 3, recordNumbers: [3, 4, 7] };
      await repository.recordDeadLetters([received({ ...first, lineage: rows }, '1')]);
      await repository.recordDeadLetters([
        received({ ...later, lineage: rows }, '2'),
        received({ ...first, lineage: rows }, '1'),
      ]);
      expect(await recordAccounting()).toEqual(accountedAs(later, [3, 4, 7]));
    });

    it('keeps a record folded by its replay when a dead letter of it arrives after the fold', async () => {
      await repository.recordDeadLetters([received(first, '1')]);
      await dataSource.query(`${RECORD_OUTCOMES_SQL}`, [[FILE_ID], [1], ['folded']]);
      await repository.recordDeadLetters([received(first, '1'), received(later, '2')]);
      expect(await recordAccounting()).toEqual([
        { record_number: 1, outcome: 'folded', stage: null, error_code: null },
      ]);
    });
  });

  it('records the ingest reports around one whose completion time Postgres refuses (year 0) and hands that one back', async () => {
    const yearZero = { ...report, completedAt: '0000-01-01T00:00:00.000Z' };
    const other = { ...report, fileId: sha256Hex('other.837'), source: 'other.837' };
    const refused = await repository.upsertIngestReports([yearZero, other]);
    expect(refused.map(({ report: refusedReport, sqlState }) => ({ report: refusedReport, sqlState }))).toEqual([
      { report: yearZero, sqlState: '22008' },
    ]);
    expect(await dataSource.query(`SELECT source FROM ingest_file`)).toEqual([{ source: 'other.837' }]);
  });

  it('records an ingest report whose file name and skip reason hold a NUL, the reason kept in the jsonb column', async () => {
    await repository.upsertIngestReports([report]);
    expect(await dataSource.query(`SELECT source, records_skipped, skipped_by_reason FROM ingest_file`)).toEqual([
      {
        source: 'damaged\uFFFD.837',
        records_skipped: 1,
        skipped_by_reason: [{ code: 'X12_VERSION_UNSUPPORTED', reason: 'version 00401\uFFFD is not read', records: 1 }],
      },
    ]);
  });
});
