import { sessionOptions } from './data-source';

const PRODUCT_OPTIONS = '-c default_transaction_isolation=read\\ committed -c plan_cache_mode=force_custom_plan';

describe('sessionOptions', () => {
  it('pins READ COMMITTED and asks for a custom plan at every execution of a prepared statement', () => {
    expect(sessionOptions(undefined)).toBe(PRODUCT_OPTIONS);
  });

  it('keeps the settings PGOPTIONS gives, before its own', () => {
    expect(sessionOptions(' -c search_path=claims ')).toBe(`-c search_path=claims ${PRODUCT_OPTIONS}`);
  });

  it('treats an empty PGOPTIONS as none', () => {
    expect(sessionOptions('')).toBe(PRODUCT_OPTIONS);
  });
});
