import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';
import { Transform, addAbortSignal, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  FILE_SIGNATURE_BYTES,
  isGzipSignature,
  unreadableFormatOf,
  unreadableFormatRefusal,
} from '@claims/source-layouts';
import { IngestionError } from './ingestion.errors';

const READ_CHUNK_BYTES = 256 * 1024;

export type SourceCompression = 'gzip' | 'none';

/**
 * Reads a file's first bytes to tell whether it is a file a layout may read,
 * and whether it is gzip-compressed. A file no layout reads by its kind (a
 * ZIP archive, as CMS ships the DE-SynPUF files; a spreadsheet, a PDF) is
 * refused as a whole, saying what it is and what to send, rather than read as
 * text whose header matches no layout.
 * @throws IngestionError FILE_COMPRESSION_UNSUPPORTED (an archive), FILE_FORMAT_UNSUPPORTED (a document or image)
 */
export async function readableSourceCompression(
  path: string,
  name: string = basename(path),
): Promise<SourceCompression> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(FILE_SIGNATURE_BYTES), 0, FILE_SIGNATURE_BYTES, 0);
    const firstBytes = buffer.subarray(0, bytesRead);
    const unreadable = unreadableFormatOf(firstBytes);
    if (unreadable !== null) {
      throw new IngestionError(
        unreadable.archive ? 'FILE_COMPRESSION_UNSUPPORTED' : 'FILE_FORMAT_UNSUPPORTED',
        unreadableFormatRefusal(name, unreadable),
      );
    }
    return isGzipSignature(firstBytes) ? 'gzip' : 'none';
  } finally {
    await handle.close();
  }
}

/** What a path that is not a regular file is, as a refusal says it (it is never opened). */
export function notRegularFileReason(
  info: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>,
): string {
  if (info.isDirectory()) return 'is a folder, not a file';
  if (info.isFIFO()) return 'is a named pipe, not a file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'is a device, not a file';
  if (info.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

/**
 * A failure to open a source file as a refusal naming it: one without read
 * permission is FILE_UNREADABLE, one gone since it was found FILE_NOT_FOUND,
 * rather than a server error whose message names the full path.
 */
export function asFileOpenRefusal(error: unknown, name: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new IngestionError('FILE_UNREADABLE', `${name} cannot be read by the ingestor: permission denied`);
  }
  if (code === 'ENOENT') return new IngestionError('FILE_NOT_FOUND', `no such file: ${name}`);
  return error;
}

/** How many of a line's first bytes tell UTF-16 text without a byte-order mark. */
const UTF16_PROBE_BYTES = 256;

/**
 * The UTF-16 byte order of text saved without its byte-order mark, told by
 * the NUL byte beside each ASCII letter (a header row is ASCII): every odd
 * byte NUL and no even one for little-endian, the reverse for big-endian.
 * Null for anything else, binary bytes included.
 */
export function utf16WithoutByteOrderMark(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  // Whole code units only: a big-endian line cut at its LF ends in the LF's leading NUL.
  const probed = Math.min(bytes.length, UTF16_PROBE_BYTES);
  const probe = bytes.subarray(0, probed - (probed % 2));
  if (probe.length < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let at = 0; at < probe.length; at += 1) {
    if (probe[at] !== 0) continue;
    if (at % 2 === 0) evenNul += 1;
    else oddNul += 1;
  }
  const pairs = probe.length / 2;
  if (oddNul === pairs && evenNul === 0) return 'utf-16le';
  if (evenNul === pairs && oddNul === 0) return 'utf-16be';
  return null;
}

export interface OpenSourceOptions {
  /** Closes the file at once when aborted. */
  signal?: AbortSignal;
  /** Called with the size of each chunk as it leaves the disk: compressed bytes for a gzip file, so progress is of the file as stored. */
  onBytesRead?: (bytes: number) => void;
  /** Updated with every chunk as it leaves the disk (compressed bytes for a gzip file): the bytes a file id names. */
  hash?: Hash;
}

/** The zlib codes of input that is not gzip or ends early (Node's zlib errors carry them as `code`). */
const DAMAGED_INPUT_CODES = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR', 'Z_NEED_DICT']);

/**
 * The gunzipped bytes of `source`, a damaged gzip file's zlib error as
 * FILE_COMPRESSION_INVALID. `readToItsEnd` tells, once the output has ended,
 * whether zlib took every byte of the file: it stops at a NUL byte after a
 * member and skips the rest unread (Node's allowance for padding), so that
 * a member after zero padding (a preallocated download resumed, a feed that
 * appends members) would be dropped without a word while its bytes stay in
 * the file id.
 */
async function* asCompressionErrors(
  source: Readable,
  name: string,
  readToItsEnd: () => boolean = () => true,
): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
    if (!readToItsEnd()) {
      throw new IngestionError(
        'FILE_COMPRESSION_INVALID',
        `${name} holds bytes after its gzip data that are not gzip (zero padding, or a download cut short): ` +
          'send the file as gzip wrote it',
      );
    }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && DAMAGED_INPUT_CODES.has(code)) {
      throw new IngestionError('FILE_COMPRESSION_INVALID', `${name} is not a complete gzip file`);
    }
    throw error;
  } finally {
    source.destroy();
  }
}

/**
 * A source file's bytes as text lines will be read from them: as stored, or
 * gunzipped as they stream (never the whole file in memory). The file is one
 * read stream, so aborting closes it; a damaged gzip file ends the stream
 * with FILE_COMPRESSION_INVALID.
 */
export function openSourceBytes(
  path: string,
  compression: SourceCompression,
  name: string,
  options: OpenSourceOptions = {},
): AsyncIterable<Uint8Array> {
  const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const { signal, onBytesRead, hash } = options;
  if (signal) addAbortSignal(signal, file);
  // Each pipeline destroys both its ends when either fails or the file is aborted; the error reaches the reader.
  let last: Readable = file;
  if (onBytesRead || hash) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash?.update(chunk);
        onBytesRead?.(chunk.length);
        done(null, chunk);
      },
    });
    last = pipeline(last, counter, () => undefined);
  }
  if (compression === 'none') return asCompressionErrors(last, name);
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  last = pipeline(last, gunzip, () => undefined);
  // Every byte read from the file, to its end, went into zlib: none was skipped as padding.
  return asCompressionErrors(last, name, () => gunzip.writableEnded && gunzip.bytesWritten === file.bytesRead);
}
