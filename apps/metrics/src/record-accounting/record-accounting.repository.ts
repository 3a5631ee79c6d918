import type { DeadLetter, IngestReport } from '@claims/contracts';
import { isRecordDataError, postgresText, postgresTextOrNull } from '@claims/database';
import { runIsolatingRefusedRecords } from '@claims/kafka';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sourceRowsOf } from './source-rows';

/** A dead letter as read from the dead-letter topic, with where it sits there. */
export interface ReceivedDeadLetter {
  deadLetter: DeadLetter;
  partition: number;
  offset: string;
}

/** A dead letter or an ingest report Postgres refused to store, and the SQLSTATE it refused it with. */
export interface RefusedDeadLetter {
  received: ReceivedDeadLetter;
  sqlState: string;
}
export interface RefusedIngestReport {
  report: IngestReport;
  sqlState: string;
}

const sqlStateOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code);

/**
 * The identity of a dead letter: the message that failed (a redelivered
 * batch dead-letters the same message again), or the source record when the
 * ingestor refused it before publishing.
 */
export function deadLetterId(deadLetter: DeadLetter): string {
  const lineage = deadLetter.lineage;
  if (deadLetter.origin) {
    const { topic, partition, offset } = deadLetter.origin;
    // One consumed message can stand for several source rows, each dead-lettered on its own.
    const row = lineage ? `:${lineage.recordNumber}` : '';
    return `${deadLetter.stage}:${topic}:${partition}:${offset}${row}`;
  }
  if (lineage) return `${deadLetter.stage}:${lineage.fileId}:${lineage.recordNumber}`;
  return `${deadLetter.stage}:sha256:${deadLetter.originalSha256 ?? 'unknown'}`;
}

/**
 * Writes what per-file accounting compares: the ingestor's reports and the
 * dead letters of every stage. Each write is idempotent (keyed by file, by
 * record, by dead letter), so the at-least-once delivery of these topics
 * never counts anything twice. Their text goes through postgresText: a
 * reason may quote a damaged file's bytes, and a write Postgres refused
 * would hold back every dead letter behind it. For the same reason a
 * message that passed its schema but holds a value Postgres refuses (a time
 * in year 0, an offset that is no number) is handed back, not stored, and
 * the rest of its batch is: such a message can be neither stored nor
 * dead-lettered again, and retrying it would stall its partition for good.
 */
@Injectable()
export class RecordAccountingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the reports; returns those Postgres refused (isRecordDataError), the others stored. */
  async upsertIngestReports(reports: readonly IngestReport[]): Promise<RefusedIngestReport[]> {
    const refused: RefusedIngestReport[] = [];
    for (const report of reports) {
      try {
        await this.upsertIngestReport(report);
      } catch (error) {
        if (!isRecordDataError(error)) throw error;
        refused.push({ report, sqlState: sqlStateOf(error) });
      }
    }
    return refused;
  }

  private async upsertIngestReport(report: IngestReport): Promise<void> {
    // The newest report of a file wins: a re-ingested file reports the same counts again.
    await this.dataSource.query(
      `INSERT INTO ingest_file (file_id, source, layout, records_read, records_published, records_dead_lettered,
           blank_lines_skipped, duration_seconds, completed_at, records_skipped, skipped_by_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (file_id) DO UPDATE SET
           source = EXCLUDED.source, layout = EXCLUDED.layout, records_read = EXCLUDED.records_read,
           records_published = EXCLUDED.records_published, records_dead_lettered = EXCLUDED.records_dead_lettered,
           blank_lines_skipped = EXCLUDED.blank_lines_skipped, duration_seconds = EXCLUDED.duration_seconds,
           completed_at = EXCLUDED.completed_at, records_skipped = EXCLUDED.records_skipped,
           skipped_by_reason = EXCLUDED.skipped_by_reason, updated_at = now()
         WHERE ingest_file.completed_at <= EXCLUDED.completed_at`,
      [
        report.fileId,
        postgresText(report.source),
        postgresText(report.layout),
        report.recordsRead,
        report.recordsPublished,
        report.recordsDeadLettered,
        report.blankLinesSkipped,
        report.durationSeconds,
        report.completedAt,
        report.recordsSkipped ?? 0,
        // jsonb refuses the escape JSON writes for U+0000 as Postgres text refuses the character.
        JSON.stringify(
          (report.skippedByReason ?? []).map((entry) => ({ ...entry, reason: postgresText(entry.reason) })),
        ),
      ],
    );
  }

  /**
   * Stores the dead letters and accounts their records; returns those
   * Postgres refused (isRecordDataError: the batch is halved until each is
   * found), every other one stored.
   */
  async recordDeadLetters(received: readonly ReceivedDeadLetter[]): Promise<RefusedDeadLetter[]> {
    const refused: RefusedDeadLetter[] = [];
    await runIsolatingRefusedRecords(
      received.map((item) => ({ item, refused: false })),
      {
        run: (part) => this.storeDeadLetters(part.flatMap(({ item, refused }) => (refused ? [] : [item]))),
        isRefusedData: isRecordDataError,
        refuse: async (message, error) => {
          refused.push({ received: message.item, sqlState: sqlStateOf(error) });
          return { ...message, refused: true };
        },
        // A refused letter is never written, so it cannot be refused again.
        offsetOnly: (message) => message,
      },
    );
    return refused;
  }

  private async storeDeadLetters(received: readonly ReceivedDeadLetter[]): Promise<void> {
    if (received.length === 0) return;
    const column = <T>(pick: (item: ReceivedDeadLetter) => T): T[] => received.map(pick);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO dead_letter (dead_letter_id, stage, error_code, reason, failed_at, file_id, record_number, source,
           origin_topic, origin_partition, origin_offset, original_bytes, original_sha256, original_truncated,
           dlq_partition, dlq_offset)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[],
                              $7::integer[], $8::text[], $9::text[], $10::integer[], $11::bigint[], $12::bigint[],
                              $13::text[], $14::boolean[], $15::integer[], $16::bigint[])
         ON CONFLICT (dead_letter_id) DO NOTHING`,
        [
          column(({ deadLetter }) => postgresText(deadLetterId(deadLetter))),
          column(({ deadLetter }) => postgresText(deadLetter.stage)),
          column(({ deadLetter }) => postgresText(deadLetter.errorCode)),
          column(({ deadLetter }) => postgresText(deadLetter.reason)),
          column(({ deadLetter }) => deadLetter.failedAt),
          column(({ deadLetter }) => deadLetter.lineage?.fileId ?? null),
          column(({ deadLetter }) => deadLetter.lineage?.recordNumber ?? null),
          column(({ deadLetter }) => postgresTextOrNull(deadLetter.lineage?.source)),
          column(({ deadLetter }) => postgresTextOrNull(deadLetter.origin?.topic)),
          column(({ deadLetter }) => deadLetter.origin?.partition ?? null),
          column(({ deadLetter }) => deadLetter.origin?.offset ?? null),
          column(({ deadLetter }) => deadLetter.originalBytes ?? null),
          column(({ deadLetter }) => deadLetter.originalSha256 ?? null),
          column(({ deadLetter }) => deadLetter.originalTruncated ?? false),
          column(({ partition }) => partition),
          column(({ offset }) => offset),
        ],
      );
      // A dead letter of a claim of several rows accounts each of its rows, consecutive or apart.
      const rows = sourceRowsOf(received, ({ deadLetter }) => deadLetter.lineage);
      if (rows.items.length === 0) return;
      // A record replayed and refused again is accounted by its latest letter, as the dead-letter list
      // shows it: by the failure time stored with each letter (a redelivered copy keeps the first copy's),
      // then the letter id, whatever order the letters arrive in. One statement may touch a row once, so
      // the batch's letters of a row are narrowed to their latest first. A record that has folded since
      // (its replay folded) stays folded.
      await manager.query(
        `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code, dead_letter_id, failed_at)
         SELECT DISTINCT ON (r.file_id, r.record_number)
                r.file_id, r.record_number, 'dead_lettered', d.stage, d.error_code, d.dead_letter_id, d.failed_at
           FROM unnest($1::text[], $2::integer[], $3::text[]) AS r(file_id, record_number, dead_letter_id)
           JOIN dead_letter d ON d.dead_letter_id = r.dead_letter_id
          ORDER BY r.file_id, r.record_number, d.failed_at DESC, d.dead_letter_id DESC
         ON CONFLICT (file_id, record_number) DO UPDATE
            SET stage = EXCLUDED.stage, error_code = EXCLUDED.error_code,
                dead_letter_id = EXCLUDED.dead_letter_id, failed_at = EXCLUDED.failed_at
          WHERE ingest_record.outcome = 'dead_lettered'
            AND (ingest_record.failed_at IS NULL
                 OR (ingest_record.failed_at, ingest_record.dead_letter_id) < (EXCLUDED.failed_at, EXCLUDED.dead_letter_id))`,
        [rows.fileIds, rows.recordNumbers, rows.items.map(({ deadLetter }) => postgresText(deadLetterId(deadLetter)))],
      );
    });
  }
}
