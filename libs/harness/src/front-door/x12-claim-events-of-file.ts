import { sha256Hex, type ClaimEvent } from '@claims/contracts';
import {
  X12Error,
  isX12Start,
  normalizeX12Record,
  x12DispositionOf,
  x12RawRecordEvent,
  x12TokensOf,
  x12TransactionSetsOf,
} from '@claims/x12';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';

/** Whether a file (plain or gzip) is an X12 interchange: its first bytes are an ISA. */
export async function isX12File(path: string): Promise<boolean> {
  if (path.endsWith('.gz')) {
    for await (const chunk of createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      return isX12Start(chunk.subarray(0, 64));
    }
    return false;
  }
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return isX12Start(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The canonical events of an X12 file's transaction sets, read as the
 * ingestor and normalizer would, for tools that need what a file names (the
 * directory synthesizer reads its NPIs). A transaction set that is skipped,
 * damaged or does not map is passed over: this is a reading, not an ingest.
 */
export async function* x12ClaimEventsOfFile(
  path: string,
  options: { patientTokenKey: string },
): AsyncGenerator<ClaimEvent, void, undefined> {
  const bytes = createReadStream(path);
  const chunks = (path.endsWith('.gz') ? bytes.pipe(createGunzip()) : bytes) as AsyncIterable<Buffer>;
  for await (const item of x12TransactionSetsOf(x12TokensOf(chunks))) {
    if (item.kind !== 'transaction') continue;
    const transaction = item.transaction;
    try {
      const disposition = x12DispositionOf(transaction);
      if (disposition.kind !== 'publish') continue;
      const raw = x12RawRecordEvent(transaction, disposition.layout, {
        source: basename(path),
        fileId: sha256Hex(path),
        publishedAt: new Date().toISOString(),
      });
      yield* normalizeX12Record(raw, options);
    } catch (error) {
      if (!(error instanceof X12Error)) throw error;
    }
  }
}
