import { accountFile, type FileAccounting } from '@claims/kpi';
import { Injectable, NotFoundException } from '@nestjs/common';
import { IngestionReportsRepository } from './ingestion-reports.repository';

/** One ingested file: what the ingestor read, and where every record ended downstream. */
export interface IngestionReport extends FileAccounting {
  recordsPublished: number | null;
  /** Records the ingestor itself refused (too large, not UTF-8); also counted in deadLettered. */
  recordsDeadLetteredAtIngest: number | null;
  blankLinesSkipped: number | null;
  durationSeconds: number | null;
  completedAt: string | null;
  deadLettersByReason: Array<{ stage: string; errorCode: string; records: number }>;
  /** Data-quality findings (not errors: the claims folded) by code. */
  findingsByCode: Record<string, number>;
  /** Per canonical field (`claim.x`: claims without it; `line.x`: lines without it). */
  nullCountsByField: Record<string, number>;
  /** Event-time span of the claims whose current version came from this file. */
  firstEventDate: string | null;
  lastEventDate: string | null;
}

const FILE_ID = /^[0-9a-f]{64}$/;

@Injectable()
export class IngestionReportsService {
  constructor(private readonly repository: IngestionReportsRepository) {}

  async list(): Promise<FileAccounting[]> {
    return (await this.repository.accounting()).map(accountFile);
  }

  async report(fileId: string): Promise<IngestionReport> {
    if (!FILE_ID.test(fileId)) throw new NotFoundException({ code: 'INGESTION_NOT_FOUND' });
    const accounting = (await this.repository.accounting()).find((row) => row.file_id === fileId);
    if (!accounting) throw new NotFoundException({ code: 'INGESTION_NOT_FOUND' });
    const [file, deadLetters, dates, quality] = await Promise.all([
      this.repository.file(fileId),
      this.repository.deadLettersByReason(fileId),
      this.repository.eventDateRange(fileId),
      this.repository.quality(fileId),
    ]);
    const byKind = (kind: 'finding' | 'null_field'): Record<string, number> =>
      Object.fromEntries(quality.filter((row) => row.kind === kind).map((row) => [row.name, Number(row.count)]));
    return {
      ...accountFile(accounting),
      recordsPublished: file?.records_published ?? null,
      recordsDeadLetteredAtIngest: file?.records_dead_lettered ?? null,
      blankLinesSkipped: file?.blank_lines_skipped ?? null,
      durationSeconds: file?.duration_seconds ?? null,
      completedAt: file?.completed_at.toISOString() ?? null,
      deadLettersByReason: deadLetters.map((row) => ({
        stage: row.stage,
        errorCode: row.error_code,
        records: Number(row.records),
      })),
      findingsByCode: byKind('finding'),
      nullCountsByField: byKind('null_field'),
      firstEventDate: dates.first_event_date,
      lastEventDate: dates.last_event_date,
    };
  }
}
