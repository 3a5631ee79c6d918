/**
 * Why X12 input cannot become canonical events. Every code is permanent: the
 * same bytes fail the same way on every retry, so they belong in the
 * dead-letter topic, never in a retry loop.
 */
export const X12_ERROR_CODES = [
  /** ISA/IEA, GS/GE or ST/SE do not pair, or their counts or control numbers disagree. */
  'X12_ENVELOPE_INVALID',
  /** The ISA segment is not there or its separators cannot be read from it. */
  'X12_SEPARATORS_INVALID',
  /** The input ends inside a segment (no segment terminator). */
  'X12_TRUNCATED',
  /** A segment longer than the tokenizer holds: damage, not data. */
  'X12_SEGMENT_TOO_LONG',
  /** A version the pipeline does not map (4010 and older: only 005010 is read). */
  'X12_VERSION_UNSUPPORTED',
  /** A transaction set of a type the pipeline does not know (270, 271, 276, 834 and the like are skipped instead). */
  'X12_TRANSACTION_UNSUPPORTED',
  /** A required segment or element is missing, or stands where the loop structure does not allow it. */
  'X12_SEGMENT_INVALID',
  /** A segment its transaction set's implementation guide does not define (damaged or foreign content). */
  'X12_SEGMENT_UNKNOWN',
  /** An amount element that is not a decimal number of at most two significant decimals. */
  'X12_AMOUNT_INVALID',
  /** A date element that is not CCYYMMDD (or a CCYYMMDD-CCYYMMDD range). */
  'X12_DATE_INVALID',
  /** A transaction set with no claim to fold (an 835 of provider-level adjustments only): recorded, so the file's accounting closes. */
  'X12_NO_CLAIMS',
  /** The raw event's envelope context (separators, control numbers) cannot be read. */
  'X12_CONTEXT_INVALID',
] as const;
export type X12ErrorCode = (typeof X12_ERROR_CODES)[number];

/** Where in the file an error sits: 1-based segment number in the file, element position within it (0 = the segment as a whole). */
export interface X12Location {
  segmentNumber: number;
  elementPosition: number;
}

export class X12Error extends Error {
  readonly retriable = false;

  constructor(
    readonly code: X12ErrorCode,
    message: string,
    readonly location: X12Location | null = null,
  ) {
    super(location ? `${message} (segment ${location.segmentNumber}, element ${location.elementPosition})` : message);
    this.name = 'X12Error';
  }
}

/**
 * A segment tag read from the input, as a reason shows it: a damaged file's
 * tag can hold any character, so everything but printable ASCII is written
 * as its code point (`CL\u{0}`), and a reason stays one readable line that
 * every store takes (Postgres text refuses U+0000).
 */
export function tagForReason(tag: string): string {
  return tag.replace(/[^\x21-\x7e]/gu, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}
