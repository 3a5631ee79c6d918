/**
 * A reference file that cannot be read as its layout: a header without the
 * columns the layout is keyed by. Permanent: the same file fails the same way
 * on every retry, so a consumer dead-letters it instead of redelivering.
 */
export class ReferenceFormatError extends Error {
  readonly code = 'REFERENCE_FORMAT';
  readonly retriable = false;
  override readonly name = 'ReferenceFormatError';
}
