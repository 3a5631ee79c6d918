/**
 * Text for the PDF report: the figures formatted as the dashboard shows them,
 * and data values made into plain, bounded cell text.
 */

export const NONE = '—';
/** A figure withheld by small-cell suppression; the cover says what it means. */
export const WITHHELD = '*';

const countFormat = new Intl.NumberFormat('en-US');
const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatCount = (value: number | null | undefined): string =>
  value === null || value === undefined ? NONE : countFormat.format(value);
export const formatMoney = (cents: number | null | undefined): string =>
  cents === null || cents === undefined ? NONE : moneyFormat.format(cents / 100);
/** A 4-place ratio as the dashboard shows it: a percentage to 0.1. */
export const formatShare = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined ? NONE : `${(ratio * 100).toFixed(1)}%`;

/** The longest data value a cell shows before it is cut, whatever the column's width. */
export const MAX_CELL_CHARACTERS = 60;

/**
 * The characters the PDF's standard fonts can draw (WinAnsiEncoding, PDF
 * 32000 annex D): printable ASCII, Latin-1 and the Windows-1252 extras.
 */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const drawable = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(character);
};

/**
 * A value from the data as one line of plain text: control characters and
 * line breaks become spaces, characters the fonts lack become `?`, runs of
 * space collapse, and anything longer than `maxCharacters` is cut with an
 * ellipsis. A PDF has no formula or markup to inject into; this keeps a
 * value on its line and inside its cell.
 */
export function plainText(value: string | null | undefined, maxCharacters = MAX_CELL_CHARACTERS): string {
  if (value === null || value === undefined || value === '') return NONE;
  const characters = Array.from(value.normalize('NFC'), (character) =>
    /\p{Cc}|\p{Zl}|\p{Zp}/u.test(character) ? ' ' : drawable(character) ? character : '?',
  );
  const text = characters.join('').replace(/ {2,}/g, ' ').trim();
  if (text === '') return NONE;
  const kept = Array.from(text);
  return kept.length <= maxCharacters ? text : `${kept.slice(0, maxCharacters - 1).join('')}…`;
}

/** `text`, cut with an ellipsis until `measure` says it fits in `width`. */
export function fitToWidth(text: string, width: number, measure: (text: string) => number): string {
  if (measure(text) <= width) return text;
  const characters = Array.from(text);
  let kept = characters.length - 1;
  while (kept > 0 && measure(`${characters.slice(0, kept).join('')}…`) > width) kept -= 1;
  return kept > 0 ? `${characters.slice(0, kept).join('')}…` : '…';
}

/** A file name a browser saves the report under: the dates of the report, nothing from the data. */
export function reportFileName(asOf: string | null): string {
  return `claims-kpi-report${asOf === null ? '' : `-${asOf.replace(/[^0-9-]/g, '')}`}.pdf`;
}
