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

const ingestSettingsShape = {
  ratePerSecond: RatePerSecond.optional(),
  speedup: Speedup.optional(),
  layout: LayoutName.optional(),
  /** Read and check the file (layout, records, predicted dead letters) and publish nothing. */
  dryRun: z.boolean().optional(),
};

/** How an ingestion runs, whichever door starts it: pacing, a named layout, or a dry run. */
export const IngestSettingsSchema = z.object(ingestSettingsShape).refine(pacedOneWay.check, pacedOneWay.message);
export type IngestSettings = z.infer<typeof IngestSettingsSchema>;

/**
 * POST /v1/ingestions on the ingestor: a file already under INGEST_ROOT.
 * Unknown fields are refused, as an upload's unknown parameters are: a
 * misspelt `dryrun` must not silently publish the file for real.
 */
export const IngestFileRequestSchema = z
  .strictObject({
    /** Path relative to INGEST_ROOT, or absolute under it. */
    file: z.string().min(1).max(1024),
    ...ingestSettingsShape,
  })
  .refine(pacedOneWay.check, pacedOneWay.message);
export type IngestFileRequest = z.infer<typeof IngestFileRequestSchema>;

const QueryFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const QueryNumber = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number);

/**
 * The longest file name, in UTF-8 bytes, a Linux file system stores
 * (NAME_MAX): the ingestor keeps an upload under its name, and a longer one
 * failed there (ENAMETOOLONG) after the whole body had been sent.
 */
export const MAX_UPLOAD_NAME_BYTES = 255;

/**
 * Characters no source file's name needs, refused so that a name shown in
 * reports, exports, logs and terminals reads as what it is: control
 * characters (line breaks, tabs, escape sequences) and the bidirectional
 * overrides and isolates that make `claims<U+202E>vsc.exe` display as `claimsexe.csv`.
 */
const UNPRINTABLE_IN_NAME = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Why a name cannot be an upload's file name (its issue's message), or null when it can. */
export function uploadNameRefusal(name: string): string | null {
  if (new TextEncoder().encode(name).length > MAX_UPLOAD_NAME_BYTES) {
    return `name is over ${MAX_UPLOAD_NAME_BYTES} bytes in UTF-8, the longest file name a file system stores`;
  }
  if (UNPRINTABLE_IN_NAME.test(name)) return 'name holds a control or text-direction character: send a plain file name';
  if (!/^[^/\\]+$/.test(name)) return 'name is a path: send a file name';
  if (name.startsWith('.')) return 'name is hidden (starts with a dot): send a visible file name';
  return null;
}

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
      .superRefine((name, context) => {
        const refusal = uploadNameRefusal(name);
        if (refusal !== null) context.addIssue({ code: 'custom', message: refusal });
      }),
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
