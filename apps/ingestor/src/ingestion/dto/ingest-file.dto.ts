import { z } from 'zod';

export const IngestFileRequestSchema = z.object({
  /** Path relative to INGEST_ROOT. */
  file: z.string().min(1).max(1024),
  /**
   * Optional pacing for replays and load tests: records per second. At least
   * one: a smaller rate would hold the request (and the file) open for hours.
   */
  ratePerSecond: z.number().min(1).max(1_000_000).optional(),
});
export type IngestFileRequest = z.infer<typeof IngestFileRequestSchema>;
