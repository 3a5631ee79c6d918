import { parseStartArguments, passedThroughEnvironment } from './start-arguments';
import { UsageError } from './usage-error';

const usageMessage = (argv: string[]): string => {
  try {
    parseStartArguments(argv, {}, '/home/me/claims');
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('parseStartArguments', () => {
  it('roots ingestion in the folder npm was run from, with its inbox, the claims database, plain topics and ports from 3000', () => {
    expect(parseStartArguments([], {}, '/home/me/claims')).toEqual({
      ingestRoot: '/home/me/claims',
      inbox: '/home/me/claims/inbox',
      database: 'claims',
      topicNamespace: '',
      ports: { api: 3000, ingestor: 3001, normalizer: 3002, enricher: 3003, metrics: 3004 },
      logLevel: 'info',
      help: false,
    });
  });

  it('resolves --ingest-root and --inbox against the folder npm was run from', () => {
    expect(parseStartArguments(['--ingest-root', 'exports', '--inbox', 'drop'], {}, '/home/me')).toMatchObject({
      ingestRoot: '/home/me/exports',
      inbox: '/home/me/drop',
    });
    expect(parseStartArguments(['--no-inbox'], {}, '/home/me').inbox).toBeNull();
  });

  it('moves every port with --port and the ingestor alone with --ingestor-port', () => {
    expect(parseStartArguments(['--port', '4000', '--ingestor-port', '5001'], {}, '/x').ports).toEqual({
      api: 4000,
      ingestor: 5001,
      normalizer: 4002,
      enricher: 4003,
      metrics: 4004,
    });
  });

  it('takes the database and namespace from the environment when no flag names them', () => {
    expect(
      parseStartArguments([], { CLAIMS_DATABASE: 'claims_march', KAFKA_TOPIC_NAMESPACE: 'march' }, '/x'),
    ).toMatchObject({ database: 'claims_march', topicNamespace: 'march' });
  });

  it('refuses a database name that is not a plain Postgres name, and a port out of range', () => {
    expect(usageMessage(['--database', 'claims; drop'])).toMatch(/^--database must be a plain Postgres name/);
    expect(usageMessage(['--port', '70000'])).toBe('--port must be a port number (1-65535), not "70000"');
    expect(usageMessage(['--inbox', 'x', '--no-inbox'])).toBe('--inbox and --no-inbox contradict each other');
  });

  it('refuses an ingestor port another service already has, since both would claim it before either listens', () => {
    expect(usageMessage(['--ingestor-port', '3000'])).toBe(
      "--ingestor-port 3000 is the api's port (--port 3000 gives the API 3000 and the normalizer, enricher and metrics 3002-3004): choose another",
    );
    expect(usageMessage(['--port', '4000', '--ingestor-port', '4003'])).toMatch(
      /^--ingestor-port 4003 is the enricher's port/,
    );
    expect(usageMessage(['--port', '4000', '--ingestor-port', '4001'])).toBe('accepted');
  });

  it('refuses a port that fetch will not call (6000 and the other bad ports), naming the service it would hold', () => {
    expect(usageMessage(['--port', '6000'])).toBe(
      '--port would put the api on port 6000, which fetch refuses to call (a "bad port" of the Fetch standard): choose another',
    );
    expect(usageMessage(['--port', '5996'])).toMatch(/^--port would put the metrics on port 6000/);
    expect(usageMessage(['--ingestor-port', '6000'])).toMatch(/^--ingestor-port would put the ingestor on port 6000/);
  });
});

describe('passedThroughEnvironment', () => {
  it("passes each service the settings it reads from the person's environment, and nothing else", () => {
    const env = passedThroughEnvironment({
      CLAIM_SERVICE_DATE_EARLIEST: '1950-01-01',
      INGEST_MAX_UPLOAD_BYTES: '1000',
      HOME: '/home/me',
    });
    expect(env.ingestor).toEqual({ CLAIM_SERVICE_DATE_EARLIEST: '1950-01-01', INGEST_MAX_UPLOAD_BYTES: '1000' });
    expect(env.normalizer).toEqual({ CLAIM_SERVICE_DATE_EARLIEST: '1950-01-01' });
  });
});
