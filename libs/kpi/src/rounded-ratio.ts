/**
 * `numerator / denominator` to `places` decimals, half away from zero, computed
 * on the integers: what Postgres' `round(numerator::numeric / denominator,
 * places)` returns, so a served rate equals its documented SQL. Rounding the
 * float quotient instead misses halves the double falls just short of
 * (57 / 800 = 0.07125 is 0.0712499… as a double, and rounded to 0.0712).
 * A count or cent sum beyond 2^53 is still an integer as a double (whatever
 * it lost on the way here), so it is rounded exactly too; only a fractional
 * input falls back to the float quotient.
 */
export function roundedRatio(numerator: number, denominator: number, places: number): number {
  if (denominator === 0) throw new RangeError('a ratio over nothing has no value');
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator)) {
    const factor = 10 ** places;
    return (Math.sign(numerator / denominator) * Math.round(Math.abs(numerator / denominator) * factor)) / factor;
  }
  const scale = 10n ** BigInt(places);
  const sign = numerator < 0 !== denominator < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(numerator)) * scale;
  const divisor = BigInt(Math.abs(denominator));
  const rounded = (2n * magnitude + divisor) / (2n * divisor);
  return Number(sign * rounded) / Number(scale);
}
