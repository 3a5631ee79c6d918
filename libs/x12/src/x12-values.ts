import { isCalendarDay } from '@claims/contracts';
import { X12Error } from './x12.errors';
import type { X12Segment } from './x12-segments';

/** Element `position` of a segment, trimmed; '' when absent. */
export function elementOf(segment: X12Segment, position: number): string {
  return (segment.elements[position] ?? '').trim();
}

/**
 * Element `position` split into its components (a composite such as
 * `HC:99213:25`), each trimmed as an element is: a writer that pads its
 * fields pads components too, and `BK :0340` is the principal diagnosis
 * 0340, not a qualifier no list holds.
 */
export function componentsOf(segment: X12Segment, position: number): string[] {
  return elementOf(segment, position)
    .split(segment.separators.component)
    .map((component) => component.trim());
}

export function blankToNull(value: string): string | null {
  return value === '' ? null : value;
}

const DECIMAL = /^-?\d*(?:\.\d*)?$/;
/** Dollars to 13 digits keep every cent exact in a double (below 2^53). */
const MAX_WHOLE_DIGITS = 13;
const LEADING_ZEROS = /^0+/;

/**
 * An X12 `R` (decimal) amount as integer cents. Decimals past the second must
 * be zeros: money is never rounded silently. Parsed by hand, not by regex
 * groups: every line of every claim passes here.
 * @throws X12Error X12_AMOUNT_INVALID, naming the segment and element, never the value
 */
export function amountCentsOf(segment: X12Segment, position: number): number {
  const text = elementOf(segment, position);
  const negative = text.startsWith('-');
  const point = text.indexOf('.');
  const whole = text.slice(negative ? 1 : 0, point < 0 ? text.length : point);
  const fraction = point < 0 ? '' : text.slice(point + 1);
  // An R element holds up to 18 digits, and a writer may zero-fill them: the limit is on the digits that count.
  const significant = whole.length > MAX_WHOLE_DIGITS ? whole.replace(LEADING_ZEROS, '') : whole;
  const valid =
    DECIMAL.test(text) &&
    (whole !== '' || fraction !== '') &&
    significant.length <= MAX_WHOLE_DIGITS &&
    /^0*$/.test(fraction.slice(2));
  if (!valid) {
    throw new X12Error('X12_AMOUNT_INVALID', `${segment.tag}${String(position).padStart(2, '0')} is not an amount`, {
      segmentNumber: segment.number,
      elementPosition: position,
    });
  }
  const cents = Number(significant || '0') * 100 + Number((fraction + '00').slice(0, 2));
  return negative && cents !== 0 ? -cents : cents;
}

/** An optional amount: null when the element is blank. */
export function optionalAmountCentsOf(segment: X12Segment, position: number): number | null {
  return elementOf(segment, position) === '' ? null : amountCentsOf(segment, position);
}

/** A quantity (units, days): a decimal number, null when blank or unreadable. */
export function quantityOf(segment: X12Segment, position: number): number | null {
  const text = elementOf(segment, position);
  if (text === '' || !DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** An element's name as a reason gives it: its segment's tag and its position (DTP03). */
const fieldOf = (segment: X12Segment, position: number): string => `${segment.tag}${String(position).padStart(2, '0')}`;

function isoOf(ccyymmdd: string, segment: X12Segment, position: number): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(ccyymmdd);
  if (!match || !isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new X12Error('X12_DATE_INVALID', `${fieldOf(segment, position)} is not a CCYYMMDD date`, {
      segmentNumber: segment.number,
      elementPosition: position,
    });
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** A CCYYMMDD element as YYYY-MM-DD. @throws X12Error X12_DATE_INVALID */
export function dateOf(segment: X12Segment, position: number): string {
  return isoOf(elementOf(segment, position), segment, position);
}

/**
 * A DTP/DTM date with its format qualifier: D8 (one date), RD8 (a range,
 * CCYYMMDD-CCYYMMDD, that ends on or after its start) or DT (a date and
 * time, CCYYMMDDHHMM, of which the day is read); a single date stands for a
 * range of one day.
 * @throws X12Error X12_DATE_INVALID
 */
export function dateRangeOf(segment: X12Segment, qualifierPosition: number): { from: string; through: string } {
  const qualifier = elementOf(segment, qualifierPosition);
  const value = elementOf(segment, qualifierPosition + 1);
  const position = qualifierPosition + 1;
  if (qualifier === 'RD8') {
    const parts = value.split('-');
    const from = isoOf(parts[0] ?? '', segment, position);
    const through = isoOf(parts.length === 2 ? (parts[1] ?? '') : '', segment, position);
    if (through < from) {
      throw new X12Error('X12_DATE_INVALID', `${fieldOf(segment, position)} is a range that ends before it starts`, {
        segmentNumber: segment.number,
        elementPosition: position,
      });
    }
    return { from, through };
  }
  const date = isoOf(qualifier === 'DT' && /^\d{12}$/.test(value) ? value.slice(0, 8) : value, segment, position);
  return { from: date, through: date };
}
