import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { DeadLettersRepository, type DeadLetterFilter } from './dead-letters.repository';
import { DeadLettersService } from './dead-letters.service';

const FILE_ID = 'a'.repeat(64);
const RAW_TOPIC = 'claims.raw.v1';

interface LetterRow {
  deadLetterId: string;
  stage: string;
  errorCode: string;
  fileId?: string | null;
  recordNumber?: number | null;
  originTopic?: string | null;
  originalSha256?: string | null;
  originalTruncated?: boolean;
  failedAt: string;
  dlqOffset: number;
}

describe('DeadLettersService against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let service: DeadLettersService;

  const insertLetters = async (letters: readonly LetterRow[]): Promise<void> => {
    for (const letter of letters) {
      await dataSource.query(
        `INSERT INTO dead_letter (dead_letter_id, stage, error_code, reason, failed_at, file_id, record_number, source,
                                  origin_topic, original_sha256, original_truncated, dlq_partition, dlq_offset)
         VALUES ($1, $2, $3, 'a field is invalid', $4, $5, $6, $7, $8, $9, $10, 0, $11)`,
        [
          letter.deadLetterId,
          letter.stage,
          letter.errorCode,
          letter.failedAt,
          letter.fileId ?? null,
          letter.recordNumber ?? null,
          letter.fileId ? 'claims.csv' : null,
          letter.originTopic ?? null,
          letter.originalSha256 ?? null,
          letter.originalTruncated ?? false,
          letter.dlqOffset,
        ],
      );
    }
  };

  const filter = (errorCode: string): DeadLetterFilter => ({ errorCode, stage: null, file: null });

  beforeEach(async () => {
    database = await createIsolatedDatabase('api_dead_letters');
    dataSource = createDataSource({ url: database.url, applicationName: 'dead-letters-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    service = new DeadLettersService(new DeadLettersRepository(dataSource));
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('plans the replayable letters of a reason even when a page of letters that cannot be replayed sits before them on the topic', async () => {
    // Three records the ingestor refused as too large (never published), then one the normalizer refused alike.
    await insertLetters([
      ...[1, 2, 3].map((recordNumber) => ({
        deadLetterId: `ingestor:${FILE_ID}:${recordNumber}`,
        stage: 'ingestor',
        errorCode: 'RECORD_TOO_LARGE',
        fileId: FILE_ID,
        recordNumber,
        failedAt: '2026-01-01T00:00:00Z',
        dlqOffset: recordNumber,
      })),
      {
        deadLetterId: `normalizer:${RAW_TOPIC}:0:9:4`,
        stage: 'normalizer',
        errorCode: 'RECORD_TOO_LARGE',
        fileId: FILE_ID,
        recordNumber: 4,
        originTopic: RAW_TOPIC,
        failedAt: '2026-01-01T00:00:01Z',
        dlqOffset: 4,
      },
    ]);

    const plan = await service.replayPlan(filter('RECORD_TOO_LARGE'), 2);

    expect(plan.replayable.map((letter) => letter.deadLetterId)).toEqual([`normalizer:${RAW_TOPIC}:0:9:4`]);
    expect(plan.notReplayable).toEqual([{ reason: 'INGESTOR_STAGE', records: 3, advice: expect.any(String) }]);
    expect(plan.more).toBe(false);
  });

  it('says more remain only when replayable letters are left past the page', async () => {
    await insertLetters(
      [1, 2, 3].map((recordNumber) => ({
        deadLetterId: `normalizer:${RAW_TOPIC}:0:${recordNumber}`,
        stage: 'normalizer',
        errorCode: 'DATE_OUT_OF_RANGE',
        fileId: FILE_ID,
        recordNumber,
        originTopic: RAW_TOPIC,
        originalTruncated: recordNumber === 2,
        failedAt: '2026-01-01T00:00:00Z',
        dlqOffset: recordNumber,
      })),
    );

    const first = await service.replayPlan(filter('DATE_OUT_OF_RANGE'), 1);
    expect(first.replayable.map((letter) => letter.recordNumber)).toEqual([1]);
    expect(first.more).toBe(true);
    const whole = await service.replayPlan(filter('DATE_OUT_OF_RANGE'), 2);
    expect(whole.replayable.map((letter) => letter.recordNumber)).toEqual([1, 3]);
    expect(whole.notReplayable).toEqual([{ reason: 'ORIGINAL_TRUNCATED', records: 1, advice: expect.any(String) }]);
    expect(whole.more).toBe(false);
  });

  it("counts a fold's FOLD_REFUSED letter as not replayable: the fold keeps the event id of what Postgres refused, so a replay of the same bytes is a duplicate", async () => {
    await insertLetters([
      {
        deadLetterId: `metrics:claims.enriched.v1:0:7`,
        stage: 'metrics',
        errorCode: 'FOLD_REFUSED',
        fileId: FILE_ID,
        recordNumber: 7,
        originTopic: 'claims.enriched.v1',
        failedAt: '2026-01-01T00:00:00Z',
        dlqOffset: 7,
      },
    ]);

    const plan = await service.replayPlan(filter('FOLD_REFUSED'), 10);

    expect(plan.replayable).toEqual([]);
    expect(plan.notReplayable).toEqual([
      { reason: 'FOLD_REFUSED', records: 1, advice: expect.stringMatching(/ingest it again$/) },
    ]);
    expect(plan.more).toBe(false);
  });

  it('counts and plans a message that names no source record once, however often a replay of it was refused again', async () => {
    // A raw message without lineage (a feed's, not the ingestor's), refused, replayed before its fix and refused again:
    // the same bytes on the same topic, now at a new offset, so a second letter.
    const sha256 = 'b'.repeat(64);
    await insertLetters([
      {
        deadLetterId: `normalizer:${RAW_TOPIC}:0:10`,
        stage: 'normalizer',
        errorCode: 'ENVELOPE_INVALID',
        originTopic: RAW_TOPIC,
        originalSha256: sha256,
        failedAt: '2026-01-01T00:00:00Z',
        dlqOffset: 1,
      },
      {
        deadLetterId: `normalizer:${RAW_TOPIC}:0:55`,
        stage: 'normalizer',
        errorCode: 'ENVELOPE_INVALID',
        originTopic: RAW_TOPIC,
        originalSha256: sha256,
        failedAt: '2026-01-02T00:00:00Z',
        dlqOffset: 2,
      },
      {
        deadLetterId: `normalizer:${RAW_TOPIC}:0:11`,
        stage: 'normalizer',
        errorCode: 'ENVELOPE_INVALID',
        originTopic: RAW_TOPIC,
        originalSha256: 'c'.repeat(64),
        failedAt: '2026-01-01T00:00:00Z',
        dlqOffset: 3,
      },
    ]);

    const listing = await service.list(filter('ENVELOPE_INVALID'), 20);
    expect(listing.open).toBe(2);
    expect(listing.latest.map((entry) => entry.deadLetterId).sort()).toEqual([
      `normalizer:${RAW_TOPIC}:0:11`,
      `normalizer:${RAW_TOPIC}:0:55`,
    ]);
    const plan = await service.replayPlan(filter('ENVELOPE_INVALID'), 100);
    expect(plan.replayable.map((letter) => letter.deadLetterId)).toEqual([
      `normalizer:${RAW_TOPIC}:0:55`,
      `normalizer:${RAW_TOPIC}:0:11`,
    ]);
  });
});
