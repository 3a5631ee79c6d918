import { z } from 'zod';
import { DEFAULT_FETCH_GATHER_MS, fetchGatherMsEnv, loadConfig } from './load-config';

describe('fetchGatherMsEnv', () => {
  const schema = z.object({ KAFKA_FETCH_GATHER_MS: fetchGatherMsEnv() });

  it('gathers for 20 ms unless KAFKA_FETCH_GATHER_MS says otherwise, 0 included', () => {
    expect(DEFAULT_FETCH_GATHER_MS).toBe(20);
    expect(loadConfig(schema, {}).KAFKA_FETCH_GATHER_MS).toBe(20);
    expect(loadConfig(schema, { KAFKA_FETCH_GATHER_MS: '0' }).KAFKA_FETCH_GATHER_MS).toBe(0);
    expect(loadConfig(schema, { KAFKA_FETCH_GATHER_MS: '120' }).KAFKA_FETCH_GATHER_MS).toBe(120);
  });

  it('refuses a negative, fractional or over-500 ms gather time, naming the variable', () => {
    for (const value of ['-1', '2.5', '501', 'soon']) {
      expect(() => loadConfig(schema, { KAFKA_FETCH_GATHER_MS: value })).toThrow(/KAFKA_FETCH_GATHER_MS/);
    }
  });
});
