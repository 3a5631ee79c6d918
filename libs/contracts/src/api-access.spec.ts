import { createHmac } from 'node:crypto';
import { API_TOKEN_MAX_LIFETIME_SECONDS, parseTokenLifetime, signApiToken, verifyApiToken } from './api-access';

const secret = 'a-test-secret-of-at-least-32-characters';
const now = 1_764_633_600; // 2025-12-02T00:00:00Z

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('signApiToken and verifyApiToken', () => {
  it('round-trips sub, role, iat and exp for a token within its lifetime', () => {
    const token = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 8 * 3600, nowSeconds: now }, secret);
    expect(verifyApiToken(token, secret, now + 3600)).toEqual({
      ok: true,
      claims: { sub: 'ana', role: 'analyst', iat: now, exp: now + 8 * 3600 },
    });
  });

  it('writes a standard HS256 JWT any library can verify with the secret', () => {
    const token = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 60, nowSeconds: now }, secret);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
  });

  it('refuses a token past its expiry (beyond the 30 s leeway) with TOKEN_EXPIRED', () => {
    const token = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 60, nowSeconds: now }, secret);
    expect(verifyApiToken(token, secret, now + 60 + 29).ok).toBe(true);
    expect(verifyApiToken(token, secret, now + 60 + 30)).toEqual({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('refuses a token signed with another secret, or with its role changed, with TOKEN_SIGNATURE_INVALID', () => {
    const token = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 60, nowSeconds: now }, secret);
    expect(verifyApiToken(token, 'another-secret-of-at-least-32-characters', now)).toEqual({
      ok: false,
      code: 'TOKEN_SIGNATURE_INVALID',
    });
    const [header, , signature] = token.split('.');
    const promoted = `${header}.${part({ sub: 'ana', role: 'admin', iat: now, exp: now + 60 })}.${signature}`;
    expect(verifyApiToken(promoted, secret, now)).toEqual({ ok: false, code: 'TOKEN_SIGNATURE_INVALID' });
  });

  it('refuses an unsigned (alg none) token and garbage with TOKEN_MALFORMED', () => {
    const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'x', role: 'admin', iat: now, exp: now + 60 })}.`;
    expect(verifyApiToken(unsigned, secret, now)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    for (const garbage of ['', 'abc', 'a.b', 'a.b.c.d', '%%.%%.%%']) {
      expect(verifyApiToken(garbage, secret, now)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    }
  });

  it('refuses a correctly signed token whose claims are not ours (unknown role, no exp) with TOKEN_MALFORMED', () => {
    const header = part({ alg: 'HS256', typ: 'JWT' });
    const sign = (claims: unknown): string => {
      const input = `${header}.${part(claims)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    expect(verifyApiToken(sign({ sub: 'x', role: 'root', iat: now, exp: now + 60 }), secret, now).ok).toBe(false);
    expect(verifyApiToken(sign({ sub: 'x', role: 'admin', iat: now }), secret, now)).toEqual({
      ok: false,
      code: 'TOKEN_MALFORMED',
    });
  });

  it('refuses a correctly signed token issued in the future (beyond the 30 s leeway) with TOKEN_MALFORMED', () => {
    const early = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 3600, nowSeconds: now + 30 }, secret);
    expect(verifyApiToken(early, secret, now).ok).toBe(true);
    const future = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 3600, nowSeconds: now + 86_400 }, secret);
    expect(verifyApiToken(future, secret, now)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
  });

  it('refuses a correctly signed token whose lifetime is over 366 days, or not positive, with TOKEN_MALFORMED', () => {
    const header = part({ alg: 'HS256', typ: 'JWT' });
    const sign = (claims: unknown): string => {
      const input = `${header}.${part(claims)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    const longest = sign({ sub: 'x', role: 'admin', iat: now, exp: now + API_TOKEN_MAX_LIFETIME_SECONDS });
    expect(verifyApiToken(longest, secret, now).ok).toBe(true);
    for (const exp of [now + API_TOKEN_MAX_LIFETIME_SECONDS + 1, now + 10 * 366 * 86_400, now, now - 60]) {
      expect(verifyApiToken(sign({ sub: 'x', role: 'admin', iat: now, exp }), secret, now)).toEqual({
        ok: false,
        code: 'TOKEN_MALFORMED',
      });
    }
  });

  it('will not sign a token living longer than 366 days', () => {
    expect(() =>
      signApiToken(
        { sub: 'a', role: 'admin', ttlSeconds: API_TOKEN_MAX_LIFETIME_SECONDS + 1, nowSeconds: now },
        secret,
      ),
    ).toThrow(/366 days/);
    expect(
      verifyApiToken(
        signApiToken({ sub: 'a', role: 'admin', ttlSeconds: API_TOKEN_MAX_LIFETIME_SECONDS, nowSeconds: now }, secret),
        secret,
        now,
      ).ok,
    ).toBe(true);
  });

  it('will not sign with a short secret, an unknown role or a bad subject', () => {
    expect(() => signApiToken({ sub: 'a', role: 'admin', ttlSeconds: 60, nowSeconds: now }, 'short')).toThrow(/32/);
    expect(() => signApiToken({ sub: 'a', role: 'root' as 'admin', ttlSeconds: 60, nowSeconds: now }, secret)).toThrow(
      /role/,
    );
    expect(() => signApiToken({ sub: 'a b', role: 'admin', ttlSeconds: 60, nowSeconds: now }, secret)).toThrow(
      /subject/,
    );
  });
});

describe('parseTokenLifetime', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseTokenLifetime('90')).toBe(90);
    expect(parseTokenLifetime('30m')).toBe(1800);
    expect(parseTokenLifetime('8h')).toBe(28_800);
    expect(parseTokenLifetime('7d')).toBe(604_800);
  });

  it('refuses zero, other units and lifetimes over 366 days', () => {
    for (const text of ['0', '0h', '8w', '-1h', '1.5h', '367d', '']) expect(parseTokenLifetime(text)).toBeNull();
  });
});
