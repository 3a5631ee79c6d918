import { SeededRandom, WeightedChoice } from './seeded-random';

const draws = (random: SeededRandom, count: number): number[] =>
  Array.from({ length: count }, () => random.nextUint32());

describe('SeededRandom', () => {
  it('draws the same sequence for the same seed', () => {
    expect(draws(new SeededRandom(42), 100)).toEqual(draws(new SeededRandom(42), 100));
  });

  it('draws a different sequence for a different seed', () => {
    expect(draws(new SeededRandom(42), 10)).not.toEqual(draws(new SeededRandom(43), 10));
  });

  it('draws integers between both bounds, both reached', () => {
    const random = new SeededRandom(7);
    const seen = new Set(Array.from({ length: 1_000 }, () => random.intBetween(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('writes digit and hex strings of the length asked for', () => {
    const random = new SeededRandom(7);
    expect(random.digits(11)).toMatch(/^\d{11}$/);
    expect(random.hex(16)).toMatch(/^[0-9A-F]{16}$/);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => new SeededRandom(1).pick([])).toThrow('pick from an empty list');
  });
});

describe('WeightedChoice', () => {
  it('picks values in proportion to their weights and never a zero-weight value', () => {
    const choice = new WeightedChoice<string>([
      ['often', 3],
      ['never', 0],
      ['seldom', 1],
    ]);
    const random = new SeededRandom(11);
    const counts: Record<string, number> = {};
    for (let draw = 0; draw < 4_000; draw += 1) {
      const value = choice.pick(random);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    expect(counts['never']).toBeUndefined();
    expect((counts['often'] ?? 0) / (counts['seldom'] ?? 1)).toBeGreaterThan(2.5);
    expect((counts['often'] ?? 0) / (counts['seldom'] ?? 1)).toBeLessThan(3.5);
  });
});
