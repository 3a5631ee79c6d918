import { postgresArrayLiteral, withArrayLiterals } from './postgres-array-literal';

describe('postgresArrayLiteral', () => {
  it('quotes every string and leaves numbers and booleans bare', () => {
    expect(postgresArrayLiteral(['a', '', 'NULL', 7, -12, true, false])).toBe('{"a","","NULL",7,-12,t,f}');
  });

  it('writes null and undefined as NULL', () => {
    expect(postgresArrayLiteral([null, 'x', undefined])).toBe('{NULL,"x",NULL}');
  });

  it('escapes backslashes and double quotes, and only those', () => {
    expect(postgresArrayLiteral(['say "hi"', 'C:\\path', 'a,b {c}'])).toBe('{"say \\"hi\\"","C:\\\\path","a,b {c}"}');
  });

  it('writes an empty array as {}', () => {
    expect(postgresArrayLiteral([])).toBe('{}');
  });

  it('refuses a number Postgres could not read back', () => {
    expect(() => postgresArrayLiteral([Number.NaN])).toThrow(RangeError);
    expect(() => postgresArrayLiteral([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe('withArrayLiterals', () => {
  it('binds arrays as their literal and passes every other parameter through', () => {
    const when = new Date(0);
    expect(withArrayLiterals([['a', null], 3, 'text', null, when])).toEqual(['{"a",NULL}', 3, 'text', null, when]);
  });
});
