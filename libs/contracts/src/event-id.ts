import { createHash } from 'node:crypto';

/** SHA-256 of a record's bytes, hex encoded: the lineage fingerprint of a source record. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Deterministic event id: a name-based UUID (RFC 9562 version 8 layout) over
 * the parts that identify an event. The same source record always yields the
 * same id, whichever file, offset or replay it arrives from, which is what lets
 * downstream stages recognise a redelivery or a replay and never count it twice.
 */
export function deriveEventId(kind: string, ...identity: string[]): string {
  const hash = createHash('sha256');
  for (const part of [kind, ...identity]) {
    // Length-prefix every part so ("ab","c") and ("a","bc") cannot collide.
    hash.update(`\u0000${part.length}:${part}`);
  }
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The raw event id of a source record: its layout, claim id and exact bytes. */
export function rawEventId(layout: string, claimId: string, recordSha256: string): string {
  return deriveEventId('claims.raw', layout, claimId, recordSha256);
}

/** A downstream stage's event id is derived from the event it was made from. */
export function derivedEventId(stage: string, upstreamEventId: string): string {
  return deriveEventId(stage, upstreamEventId);
}
