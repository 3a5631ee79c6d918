import type { SeededRandom } from './seeded-random';

const MILLISECONDS_PER_DAY = 86_400_000;
const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Dollars and cents with no sign, separator or symbol ("1234.05"), as the CMS files write amounts. */
export function formatCents(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** "$1,234.05": the way a billing system's screen (and so its export) shows an amount. */
export function formatDollarsWithSeparators(cents: number, withDollarSign: boolean): string {
  // Grouped by hand rather than with toLocaleString: the bytes must not depend on the ICU build.
  const dollars = String(Math.trunc(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${withDollarSign ? '$' : ''}${dollars}.${String(cents % 100).padStart(2, '0')}`;
}

/** CCYYMMDD, the DE-SynPUF date format. */
export function formatCcyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

/** DD-Mon-YYYY ("30-May-2015"), the date format of the CMS RIF extracts (BFD synthetic samples). */
export function formatRifDate(date: Date): string {
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${day}-${MONTH_ABBREVIATIONS[date.getUTCMonth()] ?? ''}-${date.getUTCFullYear()}`;
}

export function formatIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** MM/DD/YYYY, or M/D/YYYY when `leadingZeros` is false: both occur in US exports. */
export function formatUsDate(date: Date, leadingZeros: boolean): string {
  const pad = (value: number): string => (leadingZeros ? String(value).padStart(2, '0') : String(value));
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

/** Every UTC day from `firstDay` through `lastDay` (both YYYY-MM-DD, both included). */
export function calendarDays(firstDay: string, lastDay: string): readonly Date[] {
  const first = Date.parse(`${firstDay}T00:00:00Z`);
  const count = (Date.parse(`${lastDay}T00:00:00Z`) - first) / MILLISECONDS_PER_DAY + 1;
  return Array.from({ length: count }, (_, offset) => new Date(first + offset * MILLISECONDS_PER_DAY));
}

/**
 * One field of a comma-separated file, quoted as RFC 4180 asks when it holds
 * a comma, a quote or a line break (free-text comments, "$1,250.00").
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A 10-digit NPI whose last digit is the Luhn check digit over "80840" and the
 * first nine (CMS, "Requirements for the NPI check digit"), so an enricher's
 * check passes unless the generator means it to fail.
 */
export function npiWithCheckDigit(firstNineDigits: string): string {
  let sum = 24; // the constant contribution of the 80840 prefix
  for (let index = 0; index < 9; index += 1) {
    const digit = Number(firstNineDigits[8 - index]);
    const weighted = index % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return `${firstNineDigits}${(10 - (sum % 10)) % 10}`;
}

/** A pool of NPIs, nearly all with a valid check digit; the rest fail it, as in a real feed. */
export function npiPool(random: SeededRandom, size: number, invalidShare: number): string[] {
  return Array.from({ length: size }, () => {
    const npi = npiWithCheckDigit(`1${random.digits(8)}`);
    if (!random.chance(invalidShare)) return npi;
    const wrongCheckDigit = (Number(npi[9]) + random.intBetween(1, 9)) % 10;
    return `${npi.slice(0, 9)}${wrongCheckDigit}`;
  });
}
