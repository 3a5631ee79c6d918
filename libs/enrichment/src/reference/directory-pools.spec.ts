import path from 'node:path';
import type { ProviderReference } from '@claims/contracts';
import { loadReferenceCodes, USPS_BY_STATE_NAME } from './code-lists';
import {
  BILLING_ORGANIZATION_TAXONOMIES,
  CITIES_BY_STATE,
  DEFAULT_DIRECTORY_STATES,
  DIRECTORY_NAME_POOL,
  FACILITY_TAXONOMIES,
  INDIVIDUAL_TAXONOMIES,
  namePoolOf,
  STREET_NAMES,
} from './directory-pools';

const codes = loadReferenceCodes(path.join(__dirname, '../../../../data/codes'));

function provider(overrides: Partial<ProviderReference>): ProviderReference {
  return {
    npi: '1043872153',
    entityType: 'individual',
    firstName: null,
    lastName: null,
    organizationName: null,
    credential: null,
    taxonomyCode: null,
    specialty: null,
    groupKey: null,
    locationKey: null,
    practiceAddress: null,
    ...overrides,
  };
}

describe('directory pools', () => {
  it('hold 50 given names, 50 surnames and 40 organisation stems, none blank or repeated', () => {
    expect(new Set(DIRECTORY_NAME_POOL.firstNames).size).toBe(50);
    expect(new Set(DIRECTORY_NAME_POOL.lastNames).size).toBe(50);
    expect(new Set(DIRECTORY_NAME_POOL.organizationNames).size).toBe(40);
    for (const name of [...DIRECTORY_NAME_POOL.firstNames, ...DIRECTORY_NAME_POOL.organizationNames, ...STREET_NAMES]) {
      expect(name).toMatch(/^[A-Z]+( [A-Z]+)*$/);
    }
  });

  it('name only taxonomies the NUCC list holds', () => {
    const all = [
      ...INDIVIDUAL_TAXONOMIES.map((taxonomy) => taxonomy.code),
      ...FACILITY_TAXONOMIES,
      ...BILLING_ORGANIZATION_TAXONOMIES,
    ];
    for (const code of all) expect(codes.taxonomySpecialty.has(code)).toBe(true);
  });

  it('give every state and territory with a USPS abbreviation cities with three-digit ZIP prefixes', () => {
    expect(new Set(CITIES_BY_STATE.keys())).toEqual(new Set(USPS_BY_STATE_NAME.values()));
    for (const cities of CITIES_BY_STATE.values()) {
      expect(cities.length).toBeGreaterThan(0);
      for (const [city, zipPrefix] of cities) {
        expect(city).toMatch(/^[A-Z]+( [A-Z]+)*$/);
        expect(zipPrefix).toMatch(/^\d{3}$/);
      }
    }
    expect(CITIES_BY_STATE.get('TX')).toContainEqual(['SAN ANTONIO', '782']);
  });

  it('place entries in the 50 states and DC by default', () => {
    expect(DEFAULT_DIRECTORY_STATES).toHaveLength(51);
    expect(DEFAULT_DIRECTORY_STATES).toContain('DC');
    expect(DEFAULT_DIRECTORY_STATES).not.toContain('PR');
  });
});

describe('namePoolOf', () => {
  it('takes names from directory records once each, and organisation names without legal endings', () => {
    const pool = namePoolOf([
      provider({ firstName: 'DAVID', lastName: 'WIEBE' }),
      provider({ firstName: 'DAVID', lastName: 'SUNG' }),
      provider({ entityType: 'organization', organizationName: 'CUMBERLAND COUNTY HOSPITAL SYSTEM, INC' }),
      provider({ entityType: 'organization', organizationName: 'LOVETTSVILLE DENTAL ARTS PLLC' }),
    ]);
    expect(pool).toEqual({
      firstNames: ['DAVID'],
      lastNames: ['WIEBE', 'SUNG'],
      organizationNames: ['CUMBERLAND COUNTY HOSPITAL SYSTEM', 'LOVETTSVILLE DENTAL ARTS'],
    });
  });

  it('falls back to the default list for a kind of name the records lack', () => {
    const pool = namePoolOf([provider({ firstName: 'ANA', lastName: 'LOPEZ' })]);
    expect(pool.organizationNames).toBe(DIRECTORY_NAME_POOL.organizationNames);
  });
});
