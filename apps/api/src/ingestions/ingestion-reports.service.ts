import { TALLIED_CLAIMS, accountFile, roundedRatio, type FileAccounting, type FileQualityKind } from '@claims/kpi';
import { Injectable, NotFoundException } from '@nestjs/common';
import { IngestionReportsRepository } from './ingestion-reports.repository';

/** One ingested file: what the ingestor read, and where every record ended downstream. */
export interface IngestionReport extends FileAccounting {
  recordsPublished: number | null;
  /** Records the ingestor itself refused (too large, not text, a repeated row); also counted in deadLettered. */
  recordsDeadLetteredAtIngest: number | null;
  blankLinesSkipped: number | null;
  /** X12 transaction sets read and not published (types no KPI folds, unsupported versions), outside recordsRead. */
  recordsSkipped: number | null;
  skippedByReason: Array<{ code: string; reason: string; records: number }>;
  durationSeconds: number | null;
  completedAt: string | null;
  deadLettersByReason: Array<{ stage: string; errorCode: string; records: number }>;
  /** Data-quality findings (not errors: the claims folded) by code. */
  findingsByCode: Record<string, number>;
  /** Per canonical field (`claim.x`: claims without it; `line.x`: lines without it). */
  nullCountsByField: Record<string, number>;
  /**
   * Claims whose enrichment missed a lookup, by `lookup:reason` (for example
   * `provider:not_found`, `service_location:not_yet_effective`), each claim
   * counted once per kind, with their share of the file's folded claims.
   */
  lookupMissesByKind: Record<string, ClaimShare>;
  /** Claims the pend rules pended, by reason code (a claim once per code), with their share. */
  pendReasonsByCode: Record<string, ClaimShare>;
  /** Event-time span of the claims whose current version came from this file. */
  firstEventDate: string | null;
  lastEventDate: string | null;
}

export interface ClaimShare {
  claims: number;
  /** claims / the file's folded claims, rounded to 4 places; null when none folded. */
  shareOfFoldedClaims: number | null;
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
    const byKind = (kind: FileQualityKind): Record<string, number> =>
      Object.fromEntries(quality.filter((row) => row.kind === kind).map((row) => [row.name, Number(row.count)]));
    // The claims the fold tallied for the file; a file folded before that count was kept falls back to its records.
    const foldedClaims = byKind('claims')[TALLIED_CLAIMS] ?? Number(accounting.folded);
    const withShares = (kind: FileQualityKind): Record<string, ClaimShare> =>
      Object.fromEntries(
        Object.entries(byKind(kind)).map(([name, claims]) => [
          name,
          { claims, shareOfFoldedClaims: foldedClaims > 0 ? roundedRatio(claims, foldedClaims, 4) : null },
        ]),
      );
    return {
      ...accountFile(accounting),
      recordsPublished: file?.records_published ?? null,
      recordsDeadLetteredAtIngest: file?.records_dead_lettered ?? null,
      blankLinesSkipped: file?.blank_lines_skipped ?? null,
      recordsSkipped: file?.records_skipped ?? null,
      skippedByReason: file?.skipped_by_reason ?? [],
      durationSeconds: file?.duration_seconds ?? null,
      completedAt: file?.completed_at.toISOString() ?? null,
      deadLettersByReason: deadLetters.map((row) => ({
        stage: row.stage,
        errorCode: row.error_code,
        records: Number(row.records),
      })),
      findingsByCode: byKind('finding'),
      nullCountsByField: byKind('null_field'),
      lookupMissesByKind: withShares('lookup_miss'),
      pendReasonsByCode: withShares('pend_reason'),
      firstEventDate: dates.first_event_date,
      lastEventDate: dates.last_event_date,
    };
  }
}
