import { parseDateAs, parseDecimalNumber, parseMoneyCents, parseWholeNumber } from './field-values';
import { sourceRecordErrorOf } from './__fixtures__/source-record-error';

describe('parseDateAs', () => {
  it.each([
    ['20080808', 'CCYYMMDD', '2008-08-08'],
    ['2024-03-05', 'YYYY-MM-DD', '2024-03-05'],
    ['03/04/2024', 'MM/DD/YYYY', '2024-03-04'],
    ['3/7/2024', 'MM/DD/YYYY', '2024-03-07'],
    ['30-May-2015', 'DD-Mon-YYYY', '2015-05-30'],
    ['27-OCT-1999', 'DD-Mon-YYYY', '1999-10-27'],
    ['1-jan-2020', 'DD-Mon-YYYY', '2020-01-01'],
    [' 2024-02-29 ', 'YYYY-MM-DD', '2024-02-29'],
  ] as const)('reads %p in %s as %s', (value, format, iso) => {
    expect(parseDateAs(value, format, 'service_date')).toBe(iso);
  });

  it.each([
    ['2024-03-05', 'MM/DD/YYYY'],
    ['03/04/24', 'MM/DD/YYYY'],
    ['30-Mai-2015', 'DD-Mon-YYYY'],
    ['2008088', 'CCYYMMDD'],
  ] as const)('rejects %p as not a %s date, naming the field only', (value, format) => {
    const error = sourceRecordErrorOf(() => parseDateAs(value, format, 'service_date'));
    expect(error.code).toBe('DATE_INVALID');
    expect(error.message).toBe(`service_date is not a ${format} date`);
  });

  it.each([
    ['02/30/2024', 'MM/DD/YYYY'],
    ['31-Apr-2015', 'DD-Mon-YYYY'],
    ['2023-02-29', 'YYYY-MM-DD'],
  ] as const)('rejects the impossible calendar date %p', (value, format) => {
    expect(sourceRecordErrorOf(() => parseDateAs(value, format, 'DOS')).message).toBe('DOS is not a calendar date');
  });
});

describe('parseMoneyCents', () => {
  it.each([
    ['185.00', 18500],
    ['$185.00', 18500],
    ['$1,250.00', 125000],
    ['2,400.00', 240000],
    ['1,234,567.89', 123456789],
    ['37.5', 3750],
    ['0', 0],
    ['-$25.00', -2500],
    ['$-25.00', -2500],
    ['-12.30', -1230],
    ['($12.00)', -1200],
    [' $ 75 ', 7500],
  ])('parses %p as %p cents', (value, cents) => {
    expect(parseMoneyCents(value, 'Claim_amnt')).toBe(cents);
  });

  it.each(['12,34.00', '1,2345.00', 'twenty', '$', '12.345', '--5', '-$-5', '1e3', '1234567890123'])(
    'rejects %p as AMOUNT_INVALID, naming the field',
    (value) => {
      const error = sourceRecordErrorOf(() => parseMoneyCents(value, 'Paid_amnt'));
      expect(error.code).toBe('AMOUNT_INVALID');
      expect(error.message).toBe('Paid_amnt is not a dollar amount');
    },
  );

  it.each(['(-12.00)', '($-12.00)', '(+12.00)', '(-$12.00)'])(
    'rejects %p, a sign inside parentheses (minus twice, or a sign the parentheses contradict), as AMOUNT_INVALID',
    (value) => {
      const error = sourceRecordErrorOf(() => parseMoneyCents(value, 'Paid_amnt'));
      expect(error.code).toBe('AMOUNT_INVALID');
      expect(error.message).toBe('Paid_amnt is not a dollar amount');
    },
  );
});

describe('parseWholeNumber and parseDecimalNumber', () => {
  it('reads whole numbers with a sign', () => {
    expect(parseWholeNumber('30', 'DAYS_SUPLY_NUM')).toBe(30);
    expect(parseWholeNumber('-2', 'UNITS')).toBe(-2);
  });

  it('rejects a fraction as a whole number with NUMBER_INVALID', () => {
    expect(sourceRecordErrorOf(() => parseWholeNumber('30.5', 'DAYS_SUPLY_NUM')).code).toBe('NUMBER_INVALID');
  });

  it('reads decimal quantities', () => {
    expect(parseDecimalNumber('30.000', 'QTY_DSPNSD_NUM')).toBe(30);
    expect(parseDecimalNumber('1.25', 'UNITS')).toBe(1.25);
  });

  it('rejects text as a quantity with NUMBER_INVALID', () => {
    expect(sourceRecordErrorOf(() => parseDecimalNumber('three', 'UNITS')).message).toBe('UNITS is not a number');
  });
});
