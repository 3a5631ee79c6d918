import { roundedRatio } from './rounded-ratio';

describe('roundedRatio', () => {
  it('rounds a half of the last place away from zero, on either side of zero', () => {
    // 57 / 800 = 0.07125 exactly; the double quotient is 0.0712499…
    expect(roundedRatio(57, 800, 4)).toBe(0.0713);
    expect(roundedRatio(-57, 800, 4)).toBe(-0.0713);
    expect(roundedRatio(57, -800, 4)).toBe(-0.0713);
    expect(roundedRatio(-1, 8, 2)).toBe(-0.13);
  });

  it('rounds the half of sums beyond 2^53 cents as round(n::numeric / d, 4) does', () => {
    // Both are exact doubles (powers of two times small integers): 3 / 20000 = 0.00015, a half of the 4th place.
    const numerator = 3 * 2 ** 54;
    const denominator = 20_000 * 2 ** 54;
    expect(Number.isSafeInteger(numerator)).toBe(false);
    expect(roundedRatio(numerator, denominator, 4)).toBe(0.0002);
  });

  it('rounds a negative half beyond 2^53 away from zero, not towards positive infinity', () => {
    // (2^54 + 4) / 8 = 2^51 + 0.5 exactly.
    expect(roundedRatio(-(2 ** 54 + 4), 8, 0)).toBe(-(2 ** 51 + 1));
    expect(roundedRatio(2 ** 54 + 4, 8, 0)).toBe(2 ** 51 + 1);
  });

  it('has no value over nothing', () => {
    expect(() => roundedRatio(1, 0, 4)).toThrow(RangeError);
  });
});
