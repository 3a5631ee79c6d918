import { SeededRandom } from './seeded-random';
import {
  calendarDays,
  csvField,
  formatCents,
  formatDollarsWithSeparators,
  formatRifDate,
  formatUsDate,
  npiPool,
  npiWithCheckDigit,
} from './value-formats';

/** The Luhn check over "80840" + the first nine digits, written out independently of npiWithCheckDigit. */
function passesNpiCheckDigit(npi: string): boolean {
  const digits = `80840${npi}`.split('').map(Number).reverse();
  const sum = digits.reduce((total, digit, index) => {
    if (index % 2 === 0) return total + digit;
    const doubled = digit * 2;
    return total + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return sum % 10 === 0;
}

describe('npiWithCheckDigit', () => {
  it('appends the check digit of the CMS example NPI 1234567893', () => {
    expect(npiWithCheckDigit('123456789')).toBe('1234567893');
  });

  it('makes NPIs that pass the check digit', () => {
    const random = new SeededRandom(5);
    for (let index = 0; index < 200; index += 1) {
      expect(passesNpiCheckDigit(npiWithCheckDigit(random.digits(9)))).toBe(true);
    }
  });
});

describe('npiPool', () => {
  it('fails the check digit on about the share of NPIs asked for', () => {
    const pool = npiPool(new SeededRandom(9), 10_000, 0.05);
    const failing = pool.filter((npi) => !passesNpiCheckDigit(npi)).length;
    expect(failing).toBeGreaterThan(400);
    expect(failing).toBeLessThan(600);
  });
});

describe('amount formats', () => {
  it('writes CMS amounts without sign, separator or symbol', () => {
    expect(formatCents(123_405)).toBe('1234.05');
    expect(formatCents(0)).toBe('0.00');
  });

  it('writes billing-screen amounts with thousands separators, with or without a dollar sign', () => {
    expect(formatDollarsWithSeparators(123_456_789, true)).toBe('$1,234,567.89');
    expect(formatDollarsWithSeparators(99_950, false)).toBe('999.50');
  });
});

describe('date formats', () => {
  const day = new Date(Date.UTC(2015, 4, 3));

  it('writes RIF dates as DD-Mon-YYYY', () => {
    expect(formatRifDate(day)).toBe('03-May-2015');
  });

  it('writes US dates with or without leading zeros', () => {
    expect(formatUsDate(day, true)).toBe('05/03/2015');
    expect(formatUsDate(day, false)).toBe('5/3/2015');
  });

  it('lists every day between two dates, both included, across a leap day', () => {
    const days = calendarDays('2008-02-28', '2008-03-01');
    expect(days.map((date) => date.toISOString().slice(0, 10))).toEqual(['2008-02-28', '2008-02-29', '2008-03-01']);
  });
});

describe('csvField', () => {
  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('$1,250.00')).toBe('"$1,250.00"');
    expect(csvField('says "other coverage"')).toBe('"says ""other coverage"""');
    expect(csvField('plain text')).toBe('plain text');
  });
});
