import { DataSource } from 'typeorm';
import { ClaimState1763900000000 } from './migrations/1763900000000-claim-state';
import { SlimmerFoldWrites1763990000000 } from './migrations/1763990000000-slimmer-fold-writes';
import { RecordAccounting1764100000000 } from './migrations/1764100000000-record-accounting';
import { ReferenceMember1764300000000 } from './migrations/1764300000000-reference-member';
import { FileQualityTally1764400000000 } from './migrations/1764400000000-file-quality-tally';
import { EnricherPendIndex1764450000000 } from './migrations/1764450000000-enricher-pend-index';
import { PendedQueue1764500000000 } from './migrations/1764500000000-pended-queue';
import { ApiKeys1764600000000 } from './migrations/1764600000000-api-keys';
import { DenialCostKpis1764700000000 } from './migrations/1764700000000-denial-cost-kpis';
import { IngestFileSkipped1764750000000 } from './migrations/1764750000000-ingest-file-skipped';
import { CarcRootCauses1764800000000 } from './migrations/1764800000000-carc-root-causes';
import { X12ClaimLifecycle1764900000000 } from './migrations/1764900000000-x12-claim-lifecycle';
import { ProviderAdjustments1765000000000 } from './migrations/1765000000000-provider-adjustments';
import { ClaimEventHistory1765100000000 } from './migrations/1765100000000-claim-event-history';
import { MemberCostKpis1765230000000 } from './migrations/1765230000000-member-cost-kpis';
import { AcknowledgementSla1765250000000 } from './migrations/1765250000000-acknowledgement-sla';
import { AuditLog1765310000000 } from './migrations/1765310000000-audit-log';
import { WorkQueueIndexes1765400000000 } from './migrations/1765400000000-work-queue-indexes';
import { WorkQueueAmountIndex1765450000000 } from './migrations/1765450000000-work-queue-amount-index';
import { PendComments1765500000000 } from './migrations/1765500000000-pend-comments';
import { ClaimVersions1765600000000 } from './migrations/1765600000000-claim-versions';
import { DailyCounters1765700000000 } from './migrations/1765700000000-daily-counters';
import { UuidClaimFingerprints1765800000000 } from './migrations/1765800000000-uuid-claim-fingerprints';
import { PendedClaimCount1765900000000 } from './migrations/1765900000000-pended-claim-count';
import { FileQualityPerPartition1766000000000 } from './migrations/1766000000000-file-quality-per-partition';
import { WideDayCounters1766100000000 } from './migrations/1766100000000-wide-day-counters';
import { LineageRecordNumbers1766200000000 } from './migrations/1766200000000-lineage-record-numbers';
import { LatestDeadLetterOfRecord1766300000000 } from './migrations/1766300000000-latest-dead-letter-of-record';

export const MIGRATIONS = [
  ClaimState1763900000000,
  SlimmerFoldWrites1763990000000,
  RecordAccounting1764100000000,
  ReferenceMember1764300000000,
  FileQualityTally1764400000000,
  EnricherPendIndex1764450000000,
  PendedQueue1764500000000,
  ApiKeys1764600000000,
  DenialCostKpis1764700000000,
  IngestFileSkipped1764750000000,
  CarcRootCauses1764800000000,
  X12ClaimLifecycle1764900000000,
  ProviderAdjustments1765000000000,
  ClaimEventHistory1765100000000,
  MemberCostKpis1765230000000,
  AcknowledgementSla1765250000000,
  AuditLog1765310000000,
  WorkQueueIndexes1765400000000,
  WorkQueueAmountIndex1765450000000,
  PendComments1765500000000,
  ClaimVersions1765600000000,
  DailyCounters1765700000000,
  UuidClaimFingerprints1765800000000,
  PendedClaimCount1765900000000,
  FileQualityPerPartition1766000000000,
  WideDayCounters1766100000000,
  LineageRecordNumbers1766200000000,
  LatestDeadLetterOfRecord1766300000000,
];

/** Any constant: the advisory lock key that serialises migrations across services starting together. */
const MIGRATION_LOCK_KEY = 7_263_001;

export function createDataSource(options: { url: string; applicationName: string; poolSize?: number }): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    extra: { max: options.poolSize ?? 5, options: sessionOptions(process.env['PGOPTIONS']) },
  });
}

/** The backslash keeps the space inside the value (the server splits options on unescaped spaces). */
const PRODUCT_SESSION_OPTIONS =
  '-c default_transaction_isolation=read\\ committed -c plan_cache_mode=force_custom_plan';

/**
 * The session settings every connection starts with: those of PGOPTIONS, if
 * any, then:
 * - READ COMMITTED for every transaction, whatever the database's or role's
 *   default: the fold and the pended queue are written for it (their row
 *   locks and upserts wait for a concurrent writer and go on rather than
 *   fail). Set here, once per connection, it saves every transaction the
 *   round trip of its own SET TRANSACTION (one of some twenty a fold batch
 *   makes at a steady rate).
 * - A custom plan for every execution of a prepared statement
 *   (queryPrepared). Postgres would otherwise settle on a generic plan after
 *   five executions and keep it until the table's statistics change, a plan
 *   made for the tables as they were then: with generic plans the enricher's
 *   time per claim doubled at 1,800 records/s (1.15 against 0.52 ms a claim)
 *   and the pipeline fell behind. Prepared, a statement still saves its parse
 *   and analysis at every execution.
 * A DATABASE_URL that carries its own `options` replaces these.
 */
export function sessionOptions(fromEnvironment: string | undefined): string {
  return [fromEnvironment?.trim(), PRODUCT_SESSION_OPTIONS].filter(Boolean).join(' ');
}

/**
 * Applies pending migrations under a session-level advisory lock, so the
 * services that start at the same time never race to create the schema.
 */
export async function migrateDatabase(dataSource: DataSource): Promise<void> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}

/** Postgres errors worth a retry: the connection or the server went away, or a serialisation conflict. */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    return (
      code.startsWith('08') || // connection exception
      code.startsWith('57P') || // operator intervention (shutdown)
      code === '40001' || // serialization failure
      code === '40P01' || // deadlock detected
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET'
    );
  }
  return false;
}

/**
 * Postgres refused the data itself (SQLSTATE class 22, data exception, or 23,
 * integrity constraint violation): retrying the same rows fails the same way,
 * so the batch is split until the one record at fault is found.
 */
export function isRecordDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Why a record whose data Postgres refused (isRecordDataError) is dead-lettered, its SQLSTATE named. */
export interface RefusedDataFailure {
  code: string;
  reason: string;
  sqlState: string;
}

/**
 * The dead letter of a record Postgres refused: `code` is the stage's refusal
 * code (FOLD_REFUSED, ENRICH_REFUSED), `what` names the data refused, as in
 * "the claim's data in the pend index".
 */
export function refusedDataFailure(code: string, what: string, error: unknown): RefusedDataFailure {
  const sqlState = String((error as { code?: unknown } | null)?.code);
  return { code, reason: `Postgres refused ${what} (SQLSTATE ${sqlState})`, sqlState };
}
