import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { IngestionError } from '../ingestion/ingestion.errors';

/**
 * How much of an over-limit body is still read and thrown away after the
 * 413, so the sender reads the answer instead of a reset connection; past
 * it, the connection is closed.
 */
const DISCARD_AFTER_REFUSAL_BYTES = 16 * 1024 * 1024;

export interface ReceivedUpload {
  bytes: number;
  sha256: string;
}

function tooLarge(maxBytes: number): IngestionError {
  return new IngestionError(
    'UPLOAD_TOO_LARGE',
    `the upload is over the ${maxBytes}-byte limit (INGEST_MAX_UPLOAD_BYTES)`,
  );
}

/**
 * Writes a request body to `path` as it arrives, one chunk at a time (the
 * disk's pace holds the sender back), hashing it on the way: never the whole
 * body in memory. A body over `maxBytes` is refused as soon as it passes the
 * limit and the partial file removed; the rest of the body is drained (up to
 * a bound) so the sender gets the 413.
 *
 * @throws IngestionError UPLOAD_TOO_LARGE, UPLOAD_INCOMPLETE
 */
export async function receiveUpload(body: Readable, path: string, maxBytes: number): Promise<ReceivedUpload> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  // Never an unhandled 'error': a write error is read where the upload waits on the file (drain, finished), and
  // a write still in flight when a failed upload destroys the file errors too, when it no longer matters.
  out.on('error', () => undefined);
  const hash = createHash('sha256');
  let bytes = 0;
  let refused: IngestionError | null = null;
  try {
    // destroyOnReturn false: leaving the loop over the limit must not reset the sender before it reads the 413.
    for await (const chunk of body.iterator({ destroyOnReturn: false })) {
      const piece = chunk as Buffer;
      bytes += piece.length;
      if (bytes > maxBytes) {
        refused = tooLarge(maxBytes);
        break;
      }
      hash.update(piece);
      if (!out.write(piece)) await once(out, 'drain');
    }
    if (refused === null && !body.readableEnded) {
      throw new IngestionError('UPLOAD_INCOMPLETE', 'the upload ended before its body did');
    }
  } catch (error) {
    await removePartial(out, path);
    if (error instanceof IngestionError) throw error;
    throw new IngestionError('UPLOAD_INCOMPLETE', 'the upload stopped before its body ended');
  }
  if (refused !== null) {
    await removePartial(out, path);
    discardRest(body);
    throw refused;
  }
  out.end();
  await finished(out);
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Destroys the partial file's stream and removes the file once the stream is
 * closed: the file is opened lazily, and an open still under way when the
 * upload failed would create it after an earlier removal.
 */
async function removePartial(out: WriteStream, path: string): Promise<void> {
  out.destroy();
  await finished(out).catch(() => undefined);
  await rm(path, { force: true });
}

/** Reads and drops what is left of a refused body, closing the connection once it is more than a bound. */
function discardRest(body: Readable): void {
  let discarded = 0;
  body.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_AFTER_REFUSAL_BYTES) body.destroy();
  });
  body.on('error', () => undefined);
  body.resume();
}

/** Refuses a body whose declared length is over the limit before a byte of it is read. @throws IngestionError UPLOAD_TOO_LARGE */
export function refuseDeclaredOversize(contentLength: string | undefined, maxBytes: number): void {
  if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > maxBytes) {
    throw tooLarge(maxBytes);
  }
}
