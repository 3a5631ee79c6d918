import { ConfigurationError } from '@claims/config';
import { loadApiConfig } from './api.config';
import { roleSatisfies } from './auth/api-role';

const token = 'a'.repeat(32);

describe('loadApiConfig', () => {
  it('reads role=token pairs into a token map', () => {
    const config = loadApiConfig({
      DATABASE_URL: 'postgres://u@h:5432/d',
      KAFKA_BROKERS: '127.0.0.1:9092',
      API_TOKENS: `analyst=${token},admin=${'b'.repeat(24)}`,
    });
    expect(config.tokens.get(token)).toBe('analyst');
    expect(config.http.port).toBe(3000);
  });

  it('refuses to start without API_TOKENS, naming the variable', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://u@h:5432/d' })).toThrow(/API_TOKENS/);
  });

  it('refuses a token shorter than 24 characters or an unknown role', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://u@h/d', API_TOKENS: 'admin=short' })).toThrow(
      ConfigurationError,
    );
    expect(() => loadApiConfig({ DATABASE_URL: 'postgres://u@h/d', API_TOKENS: `root=${token}` })).toThrow(
      /API_TOKENS/,
    );
  });

  it('refuses a DATABASE_URL that is not a Postgres URL', () => {
    expect(() => loadApiConfig({ DATABASE_URL: 'mysql://u@h/d', API_TOKENS: `admin=${token}` })).toThrow(
      /DATABASE_URL/,
    );
  });
});

describe('roleSatisfies', () => {
  it('lets a higher role through where a lower one is required, and not the reverse', () => {
    expect(roleSatisfies('admin', 'analyst')).toBe(true);
    expect(roleSatisfies('manager', 'manager')).toBe(true);
    expect(roleSatisfies('analyst', 'manager')).toBe(false);
  });
});
