/**
 * A small, fast, seeded PRNG (sfc32, seeded through splitmix32). Math.random
 * cannot be seeded, and generated files must be byte-identical for the same
 * seed so that two benchmark runs measure, and two test runs check, the same input.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // The first outputs of sfc32 are weakly mixed; discard them.
    for (let round = 0; round < 12; round += 1) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  intBetween(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.nextFloat() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.nextFloat() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

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
