import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { DataSource } from 'typeorm';
import { DomainGaugesRepository } from './domain-gauges.repository';

const DAY_SECONDS = 86_400;

describe('DomainGaugesRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: DomainGaugesRepository;

  beforeAll(async () => {
    database = await createIsolatedDatabase('domain_gauges');
    dataSource = createDataSource({ url: database.url, applicationName: 'domain-gauges-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new DomainGaugesRepository(dataSource, {
      acknowledgementSla: { defaultHours: 24, hoursByPayer: new Map() },
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('reads an empty queue and no watermark before anything was folded', async () => {
    expect(await repository.readSnapshot()).toEqual({
      watermarkTimestampSeconds: null,
      lastFoldCommitTimestampSeconds: null,
      openPendedClaims: 0,
      oldestOpenPendedAgeSeconds: null,
      acknowledgementBacklog: [],
      claimAcknowledgementVerdicts: [],
    });
  });

  it('reads the open pended claims and the oldest one at the latest watermark of any partition', async () => {
    await dataSource.query(
      `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at) VALUES
         (0, '2024-03-31', '2026-12-01T10:00:00Z'), (1, '2024-03-20', '2026-12-01T10:05:00Z')`,
    );
    // Cells per (pend day, clear day, partition), as the fold leaves them:
    await dataSource.query(
      `INSERT INTO pend_day_histogram (dimension, dimension_value, pended_on, cleared_on, kafka_partition, claims, amount_cents) VALUES
         -- cleared on 03-10, before the watermark: not open
         ('all', '', '2024-01-01', '2024-03-10', 0, 1, 100),
         -- a claim that moved partitions: +1 on one, -1 on the other, nothing open that day
         ('all', '', '2024-01-15', 'infinity', 0, 1, 200),
         ('all', '', '2024-01-15', 'infinity', 1, -1, -200),
         -- open: pended 02-15 (45 days before 03-31), and 2 more pended 03-30
         ('all', '', '2024-02-15', 'infinity', 1, 1, 300),
         ('all', '', '2024-03-30', '2024-04-02', 0, 2, 400),
         -- pended after the watermark: not yet in the queue
         ('all', '', '2024-04-05', 'infinity', 0, 1, 50),
         -- another dimension: never counted as the queue
         ('payer', 'Medicare', '2023-06-01', 'infinity', 0, 9, 900)`,
    );
    expect(await repository.readSnapshot()).toEqual({
      watermarkTimestampSeconds: Date.UTC(2024, 2, 31) / 1000,
      lastFoldCommitTimestampSeconds: Date.UTC(2026, 11, 1, 10, 5) / 1000,
      openPendedClaims: 3,
      oldestOpenPendedAgeSeconds: 45 * DAY_SECONDS,
      acknowledgementBacklog: [],
      claimAcknowledgementVerdicts: [],
    });
  });
});
