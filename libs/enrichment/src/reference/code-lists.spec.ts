import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  loadNuccTaxonomy,
  loadReferenceCodes,
  loadSsaStates,
  ssaStateCodesByUsps,
  ssaStateName,
  stateNameOfUsps,
  USPS_BY_STATE_NAME,
  uspsOfSsaState,
} from './code-lists';
import { ReferenceFormatError } from './reference.errors';

const CODES_DIR = path.join(__dirname, '../../../../data/codes');

describe('loadReferenceCodes on the vendored lists (data/codes)', () => {
  const codes = loadReferenceCodes(CODES_DIR);

  it('resolves a NUCC taxonomy code to its display name', () => {
    expect(codes.taxonomySpecialty.get('207RC0000X')).toBe('Cardiovascular Disease Physician');
    expect(codes.taxonomySpecialty.get('261QD0000X')).toBe('Dental Clinic/Center');
  });

  it('reads every taxonomy of NUCC v24.0 (874 codes)', () => {
    expect(codes.taxonomySpecialty.size).toBe(874);
  });

  it("answers ssaStateName('14') with Illinois and uspsOfSsaState('14') with IL", () => {
    expect(ssaStateName('14', codes)).toBe('Illinois');
    expect(uspsOfSsaState('14', codes)).toBe('IL');
  });

  it('pads a one-digit SSA code, as some sources write Alabama', () => {
    expect(uspsOfSsaState('1', codes)).toBe('AL');
  });

  it('drops the "(eff. …)" note from a later code of a state and still finds its abbreviation', () => {
    expect(codes.ssaStates.get('68')).toEqual({ name: 'Florida', usps: 'FL' });
  });

  it('gives territories their USPS abbreviations and regions abroad none', () => {
    expect(uspsOfSsaState('40', codes)).toBe('PR');
    expect(uspsOfSsaState('48', codes)).toBe('VI');
    expect(uspsOfSsaState('65', codes)).toBe('GU');
    expect(uspsOfSsaState('58', codes)).toBeNull();
    expect(ssaStateName('58', codes)).toBe('Europe');
  });

  it('answers null for a code the list does not hold', () => {
    expect(ssaStateName('00', codes)).toBeNull();
    expect(uspsOfSsaState('xx', codes)).toBeNull();
  });

  it('maps every state of the SSA list with an abbreviation back to its lowest (original) SSA code', () => {
    const byUsps = ssaStateCodesByUsps(codes);
    expect(byUsps.get('TX')).toBe('45');
    expect(byUsps.get('FL')).toBe('10');
    expect(byUsps.get('IL')).toBe('14');
    expect(byUsps.size).toBe(new Set(USPS_BY_STATE_NAME.values()).size);
  });

  it('throws when a list file is missing rather than resolving nothing', () => {
    expect(() => loadReferenceCodes(path.join(CODES_DIR, 'no-such-folder'))).toThrow(/ENOENT/);
  });
});

describe('stateNameOfUsps', () => {
  it('names a state by its abbreviation, whatever the case', () => {
    expect(stateNameOfUsps('il')).toBe('Illinois');
    expect(stateNameOfUsps('DC')).toBe('District of Columbia');
  });

  it('answers null for a code that is no USPS state', () => {
    expect(stateNameOfUsps('ZZ')).toBeNull();
  });

  it('covers the 50 states, DC and five territories', () => {
    expect(new Set(USPS_BY_STATE_NAME.values()).size).toBe(56);
  });
});

describe('loadNuccTaxonomy on hand-written lists', () => {
  const header = 'Code,Grouping,Classification,Specialization,Definition,Notes,Display Name,Section';

  it('falls back to the classification when a row has no display name', () => {
    const text = `${header}\n207Q00000X,Allopathic,Family Medicine,,,,,Individual\n`;
    expect(loadNuccTaxonomy(text).get('207Q00000X')).toBe('Family Medicine');
  });

  it('keeps a record whose quoted note runs over a line break together', () => {
    const text = `${header}\r\n207Q00000X,G,Family Medicine,,"first line\r\nsecond line",,Family Medicine Physician,Individual\r\n`;
    expect([...loadNuccTaxonomy(text)]).toEqual([['207Q00000X', 'Family Medicine Physician']]);
  });

  it('reads the header despite a byte-order mark', () => {
    expect(loadNuccTaxonomy(`\uFEFF${header}\n207Q00000X,G,C,,,,Name,I`).get('207Q00000X')).toBe('Name');
  });

  it('rejects a list without a Code column as a permanent format error', () => {
    expect(() => loadNuccTaxonomy('Taxonomy,Display Name\n207Q00000X,Name')).toThrow(ReferenceFormatError);
  });

  it('rejects an empty text', () => {
    expect(() => loadNuccTaxonomy('')).toThrow('NUCC taxonomy list is empty');
  });
});

describe('loadSsaStates on hand-written lists', () => {
  it('reads quoted and unquoted codes and skips rows that are no two-digit code', () => {
    const text = 'ssa_fips_state_code,ssa_fips_state_name\n"14",Illinois\n36,Ohio\nXX,Nowhere\n"45",\n';
    expect([...loadSsaStates(text)]).toEqual([
      ['14', { name: 'Illinois', usps: 'IL' }],
      ['36', { name: 'Ohio', usps: 'OH' }],
    ]);
  });

  it('reads the vendored file the normalizer checks codes against', () => {
    const text = readFileSync(path.join(CODES_DIR, 'tuva', 'terminology__ssa_fips_state.csv'), 'utf8');
    expect(loadSsaStates(text).get('99')?.usps).toBeNull();
  });
});
