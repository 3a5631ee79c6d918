import { ReferenceEventSchema, ServiceLocationReferenceSchema, type ReferenceEvent } from './reference-events';

const providerEvent = (overrides: Partial<ReferenceEvent> = {}): unknown => ({
  schemaVersion: 1,
  eventId: '0190f1a4-3b1c-8c3d-9e4f-5a6b7c8d9e0f',
  kind: 'provider',
  key: '1234567893',
  effectiveDate: '2024-02-29',
  source: 'admin-api',
  publishedAt: '2025-01-02T03:04:05.000Z',
  record: {
    npi: '1234567893',
    entityType: 'individual',
    firstName: 'Ana',
    lastName: 'Diaz',
    organizationName: null,
    credential: 'MD',
    taxonomyCode: '207Q00000X',
    specialty: 'Family Medicine',
    groupKey: 'TIN-1',
    locationKey: null,
    practiceAddress: null,
  },
  ...overrides,
});

const location = (effectiveDate: string | null): unknown => ({
  locationKey: 'ccn:140001',
  ccn: '140001',
  name: 'General Hospital',
  address: { address1: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701' },
  ssaStateCode: '14',
  ssaCountyCode: '000',
  countyName: null,
  effectiveDate,
});

describe('ReferenceEventSchema', () => {
  it('takes a version effective on any day the calendar has, leap days included', () => {
    for (const effectiveDate of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) {
      expect(ReferenceEventSchema.safeParse(providerEvent({ effectiveDate })).success).toBe(true);
    }
  });

  it('refuses an effective date the calendar lacks, which Postgres would refuse to store as a clear date', () => {
    for (const effectiveDate of ['2024-02-30', '2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10']) {
      const parsed = ReferenceEventSchema.safeParse(providerEvent({ effectiveDate }));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['effectiveDate']);
    }
    expect(ReferenceEventSchema.safeParse(providerEvent({ effectiveDate: '0000-01-01' })).success).toBe(false);
    expect(ReferenceEventSchema.safeParse(providerEvent({ effectiveDate: '2024-01-00' })).success).toBe(false);
  });

  it("refuses a version whose key is not its own record's key, which would file one entry's record under another", () => {
    const parsed = ReferenceEventSchema.safeParse(providerEvent({ key: '1245319599' }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['key']);
    const group = {
      ...(providerEvent() as object),
      kind: 'provider_group',
      key: 'TIN-2',
      record: { groupKey: 'TIN-1', keyType: 'tax_id', name: null, locationKey: null },
    };
    expect(ReferenceEventSchema.safeParse(group).success).toBe(false);
    expect(ReferenceEventSchema.safeParse({ ...group, key: 'TIN-1' }).success).toBe(true);
    const site = {
      ...(providerEvent() as object),
      kind: 'service_location',
      key: 'ccn:140002',
      record: location(null),
    };
    expect(ReferenceEventSchema.safeParse(site).success).toBe(false);
    expect(ReferenceEventSchema.safeParse({ ...site, key: 'ccn:140001' }).success).toBe(true);
    // A withdrawal has no record to disagree with.
    expect(ReferenceEventSchema.safeParse(providerEvent({ key: '1245319599', record: null })).success).toBe(true);
  });

  it('refuses text holding a NUL character, which a Postgres text value cannot hold', () => {
    const event = providerEvent() as { record: Record<string, unknown> };
    const withNul = { ...event, record: { ...event.record, groupKey: 'TIN\u00001' } };
    const parsed = ReferenceEventSchema.safeParse(withNul);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['record.groupKey']);
    expect(ReferenceEventSchema.safeParse(providerEvent({ key: 'TIN\u00001' })).success).toBe(false);
  });

  it('refuses text holding a lone surrogate, which no UTF-8 store keeps as sent', () => {
    expect(ReferenceEventSchema.safeParse(providerEvent({ source: 'file\ud800.csv' })).success).toBe(false);
    expect(ReferenceEventSchema.safeParse(providerEvent({ source: 'caf\u00e9 \ud83d\ude00.csv' })).success).toBe(true);
  });
});

describe('ServiceLocationReferenceSchema', () => {
  it('takes a calendar day or no day as the location effective date and refuses a day the calendar lacks', () => {
    expect(ServiceLocationReferenceSchema.safeParse(location('2024-02-29')).success).toBe(true);
    expect(ServiceLocationReferenceSchema.safeParse(location(null)).success).toBe(true);
    expect(ServiceLocationReferenceSchema.safeParse(location('2023-02-29')).success).toBe(false);
  });
});
