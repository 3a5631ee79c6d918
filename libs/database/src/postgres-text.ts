/**
 * A string as a Postgres text value can hold it: every character but U+0000,
 * which Postgres refuses ("invalid byte sequence for encoding UTF8: 0x00"),
 * becomes U+FFFD. For text a stage stores about a failure (a dead letter's
 * reason, a file name) rather than claim data: a write refused there would
 * stall the stage on a record it can neither store nor pass on. Claim data
 * with a NUL never gets this far: the ingestor and the normalizer refuse it.
 */
export function postgresText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/** postgresText for a value that may be absent. */
export function postgresTextOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : postgresText(value);
}
