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

  it('defaults uploads to 4 GiB, four running jobs, 500 remembered jobs and no inbox', () => {
    const config = loadIngestorConfig(required);
    expect(config).toMatchObject({ maxUploadBytes: 4 * 1024 ** 3, maxRunningJobs: 4, jobHistory: 500, inbox: null });
  });

  it('watches the folder INGEST_INBOX names, resolved to an absolute path', () => {
    expect(loadIngestorConfig({ ...required, INGEST_INBOX: '/data/ingest/inbox' }).inbox).toEqual({
      directory: '/data/ingest/inbox',
      pollMilliseconds: 1000,
    });
  });

  it('refuses a dry-run date range whose earliest date is after its latest, naming the variable', () => {
    expect(() =>
      loadIngestorConfig({
        ...required,
        CLAIM_SERVICE_DATE_EARLIEST: '2020-01-01',
        CLAIM_SERVICE_DATE_LATEST: '2010-01-01',
      }),
    ).toThrow(/CLAIM_SERVICE_DATE_EARLIEST/);
  });

  it('listens on loopback only when no service credential is set, and on every address once one is', () => {
    expect(loadIngestorConfig(required)).toMatchObject({ http: { host: '127.0.0.1' }, serviceToken: null });
    expect(loadIngestorConfig({ ...required, INGESTOR_SERVICE_TOKEN: '' })).toMatchObject({
      http: { host: '127.0.0.1' },
      serviceToken: null,
    });
    expect(loadIngestorConfig({ ...required, INGESTOR_SERVICE_TOKEN: 't'.repeat(24) })).toMatchObject({
      http: { host: '0.0.0.0' },
      serviceToken: 't'.repeat(24),
    });
  });

  it('refuses to listen beyond loopback without a service credential, naming INGESTOR_SERVICE_TOKEN', () => {
    expect(() => loadIngestorConfig({ ...required, HOST: '0.0.0.0' })).toThrow(/INGESTOR_SERVICE_TOKEN/);
    expect(loadIngestorConfig({ ...required, HOST: '127.0.0.1' }).http.host).toBe('127.0.0.1');
    expect(loadIngestorConfig({ ...required, HOST: '::1' }).http.host).toBe('::1');
  });

  it('refuses a service credential shorter than 24 characters, naming the variable', () => {
    expect(() => loadIngestorConfig({ ...required, INGESTOR_SERVICE_TOKEN: 'short' })).toThrow(
      /INGESTOR_SERVICE_TOKEN/,
    );
  });
});
