import { z } from 'zod';

/** How an ingestion runs, whichever door starts it: pacing, a named layout, or a dry run. */
export const IngestSettingsSchema = z
  .object({
    /**
     * Optional pacing for replays and load tests: records per second. At least
     * one: a smaller rate would hold the job (and the file) open for hours.
     */
    ratePerSecond: z.number().min(1).max(1_000_000).optional(),
    /** Optional pacing on the records' own event dates, this many times faster than real time. */
    speedup: z.number().min(1).max(1e12).optional(),
    /** The layout the file has; its header must fit it. Detected from the header when absent. */
    layout: z.string().min(1).max(64).optional(),
    /** Read and check the file (layout, records, predicted dead letters) and publish nothing. */
    dryRun: z.boolean().optional(),
  })
  .refine((settings) => settings.ratePerSecond === undefined || settings.speedup === undefined, {
    message: 'pace by ratePerSecond or by speedup, not both',
    path: ['speedup'],
  });
export type IngestSettings = z.infer<typeof IngestSettingsSchema>;

/** POST /v1/ingestions: a file already under INGEST_ROOT. */
export const IngestFileRequestSchema = z.intersection(
  z.object({
    /** Path relative to INGEST_ROOT, or absolute under it. */
    file: z.string().min(1).max(1024),
  }),
  IngestSettingsSchema,
);
export type IngestFileRequest = z.infer<typeof IngestFileRequestSchema>;

const QueryFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const QueryNumber = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number);

/**
 * POST /v1/uploads?name=…: the body is the file, so the settings travel in
 * the query string. A name is a plain file name: no folder, nothing hidden.
 */
export const UploadQuerySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\\0]+$/, 'a file name, not a path')
      .refine((name) => !name.startsWith('.'), 'a visible file name'),
    ratePerSecond: QueryNumber.optional(),
    speedup: QueryNumber.optional(),
    layout: z.string().min(1).max(64).optional(),
    dryRun: QueryFlag.optional(),
  })
  .pipe(z.intersection(z.object({ name: z.string() }), IngestSettingsSchema));
export type UploadQuery = z.infer<typeof UploadQuerySchema>;
