import { EnrichmentSchema, type MemberReference, type ReferenceEvent } from '@claims/contracts';
import { ReferenceTables } from '../tables';
import {
  claimEvent,
  cleanDirectory,
  GROUP_LOCATION,
  groupVersion,
  line,
  locationVersion,
  memberRecord,
  NPI,
  providerRecord,
  providerVersion,
  TAX_ID,
  TOKEN,
} from './__fixtures__/reference-fixtures';
import { enrichClaim } from './enrich-claim';
import type { EnrichmentCodes } from './enrichment-codes';
import { ageInWholeYears } from './member-coverage';

const codes: EnrichmentCodes = {
  taxonomySpecialty: new Map([['207Q00000X', 'Family Medicine']]),
  ssaStates: new Map([
    ['14', { name: 'Illinois', usps: 'IL' }],
    ['36', { name: 'Ohio', usps: 'OH' }],
  ]),
};

function tablesWith(versions: ReferenceEvent[], members: MemberReference[] = []): ReferenceTables {
  const tables = new ReferenceTables();
  for (const version of versions) tables.apply(version);
  for (const member of members) tables.applyMember(member);
  return tables;
}

function cleanTables(extra: ReferenceEvent[] = []): ReferenceTables {
  const { versions, members } = cleanDirectory();
  return tablesWith([...versions, ...extra], members);
}

describe('enrichClaim', () => {
  it('produces a block the enrichment schema accepts, with no misses for a fully known claim', () => {
    const enrichment = enrichClaim(claimEvent(), cleanTables(), codes);

    expect(EnrichmentSchema.parse(enrichment)).toEqual(enrichment);
    expect(enrichment.lookupMisses).toEqual([]);
  });

  it('names each provider once per role, with specialty from the taxonomy code and the group name', () => {
    const event = claimEvent({
      lines: [line(), line({ lineNumber: 2 }), line({ lineNumber: 3, renderingNpi: NPI.second })],
      billingNpi: NPI.organization,
    });
    const tables = cleanTables([
      providerVersion(
        NPI.organization,
        '2007-01-01',
        providerRecord(NPI.organization, {
          entityType: 'organization',
          firstName: null,
          lastName: null,
          organizationName: 'LAKESIDE FAMILY MEDICINE LLC',
          specialty: 'Group Practice',
        }),
      ),
    ]);

    const enrichment = enrichClaim(event, tables, codes);

    expect(enrichment.providers).toEqual([
      {
        role: 'rendering',
        npi: NPI.rendering,
        found: true,
        name: 'MARIA ALVAREZ',
        credential: 'MD',
        taxonomyCode: '207Q00000X',
        specialty: 'Family Medicine',
        groupKey: TAX_ID,
        groupName: 'LAKESIDE FAMILY MEDICINE',
      },
      expect.objectContaining({ role: 'rendering', npi: NPI.second, found: false, name: null }),
      expect.objectContaining({
        role: 'billing',
        npi: NPI.organization,
        name: 'LAKESIDE FAMILY MEDICINE LLC',
        specialty: 'Group Practice',
      }),
    ]);
  });

  it('keeps the v1 rendering-provider block with lookup status, check digit, name and practice state', () => {
    const event = claimEvent({ lines: [line(), line({ lineNumber: 2, renderingNpi: '1234567890' })] });

    const { renderingProviders } = enrichClaim(event, cleanTables(), codes);

    expect(renderingProviders).toEqual([
      {
        npi: NPI.rendering,
        lookupStatus: 'found',
        checkDigitValid: true,
        displayName: 'MARIA ALVAREZ',
        taxonomyCode: '207Q00000X',
        practiceState: 'IL',
      },
      {
        npi: '1234567890',
        lookupStatus: 'not_found',
        checkDigitValid: false,
        displayName: null,
        taxonomyCode: null,
        practiceState: null,
      },
    ]);
  });

  it('takes the provider group from the first line tax number, else from the first found provider', () => {
    const byTaxId = enrichClaim(claimEvent(), cleanTables(), codes);
    const byProvider = enrichClaim(claimEvent({ lines: [line({ taxId: null })] }), cleanTables(), codes);

    expect(byTaxId.providerGroup).toEqual({ groupKey: TAX_ID, name: 'LAKESIDE FAMILY MEDICINE', found: true });
    expect(byProvider.providerGroup).toEqual(byTaxId.providerGroup);
  });

  it("places a professional claim at its group's location, with state and county names", () => {
    const { serviceLocation } = enrichClaim(claimEvent(), cleanTables(), codes);

    expect(serviceLocation).toEqual({
      locationKey: GROUP_LOCATION,
      name: 'LAKESIDE CLINIC',
      address1: '1200 LAKESHORE DR',
      city: 'CHICAGO',
      state: 'IL',
      stateName: 'Illinois',
      countyName: 'COOK',
      zip: '60611',
      effectiveDate: '2007-01-01',
    });
  });

  it('places an institutional claim at its facility by CCN', () => {
    const event = claimEvent({ claimType: 'institutional_inpatient', facilityCcn: '140010' });
    const tables = cleanTables([
      locationVersion('ccn:140010', '2007-01-01', { ccn: '140010', name: 'LAKESIDE HOSPITAL' }),
    ]);

    expect(enrichClaim(event, tables, codes).serviceLocation).toMatchObject({
      locationKey: 'ccn:140010',
      name: 'LAKESIDE HOSPITAL',
    });
  });

  it("falls back to the rendering provider's location when the group names none", () => {
    const tables = tablesWith([
      providerVersion(NPI.rendering, '2007-01-01', providerRecord(NPI.rendering, { locationKey: 'loc-home' })),
      groupVersion(TAX_ID, '2007-01-01', { locationKey: null }),
      locationVersion('loc-home', '2007-01-01', { name: 'HOME OFFICE' }),
    ]);

    expect(enrichClaim(claimEvent(), tables, codes).serviceLocation).toMatchObject({
      locationKey: 'loc-home',
      name: 'HOME OFFICE',
    });
  });

  it('falls back to the address the source wrote, without a directory key', () => {
    const event = claimEvent({
      lines: [line({ taxId: null, renderingNpi: NPI.second })],
      serviceLocation: { name: null, address1: '45 River Rd', city: 'Columbus', state: 'OH', zip: '43215' },
    });

    expect(enrichClaim(event, cleanTables(), codes).serviceLocation).toEqual({
      locationKey: null,
      name: null,
      address1: '45 River Rd',
      city: 'Columbus',
      state: 'OH',
      stateName: 'Ohio',
      countyName: null,
      zip: '43215',
      effectiveDate: null,
    });
  });

  it('describes the member as of the service year: age in whole years, sex, state and coverage', () => {
    const { member } = enrichClaim(claimEvent(), cleanTables(), codes);

    expect(member).toEqual({
      found: true,
      ageAtService: 72,
      sex: 'female',
      ssaStateCode: '14',
      stateName: 'Illinois',
      ssaCountyCode: '141',
      coveredInServiceMonth: true,
    });
  });

  it('counts whole years of age, one fewer until the birthday', () => {
    expect(ageInWholeYears('1935-06-15', '2008-06-14')).toBe(72);
    expect(ageInWholeYears('1935-06-15', '2008-06-15')).toBe(73);
    expect(ageInWholeYears('2009-01-01', '2008-06-15')).toBeNull();
  });

  it('counts coverage months from January: 2 months of Part B cover February, not March', () => {
    const member = memberRecord({ coverageMonths: { partA: 12, partB: 2, hmo: 0, partD: 12 } });
    const tables = tablesWith(cleanDirectory().versions, [member]);
    const covered = (serviceFromDate: string, claimType: 'professional' | 'institutional_inpatient') =>
      enrichClaim(claimEvent({ serviceFromDate, claimType }), tables, codes).member?.coveredInServiceMonth;

    expect(covered('2008-02-29', 'professional')).toBe(true);
    expect(covered('2008-03-01', 'professional')).toBe(false);
    expect(covered('2008-03-01', 'institutional_inpatient')).toBe(true);
  });

  it('lets Medicare Advantage months cover Parts A and B but not Part D', () => {
    const member = memberRecord({ coverageMonths: { partA: 0, partB: 0, hmo: 12, partD: 0 } });
    const tables = tablesWith(cleanDirectory().versions, [member]);

    expect(enrichClaim(claimEvent(), tables, codes).member?.coveredInServiceMonth).toBe(true);
    expect(enrichClaim(claimEvent({ claimType: 'pharmacy' }), tables, codes).member?.coveredInServiceMonth).toBe(false);
  });

  it('never counts a service after the death date as covered, and leaves unknown months unknown', () => {
    const dead = tablesWith(cleanDirectory().versions, [memberRecord({ deathDate: '2008-03-01' })]);
    const unknown = tablesWith(cleanDirectory().versions, [
      memberRecord({ coverageMonths: { partA: null, partB: null, hmo: null, partD: null } }),
    ]);

    expect(enrichClaim(claimEvent(), dead, codes).member?.coveredInServiceMonth).toBe(false);
    expect(enrichClaim(claimEvent(), unknown, codes).member?.coveredInServiceMonth).toBeNull();
  });

  it('records a member miss without writing the patient token anywhere in the misses', () => {
    const tables = tablesWith(cleanDirectory().versions);

    const enrichment = enrichClaim(claimEvent(), tables, codes);

    expect(enrichment.member).toMatchObject({ found: false, coveredInServiceMonth: null });
    expect(enrichment.lookupMisses).toEqual([{ lookup: 'member', role: null, key: null, reason: 'not_found' }]);
    expect(JSON.stringify(enrichment.lookupMisses)).not.toContain(TOKEN);
  });

  it('records a provider missing from the directory as not_found, and one effective only later as not_yet_effective', () => {
    const event = claimEvent({
      lines: [line(), line({ lineNumber: 2, renderingNpi: NPI.second })],
      billingNpi: NPI.billing,
    });
    const tables = cleanTables([providerVersion(NPI.second, '2008-04-01')]);

    expect(enrichClaim(event, tables, codes).lookupMisses).toEqual([
      { lookup: 'provider', role: 'rendering', key: NPI.second, reason: 'not_yet_effective' },
      { lookup: 'provider', role: 'billing', key: NPI.billing, reason: 'not_found' },
    ]);
  });

  it('looks a padded NPI up by its digits, naming it unpadded', () => {
    const event = claimEvent({
      lines: [line({ renderingNpi: ` ${NPI.rendering}\t` })],
      billingNpi: `${NPI.billing} `,
    });
    const enrichment = enrichClaim(event, cleanTables([providerVersion(NPI.billing, '2007-01-01')]), codes);

    expect(enrichment.lookupMisses).toEqual([]);
    expect(enrichment.providers?.map((provider) => [provider.role, provider.npi, provider.found])).toEqual([
      ['rendering', NPI.rendering, true],
      ['billing', NPI.billing, true],
    ]);
    expect(enrichment.renderingProviders[0]).toMatchObject({ npi: NPI.rendering, checkDigitValid: true });
  });

  it('records a provider without a last name or with a partial address as incomplete', () => {
    const event = claimEvent({ billingNpi: NPI.billing });
    const tables = cleanTables([
      providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { lastName: null })),
      providerVersion(
        NPI.billing,
        '2007-01-01',
        providerRecord(NPI.billing, {
          practiceAddress: { address1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: null },
        }),
      ),
    ]);

    expect(enrichClaim(event, tables, codes).lookupMisses).toEqual([
      { lookup: 'provider', role: 'rendering', key: NPI.rendering, reason: 'incomplete' },
      { lookup: 'provider', role: 'billing', key: NPI.billing, reason: 'incomplete' },
    ]);
  });

  it('records a group not in the directory as a group miss', () => {
    const tables = tablesWith([providerVersion(NPI.rendering, '2007-01-01')], [memberRecord()]);

    const enrichment = enrichClaim(claimEvent(), tables, codes);

    expect(enrichment.providerGroup).toEqual({ groupKey: TAX_ID, name: null, found: false });
    expect(enrichment.lookupMisses).toEqual([
      { lookup: 'provider_group', role: null, key: TAX_ID, reason: 'not_found' },
    ]);
  });

  it('records a location missing, incomplete, or effective after the service date', () => {
    const missing = tablesWith(
      [providerVersion(NPI.rendering, '2007-01-01'), groupVersion(TAX_ID, '2007-01-01')],
      [memberRecord()],
    );
    const incomplete = cleanTables([
      locationVersion(GROUP_LOCATION, '2008-01-01', {
        address: { address1: null, city: 'CHICAGO', state: 'IL', zip: '60611' },
      }),
    ]);
    const lateOpening = cleanTables([locationVersion(GROUP_LOCATION, '2008-01-01', { effectiveDate: '2008-04-01' })]);
    const missOf = (tables: ReferenceTables) =>
      enrichClaim(claimEvent(), tables, codes).lookupMisses?.map((miss) => miss.reason);

    expect(missOf(missing)).toEqual(['not_found']);
    expect(missOf(incomplete)).toEqual(['incomplete']);
    expect(missOf(lateOpening)).toEqual(['not_yet_effective']);
    expect(enrichClaim(claimEvent(), lateOpening, codes).serviceLocation?.effectiveDate).toBe('2008-04-01');
  });
});
