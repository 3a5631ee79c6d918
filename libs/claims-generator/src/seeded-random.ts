import { SeededRandom as Sfc32Random } from '@claims/enrichment';

/**
 * The product's one seeded PRNG (sfc32 seeded through splitmix32, kept in the
 * enrichment lib, which the generator may use and not the other way round),
 * with the identifier formats generated files need. Math.random cannot be
 * seeded, and generated files must be byte-identical for the same seed so that
 * two benchmark runs measure, and two test runs check, the same input.
 */
export class SeededRandom extends Sfc32Random {
  /** A string of `length` decimal digits (leading zeros allowed, as in NPIs and tax numbers). */
  digits(length: number): string {
    let text = '';
    while (text.length < length) text += String(this.nextUint32() % 1_000_000_000).padStart(9, '0');
    return text.slice(0, length);
  }

  /** A string of `length` upper-case hex digits, as in DESYNPUF_ID. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.nextUint32().toString(16).toUpperCase().padStart(8, '0');
    return text.slice(0, length);
  }
}

/** Picks from a fixed distribution in O(log n): built once, used millions of times. */
export class WeightedChoice<T> {
  private readonly cumulative: number[] = [];
  private readonly values: T[] = [];
  private readonly total: number;

  constructor(weights: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [value, weight] of weights) {
      sum += weight;
      this.cumulative.push(sum);
      this.values.push(value);
    }
    this.total = sum;
  }

  pick(random: SeededRandom): T {
    const target = random.nextFloat() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    const value = this.values[low];
    if (value === undefined) throw new Error('empty distribution');
    return value;
  }
}
