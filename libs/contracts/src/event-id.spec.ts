import { createHash } from 'node:crypto';
import { deriveEventId, derivedEventId, rawEventId, sha256Hex } from './event-id';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sha256Hex', () => {
  it('returns the FIPS 180-2 digests of "" and "abc" in lower-case hex', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes bytes and the equal string alike', () => {
    expect(sha256Hex(Buffer.from('abc', 'utf8'))).toBe(sha256Hex('abc'));
  });
});

describe('deriveEventId', () => {
  it('returns a version-8, RFC 9562 variant UUID string', () => {
    expect(deriveEventId('test', 'ab', 'c')).toMatch(UUID_V8);
  });

  it('returns the same id for the same kind and parts, call after call', () => {
    expect(deriveEventId('test', 'ab', 'c')).toBe(deriveEventId('test', 'ab', 'c'));
  });

  it('matches the value computed independently from SHA-256 of the length-prefixed parts', () => {
    // sha256("\0" + "4:test" + "\0" + "2:ab" + "\0" + "1:c"), first 16 bytes, version and variant bits set.
    expect(deriveEventId('test', 'ab', 'c')).toBe('c664d170-e0b0-8c26-8598-a8e151230a97');
    expect(deriveEventId('test', 'a', 'bc')).toBe('f85f49cc-a8c9-81b2-a21f-1692359f9653');
  });

  it('hashes each part as UTF-8 behind its UTF-16 length, as the id has always been derived', () => {
    // The construction the ids stored downstream were made with: one SHA-256 update per length-prefixed part.
    const updatePerPart = (...parts: string[]): string => {
      const sha256 = createHash('sha256');
      for (const part of parts) sha256.update(`\u0000${part.length}:${part}`);
      const bytes = sha256.digest().subarray(0, 16);
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      const hex = bytes.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    const partSets = [
      ['claims.enriched', '6d354df3-2568-86b7-91e2-ff03f024159d'],
      ['claims.cleared', 'b1f0c0de-0000-8000-8000-000000000000', '2010-03-08'],
      ['test', 'Zoë Ångström', '診療', '😀'],
      ['test', ''],
      ...Array.from({ length: 64 }, (_, index) => [
        'claims.raw',
        'desynpuf.carrier',
        String(index * 7919),
        sha256Hex(String(index)),
      ]),
    ];
    for (const [kind = '', ...identity] of partSets) {
      expect(deriveEventId(kind, ...identity)).toBe(updatePerPart(kind, ...identity));
    }
  });

  it("keeps ('ab','c') and ('a','bc') apart thanks to the length prefix", () => {
    expect(deriveEventId('test', 'ab', 'c')).not.toBe(deriveEventId('test', 'a', 'bc'));
  });

  it('gives a different id for a different kind over the same parts', () => {
    expect(deriveEventId('claims.raw', 'x')).not.toBe(deriveEventId('claims.normalized', 'x'));
  });

  it('tells an empty trailing part apart from no part', () => {
    expect(deriveEventId('test', 'a')).not.toBe(deriveEventId('test', 'a', ''));
  });
});

describe('rawEventId and derivedEventId', () => {
  const recordSha256 = '0'.repeat(64);

  it('derives the raw id from kind claims.raw, layout, claim id and record hash', () => {
    expect(rawEventId('desynpuf.carrier', '1', recordSha256)).toBe(
      deriveEventId('claims.raw', 'desynpuf.carrier', '1', recordSha256),
    );
  });

  it('changes the raw id when the record bytes change', () => {
    expect(rawEventId('desynpuf.carrier', '1', recordSha256)).not.toBe(
      rawEventId('desynpuf.carrier', '1', sha256Hex('other bytes')),
    );
  });

  it('derives a downstream id from the stage and the upstream id only', () => {
    const raw = rawEventId('desynpuf.carrier', '1', recordSha256);
    expect(derivedEventId('claims.normalized', raw)).toBe('54b2337d-42e7-8c9e-9e5e-705e7a6a161c');
    expect(derivedEventId('claims.normalized', raw)).not.toBe(derivedEventId('claims.enriched', raw));
  });
});
