import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ProviderGroupReferenceSchema,
  ProviderReferenceSchema,
  ServiceLocationReferenceSchema,
} from '@claims/contracts';
import { isValidNpiCheckDigit } from '@claims/source-layouts';
import { addressLocationKey, parseClinicianFile } from './clinician-file';
import { loadReferenceCodes } from './code-lists';
import { ReferenceFormatError } from './reference.errors';

const DATA_DIR = path.join(__dirname, '../../../../data');
const codes = loadReferenceCodes(path.join(DATA_DIR, 'codes'));
const SAMPLE_LINES = readFileSync(
  path.join(DATA_DIR, 'providers', 'clinician-national-downloadable-sample.csv'),
  'utf8',
).split(/\r?\n/);

/** The older Physician Compare layout: other column names, no adrs_id. */
const OLDER_HEADER =
  'NPI, Ind_PAC_ID, Ind_enrl_ID, lst_nm, frst_nm, mid_nm, suff, gndr, Cred, Med_sch, Grd_yr, pri_spec, org_nm, org_pac_id, num_org_mem, adr_ln_1, adr_ln_2, cty, st, zip';

describe('parseClinicianFile on the hand-written sample in the current DAC layout', () => {
  const parsed = parseClinicianFile(SAMPLE_LINES, codes, { effectiveDate: '2024-06-01' });

  it('reads eleven clinicians from twelve rows and rejects none', () => {
    expect(parsed.rejected).toEqual([]);
    expect(parsed.providers).toHaveLength(11);
  });

  it('holds only NPIs that pass the NPI check digit', () => {
    for (const { record } of parsed.providers) expect(isValidNpiCheckDigit(record.npi)).toBe(true);
  });

  it('reads a clinician with credential, primary specialty, group, address id and practice address', () => {
    expect(parsed.providers[0]).toEqual({
      effectiveDate: '2024-06-01',
      record: {
        npi: '1043872153',
        entityType: 'individual',
        firstName: 'NGOZI',
        lastName: 'OKAFOR',
        organizationName: null,
        credential: 'MD',
        taxonomyCode: null,
        specialty: 'INTERNAL MEDICINE',
        groupKey: '7719034625',
        locationKey: 'IL606102417CH1550XDRXX210',
        practiceAddress: { address1: '1550 N LAKE SHORE DR', city: 'CHICAGO', state: 'IL', zip: '606102417' },
      },
    });
  });

  it('gives a clinician on two rows one provider version, from the first row', () => {
    const brennan = parsed.providers.filter(({ record }) => record.npi === '1192763542');
    expect(brennan).toHaveLength(1);
    expect(brennan[0]?.record).toMatchObject({ groupKey: '7719034625', locationKey: 'IL606102417CH1550XDRXX210' });
  });

  it('yields every group the rows name once, keyed by group PAC id and named by the facility', () => {
    expect(parsed.groups.map(({ record }) => record.groupKey)).toEqual([
      '7719034625',
      '3306648127',
      '5528196043',
      '8840217753',
      '2295716380',
      '6172093384',
      '9903365218',
      '4460082915',
      '1187645209',
    ]);
    expect(parsed.groups[0]).toEqual({
      effectiveDate: '2024-06-01',
      record: {
        groupKey: '7719034625',
        keyType: 'group_practice_id',
        name: 'LAKESHORE INTERNAL MEDICINE ASSOCIATES, LLC',
        locationKey: 'IL606102417CH1550XDRXX210',
      },
    });
  });

  it('puts two clinicians of one group practice in the same group and location', () => {
    const okafor = parsed.providers.find(({ record }) => record.lastName === 'OKAFOR')?.record;
    const brennan = parsed.providers.find(({ record }) => record.lastName === 'BRENNAN')?.record;
    expect(okafor?.groupKey).toBe(brennan?.groupKey);
    expect(okafor?.locationKey).toBe(brennan?.locationKey);
  });

  it('yields every location once, with its SSA state code and no opening date of its own', () => {
    expect(parsed.locations).toHaveLength(11);
    expect(parsed.locations[0]).toEqual({
      effectiveDate: '2024-06-01',
      record: {
        locationKey: 'IL606102417CH1550XDRXX210',
        ccn: null,
        name: 'LAKESHORE INTERNAL MEDICINE ASSOCIATES, LLC',
        address: { address1: '1550 N LAKE SHORE DR', city: 'CHICAGO', state: 'IL', zip: '606102417' },
        ssaStateCode: '14',
        ssaCountyCode: null,
        countyName: null,
        effectiveDate: null,
      },
    });
  });

  it('keeps the second group of a clinician on several rows, with its own location', () => {
    expect(parsed.groups.find(({ record }) => record.groupKey === '3306648127')?.record).toMatchObject({
      name: 'NORTH SHORE URGENT CARE PC',
      locationKey: 'IL606452209CH2701XSTXXXX',
    });
    expect(parsed.locations.some(({ record }) => record.locationKey === 'IL606452209CH2701XSTXXXX')).toBe(true);
  });

  it('keeps the row with a blank address line as an incomplete location', () => {
    const location = parsed.locations.find(({ record }) => record.locationKey === 'CA937211208FRXXXXXXXXXXX');
    expect(location?.record.address).toEqual({ address1: null, city: 'FRESNO', state: 'CA', zip: '937211208' });
  });

  it('keys a row without adrs_id by its address, and keeps its blank ZIP as null', () => {
    const petersen = parsed.providers.find(({ record }) => record.lastName === 'PETERSEN')?.record;
    const address = { address1: '800 E 28TH ST', city: 'MINNEAPOLIS', state: 'MN', zip: null };
    expect(petersen?.locationKey).toBe(addressLocationKey(address));
    expect(petersen?.practiceAddress).toEqual(address);
  });

  it('leaves a clinician without a group practice groupless, with a location of its own', () => {
    const nguyen = parsed.providers.find(({ record }) => record.lastName === 'NGUYEN')?.record;
    expect(nguyen).toMatchObject({ groupKey: null, locationKey: 'OH432153804CO410XXSTXXXX', credential: 'NP' });
    const location = parsed.locations.find(({ record }) => record.locationKey === 'OH432153804CO410XXSTXXXX');
    expect(location?.record.name).toBeNull();
  });

  it('reads a blank credential as null', () => {
    expect(parsed.providers.find(({ record }) => record.lastName === 'MCALLISTER')?.record.credential).toBeNull();
  });

  it('produces records the contract accepts', () => {
    for (const { record } of parsed.providers) expect(ProviderReferenceSchema.safeParse(record).success).toBe(true);
    for (const { record } of parsed.groups) expect(ProviderGroupReferenceSchema.safeParse(record).success).toBe(true);
    for (const { record } of parsed.locations) {
      expect(ServiceLocationReferenceSchema.safeParse(record).success).toBe(true);
    }
  });

  it('dates every version from the beginning of time when no release date is given', () => {
    const undated = parseClinicianFile(SAMPLE_LINES, codes);
    const dates = new Set(
      [...undated.providers, ...undated.groups, ...undated.locations].map((item) => item.effectiveDate),
    );
    expect([...dates]).toEqual(['0001-01-01']);
  });
});

describe('parseClinicianFile on hand-written rows', () => {
  it('reads the older layout by its column names, header spaces and all', () => {
    const parsed = parseClinicianFile(
      [
        OLDER_HEADER,
        '1043872153,4587921036,I20081107000412,OKAFOR,NGOZI,A,,F,MD,OTHER,2004,INTERNAL MEDICINE,LAKESHORE IM,7719034625,14,1550 N LAKE SHORE DR,,CHICAGO,IL,60610',
      ],
      codes,
    );
    expect(parsed.providers[0]?.record).toMatchObject({
      lastName: 'OKAFOR',
      firstName: 'NGOZI',
      groupKey: '7719034625',
      locationKey: addressLocationKey({ address1: '1550 N LAKE SHORE DR', city: 'CHICAGO', state: 'IL', zip: '60610' }),
    });
    expect(parsed.groups[0]?.record.name).toBe('LAKESHORE IM');
    expect(parsed.locations[0]?.record.address.zip).toBe('60610');
  });

  it('gives a row without any address no location', () => {
    const parsed = parseClinicianFile(
      [OLDER_HEADER, '1043872153,1,I1,OKAFOR,NGOZI,,,F,MD,,,INTERNAL MEDICINE,,,,,,,,'],
      codes,
    );
    expect(parsed.providers[0]?.record).toMatchObject({ locationKey: null, groupKey: null, practiceAddress: null });
    expect(parsed.locations).toEqual([]);
  });

  it('rejects a whole row whose NPI is invalid, adding neither its group nor its location', () => {
    const parsed = parseClinicianFile(
      [
        OLDER_HEADER,
        '10438721,1,I1,OKAFOR,NGOZI,,,F,MD,,,INTERNAL MEDICINE,LAKESHORE IM,7719034625,1,1 MAIN ST,,CHICAGO,IL,60610',
      ],
      codes,
    );
    expect(parsed.rejected).toEqual([{ rowNumber: 1, reason: expect.stringMatching(/^provider npi: /) }]);
    expect(parsed.groups).toEqual([]);
    expect(parsed.locations).toEqual([]);
  });

  it('derives the same location key for the same address however it is spaced or cased', () => {
    expect(addressLocationKey({ address1: '1 Main  St', city: 'Chicago', state: 'IL', zip: '606101234' })).toBe(
      addressLocationKey({ address1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60610' }),
    );
  });

  it('throws a permanent REFERENCE_FORMAT error for a header without a last name column', () => {
    expect(() => parseClinicianFile(['NPI,frst_nm', '1043872153,NGOZI'], codes)).toThrow(ReferenceFormatError);
    expect(() => parseClinicianFile(['NPI,frst_nm'], codes)).toThrow(
      'clinician file header lacks the "Provider Last Name" or "lst_nm" column',
    );
  });
});
