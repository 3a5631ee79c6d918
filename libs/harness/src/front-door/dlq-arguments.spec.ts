import { parseDlqArguments } from './dlq-arguments';
import { UsageError } from './usage-error';

const usageMessage = (argv: string[]): string => {
  try {
    parseDlqArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('parseDlqArguments', () => {
  it('lists with filters by reason, stage and file', () => {
    expect(
      parseDlqArguments(['list', '--reason', 'DATE_OUT_OF_RANGE', '--stage', 'normalizer', '--file', 'claims.csv']),
    ).toMatchObject({ command: 'list', reason: 'DATE_OUT_OF_RANGE', stage: 'normalizer', file: 'claims.csv' });
  });

  it('replays one reason, with --yes or --dry-run', () => {
    expect(parseDlqArguments(['replay', '--reason', 'DATE_OUT_OF_RANGE', '--yes'])).toMatchObject({
      command: 'replay',
      reason: 'DATE_OUT_OF_RANGE',
      yes: true,
      dryRun: false,
    });
  });

  it('refuses a replay without a reason: a replay follows the fix of one cause', () => {
    expect(usageMessage(['replay', '--yes'])).toBe('replay needs --reason CODE: a replay follows the fix of one cause');
  });

  it('refuses an unknown stage or a reason that is not an error code', () => {
    expect(usageMessage(['list', '--stage', 'loader'])).toBe(
      '--stage is one of ingestor, normalizer, enricher, metrics, not "loader"',
    );
    expect(usageMessage(['list', '--reason', 'date out of range'])).toMatch(/^--reason is an error code/);
  });

  it('asks for list or replay', () => {
    expect(usageMessage([])).toBe('say list or replay');
    expect(usageMessage(['purge'])).toBe('say list or replay');
  });
});
