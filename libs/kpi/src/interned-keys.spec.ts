import { InternedKeys } from './interned-keys';

const joined = (first: string, second: string, third: string): string => `${first}/${second}/${third}`;

describe('InternedKeys', () => {
  it('builds each key from its parts with the join it was given', () => {
    const keys = new InternedKeys(joined, 10);

    expect(keys.of('claims', 'payer', 'MEDICARE')).toBe('claims/payer/MEDICARE');
    expect(keys.of('claims', 'payer', '')).toBe('claims/payer/');
  });

  it('returns the string it built before for the same parts, whatever strings they came in', () => {
    const keys = new InternedKeys(joined, 10);
    const first = keys.of('lines', 'hcpcs', '99213');
    // Parts equal in value but built apart, as JSON.parse gives them for every event.
    const again = keys.of(['li', 'nes'].join(''), 'hcpcs', String(99213));

    expect(again).toBe(first);
    expect(Object.is(again, first)).toBe(true);
  });

  it('calls the join once per distinct key', () => {
    const join = jest.fn(joined);
    const keys = new InternedKeys(join, 10);

    for (let round = 0; round < 3; round += 1) {
      keys.of('claims', 'month', '2009-10');
      keys.of('claims', 'month', '2009-11');
    }

    expect(join).toHaveBeenCalledTimes(2);
  });

  it('looks keys up by their parts, not by the joined text', () => {
    const join = jest.fn((first: string, second: string, third: string) => first + second + third);
    const keys = new InternedKeys(join, 10);

    expect(keys.of('ab', 'c', 'd')).toBe('abcd');
    expect(keys.of('a', 'bc', 'd')).toBe('abcd');
    expect(keys.of('a', 'b', 'cd')).toBe('abcd');
    // Three splits, three entries: none is taken for another.
    expect(join).toHaveBeenCalledTimes(3);
  });

  it('starts over past its capacity and still returns equal keys', () => {
    const join = jest.fn(joined);
    const keys = new InternedKeys(join, 2);

    keys.of('f', 'd', '1');
    keys.of('f', 'd', '2');
    expect(keys.of('f', 'd', '3')).toBe('f/d/3');
    expect(keys.of('f', 'd', '1')).toBe('f/d/1');

    // The third key found the table full: it was cleared and both built again.
    expect(join).toHaveBeenCalledTimes(4);
    expect(keys.of('f', 'd', '3')).toBe('f/d/3');
    expect(join).toHaveBeenCalledTimes(4);
  });
});
