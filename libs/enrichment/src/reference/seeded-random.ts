/**
 * A small seeded PRNG (sfc32 seeded through splitmix32). Math.random cannot
 * be seeded, and a synthetic directory must be identical for the same seed.
 * It lives here, not in the claims generator, because enrichment must not
 * depend on the generator; the generator extends it.
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
    // sfc32's first outputs are weakly mixed.
    for (let round = 0; round < 12; round += 1) this.nextUint32();
  }

  /**
   * A generator of its own for one entity: what an identifier gets depends
   * on the seed and the identifier alone, not on which other identifiers the
   * claims happened to hold or in what order they were met.
   */
  static forEntity(seed: number, ...identity: string[]): SeededRandom {
    // FNV-1a over the seed and the identity, each part ended by a separator so ("ab","c") ≠ ("a","bc").
    let hash = 0x811c9dc5;
    const mix = (text: string): void => {
      for (let index = 0; index < text.length; index += 1) {
        hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
      }
      hash = Math.imul(hash ^ 0xff, 0x01000193) >>> 0;
    };
    mix(String(seed));
    for (const part of identity) mix(part);
    return new SeededRandom(hash);
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
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}
