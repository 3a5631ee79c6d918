import { isRecordDataError, refusedDataFailure, sessionOptions } from './data-source';

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

describe('isRecordDataError', () => {
  it('takes a data exception or an integrity violation for a refusal of the record itself', () => {
    expect(isRecordDataError({ code: '22021' })).toBe(true);
    expect(isRecordDataError({ code: '22P05' })).toBe(true);
    expect(isRecordDataError({ code: '23505' })).toBe(true);
  });

  it('takes a connection failure, a shutdown or an error without a SQLSTATE for something else', () => {
    expect(isRecordDataError({ code: '08006' })).toBe(false);
    expect(isRecordDataError({ code: '57P01' })).toBe(false);
    expect(isRecordDataError(new Error('socket hang up'))).toBe(false);
    expect(isRecordDataError(null)).toBe(false);
  });
});

describe('refusedDataFailure', () => {
  it("names the stage's refusal code, what was refused and the SQLSTATE", () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    expect(refusedDataFailure('FOLD_REFUSED', "the event's data", refused)).toEqual({
      code: 'FOLD_REFUSED',
      reason: "Postgres refused the event's data (SQLSTATE 22021)",
      sqlState: '22021',
    });
  });
});
