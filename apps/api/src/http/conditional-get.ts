import { createHash } from 'node:crypto';

/**
 * The bytes Express sends for a handler's return value: a string as is, any
 * other value as `JSON.stringify` writes it (the API sets no JSON replacer or
 * spacing), so the tag below is over exactly the representation sent.
 */
export function representationOf(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/**
 * A strong entity tag (RFC 9110 §8.8.3): the SHA-256 of the representation,
 * base64url. Two answers with one tag are byte for byte the same.
 */
export function strongEtag(representation: string): string {
  return `"${createHash('sha256').update(representation, 'utf8').digest('base64url')}"`;
}

/** `Tue, 02 Dec 2026 04:00:00 GMT`: an HTTP-date (RFC 9110 §5.6.7), whole seconds. */
export function httpDate(at: Date): string {
  return at.toUTCString();
}

/**
 * Leaves If-None-Match as the one precondition Express's freshness check
 * (`req.fresh`, which answers 304 in `res.send`) evaluates for a response
 * tagged here:
 *
 * - If-Modified-Since goes: two folds can commit within one second, which an
 *   HTTP-date cannot tell apart, so only the strong tag can say "unchanged".
 * - A request's `Cache-Control: no-cache` goes: it is addressed to caches
 *   (RFC 9111 §5.2.1.4), not to the origin's evaluation of preconditions
 *   (RFC 9110 §13.2), and the fetch standard adds it to every request that
 *   carries If-None-Match, so honouring it would deny every fetch() poller
 *   its 304.
 */
export function honourIfNoneMatchOnly(headers: Record<string, string | string[] | undefined>): void {
  delete headers['if-modified-since'];
  delete headers['cache-control'];
}
