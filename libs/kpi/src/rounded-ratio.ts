/**
 * `numerator / denominator` to `places` decimals, half away from zero, computed
 * on the integers: what Postgres' `round(numerator::numeric / denominator,
 * places)` returns, so a served rate equals its documented SQL. Rounding the
 * float quotient instead misses halves the double falls just short of
 * (57 / 800 = 0.07125 is 0.0712499… as a double, and rounded to 0.0712).
 * Counts and cents beyond 2^53 are not exact integers any more: those fall
 * back to the float quotient.
 */
export function roundedRatio(numerator: number, denominator: number, places: number): number {
  if (denominator === 0) throw new RangeError('a ratio over nothing has no value');
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    const factor = 10 ** places;
    return Math.round((numerator / denominator) * factor) / factor;
  }
  const scale = 10n ** BigInt(places);
  const sign = numerator < 0 !== denominator < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(numerator)) * scale;
  const divisor = BigInt(Math.abs(denominator));
  const rounded = (2n * magnitude + divisor) / (2n * divisor);
  return Number(sign * rounded) / Number(scale);
}
