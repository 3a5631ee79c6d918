import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeListName } from './mapping-targets';

/**
 * The vendored code lists (data/codes/tuva, from the Tuva Project's
 * terminology seeds) and how a source code is put in their form before the
 * lookup. HCPCS level I codes are CPT, which the AMA licenses and no public
 * list carries: only level II codes (a letter and four digits) are checked.
 */
const CODE_LIST_FILES: Record<CodeListName, { file: string; normalize: (code: string) => string | null }> = {
  // Diagnosis and procedure codes in one file, written without the decimal point.
  'icd-9-cm': { file: 'terminology__icd_9_cm.csv', normalize: (code) => code.replaceAll('.', '') },
  hcpcs: { file: 'terminology__hcpcs_level_2.csv', normalize: (code) => (/^[A-V]\d{4}$/.test(code) ? code : null) },
  'place-of-service': { file: 'terminology__place_of_service.csv', normalize: (code) => code.padStart(2, '0') },
  'revenue-center': { file: 'terminology__revenue_center.csv', normalize: (code) => code.padStart(4, '0') },
  // Bill types are listed as three digits; UB-04 prints them with a leading zero.
  'bill-type': {
    file: 'terminology__bill_type.csv',
    normalize: (code) => (code.length === 4 ? code.replace(/^0/, '') : code),
  },
  'ssa-state': { file: 'terminology__ssa_fips_state.csv', normalize: (code) => code.padStart(2, '0') },
};

export class CodeLists {
  constructor(private readonly codesByList: ReadonlyMap<CodeListName, ReadonlySet<string>>) {}

  /** True or false when the code can be checked against the list; null when the list cannot say. */
  isKnown(list: CodeListName, code: string): boolean | null {
    const codes = this.codesByList.get(list);
    const normalized = CODE_LIST_FILES[list].normalize(code.toUpperCase());
    if (codes === undefined || normalized === null) return null;
    return codes.has(normalized);
  }

  /** No lists at all: every check answers null (for tests of mapping alone). */
  static none(): CodeLists {
    return new CodeLists(new Map());
  }
}

/**
 * The first column of a code-list CSV, header row aside. Only the code is
 * read: some descriptions carry stray quotes that a strict CSV reader refuses.
 */
export function parseCodeListCsv(text: string): Set<string> {
  const codes = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines.slice(1)) {
    const code = (/^"([^"]*)"/.exec(line)?.[1] ?? line.split(',')[0] ?? '').trim().toUpperCase();
    if (code !== '') codes.add(code);
  }
  return codes;
}

/** Reads every list from `folder` (data/codes/tuva). @throws when a list file is missing: checks must not silently stop. */
export function loadCodeLists(folder: string): CodeLists {
  const codesByList = new Map<CodeListName, Set<string>>();
  for (const [list, { file }] of Object.entries(CODE_LIST_FILES) as Array<[CodeListName, { file: string }]>) {
    codesByList.set(list, parseCodeListCsv(readFileSync(join(folder, file), 'utf8')));
  }
  return new CodeLists(codesByList);
}
