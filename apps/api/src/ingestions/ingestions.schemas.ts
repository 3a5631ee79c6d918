import { z } from 'zod';

/**
 * An ingestion job as the ingestor shows it (its IngestJobView), which the
 * upload and job routes pass through unchanged. Written here because the API
 * may not import the ingestor app; the members beyond these (progress
 * counters, the report's figures) are the ingestor's and stay open.
 */
export const IngestJobSchema = z.looseObject({
  ingestId: z.string(),
  origin: z.enum(['request', 'upload', 'inbox']),
  state: z.enum(['running', 'completed', 'failed']),
  source: z.string(),
  layout: z.string(),
  dryRun: z.boolean(),
  startedAt: z.string().meta({ description: 'ISO 8601 instant' }),
  finishedAt: z.string().nullable(),
  report: z
    .looseObject({})
    .nullable()
    .meta({ description: 'The ingest report (or the dry-run report) once completed' }),
  error: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .meta({ description: 'Why it failed: a stable code and a message naming files and fields, never values' }),
  duplicateOf: z
    .object({ fileId: z.string(), source: z.string(), ingestedAt: z.string() })
    .nullable()
    .meta({ description: 'Set when the same bytes were ingested before and nothing was published' }),
});

/** The job's JSON Schema as the OpenAPI document (3.0) writes schemas. */
export const INGEST_JOB_JSON_SCHEMA = z.toJSONSchema(IngestJobSchema, { target: 'openapi-3.0' }) as Record<
  string,
  unknown
>;
