/**
 * The chaos run's seeded PRNG (mulberry32): the same seed gives the same
 * fault schedule and the same fuzzed bytes, so `--seed N` replays a failing
 * run fault for fault. Math.random cannot be seeded.
 */
export class ChaosRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
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

  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = this.intBetween(0, index);
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }

  /** A new generator for a named part of the run, so adding a draw in one part never shifts another's. */
  fork(label: string): ChaosRandom {
    let hash = this.nextUint32() ^ 0x811c9dc5;
    for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    return new ChaosRandom(hash);
  }
}

/** A generator for one part of the run derived from the run's seed and the part's name alone. */
export function chaosRandomFor(seed: number, label: string): ChaosRandom {
  return new ChaosRandom(seed).fork(label);
}
