import { checkedStackEndpoints, resolveStackEndpoints, type RecordedStack } from './stack-endpoints';
import { UsageError } from './usage-error';

const recorded: RecordedStack = {
  apiUrl: 'http://127.0.0.1:3000',
  apiToken: 'recorded-token-recorded-token',
  ingestorUrl: 'http://127.0.0.1:3001',
  ingestRoot: '/home/me/claims',
  brokers: '127.0.0.1:19092',
  topicNamespace: '',
};

describe('resolveStackEndpoints', () => {
  it('finds everything in the running stack when nothing is named', () => {
    expect(resolveStackEndpoints({}, {}, recorded)).toEqual({
      apiUrl: 'http://127.0.0.1:3000',
      apiToken: 'recorded-token-recorded-token',
      ingestorUrl: 'http://127.0.0.1:3001',
      ingestRoot: '/home/me/claims',
      brokers: '127.0.0.1:19092',
      topicNamespace: '',
      origin: 'the running stack',
    });
  });

  it('sets the running stack aside altogether once a stack is named, by flag or environment', () => {
    const named = resolveStackEndpoints(
      { api: 'http://10.0.0.5:3000' },
      { CLAIMS_INGESTOR_URL: 'http://10.0.0.5:3001', CLAIMS_API_TOKEN: 'from-the-environment-token' },
      recorded,
    );
    expect(named).toEqual({
      apiUrl: 'http://10.0.0.5:3000',
      apiToken: 'from-the-environment-token',
      ingestorUrl: 'http://10.0.0.5:3001',
      ingestRoot: null,
      brokers: null,
      topicNamespace: null,
      origin: 'flags and environment',
    });
  });

  it('prefers a flag to the environment', () => {
    expect(
      resolveStackEndpoints({ token: 'flag-token' }, { CLAIMS_API_TOKEN: 'environment-token' }, recorded).apiToken,
    ).toBe('flag-token');
  });

  it('finds nothing when no stack runs and none is named', () => {
    expect(resolveStackEndpoints({}, {}, null)).toMatchObject({ apiUrl: null, ingestorUrl: null, apiToken: null });
  });
});

describe('checkedStackEndpoints', () => {
  it('answers the resolved endpoints when every address is an http(s) URL', () => {
    expect(checkedStackEndpoints({ token: 'flag-token' }, {}, recorded)).toEqual({
      ...resolveStackEndpoints({ token: 'flag-token' }, {}, recorded),
      apiToken: 'flag-token',
    });
  });

  it('refuses an address from the environment with a usage error naming it and where it came from', () => {
    const checking = () => checkedStackEndpoints({}, { CLAIMS_INGESTOR_URL: 'localhost:3001' }, recorded);
    expect(checking).toThrow(UsageError);
    expect(checking).toThrow(
      'the ingestor address from the flags or the environment is not an http(s) URL: "localhost:3001"',
    );
  });

  it("refuses an address in the running stack's record, saying it is in .cache/stack.json", () => {
    expect(() => checkedStackEndpoints({}, {}, { ...recorded, apiUrl: 'ftp://127.0.0.1:3000' })).toThrow(
      'the API address in .cache/stack.json is not an http(s) URL: "ftp://127.0.0.1:3000"',
    );
  });
});
