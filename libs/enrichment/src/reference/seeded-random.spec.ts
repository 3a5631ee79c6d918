import { SeededRandom } from './seeded-random';

const draws = (random: SeededRandom, count: number): number[] =>
  Array.from({ length: count }, () => random.nextUint32());

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and changes it for another', () => {
    expect(draws(new SeededRandom(1), 5)).toEqual(draws(new SeededRandom(1), 5));
    expect(draws(new SeededRandom(1), 5)).not.toEqual(draws(new SeededRandom(2), 5));
  });

  it('seeds an entity generator by seed and identity alone, keeping ("ab","c") apart from ("a","bc")', () => {
    expect(draws(SeededRandom.forEntity(7, 'npi', '1'), 3)).toEqual(draws(SeededRandom.forEntity(7, 'npi', '1'), 3));
    expect(draws(SeededRandom.forEntity(7, 'ab', 'c'), 3)).not.toEqual(draws(SeededRandom.forEntity(7, 'a', 'bc'), 3));
    expect(draws(SeededRandom.forEntity(7, 'npi', '1'), 3)).not.toEqual(
      draws(SeededRandom.forEntity(8, 'npi', '1'), 3),
    );
  });

  it('draws integers within both bounds and floats in [0, 1)', () => {
    const random = new SeededRandom(3);
    const values = Array.from({ length: 2000 }, () => random.intBetween(1, 90));
    expect(Math.min(...values)).toBe(1);
    expect(Math.max(...values)).toBe(90);
    for (let index = 0; index < 1000; index += 1) {
      const value = random.nextFloat();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });

  it('comes true about as often as the chance asked for', () => {
    const random = new SeededRandom(4);
    const hits = Array.from({ length: 10_000 }, () => random.chance(0.15)).filter(Boolean).length;
    expect(hits / 10_000).toBeGreaterThan(0.13);
    expect(hits / 10_000).toBeLessThan(0.17);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => new SeededRandom(5).pick([])).toThrow(RangeError);
  });
});
