import { UploadQuerySchema, invalidFields, uploadNameRefusal, type UploadQuery } from '@claims/contracts';
import { isGzipSignature, unreadableFormatOf, unreadableFormatRefusal, utf16EncodingOf } from '@claims/source-layouts';

/** The first bytes read from an upload to tell text from gzip from anything else, before anything is sent on. */
export const SNIFF_BYTES = 4096;

export type UploadQueryCheck =
  | { ok: true; query: UploadQuery; forward: URLSearchParams }
  | { ok: false; fields: string[]; message: string };

/**
 * The upload's settings, or the fields at fault. A named layout must be one
 * the pipeline knows (`knownLayouts`): an unknown one is refused here, with
 * the list, rather than after the whole file has been sent.
 */
export function checkUploadQuery(raw: Record<string, unknown>, knownLayouts: readonly string[]): UploadQueryCheck {
  const parsed = UploadQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const fields = invalidFields(parsed.error);
    // A name's own refusal says what a file name may not be; other fields are named.
    const nameRefusal = typeof raw['name'] === 'string' ? uploadNameRefusal(raw['name']) : null;
    return { ok: false, fields, message: nameRefusal ?? `invalid or unknown: ${fields.join(', ')}` };
  }
  const query = parsed.data;
  if (query.layout !== undefined && !knownLayouts.includes(query.layout)) {
    return {
      ok: false,
      fields: ['layout'],
      message: `layout is not a known layout (known: ${knownLayouts.join(', ')}); omit it to detect the layout from the header`,
    };
  }
  const forward = new URLSearchParams({ name: query.name });
  if (query.layout !== undefined) forward.set('layout', query.layout);
  if (query.ratePerSecond !== undefined) forward.set('ratePerSecond', String(query.ratePerSecond));
  if (query.speedup !== undefined) forward.set('speedup', String(query.speedup));
  if (query.dryRun !== undefined) forward.set('dryRun', String(query.dryRun));
  return { ok: true, query, forward };
}

/**
 * Media types a source file may be sent as. JSON and forms are not among
 * them: the body parser would read those into memory before any route ran,
 * and a multipart form wraps the file in boundaries the ingestor would read
 * as records. The body is the file itself; its layout is read from its bytes.
 */
const ACCEPTED_MEDIA_TYPES = new Set([
  'application/octet-stream',
  'application/gzip',
  'application/x-gzip',
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/edi-x12',
]);

/** Whether the declared Content-Type is one a source file travels as (none declared counts as bytes). */
export function isAcceptedUploadMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return ACCEPTED_MEDIA_TYPES.has(mediaType);
}

/**
 * Why an upload's first bytes are not a source file, or null when they may
 * be one: gzip (the ingestor gunzips it as it streams) or text (CSV,
 * pipe-delimited, X12: every layout is text). A format people send by
 * mistake (a zip, a spreadsheet, a PDF) is named with what to send instead;
 * anything else holding a NUL byte, which no UTF-8 source file holds, is
 * refused as binary. UTF-16 is told by its byte-order mark, as the ingestor
 * tells it (it transcodes such a file as it streams); without one it is
 * refused too.
 */
export function uploadHeadRefusal(head: Buffer): string | null {
  if (isGzipSignature(head) || utf16EncodingOf(head) !== null) return null;
  const unreadable = unreadableFormatOf(head);
  if (unreadable !== null) return unreadableFormatRefusal('the body', unreadable);
  return head.subarray(0, SNIFF_BYTES).includes(0)
    ? 'the body is neither text (CSV, delimited, X12) nor gzip: send the source file itself'
    : null;
}

/** Job ids the ingestor makes (UUIDs); anything else names no job and is not sent on. */
const INGEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isIngestId(value: string): boolean {
  return INGEST_ID.test(value);
}
