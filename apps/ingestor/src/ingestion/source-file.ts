import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Transform, addAbortSignal, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestionError } from './ingestion.errors';

const READ_CHUNK_BYTES = 256 * 1024;

/** ID1 and ID2, the two bytes every gzip member starts with (RFC 1952, section 2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;
/**
 * "PK" and the signature of what a ZIP archive starts with (APPNOTE.TXT 4.3):
 * a local file header, the end record of an empty archive, a spanned archive's marker.
 */
const ZIP_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
  [0x50, 0x4b, 0x07, 0x08],
] as const;
const MAGIC_BYTES = 4;

export type SourceCompression = 'gzip' | 'none';

/**
 * Whether a file's first bytes are gzip's. A file is recognised by what it
 * holds, not by its name: an upload or an inbox drop keeps whatever name the
 * sender gave it, and a `.gz` name on plain text must not be gunzipped.
 */
export function isGzipMagic(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= GZIP_MAGIC.length && GZIP_MAGIC.every((byte, index) => firstBytes[index] === byte);
}

/** Whether a file's first bytes are a ZIP archive's. */
export function isZipMagic(firstBytes: Uint8Array): boolean {
  return ZIP_SIGNATURES.some((signature) => signature.every((byte, index) => firstBytes[index] === byte));
}

/**
 * Reads a file's first bytes to tell whether it is gzip-compressed. A ZIP
 * archive (how CMS ships the DE-SynPUF files) is refused as a whole, saying
 * what to do, rather than read as text whose header matches no layout.
 * @throws IngestionError FILE_COMPRESSION_UNSUPPORTED
 */
export async function sourceCompressionOf(path: string, name: string = basename(path)): Promise<SourceCompression> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAGIC_BYTES), 0, MAGIC_BYTES, 0);
    const firstBytes = buffer.subarray(0, bytesRead);
    if (isZipMagic(firstBytes)) {
      throw new IngestionError(
        'FILE_COMPRESSION_UNSUPPORTED',
        `${name} is a ZIP archive: unzip it and ingest the files it holds (gzip is read as it is)`,
      );
    }
    return isGzipMagic(firstBytes) ? 'gzip' : 'none';
  } finally {
    await handle.close();
  }
}

export interface OpenSourceOptions {
  /** Closes the file at once when aborted. */
  signal?: AbortSignal;
  /** Called with the size of each chunk as it leaves the disk: compressed bytes for a gzip file, so progress is of the file as stored. */
  onBytesRead?: (bytes: number) => void;
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
  const { signal, onBytesRead } = options;
  if (signal) addAbortSignal(signal, file);
  // Each pipeline destroys both its ends when either fails or the file is aborted; the error reaches the reader.
  let last: Readable = file;
  if (onBytesRead) {
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onBytesRead(chunk.length);
        done(null, chunk);
      },
    });
    last = pipeline(last, counter, () => undefined);
  }
  if (compression === 'gzip') last = pipeline(last, createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
  return asCompressionErrors(last, name);
}
