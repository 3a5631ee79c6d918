import path from 'node:path';
import { ReferenceEventSchema, type ReferenceEvent } from '@claims/contracts';
import { claimEvent, claimLine } from './__tests__/claim-events';
import { loadReferenceCodes } from './code-lists';
import { collectDirectoryIdentifiers, type DirectoryIdentifiers, type NpiSighting } from './directory-identifiers';
import { CITIES_BY_STATE, DIRECTORY_NAME_POOL, GROUP_NAME_SUFFIXES } from './directory-pools';
import { synthesizeDirectory, type SyntheticDirectoryOptions } from './synthetic-directory';

const codes = loadReferenceCodes(path.join(__dirname, '../../../../data/codes'));
const PUBLISHED_AT = '2024-05-06T07:08:09.000Z';
const options = (overrides: Partial<SyntheticDirectoryOptions> = {}): SyntheticDirectoryOptions => ({
  seed: 7,
  namePool: DIRECTORY_NAME_POOL,
  codes,
  publishedAt: PUBLISHED_AT,
  ...overrides,
});

const CLAIMS = [
  claimEvent({
    serviceFromDate: '2009-02-10',
    lines: [
      claimLine({ renderingNpi: '1000000005', taxId: '032349648' }),
      claimLine({ renderingNpi: '1000000006', taxId: '032349648' }),
    ],
  }),
  claimEvent({
    serviceFromDate: '2009-03-15',
    serviceLocation: { address1: null, city: null, state: 'OH', zip: null },
    lines: [claimLine({ renderingNpi: '1000000007', taxId: '550101010' })],
  }),
  claimEvent({
    claimType: 'institutional_inpatient',
    serviceFromDate: '2009-04-20',
    facilityCcn: '140010',
    facilityNpi: '1000000008',
    attendingNpi: '1000000009',
  }),
];
const IDENTIFIERS = collectDirectoryIdentifiers(CLAIMS);

const byKindAndKey = (events: readonly ReferenceEvent[], kind: ReferenceEvent['kind'], key: string) =>
  events.filter((event) => event.kind === kind && event.key === key);

/** Identifiers for `count` providers in groups of five, each first seen on 2009-01-01 (no claims needed). */
function manyIdentifiers(count: number): DirectoryIdentifiers {
  const npis = new Map<string, NpiSighting>();
  const taxIds: DirectoryIdentifiers['taxIds'] = new Map();
  const taxIdMap = taxIds as Map<string, { taxId: string; firstSeen: string; stateHint: null; npis: Set<string> }>;
  for (let index = 0; index < count; index += 1) {
    const npi = String(1_000_000_000 + index);
    const taxId = `T${Math.floor(index / 5)}`;
    npis.set(npi, { npi, firstSeen: '2009-01-01', stateHint: null, roles: new Set(['rendering']), taxId, ccn: null });
    const group = taxIdMap.get(taxId) ?? { taxId, firstSeen: '2009-01-01', stateHint: null, npis: new Set<string>() };
    group.npis.add(npi);
    taxIdMap.set(taxId, group);
  }
  return { npis, taxIds, ccns: new Map(), ignored: 0 };
}

describe('synthesizeDirectory without flaws', () => {
  const directory = synthesizeDirectory(IDENTIFIERS, options({ flawShare: 0 }));

  it('produces only events the contract accepts', () => {
    for (const event of directory.events) expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
  });

  it('gives every entry one version, effective from the beginning of time', () => {
    expect(directory.events).toHaveLength(5 + 2 + 3);
    expect(new Set(directory.events.map((event) => event.effectiveDate))).toEqual(new Set(['0001-01-01']));
    expect(directory.flaws).toEqual([]);
    expect(directory.summary).toEqual({
      providers: 5,
      groups: 2,
      locations: 3,
      flawed: { missing: 0, incomplete: 0, lateEffectiveDate: 0 },
      neverFixed: 0,
    });
  });

  it('gives every tax id a group, named from the pool with a suffix, at its own location', () => {
    const [group] = byKindAndKey(directory.events, 'provider_group', '032349648');
    expect(group?.record).toMatchObject({ groupKey: '032349648', keyType: 'tax_id', locationKey: 'tin:032349648' });
    const name = group?.kind === 'provider_group' ? (group.record?.name ?? '') : '';
    expect(DIRECTORY_NAME_POOL.organizationNames.some((stem) => name.startsWith(`${stem} `))).toBe(true);
    expect(GROUP_NAME_SUFFIXES.some((suffix) => name.endsWith(` ${suffix}`))).toBe(true);
    expect(byKindAndKey(directory.events, 'service_location', 'tin:032349648')[0]?.record).toMatchObject({ name });
  });

  it('places providers in the group they billed under, at its location and address', () => {
    const [location] = byKindAndKey(directory.events, 'service_location', 'tin:032349648');
    const address = location?.kind === 'service_location' ? location.record?.address : undefined;
    for (const npi of ['1000000005', '1000000006']) {
      expect(byKindAndKey(directory.events, 'provider', npi)[0]?.record).toMatchObject({
        entityType: 'individual',
        groupKey: '032349648',
        locationKey: 'tin:032349648',
        practiceAddress: address,
      });
    }
  });

  it('gives an individual a name from the pool, a taxonomy, its specialty and a credential', () => {
    const [provider] = byKindAndKey(directory.events, 'provider', '1000000005');
    const record = provider?.kind === 'provider' ? provider.record : null;
    expect(DIRECTORY_NAME_POOL.firstNames).toContain(record?.firstName);
    expect(DIRECTORY_NAME_POOL.lastNames).toContain(record?.lastName);
    expect(record?.specialty).toBe(codes.taxonomySpecialty.get(record?.taxonomyCode ?? ''));
    expect(record?.credential).not.toBeNull();
  });

  it('gives each CCN a facility location keyed ccn:<CCN>, in the state its CCN begins with', () => {
    expect(byKindAndKey(directory.events, 'service_location', 'ccn:140010')[0]?.record).toMatchObject({
      locationKey: 'ccn:140010',
      ccn: '140010',
      ssaStateCode: '14',
      address: { state: 'IL' },
      effectiveDate: null,
    });
  });

  it('makes an NPI seen only as a facility an organization at that facility', () => {
    expect(byKindAndKey(directory.events, 'provider', '1000000008')[0]?.record).toMatchObject({
      entityType: 'organization',
      firstName: null,
      lastName: null,
      groupKey: null,
      locationKey: 'ccn:140010',
    });
    expect(byKindAndKey(directory.events, 'provider', '1000000009')[0]?.record).toMatchObject({
      entityType: 'individual',
      locationKey: 'ccn:140010',
    });
  });

  it("places a location in its claims' state, with a city of that state, its ZIP prefix and SSA code", () => {
    const [location] = byKindAndKey(directory.events, 'service_location', 'tin:550101010');
    const record = location?.kind === 'service_location' ? location.record : null;
    expect(record?.address.state).toBe('OH');
    expect(record?.ssaStateCode).toBe('36');
    const cities = CITIES_BY_STATE.get('OH') ?? [];
    expect(
      cities.some(([city, zipPrefix]) => city === record?.address.city && record.address.zip?.startsWith(zipPrefix)),
    ).toBe(true);
    expect(record?.address.address1).toMatch(/^\d{1,4} [A-Z]+ [A-Z]+$/);
  });

  it('places locations without a hint in the states it is given', () => {
    const placed = synthesizeDirectory(manyIdentifiers(50), options({ flawShare: 0, states: ['VT'] }));
    const states = placed.events.flatMap((event) =>
      event.kind === 'service_location' ? [event.record?.address.state] : [],
    );
    expect(new Set(states)).toEqual(new Set(['VT']));
  });

  it('sorts events by effective date, then kind, then key', () => {
    const flawed = synthesizeDirectory(IDENTIFIERS, options({ flawShare: 1, neverFixedShare: 0 }));
    for (const events of [directory.events, flawed.events]) {
      const order = events.map((event) => [event.effectiveDate, event.kind, event.key]);
      const sorted = [...order].sort(
        ([dateA = '', kindA = '', keyA = ''], [dateB = '', kindB = '', keyB = '']) =>
          dateA.localeCompare(dateB) ||
          (kindA < kindB ? -1 : kindA > kindB ? 1 : 0) ||
          (keyA < keyB ? -1 : keyA > keyB ? 1 : 0),
      );
      expect(order).toEqual(sorted);
    }
    expect(directory.events.map((event) => event.kind)).toEqual([
      'provider',
      'provider',
      'provider',
      'provider',
      'provider',
      'provider_group',
      'provider_group',
      'service_location',
      'service_location',
      'service_location',
    ]);
  });
});

describe('synthesizeDirectory with every entry flawed', () => {
  const directory = synthesizeDirectory(IDENTIFIERS, options({ flawShare: 1, neverFixedShare: 0 }));
  const firstSeen = (key: string): string =>
    IDENTIFIERS.npis.get(key)?.firstSeen ??
    IDENTIFIERS.taxIds.get(key.replace(/^tin:/, ''))?.firstSeen ??
    IDENTIFIERS.ccns.get(key.replace(/^ccn:/, ''))?.firstSeen ??
    '';
  const daysAfter = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000;

  it('flaws every provider and location but no group', () => {
    expect(directory.flaws.map((flaw) => flaw.key).sort()).toEqual(
      [...IDENTIFIERS.npis.keys(), 'tin:032349648', 'tin:550101010', 'ccn:140010'].sort(),
    );
    for (const event of directory.events) expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
  });

  it('fixes every flaw with a version 1 to 90 days after the first claim that needed it', () => {
    for (const flaw of directory.flaws) {
      expect(flaw.fixedOn).not.toBeNull();
      const fixes = byKindAndKey(directory.events, flaw.kind, flaw.key).filter(
        (event) => event.effectiveDate === flaw.fixedOn,
      );
      expect(fixes).toHaveLength(1);
      const delay = daysAfter(firstSeen(flaw.key), flaw.fixedOn ?? '');
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThanOrEqual(90);
    }
  });

  it('gives a missing provider no version until its fix', () => {
    for (const flaw of directory.flaws.filter((each) => each.flaw === 'missing')) {
      expect(byKindAndKey(directory.events, 'provider', flaw.key).map((event) => event.effectiveDate)).toEqual([
        flaw.fixedOn,
      ]);
    }
  });

  it('gives an incomplete entry a first version without a name or an address part, and a complete fix', () => {
    const incomplete = directory.flaws.filter((flaw) => flaw.flaw === 'incomplete');
    expect(incomplete.length).toBeGreaterThan(0);
    for (const flaw of incomplete) {
      const [first, fix] = byKindAndKey(directory.events, flaw.kind, flaw.key);
      expect(first?.effectiveDate).toBe('0001-01-01');
      if (first?.kind === 'provider' && fix?.kind === 'provider') {
        const missingName =
          first.record?.entityType === 'individual' ? first.record.lastName : first.record?.organizationName;
        expect(missingName).toBeNull();
        expect(fix.record?.lastName ?? fix.record?.organizationName).not.toBeNull();
      }
      if (first?.kind === 'service_location' && fix?.kind === 'service_location') {
        expect(first.record?.address.address1 === null || first.record?.address.zip === null).toBe(true);
        expect(fix.record?.address.address1).not.toBeNull();
        expect(fix.record?.address.zip).not.toBeNull();
      }
    }
  });

  it('opens a late location 30 to 200 days after its first claim, and the fix opens it on or before that claim', () => {
    const late = directory.flaws.filter((flaw) => flaw.flaw === 'late_effective_date');
    const all = synthesizeDirectory(manyIdentifiers(200), options({ flawShare: 1, neverFixedShare: 0 }));
    const lateMany = all.flaws.filter((flaw) => flaw.flaw === 'late_effective_date');
    expect(lateMany.length).toBeGreaterThan(0);
    for (const [events, flaws, seen] of [
      [directory.events, late, firstSeen],
      [all.events, lateMany, () => '2009-01-01'],
    ] as const) {
      for (const flaw of flaws) {
        const [first, fix] = byKindAndKey(events, 'service_location', flaw.key);
        const opensOn = first?.kind === 'service_location' ? (first.record?.effectiveDate ?? '') : '';
        expect(first?.effectiveDate).toBe('0001-01-01');
        expect(daysAfter(seen(flaw.key), opensOn)).toBeGreaterThanOrEqual(30);
        expect(daysAfter(seen(flaw.key), opensOn)).toBeLessThanOrEqual(200);
        const correctedOn = fix?.kind === 'service_location' ? (fix.record?.effectiveDate ?? '') : '';
        expect(correctedOn <= seen(flaw.key)).toBe(true);
      }
    }
  });

  it('counts the flaws by kind in the summary', () => {
    const count = (kind: string) => directory.flaws.filter((flaw) => flaw.flaw === kind).length;
    expect(directory.summary.flawed).toEqual({
      missing: count('missing'),
      incomplete: count('incomplete'),
      lateEffectiveDate: count('late_effective_date'),
    });
    expect(directory.summary.neverFixed).toBe(0);
  });
});

describe('synthesizeDirectory with flaws never fixed', () => {
  const directory = synthesizeDirectory(IDENTIFIERS, options({ flawShare: 1, neverFixedShare: 1 }));

  it('publishes no fix, and nothing at all for a missing provider', () => {
    expect(directory.flaws.every((flaw) => flaw.fixedOn === null)).toBe(true);
    expect(directory.summary.neverFixed).toBe(directory.flaws.length);
    expect(new Set(directory.events.map((event) => event.effectiveDate))).toEqual(new Set(['0001-01-01']));
    for (const flaw of directory.flaws.filter((each) => each.flaw === 'missing')) {
      expect(byKindAndKey(directory.events, 'provider', flaw.key)).toEqual([]);
    }
  });
});

describe('synthesizeDirectory shares and seeds', () => {
  const identifiers = manyIdentifiers(4000);

  it('flaws about the flaw share of providers and locations (15% by default) and leaves about 20% unfixed', () => {
    const { summary } = synthesizeDirectory(identifiers, options());
    const flawed = summary.flawed.missing + summary.flawed.incomplete + summary.flawed.lateEffectiveDate;
    const entries = summary.providers + summary.locations;
    expect(flawed / entries).toBeGreaterThan(0.12);
    expect(flawed / entries).toBeLessThan(0.18);
    expect(summary.neverFixed / flawed).toBeGreaterThan(0.14);
    expect(summary.neverFixed / flawed).toBeLessThan(0.26);
  });

  it('builds the identical directory for the same seed', () => {
    const first = synthesizeDirectory(identifiers, options({ seed: 42 }));
    const second = synthesizeDirectory(identifiers, options({ seed: 42 }));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('builds a different directory for a different seed', () => {
    const first = synthesizeDirectory(identifiers, options({ seed: 42 }));
    const other = synthesizeDirectory(identifiers, options({ seed: 43 }));
    expect(other.events.map((event) => event.eventId)).not.toEqual(first.events.map((event) => event.eventId));
  });

  it("keeps an entry unchanged when other claims' identifiers are added", () => {
    const small = synthesizeDirectory(manyIdentifiers(10), options());
    const large = synthesizeDirectory(manyIdentifiers(1000), options());
    const largeIds = new Set(large.events.map((event) => event.eventId));
    for (const event of small.events) expect(largeIds.has(event.eventId)).toBe(true);
  });

  // Its speed is measured by `npm run bench` (the end-to-end phase builds one), never asserted here.
  it('builds a directory entry for each of 100,000 providers', () => {
    const { summary, events } = synthesizeDirectory(manyIdentifiers(100_000), options());
    expect(summary.providers).toBe(100_000);
    expect(events.length).toBeGreaterThan(140_000);
  });
});

describe('synthesizeDirectory option checks', () => {
  it('refuses a share outside 0..1, an empty name list and a state it has no cities for', () => {
    expect(() => synthesizeDirectory(IDENTIFIERS, options({ flawShare: 1.5 }))).toThrow(RangeError);
    expect(() => synthesizeDirectory(IDENTIFIERS, options({ neverFixedShare: -0.1 }))).toThrow(RangeError);
    expect(() =>
      synthesizeDirectory(IDENTIFIERS, options({ namePool: { ...DIRECTORY_NAME_POOL, lastNames: [] } })),
    ).toThrow('namePool.lastNames is empty');
    expect(() => synthesizeDirectory(IDENTIFIERS, options({ states: ['ZZ'] }))).toThrow('unknown USPS states: ZZ');
  });

  it('refuses a blank pool name, an identifier that cannot key an entry and a malformed publication time', () => {
    expect(() =>
      synthesizeDirectory(IDENTIFIERS, options({ namePool: { ...DIRECTORY_NAME_POOL, firstNames: ['ANA', ''] } })),
    ).toThrow('namePool.firstNames holds a blank name');
    const badNpi = manyIdentifiers(1);
    (badNpi.npis as Map<string, NpiSighting>).set('12345', { ...[...badNpi.npis.values()][0]!, npi: '12345' });
    expect(() => synthesizeDirectory(badNpi, options())).toThrow('NPI "12345" is not ten digits');
    expect(() => synthesizeDirectory(IDENTIFIERS, options({ publishedAt: 'yesterday' }))).toThrow(/publishedAt/);
  });

  it('rolls an impossible first-seen date over rather than failing, and still makes valid events', () => {
    const identifiers = collectDirectoryIdentifiers([
      claimEvent({ serviceFromDate: '2009-02-30', lines: [claimLine({ renderingNpi: '1000000005', taxId: 'T1' })] }),
    ]);
    const directory = synthesizeDirectory(identifiers, options({ flawShare: 1, neverFixedShare: 0 }));
    for (const event of directory.events) expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
    expect(directory.flaws.every((flaw) => (flaw.fixedOn ?? '') > '2009-03-02')).toBe(true);
  });

  it('builds an empty directory for no identifiers', () => {
    const empty = synthesizeDirectory({ npis: new Map(), taxIds: new Map(), ccns: new Map(), ignored: 0 }, options());
    expect(empty.events).toEqual([]);
    expect(empty.summary.providers).toBe(0);
  });
});
