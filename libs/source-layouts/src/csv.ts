import { isCalendarDay } from '@claims/contracts';
import { splitDelimitedRecord } from './delimited-record';
import { SourceRecordError } from './source-record.errors';

/**
 * Splits one RFC 4180 record into fields. DE-SynPUF data rows are unquoted
 * but their header row is quoted, and billing exports quote freely, so quotes
 * are honoured, and a quoted field may hold a line break (the ingestor joins
 * such a record's lines, bounded by the record size limit: QuotedRecordJoiner).
 */
export function parseCsvRecord(record: string): string[] {
  return splitDelimitedRecord(record, ',', '"');
}

/** Parses a decimal dollar amount ("90.00", "-5", "") into integer cents; blank is zero. */
export function parseAmountCents(value: string, field: string): number {
  // Most line slots are empty: skip the regular expression for the common zero forms.
  if (value === '' || value === '0.00') return 0;
  const trimmed = value.trim();
  if (trimmed === '') return 0;
  const match = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/.exec(trimmed);
  if (!match) {
    throw new SourceRecordError('AMOUNT_INVALID', `${field} is not a dollar amount`);
  }
  const [, sign, dollars = '0', fraction = ''] = match;
  const cents = Number(dollars) * 100 + Number(fraction.padEnd(2, '0'));
  return sign && cents !== 0 ? -cents : cents;
}

/** Parses a CCYYMMDD date into ISO YYYY-MM-DD, rejecting impossible calendar dates. */
export function parseCompactDate(value: string, field: string): string {
  // Read digit by digit, no regular expression: every claim has two or more dates.
  const text = value.length === 8 ? value : value.trim();
  if (text.length !== 8) throw new SourceRecordError('DATE_INVALID', `${field} is not a CCYYMMDD date`);
  let number = 0;
  for (let index = 0; index < 8; index += 1) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) throw new SourceRecordError('DATE_INVALID', `${field} is not a CCYYMMDD date`);
    number = number * 10 + digit;
  }
  const year = Math.floor(number / 10000);
  const month = Math.floor(number / 100) % 100;
  const day = number % 100;
  if (!isCalendarDay(year, month, day)) {
    throw new SourceRecordError('DATE_INVALID', `${field} is not a calendar date`);
  }
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** The service dates a claim may carry; anything outside is a data error, not an event time. */
export interface DateRange {
  earliest: string;
  latest: string;
}

/**
 * The default plausible range: no Medicare claim predates the program's
 * start (1 July 1966), and a date past 2099 is a placeholder such as
 * 9999-12-31, which would drag the event-time watermark — and with it every
 * aging KPI — into the far future.
 */
export const DEFAULT_SERVICE_DATE_RANGE: DateRange = { earliest: '1966-07-01', latest: '2099-12-31' };

/** Parses a CCYYMMDD date and holds it to `range`. @throws SourceRecordError DATE_INVALID | DATE_OUT_OF_RANGE */
export function parseServiceDate(value: string, field: string, range: DateRange): string {
  const iso = parseCompactDate(value, field);
  if (iso < range.earliest || iso > range.latest) {
    throw new SourceRecordError(
      'DATE_OUT_OF_RANGE',
      `${field} is outside the plausible service dates ${range.earliest} to ${range.latest}`,
    );
  }
  return iso;
}
