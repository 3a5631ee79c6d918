import { z } from 'zod';
import { SourceLayoutSchema } from './claim-events';

/**
 * What the ingestor answers (POST /v1/ingestions, or `main.js ingest`) once
 * every record of a file is published or dead-lettered, and what it publishes
 * on claims.ingest-reports.v1 (keyed by file id) so that the metrics service
 * can account for every record the file held: records read must equal the
 * records folded, found duplicate and dead-lettered downstream.
 */
export const IngestReportSchema = z.object({
  schemaVersion: z.literal(1),
  source: z.string().min(1),
  /** SHA-256 of the file's bytes: the same file ingested twice has one id. */
  fileId: z.string().regex(/^[0-9a-f]{64}$/),
  layout: SourceLayoutSchema,
  /** Data rows read (the header and blank lines aside); a claim spanning several rows counts each. */
  recordsRead: z.number().int().nonnegative(),
  /** Rows published to claims.raw.v1 (the adjacent rows of a multi-row claim travel in one event). */
  recordsPublished: z.number().int().nonnegative(),
  /** Rows the ingestor itself sent to the dead-letter topic (too large, not UTF-8, claim over the group limit). */
  recordsDeadLettered: z.number().int().nonnegative(),
  blankLinesSkipped: z.number().int().nonnegative(),
  /**
   * Records read, recognised and deliberately not published: X12 transaction
   * sets no KPI folds (270, 271, 276, 834, ...) or of an unsupported version
   * (4010). They are outside recordsRead, which counts what the pipeline
   * must account for. Optional: reports written before it still read.
   */
  recordsSkipped: z.number().int().nonnegative().optional(),
  /** Why, by code and reason (the reason names a transaction type or version, never content). */
  skippedByReason: z
    .array(z.object({ code: z.string().min(1), reason: z.string(), records: z.number().int().positive() }))
    .optional(),
  durationSeconds: z.number().nonnegative(),
  completedAt: z.iso.datetime(),
});
export type IngestReport = z.infer<typeof IngestReportSchema>;
