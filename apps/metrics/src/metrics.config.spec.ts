import { ConfigurationError } from '@claims/config';
import { loadMetricsConfig } from './metrics.config';

const base = { DATABASE_URL: 'postgres://u@h:5432/d', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('loadMetricsConfig', () => {
  it('gives every payer a 24-hour acknowledgement SLA unless told otherwise', () => {
    expect(loadMetricsConfig(base).acknowledgementSla).toEqual({ defaultHours: 24, hoursByPayer: new Map() });
  });

  it('reads ACK_SLA_HOURS and per-payer overrides, the payer keyed trimmed and upper-cased', () => {
    expect(
      loadMetricsConfig({ ...base, ACK_SLA_HOURS: '36', ACK_SLA_HOURS_BY_PAYER: 'Medicare=72, Aetna=12' })
        .acknowledgementSla,
    ).toEqual({
      defaultHours: 36,
      hoursByPayer: new Map([
        ['MEDICARE', 72],
        ['AETNA', 12],
      ]),
    });
  });

  it('refuses an SLA of no hours or an override that is not payer=hours, naming the variable', () => {
    expect(() => loadMetricsConfig({ ...base, ACK_SLA_HOURS: '0' })).toThrow(/ACK_SLA_HOURS/);
    expect(() => loadMetricsConfig({ ...base, ACK_SLA_HOURS_BY_PAYER: 'MEDICARE' })).toThrow(ConfigurationError);
    expect(() => loadMetricsConfig({ ...base, ACK_SLA_HOURS_BY_PAYER: 'MEDICARE=two' })).toThrow(
      /ACK_SLA_HOURS_BY_PAYER: "MEDICARE=two" is not payer=hours/,
    );
  });

  it('fetches 16 MiB per partition, twice the transform stages, unless KAFKA_FETCH_MAX_BYTES_PER_PARTITION says otherwise, within 1–64 MiB', () => {
    expect(loadMetricsConfig(base).kafka.fetchMaxBytesPerPartition).toBe(16 * 1024 * 1024);
    expect(
      loadMetricsConfig({ ...base, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '4194304' }).kafka.fetchMaxBytesPerPartition,
    ).toBe(4 * 1024 * 1024);
    expect(() => loadMetricsConfig({ ...base, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '65536' })).toThrow(
      /KAFKA_FETCH_MAX_BYTES_PER_PARTITION/,
    );
    expect(() => loadMetricsConfig({ ...base, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '128MiB' })).toThrow(
      ConfigurationError,
    );
  });
});
