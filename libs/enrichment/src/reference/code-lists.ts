import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecord } from '@claims/source-layouts';
import { ColumnIndex, fieldAt } from './reference-rows';
import { ReferenceFormatError } from './reference.errors';

/** The code lists the reference parsers and the synthetic directory resolve names with. */
export interface ReferenceCodes {
  /** NUCC taxonomy code → specialty name. */
  taxonomySpecialty: ReadonlyMap<string, string>;
  /** SSA state code (two digits) → state name and, for US states and territories, its USPS abbreviation. */
  ssaStates: ReadonlyMap<string, { name: string; usps: string | null }>;
}

/** Where the lists sit under the code-list folder (the repository's `data/codes`). */
export const REFERENCE_CODE_FILES = {
  nuccTaxonomy: join('nucc', 'nucc_taxonomy_240.csv'),
  ssaStates: join('tuva', 'terminology__ssa_fips_state.csv'),
} as const;

/**
 * USPS abbreviations by state or territory name, as the SSA state code list
 * spells the names (Publication 28, appendix B). Regions abroad (Africa,
 * Europe, "U.S. Possessions") have no abbreviation and are left out.
 */
export const USPS_BY_STATE_NAME: ReadonlyMap<string, string> = new Map([
  ['Alabama', 'AL'],
  ['Alaska', 'AK'],
  ['Arizona', 'AZ'],
  ['Arkansas', 'AR'],
  ['California', 'CA'],
  ['Colorado', 'CO'],
  ['Connecticut', 'CT'],
  ['Delaware', 'DE'],
  ['District of Columbia', 'DC'],
  ['Florida', 'FL'],
  ['Georgia', 'GA'],
  ['Hawaii', 'HI'],
  ['Idaho', 'ID'],
  ['Illinois', 'IL'],
  ['Indiana', 'IN'],
  ['Iowa', 'IA'],
  ['Kansas', 'KS'],
  ['Kentucky', 'KY'],
  ['Louisiana', 'LA'],
  ['Maine', 'ME'],
  ['Maryland', 'MD'],
  ['Massachusetts', 'MA'],
  ['Michigan', 'MI'],
  ['Minnesota', 'MN'],
  ['Mississippi', 'MS'],
  ['Missouri', 'MO'],
  ['Montana', 'MT'],
  ['Nebraska', 'NE'],
  ['Nevada', 'NV'],
  ['New Hampshire', 'NH'],
  ['New Jersey', 'NJ'],
  ['New Mexico', 'NM'],
  ['New York', 'NY'],
  ['North Carolina', 'NC'],
  ['North Dakota', 'ND'],
  ['Ohio', 'OH'],
  ['Oklahoma', 'OK'],
  ['Oregon', 'OR'],
  ['Pennsylvania', 'PA'],
  ['Puerto Rico', 'PR'],
  ['Rhode Island', 'RI'],
  ['South Carolina', 'SC'],
  ['South Dakota', 'SD'],
  ['Tennessee', 'TN'],
  ['Texas', 'TX'],
  ['Utah', 'UT'],
  ['Vermont', 'VT'],
  ['Virgin Islands', 'VI'],
  ['Virginia', 'VA'],
  ['Washington', 'WA'],
  ['West Virginia', 'WV'],
  ['Wisconsin', 'WI'],
  ['Wyoming', 'WY'],
  ['American Samoa', 'AS'],
  ['Guam', 'GU'],
  ['Commonwealth of the Northern Marianas Islands', 'MP'],
  ['Northern Marianas', 'MP'],
]);

const STATE_NAME_BY_USPS: ReadonlyMap<string, string> = new Map(
  [...USPS_BY_STATE_NAME].reverse().map(([name, usps]) => [usps, name]),
);

/** The state name of a USPS abbreviation (IL → Illinois), or null. */
export function stateNameOfUsps(usps: string): string | null {
  return STATE_NAME_BY_USPS.get(usps.toUpperCase()) ?? null;
}

/**
 * NUCC taxonomy code → specialty name: the Display Name column (the form
 * NUCC recommends showing), or the Classification when a row has none.
 */
export function loadNuccTaxonomy(csvText: string): Map<string, string> {
  const records = csvRecordsOf(csvText);
  const header = records.next();
  if (header.done === true) throw new ReferenceFormatError('NUCC taxonomy list is empty');
  const columns = new ColumnIndex(parseCsvRecord(header.value));
  const code = columns.find('Code');
  const displayName = columns.find('Display Name');
  const classification = columns.find('Classification');
  if (code === undefined || (displayName === undefined && classification === undefined)) {
    throw new ReferenceFormatError(
      'NUCC taxonomy header lacks the "Code" and "Display Name" or "Classification" columns',
    );
  }
  const specialties = new Map<string, string>();
  for (const record of records) {
    const fields = parseCsvRecord(record);
    const taxonomyCode = fieldAt(fields, code).toUpperCase();
    const name = fieldAt(fields, displayName) || fieldAt(fields, classification);
    if (taxonomyCode !== '' && name !== '') specialties.set(taxonomyCode, name);
  }
  return specialties;
}

/**
 * SSA state code → name and USPS abbreviation. Codes added in a later year
 * carry the date in the name ("Florida (eff. 10/2005)"): the state is the
 * same, so the note is dropped from the name.
 */
export function loadSsaStates(csvText: string): Map<string, { name: string; usps: string | null }> {
  const states = new Map<string, { name: string; usps: string | null }>();
  const records = csvRecordsOf(csvText);
  records.next();
  for (const record of records) {
    const [rawCode = '', rawName = ''] = parseCsvRecord(record);
    const code = rawCode.trim().padStart(2, '0');
    const name = rawName.trim().replace(/\s*\(eff\.[^)]*\)$/, '');
    if (!/^\d{2}$/.test(code) || name === '') continue;
    states.set(code, { name, usps: USPS_BY_STATE_NAME.get(name) ?? null });
  }
  return states;
}

/**
 * Reads both lists from the code-list folder, the repository's `data/codes`
 * (synchronously: services load them once at boot).
 *
 * @throws when a list file is missing: names must not silently stop resolving.
 */
export function loadReferenceCodes(codesDir: string): ReferenceCodes {
  return {
    taxonomySpecialty: loadNuccTaxonomy(readFileSync(join(codesDir, REFERENCE_CODE_FILES.nuccTaxonomy), 'utf8')),
    ssaStates: loadSsaStates(readFileSync(join(codesDir, REFERENCE_CODE_FILES.ssaStates), 'utf8')),
  };
}

function ssaEntry(
  ssaCode: string,
  codes: Pick<ReferenceCodes, 'ssaStates'>,
): { name: string; usps: string | null } | null {
  return codes.ssaStates.get(ssaCode.trim().padStart(2, '0')) ?? null;
}

/** The state name of an SSA state code ('14' → 'Illinois'), or null when the code is unknown. */
export function ssaStateName(ssaCode: string, codes: Pick<ReferenceCodes, 'ssaStates'>): string | null {
  return ssaEntry(ssaCode, codes)?.name ?? null;
}

/** The USPS abbreviation of an SSA state code ('14' → 'IL'); null for a region abroad or an unknown code. */
export function uspsOfSsaState(ssaCode: string, codes: Pick<ReferenceCodes, 'ssaStates'>): string | null {
  return ssaEntry(ssaCode, codes)?.usps ?? null;
}

/**
 * USPS abbreviation → SSA state code. Several codes name one state (Texas is
 * 45, 67 and 74); the lowest is the state's original code and the one kept.
 */
export function ssaStateCodesByUsps(codes: Pick<ReferenceCodes, 'ssaStates'>): Map<string, string> {
  const byUsps = new Map<string, string>();
  for (const [code, { usps }] of [...codes.ssaStates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (usps !== null && !byUsps.has(usps)) byUsps.set(usps, code);
  }
  return byUsps;
}

/**
 * The records of a CSV text: lines, except that a quoted field running over
 * a line break keeps its record together (NUCC notes may span lines).
 */
function* csvRecordsOf(text: string): Generator<string, void, undefined> {
  let pending: string | null = null;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const record: string = pending === null ? line : `${pending}\n${line}`;
    if (countQuotes(record) % 2 === 1) {
      pending = record;
      continue;
    }
    pending = null;
    if (record.trim() !== '') yield record;
  }
  if (pending !== null) throw new ReferenceFormatError('code list ends inside a quoted field');
}

function countQuotes(text: string): number {
  let count = 0;
  for (let index = text.indexOf('"'); index !== -1; index = text.indexOf('"', index + 1)) count += 1;
  return count;
}
