import { isCalendarDay } from '@claims/contracts';
import { SourceRecordError } from './source-record.errors';

/**
 * Date formats a layout may declare: CMS compact dates (DE-SynPUF), ISO,
 * US billing exports, and the Oracle-style day-month-year of the CMS RIF
 * extracts (30-May-2015, 27-OCT-1999: month names in any case).
 */
export const DATE_FORMATS = ['CCYYMMDD', 'YYYY-MM-DD', 'MM/DD/YYYY', 'DD-Mon-YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

const DATE_PATTERNS: Record<DateFormat, RegExp> = {
  CCYYMMDD: /^(\d{4})(\d{2})(\d{2})$/,
  'YYYY-MM-DD': /^(\d{4})-(\d{2})-(\d{2})$/,
  // US exports drop leading zeros as often as not (3/7/2015).
  'MM/DD/YYYY': /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/,
  'DD-Mon-YYYY': /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/,
};

/** Parses a date in a declared format into ISO YYYY-MM-DD. @throws SourceRecordError DATE_INVALID */
export function parseDateAs(value: string, format: DateFormat, field: string): string {
  const match = DATE_PATTERNS[format].exec(value.trim());
  if (!match) throw new SourceRecordError('DATE_INVALID', `${field} is not a ${format} date`);
  const [, first = '', second = '', third = ''] = match;
  let year: string;
  let month: string;
  let day: string;
  if (format === 'MM/DD/YYYY') [month, day, year] = [first, second, third];
  else if (format === 'DD-Mon-YYYY') {
    const monthIndex = MONTHS.indexOf(second.toUpperCase());
    if (monthIndex === -1) throw new SourceRecordError('DATE_INVALID', `${field} is not a ${format} date`);
    [day, month, year] = [first, String(monthIndex + 1), third];
  } else [year, month, day] = [first, second, third];
  if (!isCalendarDay(Number(year), Number(month), Number(day))) {
    throw new SourceRecordError('DATE_INVALID', `${field} is not a calendar date`);
  }
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * Parses a date in one of a field's declared formats, tried in order.
 * @throws SourceRecordError DATE_INVALID, naming the calendar fault when the
 * value has a format's shape but is no calendar day (02/30/2024).
 */
export function parseDateInFormats(value: string, format: DateFormat | readonly DateFormat[], field: string): string {
  const formats = typeof format === 'string' ? [format] : format;
  let calendarError: SourceRecordError | null = null;
  for (const candidate of formats) {
    try {
      return parseDateAs(value, candidate, field);
    } catch (error) {
      // A value in the format's shape but not on the calendar (02/30/2024) is the answer to report.
      if (error instanceof SourceRecordError && error.message.endsWith('calendar date')) calendarError ??= error;
    }
  }
  throw calendarError ?? new SourceRecordError('DATE_INVALID', `${field} is not a ${formats.join(' or ')} date`);
}

/**
 * Parses a dollar amount as billing exports write it — "1234.5", "$1,234.56",
 * "-$12.00", "($12.00)" — into integer cents. Thousands separators must sit
 * in groups of three: "12,34" is a typo, not twelve dollars.
 * @throws SourceRecordError AMOUNT_INVALID
 */
export function parseMoneyCents(value: string, field: string): number {
  let text = value.trim();
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  const match = /^([-+])?\s*(\$)?\s*([-+])?(\d{1,3}(?:,\d{3})+|\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new SourceRecordError('AMOUNT_INVALID', `${field} is not a dollar amount`);
  const [, signBefore, , signAfter, dollars = '0', fraction = ''] = match;
  // Parentheses are the sign: one more inside them ("(-12.00)") says minus twice, or contradicts them.
  if ((signBefore !== undefined && signAfter !== undefined) || (negative && (signBefore ?? signAfter) !== undefined)) {
    throw new SourceRecordError('AMOUNT_INVALID', `${field} is not a dollar amount`);
  }
  const digits = dollars.replaceAll(',', '');
  if (digits.length > 12) throw new SourceRecordError('AMOUNT_INVALID', `${field} is not a dollar amount`);
  const cents = Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  negative ||= (signBefore ?? signAfter) === '-';
  return negative && cents !== 0 ? -cents : cents;
}

/** Parses a whole number ("30", "-2"). @throws SourceRecordError NUMBER_INVALID */
export function parseWholeNumber(value: string, field: string): number {
  const text = value.trim();
  if (!/^[-+]?\d{1,15}$/.test(text)) throw new SourceRecordError('NUMBER_INVALID', `${field} is not a whole number`);
  return Number(text);
}

/** Parses a decimal quantity ("30.000", "1.0"). @throws SourceRecordError NUMBER_INVALID */
export function parseDecimalNumber(value: string, field: string): number {
  const text = value.trim();
  if (!/^[-+]?\d{1,15}(?:\.\d{1,6})?$/.test(text)) {
    throw new SourceRecordError('NUMBER_INVALID', `${field} is not a number`);
  }
  return Number(text);
}
