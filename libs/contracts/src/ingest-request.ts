import { z, type ZodError } from 'zod';

/** Records per second a paced replay may ask for: at least one, or a small file would hold its job open for hours. */
const RatePerSecond = z.number().min(1).max(1_000_000);
/** How many times faster than real time a replay paced on the records' own event dates runs. */
const Speedup = z.number().min(1).max(1e12);
/** A layout name, as `GET /v1/layouts` lists them; detected from the file's header when absent. */
const LayoutName = z.string().min(1).max(64);

const pacedOneWay = {
  check: (settings: { ratePerSecond?: number | undefined; speedup?: number | undefined }) =>
    settings.ratePerSecond === undefined || settings.speedup === undefined,
  message: { message: 'pace by ratePerSecond or by speedup, not both', path: ['speedup'] },
};

/** How an ingestion runs, whichever door starts it: pacing, a named layout, or a dry run. */
export const IngestSettingsSchema = z
  .object({
    ratePerSecond: RatePerSecond.optional(),
    speedup: Speedup.optional(),
    layout: LayoutName.optional(),
    /** Read and check the file (layout, records, predicted dead letters) and publish nothing. */
    dryRun: z.boolean().optional(),
  })
  .refine(pacedOneWay.check, pacedOneWay.message);
export type IngestSettings = z.infer<typeof IngestSettingsSchema>;

/** POST /v1/ingestions on the ingestor: a file already under INGEST_ROOT. */
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
 * The query of an upload, whose body is the file: the API's
 * `POST /v1/ingestions?name=…` and the ingestor's `POST /v1/uploads?name=…`
 * check it alike, so a bad request is refused before a byte of the file
 * travels. A name is a plain file name: no folder, nothing hidden. Unknown
 * parameters are refused: a misspelt `layuot` must not silently mean
 * "detect it".
 */
export const UploadQuerySchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\\0]+$/, 'a file name, not a path')
      .refine((name) => !name.startsWith('.'), 'a visible file name'),
    ratePerSecond: QueryNumber.pipe(RatePerSecond).optional(),
    speedup: QueryNumber.pipe(Speedup).optional(),
    layout: LayoutName.optional(),
    dryRun: QueryFlag.optional(),
  })
  .refine(pacedOneWay.check, pacedOneWay.message);
export type UploadQuery = z.output<typeof UploadQuerySchema>;

/** The fields a failed parse names: each issue's path, and the keys of an unknown-parameter issue. */
export function invalidFields(error: ZodError): string[] {
  return [
    ...new Set(
      error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || 'query'],
      ),
    ),
  ];
}
