import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The first level of a CARC's root cause: the four CAQH CORE-defined
 * business scenarios of the CORE 360 Uniform Use of CARCs and RARCs rule
 * (vPR.1.0), plus `outside_core_scenarios` for the codes we file under
 * none of them (contractual, patient responsibility, eligibility,
 * duplicates, timely filing, coordination of benefits). The assignment is
 * ours, read from each scenario's definition; it is not the CORE Code
 * Combinations table.
 */
export const CARC_SCENARIOS = [
  'missing_claim_data',
  'missing_documentation_or_authorization',
  'service_not_covered',
  'not_separately_payable',
  'outside_core_scenarios',
] as const;
export type CarcScenario = (typeof CARC_SCENARIOS)[number];

/**
 * The second level, an operational category, and whether a CARC of that
 * category can make a zero payment a denial. Contractual write-downs,
 * deductible, coinsurance and copay, a prior payer's share and payment
 * arithmetic (sequestration, presumptive payment) explain money the payer
 * did not pay without refusing anything: they are adjustments, never denials
 * (docs/kpis/denials-and-payment.md, "Denials, not adjustments").
 */
export const CARC_CATEGORY_KINDS = {
  missing_information: 'denial',
  coding: 'denial',
  documentation: 'denial',
  authorization: 'denial',
  eligibility: 'denial',
  coverage: 'denial',
  medical_necessity: 'denial',
  benefit_limit: 'denial',
  bundling: 'denial',
  duplicate: 'denial',
  timely_filing: 'denial',
  coordination_of_benefits: 'denial',
  provider_eligibility: 'denial',
  unspecified_denial: 'denial',
  contractual: 'adjustment',
  patient_responsibility: 'adjustment',
  prior_payer: 'adjustment',
  payment_adjustment: 'adjustment',
} as const satisfies Record<string, 'denial' | 'adjustment'>;
export type CarcCategory = keyof typeof CARC_CATEGORY_KINDS;
export const CARC_CATEGORIES = Object.keys(CARC_CATEGORY_KINDS) as CarcCategory[];

/**
 * Scenario and category of a CARC the file does not list. It counts as a
 * denial reason, so a zero payment it explains is reported under `other`
 * (with the code) instead of vanishing from the denials.
 */
export const UNKNOWN_ROOT_CAUSE = 'other';

/** One row of rules/carc-root-causes.csv. */
export interface CarcRootCauseRow {
  carc: string;
  scenario: CarcScenario;
  category: CarcCategory;
  /** Our own few words for the code, not the code list's text. */
  label: string;
  /** Where the classification comes from (the X12 CARC list entry, the CORE scenario definition). */
  source: string;
}

/** How a CARC is classified: the file's scenario and category, or `other` for both when the file lacks it. */
export interface CarcClassification {
  scenario: string;
  category: string;
  known: boolean;
}

/** Categories that can make a zero payment a denial; `other` (an unlisted CARC) is one. */
export function isDenialCategory(category: string): boolean {
  if (category === UNKNOWN_ROOT_CAUSE) return true;
  return (CARC_CATEGORY_KINDS as Record<string, string>)[category] === 'denial';
}

export class CarcRootCauses {
  private readonly byCarc: ReadonlyMap<string, CarcRootCauseRow>;

  constructor(readonly rows: readonly CarcRootCauseRow[]) {
    this.byCarc = new Map(rows.map((row) => [row.carc, row]));
  }

  classify(carc: string): CarcClassification {
    const row = this.byCarc.get(carc.trim().toUpperCase());
    return row
      ? { scenario: row.scenario, category: row.category, known: true }
      : { scenario: UNKNOWN_ROOT_CAUSE, category: UNKNOWN_ROOT_CAUSE, known: false };
  }

  has(carc: string): boolean {
    return this.byCarc.has(carc.trim().toUpperCase());
  }
}

/** A rules file that does not validate: the message names the file, the line and the column. */
export class CarcRootCauseFileError extends Error {
  readonly code = 'CARC_ROOT_CAUSES_INVALID';
  readonly retriable = false;
}

const COLUMNS = ['carc', 'scenario', 'category', 'label', 'source'] as const;
/** CARCs are one to three letters and digits (16, 252, A1, B13, P2). */
const CARC_PATTERN = /^[A-Z0-9]{1,3}$/;

/** One CSV line: commas split, double quotes group, "" is a quote (RFC 4180 without line breaks in fields). */
function csvFields(line: string, where: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) throw new CarcRootCauseFileError(`${where}: a quoted field is not closed`);
  fields.push(field);
  return fields.map((value) => value.trim());
}

/**
 * Parses and checks rules/carc-root-causes.csv: the header names the five
 * columns in order; every row has a CARC (once only), a known scenario and
 * category, a label and a source. Blank lines and lines starting with # are
 * skipped. Pure: the caller reads the file.
 * @throws CarcRootCauseFileError naming the file, the line and what is wrong
 */
export function parseCarcRootCauses(text: string, fileName = 'carc-root-causes.csv'): CarcRootCauses {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '' && !line.startsWith('#'));
  const header = headerIndex < 0 ? [] : csvFields(lines[headerIndex] ?? '', `${fileName}: line ${headerIndex + 1}`);
  if (header.join(',') !== COLUMNS.join(',')) {
    throw new CarcRootCauseFileError(
      `${fileName}: the header must be "${COLUMNS.join(',')}", found "${header.join(',')}"`,
    );
  }
  const rows: CarcRootCauseRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (let index = headerIndex + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.trim() === '' || line.startsWith('#')) continue;
    const where = `${fileName}: line ${index + 1}`;
    const fields = csvFields(line, where);
    if (fields.length !== COLUMNS.length) {
      throw new CarcRootCauseFileError(`${where}: ${fields.length} columns, expected ${COLUMNS.length}`);
    }
    const [carc = '', scenario = '', category = '', label = '', source = ''] = fields;
    if (!CARC_PATTERN.test(carc)) {
      throw new CarcRootCauseFileError(`${where}: carc "${carc}" is not a CARC (1 to 3 capital letters or digits)`);
    }
    const first = firstLineOf.get(carc);
    if (first !== undefined) {
      throw new CarcRootCauseFileError(`${where}: carc ${carc} is listed twice (first on line ${first})`);
    }
    if (!(CARC_SCENARIOS as readonly string[]).includes(scenario)) {
      throw new CarcRootCauseFileError(
        `${where} (carc ${carc}): unknown scenario "${scenario}" (known: ${CARC_SCENARIOS.join(', ')})`,
      );
    }
    if (!(CARC_CATEGORIES as readonly string[]).includes(category)) {
      throw new CarcRootCauseFileError(
        `${where} (carc ${carc}): unknown category "${category}" (known: ${CARC_CATEGORIES.join(', ')})`,
      );
    }
    if (label === '') throw new CarcRootCauseFileError(`${where} (carc ${carc}): label is blank`);
    if (source === '') throw new CarcRootCauseFileError(`${where} (carc ${carc}): source is blank`);
    firstLineOf.set(carc, index + 1);
    rows.push({ carc, scenario: scenario as CarcScenario, category: category as CarcCategory, label, source });
  }
  if (rows.length === 0) throw new CarcRootCauseFileError(`${fileName}: no CARC rows`);
  return new CarcRootCauses(rows);
}

export function loadCarcRootCauses(path: string): CarcRootCauses {
  return parseCarcRootCauses(readFileSync(path, 'utf8'), path);
}

/** rules/carc-root-causes.csv of this checkout or install, found above this file (src and dist alike). */
export function shippedCarcRootCausesPath(): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'rules', 'carc-root-causes.csv');
    if (existsSync(join(directory, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(directory) === directory)
      throw new CarcRootCauseFileError(`no rules/carc-root-causes.csv above ${__dirname}`);
  }
}

let shipped: CarcRootCauses | null = null;

/**
 * The shipped mapping, read and checked once per process. The metrics
 * service calls it at start (and seeds carc_root_cause from it), so a file
 * that does not validate stops the start rather than the first 835.
 */
export function shippedCarcRootCauses(): CarcRootCauses {
  shipped ??= loadCarcRootCauses(shippedCarcRootCausesPath());
  return shipped;
}

/** Something that runs SQL with parameters: a TypeORM DataSource or EntityManager. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Makes carc_root_cause hold exactly the mapping (read by the batch SQL), in
 * the caller's transaction when it passes an EntityManager. An upsert and a
 * delete of the rest rather than delete-all-then-insert: two metrics
 * instances starting together would otherwise both insert the same keys.
 * `denial` is the category's kind, so the SQL decides denials as the fold does.
 */
export async function seedCarcRootCauses(runner: SqlRunner, rootCauses: CarcRootCauses): Promise<void> {
  const carcs = rootCauses.rows.map((row) => row.carc);
  await runner.query(
    `INSERT INTO carc_root_cause (carc, scenario, category, denial)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[])
     ON CONFLICT (carc) DO UPDATE
       SET scenario = EXCLUDED.scenario, category = EXCLUDED.category, denial = EXCLUDED.denial`,
    [
      carcs,
      rootCauses.rows.map((row) => row.scenario),
      rootCauses.rows.map((row) => row.category),
      rootCauses.rows.map((row) => isDenialCategory(row.category)),
    ],
  );
  await runner.query(`DELETE FROM carc_root_cause WHERE NOT (carc = ANY($1::text[]))`, [carcs]);
}
