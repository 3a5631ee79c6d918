import {
  DEFAULT_SERVICE_DATE_RANGE,
  parseAmountCents,
  parseCompactDate,
  parseCsvRecord,
  parseServiceDate,
} from './csv';
import { sourceRecordErrorCodeOf, sourceRecordErrorOf } from './__fixtures__/source-record-error';

describe('parseCsvRecord', () => {
  it('splits a plain unquoted record on commas, keeping empty fields', () => {
    expect(parseCsvRecord('a,b,,c')).toEqual(['a', 'b', '', 'c']);
  });

  it('keeps a trailing empty field', () => {
    expect(parseCsvRecord('a,')).toEqual(['a', '']);
  });

  it('reads the empty record as one empty field', () => {
    expect(parseCsvRecord('')).toEqual(['']);
  });

  it('strips the quotes of a quoted header', () => {
    expect(parseCsvRecord('"DESYNPUF_ID","CLM_ID","CLM_FROM_DT"')).toEqual(['DESYNPUF_ID', 'CLM_ID', 'CLM_FROM_DT']);
  });

  it('keeps a comma inside a quoted field', () => {
    expect(parseCsvRecord('1,"CUMBERLAND COUNTY HOSPITAL SYSTEM, INC",NC')).toEqual([
      '1',
      'CUMBERLAND COUNTY HOSPITAL SYSTEM, INC',
      'NC',
    ]);
  });

  it('turns a doubled quote inside a quoted field into one quote', () => {
    expect(parseCsvRecord('"say ""hi""",2')).toEqual(['say "hi"', '2']);
  });

  it('reads an empty quoted field as the empty string', () => {
    expect(parseCsvRecord('"",x,""')).toEqual(['', 'x', '']);
  });

  it('mixes quoted and unquoted fields in one record', () => {
    expect(parseCsvRecord('a,"b",c')).toEqual(['a', 'b', 'c']);
  });

  it('rejects a quote inside an unquoted field as CSV_MALFORMED, naming the position', () => {
    const error = sourceRecordErrorOf(() => parseCsvRecord('ab"c,d'));
    expect(error.code).toBe('CSV_MALFORMED');
    expect(error.message).toBe('quote inside an unquoted field at character 3');
    expect(error.retriable).toBe(false);
    expect(error.name).toBe('SourceRecordError');
  });

  it('rejects an unterminated quoted field as CSV_MALFORMED, naming the field and where its quote opened', () => {
    const error = sourceRecordErrorOf(() => parseCsvRecord('a,"b,c'));
    expect(error.code).toBe('CSV_MALFORMED');
    expect(error.message).toBe(
      'unterminated quoted field: the quote opening field 2 at character 3 does not close by the end of the record',
    );
  });

  it('says a space before an opening quote is what is wrong, not a quote inside an unquoted field', () => {
    const error = sourceRecordErrorOf(() => parseCsvRecord('a, "b",c'));
    expect(error.code).toBe('CSV_MALFORMED');
    expect(error.message).toBe('space before the opening quote of field 2 at character 4');
  });

  it('says a space after a closing quote is what is wrong, not text after it', () => {
    const error = sourceRecordErrorOf(() => parseCsvRecord('"a" ,b'));
    expect(error.code).toBe('CSV_MALFORMED');
    expect(error.message).toBe('space after the closing quote of field 1 at character 4');
  });

  it('still names text after a closing quote and a quote inside an unquoted field as such', () => {
    expect(sourceRecordErrorOf(() => parseCsvRecord('"a"b,c')).message).toBe(
      'text after a closing quote at character 4',
    );
    expect(sourceRecordErrorOf(() => parseCsvRecord('x, 12" ruler')).message).toBe(
      'quote inside an unquoted field at character 6',
    );
  });
});

describe('parseAmountCents', () => {
  it.each([
    ['90.00', 9000],
    ['5.5', 550],
    ['0.07', 7],
    ['140', 14000],
    ['-5', -500],
    ['-12.30', -1230],
    [' 12.30 ', 1230],
    ['999999999999.99', 99999999999999],
  ])('parses %p as %p cents', (value, cents) => {
    expect(parseAmountCents(value, 'LINE_NCH_PMT_AMT_1')).toBe(cents);
  });

  it('reads a blank or whitespace-only amount as zero', () => {
    expect(parseAmountCents('', 'LINE_NCH_PMT_AMT_1')).toBe(0);
    expect(parseAmountCents('   ', 'LINE_NCH_PMT_AMT_1')).toBe(0);
  });

  it.each(['12.345', 'abc', '1,000.00', '.50', '5.', '+5', '$5.00', '1e3', '1234567890123'])(
    'rejects %p as AMOUNT_INVALID',
    (value) => {
      expect(sourceRecordErrorCodeOf(() => parseAmountCents(value, 'LINE_NCH_PMT_AMT_1'))).toBe('AMOUNT_INVALID');
    },
  );

  it('names the offending field in the error message', () => {
    expect(sourceRecordErrorOf(() => parseAmountCents('abc', 'LINE_ALOWD_CHRG_AMT_4')).message).toBe(
      'LINE_ALOWD_CHRG_AMT_4 is not a dollar amount',
    );
  });
});

describe('parseCompactDate', () => {
  it('turns CCYYMMDD into YYYY-MM-DD', () => {
    expect(parseCompactDate('20080808', 'CLM_THRU_DT')).toBe('2008-08-08');
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseCompactDate('20080229', 'CLM_THRU_DT')).toBe('2008-02-29');
  });

  it('ignores surrounding whitespace', () => {
    expect(parseCompactDate(' 20100703 ', 'CLM_THRU_DT')).toBe('2010-07-03');
  });

  it.each(['20080230', '20090229', '20081301', '20080000', '20080431'])(
    'rejects the impossible calendar date %p as DATE_INVALID',
    (value) => {
      const error = sourceRecordErrorOf(() => parseCompactDate(value, 'CLM_FROM_DT'));
      expect(error.code).toBe('DATE_INVALID');
      expect(error.message).toBe('CLM_FROM_DT is not a calendar date');
    },
  );

  it.each([
    '',
    '2008-08-08',
    '2008088',
    '200808080',
    'abcdefgh',
    '2008O808',
    '+2008080',
    '2008 808',
    '２００８０８０８',
  ])('rejects the non-CCYYMMDD value %p as DATE_INVALID', (value) => {
    const error = sourceRecordErrorOf(() => parseCompactDate(value, 'CLM_FROM_DT'));
    expect(error.code).toBe('DATE_INVALID');
    expect(error.message).toBe('CLM_FROM_DT is not a CCYYMMDD date');
  });
});

describe('parseServiceDate', () => {
  const range = DEFAULT_SERVICE_DATE_RANGE;

  it('accepts a date inside the plausible range', () => {
    expect(parseServiceDate('20100331', 'CLM_THRU_DT', range)).toBe('2010-03-31');
  });

  it('dead-letters 00000101 (year 0000, which neither Postgres nor ISO 8601 has) as DATE_INVALID, naming the field', () => {
    expect(() => parseServiceDate('00000101', 'CLM_FROM_DT', range)).toThrow(
      expect.objectContaining({ code: 'DATE_INVALID', message: expect.stringContaining('CLM_FROM_DT') }),
    );
  });

  it.each([
    ['99991231', 'the 9999-12-31 placeholder, which would move the watermark to 9999'],
    ['19600101', 'a date before Medicare began'],
  ])('dead-letters %s (%s) as DATE_OUT_OF_RANGE, naming the field', (value) => {
    expect(() => parseServiceDate(value, 'CLM_FROM_DT', range)).toThrow(
      expect.objectContaining({ code: 'DATE_OUT_OF_RANGE', message: expect.stringContaining('CLM_FROM_DT') }),
    );
  });

  it('takes the range as a setting', () => {
    expect(() => parseServiceDate('20100101', 'CLM_FROM_DT', { earliest: '2011-01-01', latest: '2011-12-31' })).toThrow(
      'outside the plausible service dates 2011-01-01 to 2011-12-31',
    );
  });
});
