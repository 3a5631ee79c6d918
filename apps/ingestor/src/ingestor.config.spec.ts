import { loadIngestorConfig } from './ingestor.config';

const required = { KAFKA_BROKERS: '127.0.0.1:9092', INGEST_ROOT: '/data/ingest' };

describe('loadIngestorConfig', () => {
  it('defaults the record limit to 900 KiB and the HTTP time limit to an hour', () => {
    const config = loadIngestorConfig(required);
    expect(config.maxRecordBytes).toBe(921600);
    expect(config.requestTimeoutSeconds).toBe(3600);
  });

  it('refuses a record limit the broker could not take, naming the variable', () => {
    expect(() => loadIngestorConfig({ ...required, INGEST_MAX_RECORD_BYTES: String(1024 * 1024) })).toThrow(
      /INGEST_MAX_RECORD_BYTES/,
    );
  });

  it('refuses a time limit below one second, naming the variable', () => {
    expect(() => loadIngestorConfig({ ...required, INGEST_REQUEST_TIMEOUT_SECONDS: '0' })).toThrow(
      /INGEST_REQUEST_TIMEOUT_SECONDS/,
    );
  });
});
