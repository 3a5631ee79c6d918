import { parseReferenceArguments } from './reference-command';
import { UsageError } from './usage-error';

describe('parseReferenceArguments', () => {
  it('publishes the named files', () => {
    expect(parseReferenceArguments(['publish', 'a.csv', 'b.ndjson'])).toMatchObject({
      command: 'publish',
      files: ['a.csv', 'b.ndjson'],
      publish: true,
    });
  });

  it('synthesizes with the seed and shares given, writing and publishing when asked', () => {
    expect(
      parseReferenceArguments([
        'synthesize',
        'claims.csv',
        '--seed',
        '7',
        '--flaw-share',
        '0.3',
        '--never-fixed-share',
        '0',
        '--out',
        'dir.ndjson',
        '--publish',
      ]),
    ).toMatchObject({ seed: 7, flawShare: 0.3, neverFixedShare: 0, out: 'dir.ndjson', publish: true });
  });

  it.each([
    [[], 'unknown command'],
    [['publish'], 'name at least one file'],
    [['synthesize', 'claims.csv'], 'synthesize needs --out FILE, --publish, or both'],
    [['synthesize', 'claims.csv', '--flaw-share', '2', '--publish'], '--flaw-share takes a share from 0 to 1'],
    [['synthesize', 'claims.csv', '--seed', 'x', '--publish'], '--seed takes a whole number'],
    [['publish', 'a.csv', '--brokers'], '--brokers needs a value'],
    [['publish', 'a.csv', '--colour'], 'unknown option --colour'],
  ])('refuses %j with a usage error naming the fault', (argv, message) => {
    expect(() => parseReferenceArguments(argv)).toThrow(UsageError);
    expect(() => parseReferenceArguments(argv)).toThrow(message);
  });
});
