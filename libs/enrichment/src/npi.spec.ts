import { isValidNpiCheckDigit } from './npi';

describe('isValidNpiCheckDigit', () => {
  it('accepts the CMS worked example 1234567893', () => {
    // Over 80840123456789 from the right: doubled 9,7,5,3,1,4,0 → 9+5+1+6+2+8+0 = 31,
    // undoubled 8,6,4,2,0,8,8 = 36; 31 + 36 = 67, so the check digit is (10 - 7) % 10 = 3.
    expect(isValidNpiCheckDigit('1234567893')).toBe(true);
  });

  it('rejects 1234567890, whose last digit is not the check digit', () => {
    expect(isValidNpiCheckDigit('1234567890')).toBe(false);
  });

  it('accepts real NPPES NPIs', () => {
    expect(isValidNpiCheckDigit('1679576722')).toBe(true);
    expect(isValidNpiCheckDigit('1497758544')).toBe(true);
    expect(isValidNpiCheckDigit('1063947125')).toBe(true);
  });

  it('rejects a synthetic DE-SynPUF NPI that fails the check digit', () => {
    expect(isValidNpiCheckDigit('2487983099')).toBe(false);
  });

  it('rejects a single-digit typo in a valid NPI', () => {
    expect(isValidNpiCheckDigit('1234567883')).toBe(false);
  });

  it.each(['123456789', '12345678930', '', '123456789X', ' 1234567893', '1234-56789'])(
    'rejects %p, which is not exactly ten digits',
    (npi) => {
      expect(isValidNpiCheckDigit(npi)).toBe(false);
    },
  );
});
