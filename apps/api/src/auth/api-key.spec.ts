import { apiKeyHash, generateApiKey, isWellFormedApiKey } from './api-key';

describe('API keys', () => {
  it('makes a different well-formed key each time', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first).not.toBe(second);
    expect(isWellFormedApiKey(first)).toBe(true);
    expect(first).toMatch(/^ck_/);
  });

  it('refuses text that is not a key before any lookup', () => {
    for (const text of ['', 'ck_short', `xx_${'a'.repeat(43)}`, `ck_${'a'.repeat(42)}!`, `ck_${'a'.repeat(44)}`]) {
      expect(isWellFormedApiKey(text)).toBe(false);
    }
  });

  it('stores the SHA-256 of the key, hex, never the key', () => {
    const key = generateApiKey();
    const hash = apiKeyHash(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(3));
    // The FIPS 180-2 test vector: the hash is plain SHA-256, so any tool can check a stored one.
    expect(apiKeyHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
