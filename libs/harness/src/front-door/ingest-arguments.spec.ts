import { parseIngestArguments } from './ingest-arguments';
import { UsageError } from './usage-error';

const usageMessage = (argv: string[]): string => {
  try {
    parseIngestArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('parseIngestArguments', () => {
  it('takes files and folders with the defaults: detect the layout, no pacing, wait ten minutes for the accounting', () => {
    expect(parseIngestArguments(['claims.csv', 'exports/'])).toEqual({
      paths: ['claims.csv', 'exports/'],
      dryRun: false,
      json: false,
      upload: false,
      waitSeconds: 600,
      help: false,
    });
  });

  it('reads the layout, pacing, dry run, JSON and the stack to use', () => {
    expect(
      parseIngestArguments([
        'a.csv',
        '--layout',
        'rif.carrier',
        '--speedup',
        '86400',
        '--dry-run',
        '--json',
        '--api',
        'http://127.0.0.1:3000',
        '--ingestor',
        'http://127.0.0.1:3001',
        '--wait',
        '0',
      ]),
    ).toMatchObject({
      layout: 'rif.carrier',
      speedup: 86400,
      dryRun: true,
      json: true,
      api: 'http://127.0.0.1:3000',
      ingestor: 'http://127.0.0.1:3001',
      waitSeconds: 0,
    });
  });

  it('refuses pacing by rate and by speedup at once', () => {
    expect(usageMessage(['a.csv', '--rate', '100', '--speedup', '10'])).toBe(
      '--rate and --speedup both pace the replay: choose one',
    );
  });

  it('refuses a rate that is not a positive number, naming the flag and the value', () => {
    expect(usageMessage(['a.csv', '--rate', 'fast'])).toBe('--rate must be a positive number, not "fast"');
    expect(usageMessage(['a.csv', '--rate', '0.5'])).toBe('--rate must be at least 1 record per second');
  });

  it('asks for at least one file, and names an unknown flag', () => {
    expect(usageMessage([])).toBe('name at least one file or folder to ingest');
    expect(usageMessage(['a.csv', '--fast'])).toBe('unknown option --fast');
  });

  it('names a single-dash argument whole, not by its first letter, and says how to name a file starting with a dash', () => {
    expect(usageMessage(['-claims.csv'])).toBe(
      'unknown option -claims.csv (a file whose name starts with a dash is named ./-claims.csv)',
    );
    expect(usageMessage(['./-claims.csv'])).toBe('accepted');
  });

  it('refuses a negative rate, a non-number speedup and a non-number wait on one line, naming the flag', () => {
    expect(usageMessage(['a.csv', '--rate', '-1'])).not.toContain('\n');
    expect(usageMessage(['a.csv', '--rate', '-1'])).toMatch(/^Option '--rate' argument is ambiguous/);
    expect(usageMessage(['a.csv', '--rate=-1'])).toBe('--rate must be a positive number, not "-1"');
    expect(usageMessage(['a.csv', '--rate', '0'])).toBe('--rate must be a positive number, not "0"');
    expect(usageMessage(['a.csv', '--speedup', 'abc'])).toBe('--speedup must be a positive number, not "abc"');
    expect(usageMessage(['a.csv', '--wait', 'soon'])).toBe('--wait must be a positive number, not "soon"');
  });

  it('refuses an API address that is not an http(s) URL', () => {
    expect(usageMessage(['a.csv', '--api', 'localhost:3000x y'])).toMatch(/^--api must be an http\(s\) URL/);
  });
});
