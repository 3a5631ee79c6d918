import { readFileSync } from 'node:fs';
import {
  CARC_CATEGORIES,
  CARC_SCENARIOS,
  CarcRootCauseFileError,
  UNKNOWN_ROOT_CAUSE,
  isDenialCategory,
  parseCarcRootCauses,
  seedCarcRootCauses,
  shippedCarcRootCauses,
  shippedCarcRootCausesPath,
} from './carc-root-cause';

const HEADER = 'carc,scenario,category,label,source';
const file = (...rows: string[]): string => [HEADER, ...rows].join('\n');

describe('parseCarcRootCauses', () => {
  it('reads scenario, category, label and a quoted source with commas and doubled quotes', () => {
    const rootCauses = parseCarcRootCauses(
      file('16,missing_claim_data,missing_information,lacks information,"X12 CARC list, code 16 ""as of 2026"""'),
    );
    expect(rootCauses.rows).toEqual([
      {
        carc: '16',
        scenario: 'missing_claim_data',
        category: 'missing_information',
        label: 'lacks information',
        source: 'X12 CARC list, code 16 "as of 2026"',
      },
    ]);
  });

  it('classifies a listed CARC by its row and an unlisted one as other, unknown', () => {
    const rootCauses = parseCarcRootCauses(file('97,not_separately_payable,bundling,bundled,"X12 CARC list, code 97"'));
    expect(rootCauses.classify('97')).toEqual({
      scenario: 'not_separately_payable',
      category: 'bundling',
      known: true,
    });
    expect(rootCauses.classify('ZZ9')).toEqual({
      scenario: UNKNOWN_ROOT_CAUSE,
      category: UNKNOWN_ROOT_CAUSE,
      known: false,
    });
  });

  it('refuses a CARC listed twice, naming both lines', () => {
    expect(() =>
      parseCarcRootCauses(
        file('45,outside_core_scenarios,contractual,a,s', '45,outside_core_scenarios,contractual,b,s'),
      ),
    ).toThrow(new CarcRootCauseFileError('carc-root-causes.csv: line 3: carc 45 is listed twice (first on line 2)'));
  });

  it('refuses an unknown category or scenario, naming the line, the CARC and the known values', () => {
    expect(() => parseCarcRootCauses(file('45,outside_core_scenarios,write_off,a,s'))).toThrow(
      /line 2 \(carc 45\): unknown category "write_off" \(known: missing_information, coding, /,
    );
    expect(() => parseCarcRootCauses(file('45,core_5,contractual,a,s'))).toThrow(
      /line 2 \(carc 45\): unknown scenario "core_5"/,
    );
    // `other` is what the classifier gives an unlisted CARC, never a category the file may assign.
    expect(() => parseCarcRootCauses(file('45,outside_core_scenarios,other,a,s'))).toThrow(/unknown category "other"/);
  });

  it('refuses a wrong header, a short row, a blank source and a malformed CARC', () => {
    expect(() => parseCarcRootCauses('carc,category,scenario,label,source\n')).toThrow(/the header must be/);
    expect(() => parseCarcRootCauses(file('45,outside_core_scenarios,contractual'))).toThrow(
      /line 2: 3 columns, expected 5/,
    );
    expect(() => parseCarcRootCauses(file('45,outside_core_scenarios,contractual,a,'))).toThrow(/source is blank/);
    expect(() => parseCarcRootCauses(file('CO-45,outside_core_scenarios,contractual,a,s'))).toThrow(/is not a CARC/);
    expect(() => parseCarcRootCauses(HEADER)).toThrow(/no CARC rows/);
  });

  it('counts contractual, patient-responsibility, prior-payer and payment adjustments out of denials, and other in', () => {
    expect(
      ['contractual', 'patient_responsibility', 'prior_payer', 'payment_adjustment'].map(isDenialCategory),
    ).toEqual([false, false, false, false]);
    expect(['missing_information', 'bundling', 'timely_filing', UNKNOWN_ROOT_CAUSE].map(isDenialCategory)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('the shipped rules/carc-root-causes.csv', () => {
  const rootCauses = shippedCarcRootCauses();
  // The codes issue 10 names as the most common on remittances.
  const COMMON = [
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '11',
    '15',
    '16',
    '18',
    '22',
    '23',
    '24',
    '26',
    '27',
    '29',
    '31',
    '39',
    '45',
    '49',
    '50',
    '55',
    '58',
    '59',
    '96',
    '97',
    '109',
    '119',
    '140',
    '146',
    '151',
    '167',
    '170',
    '181',
    '182',
    '183',
    '185',
    '197',
    '198',
    '200',
    '204',
    '222',
    '226',
    '227',
    '234',
    '236',
    '242',
    '252',
    '253',
    '256',
  ];

  it('validates and lists every common CARC, each row citing its source', () => {
    expect(COMMON.filter((carc) => !rootCauses.has(carc))).toEqual([]);
    expect(rootCauses.rows.length).toBeGreaterThanOrEqual(60);
    expect(rootCauses.rows.filter((row) => !/X12 CARC list, code /.test(row.source))).toEqual([]);
    expect(new Set(rootCauses.rows.map((row) => row.scenario))).toEqual(new Set(CARC_SCENARIOS));
    expect(rootCauses.rows.every((row) => (CARC_CATEGORIES as string[]).includes(row.category))).toBe(true);
  });

  it('makes CO-45 and the other write-downs, deductible, coinsurance and copay adjustments, never denials', () => {
    for (const carc of ['45', 'A2', '24', '1', '2', '3', '23', '253']) {
      expect([carc, isDenialCategory(rootCauses.classify(carc).category)]).toEqual([carc, false]);
    }
    for (const carc of ['16', '50', '97', '29', '18', '27', '197', '252']) {
      expect([carc, isDenialCategory(rootCauses.classify(carc).category)]).toEqual([carc, true]);
    }
  });

  it('is the file at the path the services read', () => {
    expect(parseCarcRootCauses(readFileSync(shippedCarcRootCausesPath(), 'utf8')).rows).toEqual(rootCauses.rows);
  });
});

describe('seedCarcRootCauses', () => {
  it('upserts every row of the mapping with its category kind, then deletes the CARCs it no longer lists', async () => {
    const calls: Array<{ sql: string; parameters?: unknown[] }> = [];
    const rootCauses = parseCarcRootCauses(
      file('45,outside_core_scenarios,contractual,a,s', '50,service_not_covered,medical_necessity,b,s'),
    );
    await seedCarcRootCauses(
      {
        query: async (sql: string, parameters?: unknown[]) => {
          calls.push({ sql, parameters });
          return [];
        },
      },
      rootCauses,
    );
    expect(calls[0]?.sql).toMatch(/ON CONFLICT \(carc\) DO UPDATE/);
    expect(calls[1]).toEqual({
      sql: 'DELETE FROM carc_root_cause WHERE NOT (carc = ANY($1::text[]))',
      parameters: [['45', '50']],
    });
    expect(calls[0]?.parameters).toEqual([
      ['45', '50'],
      ['outside_core_scenarios', 'service_not_covered'],
      ['contractual', 'medical_necessity'],
      [false, true],
    ]);
  });
});
