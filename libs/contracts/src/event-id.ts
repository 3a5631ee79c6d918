import { createHash, hash } from 'node:crypto';

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
  // Length-prefix every part so ("ab","c") and ("a","bc") cannot collide.
  let material = `\u0000${kind.length}:${kind}`;
  for (const part of identity) material += `\u0000${part.length}:${part}`;
  // Every event a stage emits pays for this id: one one-shot hash of the joined parts (the same bytes as an
  // update per part) with the UUID cut from its hex costs a third of a Hash object's updates, digest and Buffer.
  const hex = hash('sha256', material, 'hex');
  // Version 8 in the high nibble of byte 6; the RFC 9562 variant (binary 10) in the top bits of byte 8.
  const variant = HEX_DIGITS.charAt((parseInt(hex.charAt(16), 16) & 0x3) | 0x8);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const HEX_DIGITS = '0123456789abcdef';

/** The raw event id of a source record: its layout, claim id and exact bytes. */
export function rawEventId(layout: string, claimId: string, recordSha256: string): string {
  return deriveEventId('claims.raw', layout, claimId, recordSha256);
}

/** A downstream stage's event id is derived from the event it was made from. */
export function derivedEventId(stage: string, upstreamEventId: string): string {
  return deriveEventId(stage, upstreamEventId);
}
