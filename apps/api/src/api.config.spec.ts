import { ConfigurationError } from '@claims/config';
import { loadApiConfig } from './api.config';

const token = 'a'.repeat(32);
const base = { DATABASE_URL: 'postgres://u@h:5432/d', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('loadApiConfig', () => {
  it('reads role=token pairs into a token map, ingest among the roles', () => {
    const config = loadApiConfig({ ...base, API_TOKENS: `analyst=${token},ingest=${'b'.repeat(24)}` });
    expect(config.tokens.get(token)).toBe('analyst');
    expect(config.tokens.get('b'.repeat(24))).toBe('ingest');
    expect(config.tokenSecret).toBeNull();
    expect(config.http.port).toBe(3000);
  });

  it('starts with a token secret alone, no static token', () => {
    const config = loadApiConfig({ ...base, API_TOKEN_SECRET: 's'.repeat(32) });
    expect(config.tokens.size).toBe(0);
    expect(config.tokenSecret).toBe('s'.repeat(32));
  });

  it('refuses to start with neither API_TOKENS nor API_TOKEN_SECRET, naming them', () => {
    expect(() => loadApiConfig(base)).toThrow(/API_TOKENS.*API_TOKEN_SECRET/);
  });

  it('refuses a token secret shorter than 32 characters, naming the variable', () => {
    expect(() => loadApiConfig({ ...base, API_TOKEN_SECRET: 's'.repeat(31) })).toThrow(/API_TOKEN_SECRET/);
  });

  it('refuses a token shorter than 24 characters or an unknown role', () => {
    expect(() => loadApiConfig({ ...base, API_TOKENS: 'admin=short' })).toThrow(ConfigurationError);
    expect(() => loadApiConfig({ ...base, API_TOKENS: `root=${token}` })).toThrow(/API_TOKENS/);
  });

  it('refuses a DATABASE_URL that is not a Postgres URL', () => {
    expect(() => loadApiConfig({ ...base, DATABASE_URL: 'mysql://u@h/d', API_TOKENS: `admin=${token}` })).toThrow(
      /DATABASE_URL/,
    );
  });

  it('limits each client to 600 requests a minute with a burst of 120 unless told otherwise', () => {
    expect(loadApiConfig({ ...base, API_TOKENS: `admin=${token}` }).rateLimit).toEqual({ perMinute: 600, burst: 120 });
    expect(
      loadApiConfig({
        ...base,
        API_TOKENS: `admin=${token}`,
        API_RATE_LIMIT_PER_MINUTE: '60',
        API_RATE_LIMIT_BURST: '5',
      }).rateLimit,
    ).toEqual({ perMinute: 60, burst: 5 });
  });

  it('turns the rate limit off at 0 a minute and refuses a burst below 1, naming the variable', () => {
    expect(
      loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, API_RATE_LIMIT_PER_MINUTE: '0' }).rateLimit,
    ).toBeNull();
    expect(() => loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, API_RATE_LIMIT_BURST: '0' })).toThrow(
      /API_RATE_LIMIT_BURST/,
    );
  });

  it('streams uploads to the ingestor on this machine, without a credential, up to 4 GiB, unless told otherwise', () => {
    expect(loadApiConfig({ ...base, API_TOKENS: `admin=${token}` })).toMatchObject({
      ingestor: { url: 'http://127.0.0.1:3001', serviceToken: null },
      uploads: { maxBytes: 4 * 1024 ** 3, layoutsDir: undefined },
    });
    expect(
      loadApiConfig({
        ...base,
        API_TOKENS: `admin=${token}`,
        INGESTOR_URL: 'http://ingestor:3001/',
        INGESTOR_SERVICE_TOKEN: 'i'.repeat(24),
        API_MAX_UPLOAD_BYTES: '1024',
      }),
    ).toMatchObject({
      ingestor: { url: 'http://ingestor:3001', serviceToken: 'i'.repeat(24) },
      uploads: { maxBytes: 1024 },
    });
  });

  it('refuses a short ingestor credential and an ingestor URL that is not HTTP, naming the variable', () => {
    expect(() => loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, INGESTOR_SERVICE_TOKEN: 'short' })).toThrow(
      /INGESTOR_SERVICE_TOKEN/,
    );
    expect(() => loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, INGESTOR_URL: 'ftp://ingestor' })).toThrow(
      /INGESTOR_URL/,
    );
  });

  it('reads the acknowledgement SLA and its per-payer overrides as the metrics service does, refusing a bad entry', () => {
    expect(loadApiConfig({ ...base, API_TOKENS: `admin=${token}` }).acknowledgementSla).toEqual({
      defaultHours: 24,
      hoursByPayer: new Map(),
    });
    expect(
      loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, ACK_SLA_HOURS: '12', ACK_SLA_HOURS_BY_PAYER: 'acme=48' })
        .acknowledgementSla,
    ).toEqual({ defaultHours: 12, hoursByPayer: new Map([['ACME', 48]]) });
    expect(() =>
      loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, ACK_SLA_HOURS_BY_PAYER: 'acme=48,ACME=24' }),
    ).toThrow(/ACK_SLA_HOURS_BY_PAYER/);
  });

  it('withholds cells of fewer than 11 members from analysts unless told otherwise; 0 or 1 turns it off', () => {
    expect(loadApiConfig({ ...base, API_TOKENS: `admin=${token}` }).smallCells).toEqual({ threshold: 11 });
    expect(loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, API_SMALL_CELL_THRESHOLD: '20' }).smallCells).toEqual(
      { threshold: 20 },
    );
    for (const off of ['0', '1']) {
      expect(
        loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, API_SMALL_CELL_THRESHOLD: off }).smallCells,
      ).toBeNull();
    }
  });

  it('refuses a small-cell threshold that is not a whole number from 0 to 1000, naming the variable', () => {
    for (const bad of ['-1', '11.5', 'eleven', '1001']) {
      expect(() => loadApiConfig({ ...base, API_TOKENS: `admin=${token}`, API_SMALL_CELL_THRESHOLD: bad })).toThrow(
        /API_SMALL_CELL_THRESHOLD/,
      );
    }
  });
});
