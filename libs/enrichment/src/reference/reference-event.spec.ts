import { deriveEventId, ReferenceEventSchema, sha256Hex, type ProviderReference } from '@claims/contracts';
import { referenceEvent, referenceEventsOf } from './reference-event';
import { ReferenceFormatError } from './reference.errors';

const PUBLISHED_AT = '2024-05-06T07:08:09.000Z';
const PROVIDER: ProviderReference = {
  npi: '1043872153',
  entityType: 'individual',
  firstName: 'NGOZI',
  lastName: 'OKAFOR',
  organizationName: null,
  credential: 'MD',
  taxonomyCode: '207R00000X',
  specialty: 'Internal Medicine Physician',
  groupKey: '7719034625',
  locationKey: 'tin:7719034625',
  practiceAddress: { address1: '1 MAIN ST', city: 'CHICAGO', state: 'IL', zip: '60610' },
};

describe('referenceEvent', () => {
  it('builds a contract-valid event with the given envelope', () => {
    const event = referenceEvent('provider', PROVIDER.npi, '2008-01-01', PROVIDER, 'nppes.csv', PUBLISHED_AT);
    expect(ReferenceEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      schemaVersion: 1,
      kind: 'provider',
      key: '1043872153',
      effectiveDate: '2008-01-01',
      source: 'nppes.csv',
      publishedAt: PUBLISHED_AT,
      record: PROVIDER,
    });
  });

  it('derives the event id from kind, key, effective date and the record content', () => {
    const event = referenceEvent('provider', PROVIDER.npi, '2008-01-01', PROVIDER, 'nppes.csv', PUBLISHED_AT);
    expect(event.eventId).toBe(
      deriveEventId('reference', 'provider', '1043872153', '2008-01-01', sha256Hex(JSON.stringify(PROVIDER))),
    );
  });

  it('gives a republished version the same id whatever its source or publication time', () => {
    const first = referenceEvent('provider', PROVIDER.npi, '2008-01-01', PROVIDER, 'a.csv', PUBLISHED_AT);
    const again = referenceEvent('provider', PROVIDER.npi, '2008-01-01', PROVIDER, 'b.csv');
    expect(again.eventId).toBe(first.eventId);
  });

  it('gives a changed record, or another effective date, a new id', () => {
    const base = referenceEvent('provider', PROVIDER.npi, '2008-01-01', PROVIDER, 'a.csv', PUBLISHED_AT).eventId;
    const changed = { ...PROVIDER, credential: 'DO' };
    expect(referenceEvent('provider', PROVIDER.npi, '2008-01-01', changed, 'a.csv', PUBLISHED_AT).eventId).not.toBe(
      base,
    );
    expect(referenceEvent('provider', PROVIDER.npi, '2008-01-02', PROVIDER, 'a.csv', PUBLISHED_AT).eventId).not.toBe(
      base,
    );
  });

  it('stamps the publication time now when none is given', () => {
    const before = Date.now();
    const event = referenceEvent('provider', PROVIDER.npi, '2008-01-01', PROVIDER, 'a.csv');
    expect(Date.parse(event.publishedAt)).toBeGreaterThanOrEqual(before);
  });

  it('builds a withdrawal (null record) of a location', () => {
    const event = referenceEvent('service_location', 'ccn:140001', '2009-03-01', null, 'admin-api', PUBLISHED_AT);
    expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
    expect(event.record).toBeNull();
  });

  it('throws a permanent REFERENCE_FORMAT error for an event the contract refuses', () => {
    expect(() => referenceEvent('provider', PROVIDER.npi, '1/1/2008', PROVIDER, 'a.csv', PUBLISHED_AT)).toThrow(
      ReferenceFormatError,
    );
    expect(() =>
      referenceEvent('provider', PROVIDER.npi, '2008-01-01', { ...PROVIDER, npi: '123' }, 'a.csv', PUBLISHED_AT),
    ).toThrow(/record\.npi/);
  });
});

describe('referenceEventsOf', () => {
  it('keys providers by NPI, groups by group key and locations by location key, in that order', () => {
    const events = referenceEventsOf(
      {
        providers: [{ effectiveDate: '0001-01-01', record: PROVIDER }],
        groups: [
          {
            effectiveDate: '0001-01-01',
            record: { groupKey: '7719034625', keyType: 'tax_id', name: 'LAKESIDE MEDICAL GROUP', locationKey: null },
          },
        ],
        locations: [
          {
            effectiveDate: '0001-01-01',
            record: {
              locationKey: 'tin:7719034625',
              ccn: null,
              name: null,
              address: { address1: null, city: null, state: null, zip: null },
              ssaStateCode: null,
              ssaCountyCode: null,
              countyName: null,
              effectiveDate: null,
            },
          },
        ],
      },
      'sample.csv',
      PUBLISHED_AT,
    );
    expect(events.map((event) => [event.kind, event.key])).toEqual([
      ['provider', '1043872153'],
      ['provider_group', '7719034625'],
      ['service_location', 'tin:7719034625'],
    ]);
    for (const event of events) expect(ReferenceEventSchema.safeParse(event).success).toBe(true);
  });

  it('yields nothing for no items', () => {
    expect(referenceEventsOf({}, 'empty.csv')).toEqual([]);
  });
});
