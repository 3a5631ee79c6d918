import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  GROUP_LOCATION,
  locationVersion,
  memberRecord,
  NPI,
  providerRecord,
  providerVersion,
  TAX_ID,
  TOKEN,
  groupVersion,
} from '../enrich/__fixtures__/reference-fixtures';
import { ReferenceTables } from './reference-tables';

describe('ReferenceTables', () => {
  it('returns the latest provider version effective on or before the as-of date', () => {
    const tables = new ReferenceTables();
    tables.apply(providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { lastName: 'OLD' })));
    tables.apply(providerVersion(NPI.rendering, '2008-06-01', providerRecord(NPI.rendering, { lastName: 'NEW' })));

    expect(tables.provider(NPI.rendering, '2007-12-31')).toBeNull();
    expect(tables.provider(NPI.rendering, '2008-01-01')?.lastName).toBe('OLD');
    expect(tables.provider(NPI.rendering, '2008-05-31')?.lastName).toBe('OLD');
    expect(tables.provider(NPI.rendering, '2008-06-01')?.lastName).toBe('NEW');
    expect(tables.provider(NPI.rendering, '2010-01-01')?.lastName).toBe('NEW');
  });

  it('keeps versions sorted by date whatever order they are applied in', () => {
    const tables = new ReferenceTables();
    tables.apply(providerVersion(NPI.rendering, '2008-06-01'));
    tables.apply(providerVersion(NPI.rendering, '2008-01-01'));
    tables.apply(providerVersion(NPI.rendering, '2008-03-01', null));

    expect(tables.versionDates('provider', NPI.rendering)).toEqual(['2008-01-01', '2008-03-01', '2008-06-01']);
  });

  it('treats a null record as a withdrawal from its effective date on', () => {
    const tables = new ReferenceTables();
    tables.apply(providerVersion(NPI.rendering, '2008-01-01'));
    tables.apply(providerVersion(NPI.rendering, '2008-03-01', null));

    expect(tables.provider(NPI.rendering, '2008-02-28')).not.toBeNull();
    expect(tables.provider(NPI.rendering, '2008-03-01')).toBeNull();
    expect(tables.versionAsOf('provider', NPI.rendering, '2008-03-01')).toEqual({
      effectiveDate: '2008-03-01',
      record: null,
    });
  });

  it('lets a later fix stand for a service, but not a withdrawal dated after the service', () => {
    const tables = new ReferenceTables();
    tables.apply(providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { lastName: null })));
    tables.apply(providerVersion(NPI.rendering, '2008-02-01', providerRecord(NPI.rendering, { lastName: 'FIXED' })));
    tables.apply(providerVersion(NPI.rendering, '2008-03-01', null));

    expect(tables.recordForService('provider', NPI.rendering, '2008-01-15', '2008-01-15')?.lastName).toBeNull();
    expect(tables.recordForService('provider', NPI.rendering, '2008-01-15', '2008-02-15')?.lastName).toBe('FIXED');
    expect(tables.recordForService('provider', NPI.rendering, '2008-01-15', '2008-06-01')?.lastName).toBe('FIXED');
    expect(tables.recordForService('provider', NPI.rendering, '2008-03-01', '2008-06-01')).toBeNull();
    expect(tables.recordForService('provider', NPI.rendering, '2007-12-31', '2007-12-31')).toBeNull();
  });

  it('reports no change when the same version is applied twice', () => {
    const tables = new ReferenceTables();
    const version = providerVersion(NPI.rendering, '2008-01-01');

    expect(tables.apply(version)).toBe(true);
    expect(tables.apply(version)).toBe(false);
    expect(tables.apply({ ...version, eventId: '00000000-0000-4000-8000-00000000ffff' })).toBe(false);
    expect(tables.size().providerVersions).toBe(1);
  });

  it('replaces a version with a different record for the same key and effective date', () => {
    const tables = new ReferenceTables();
    tables.apply(providerVersion(NPI.rendering, '2008-01-01'));

    const changed = tables.apply(
      providerVersion(NPI.rendering, '2008-01-01', providerRecord(NPI.rendering, { lastName: 'CORRECTED' })),
    );

    expect(changed).toBe(true);
    expect(tables.provider(NPI.rendering, '2008-01-01')?.lastName).toBe('CORRECTED');
    expect(tables.versionDates('provider', NPI.rendering)).toEqual(['2008-01-01']);
  });

  it('finds the first version after a date, optionally skipping withdrawals', () => {
    const tables = new ReferenceTables();
    tables.apply(providerVersion(NPI.rendering, '2008-01-01'));
    tables.apply(providerVersion(NPI.rendering, '2008-03-01', null));
    tables.apply(providerVersion(NPI.rendering, '2008-06-01'));

    expect(tables.firstVersionAfter('provider', NPI.rendering, '2008-01-01')).toBe('2008-03-01');
    expect(tables.firstVersionAfter('provider', NPI.rendering, '2008-01-01', true)).toBe('2008-06-01');
    expect(tables.firstVersionAfter('provider', NPI.rendering, '2008-06-01')).toBeNull();
    expect(tables.firstVersionAfter('provider', NPI.second, '2000-01-01')).toBeNull();
  });

  it('looks groups and locations up by key as of a date, separately from providers', () => {
    const tables = new ReferenceTables();
    tables.apply(groupVersion(TAX_ID, '2008-02-01'));
    tables.apply(locationVersion(GROUP_LOCATION, '2008-02-01'));

    expect(tables.group(TAX_ID, '2008-01-31')).toBeNull();
    expect(tables.group(TAX_ID, '2008-02-01')?.name).toBe('LAKESIDE FAMILY MEDICINE');
    expect(tables.location(GROUP_LOCATION, '2008-02-01')?.countyName).toBe('COOK');
    expect(tables.provider(TAX_ID, '2009-01-01')).toBeNull();
  });

  it('does not let a later change to the applied event alter the held record', () => {
    const tables = new ReferenceTables();
    const version = providerVersion(NPI.rendering, '2008-01-01');
    tables.apply(version);
    if (version.kind === 'provider' && version.record) version.record.lastName = 'MUTATED';

    expect(tables.provider(NPI.rendering, '2008-01-01')?.lastName).toBe('ALVAREZ');
  });

  it('holds one member record per year and finds it by token and year', () => {
    const tables = new ReferenceTables();
    expect(tables.applyMember(memberRecord())).toBe(true);
    expect(
      tables.applyMember(
        memberRecord({ referenceYear: 2009, coverageMonths: { partA: 3, partB: 3, hmo: 0, partD: 0 } }),
      ),
    ).toBe(true);

    expect(tables.member(TOKEN, 2008)?.partBMonths).toBe(12);
    expect(tables.member(TOKEN, 2009)?.partBMonths).toBe(3);
    expect(tables.member(TOKEN, 2010)).toBeNull();
    expect(tables.member('other-token', 2008)).toBeNull();
    expect(tables.size()).toMatchObject({ members: 1, memberYears: 2 });
  });

  it('reports no change for an identical member record and a change for a corrected one', () => {
    const tables = new ReferenceTables();
    tables.applyMember(memberRecord());

    expect(tables.applyMember(memberRecord())).toBe(false);
    expect(tables.applyMember(memberRecord({ deathDate: '2008-09-01' }))).toBe(true);
    expect(tables.member(TOKEN, 2008)?.deathDate).toBe('2008-09-01');
  });

  it('holds 100,000 providers with one or two versions each in well under 100 MB of heap', () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const tables = new ReferenceTables();
    const states = ['IL', 'OH', 'TX', 'CA', 'NY', 'FL', 'WA', 'CO'];
    for (let index = 0; index < 100_000; index += 1) {
      const npi = String(1_100_000_000 + index);
      const record = providerRecord(npi, {
        // Built per provider, as a decoded Kafka message would be: nothing shared by construction.
        firstName: `FIRST${index % 5000}`,
        lastName: `LAST${index % 20000}`,
        groupKey: `GRP${index % 8000}`,
        locationKey: `LOC${index % 8000}`,
        practiceAddress: {
          address1: `${index % 8000} MAIN ST`,
          city: `CITY${index % 900}`,
          state: states[index % states.length]!,
          zip: String(10000 + (index % 8000)),
        },
      });
      tables.apply({
        ...providerVersion(npi, '2007-01-01', record),
      });
      if (index % 2 === 0) tables.apply(providerVersion(npi, '2009-07-01', { ...record, credential: 'DO' }));
    }
    gc();
    const usedMegabytes = (process.memoryUsage().heapUsed - before) / 1024 / 1024;

    expect(tables.size()).toMatchObject({ providers: 100_000, providerVersions: 150_000 });
    expect(usedMegabytes).toBeLessThan(60);
  });
});
