import { ChaosUsageError, parseChaosArguments } from './chaos-command';

const drawn = (): number => 99;

describe('parseChaosArguments', () => {
  it('runs the default profile with a drawn seed when nothing is named', () => {
    expect(parseChaosArguments([], drawn)).toMatchObject({ seed: 99, profile: 'default', help: false });
  });

  it('takes --seed and --profile, as separate or inline values', () => {
    expect(parseChaosArguments(['--seed', '42', '--profile', 'short'], drawn)).toMatchObject({
      seed: 42,
      profile: 'short',
    });
    expect(parseChaosArguments(['--seed=7', '--profile=default'], drawn)).toMatchObject({
      seed: 7,
      profile: 'default',
    });
  });

  it('refuses a seed that is not a whole number from 0 to 2^32 − 1', () => {
    for (const seed of ['-1', '1.5', 'abc', '4294967296']) {
      expect(() => parseChaosArguments(['--seed', seed], drawn)).toThrow(ChaosUsageError);
    }
  });

  it('refuses an unknown profile or argument, and a flag without its value', () => {
    expect(() => parseChaosArguments(['--profile', 'long'], drawn)).toThrow(/short, default/);
    expect(() => parseChaosArguments(['--kills', '3'], drawn)).toThrow(/unknown argument/);
    expect(() => parseChaosArguments(['--seed'], drawn)).toThrow(/needs a value/);
  });

  it('accepts --skip-build (the launcher reads it) and --help', () => {
    expect(parseChaosArguments(['--skip-build', '--help'], drawn)).toMatchObject({ help: true });
  });
});
