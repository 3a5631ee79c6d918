import { PHASES, parseBenchOptions } from './cli-options';

describe('parseBenchOptions', () => {
  it('runs every phase at the default sizes, unprofiled, when given no option', () => {
    const options = parseBenchOptions([]);
    expect(options.phases).toEqual([...PHASES]);
    expect(options.records).toBe(1_000_000);
    expect(options.cpuProfile).toBe(false);
  });

  it('turns on the services’ CPU profiles with --cpu-profile, beside other options', () => {
    const options = parseBenchOptions(['--phases', 'e2e', '--cpu-profile', '--records=200000']);
    expect(options).toMatchObject({ cpuProfile: true, phases: ['e2e'], records: 200_000 });
  });

  it('holds a 100,000-provider directory unless --directory-providers names another size', () => {
    expect(parseBenchOptions([]).directoryProviders).toBe(100_000);
    expect(parseBenchOptions(['--directory-providers', '1000000']).directoryProviders).toBe(1_000_000);
    expect(() => parseBenchOptions(['--directory-providers', '0'])).toThrow(
      /--directory-providers needs a positive number/,
    );
  });

  it("leaves the claim stages' gather time to the services unless --fetch-gather-ms sets it, 0 included", () => {
    expect(parseBenchOptions([]).fetchGatherMs).toBeUndefined();
    expect(parseBenchOptions(['--fetch-gather-ms', '0']).fetchGatherMs).toBe(0);
    expect(parseBenchOptions(['--fetch-gather-ms=40']).fetchGatherMs).toBe(40);
    expect(() => parseBenchOptions(['--fetch-gather-ms', '-1'])).toThrow(/--fetch-gather-ms needs a whole number/);
    expect(() => parseBenchOptions(['--fetch-gather-ms', '2.5'])).toThrow(/--fetch-gather-ms needs a whole number/);
  });

  it('refuses an unknown option or phase by name', () => {
    expect(() => parseBenchOptions(['--profile'])).toThrow(/unknown option --profile/);
    expect(() => parseBenchOptions(['--phases', 'e2e,warp'])).toThrow(/--phases takes a comma list of/);
  });
});
