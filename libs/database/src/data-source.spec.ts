import { sessionOptions } from './data-source';

describe('sessionOptions', () => {
  it('asks for a custom plan at every execution of a prepared statement', () => {
    expect(sessionOptions(undefined)).toBe('-c plan_cache_mode=force_custom_plan');
  });

  it('keeps the settings PGOPTIONS gives, before its own', () => {
    expect(sessionOptions(' -c search_path=claims ')).toBe(
      '-c search_path=claims -c plan_cache_mode=force_custom_plan',
    );
  });

  it('treats an empty PGOPTIONS as none', () => {
    expect(sessionOptions('')).toBe('-c plan_cache_mode=force_custom_plan');
  });
});
