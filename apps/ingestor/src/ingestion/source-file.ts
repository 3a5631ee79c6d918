import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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

async function* asCompressionErrors(source: Readable, name: string): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
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
  if (compression === 'gzip') last = pipeline(last, createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
  return asCompressionErrors(last, name);
}
