/**
 * Hand-built claims and reference versions for the enrichment and pend-rule
 * specs. Made up: the NPIs are chosen to pass (or, where said, fail) the
 * check digit and belong to no real provider; the token is not a real hash.
 */
import type {
  ClaimEvent,
  ClaimLine,
  MemberReference,
  ProviderGroupReference,
  ProviderReference,
  ReferenceEvent,
  ServiceLocationReference,
} from '@claims/contracts';

/** NPIs that pass the Luhn check (80840 prefix). */
export const NPI = {
  rendering: '1000000004',
  billing: '1000000012',
  attending: '1000000020',
  second: '1000000038',
  organization: '1000000046',
} as const;
/** Fails the check digit (the last digit of 1234567893 changed). */
export const BAD_CHECK_DIGIT_NPI = '1234567890';

export const TOKEN = 'token-0001';
export const TAX_ID = '361234567';
export const GROUP_LOCATION = 'loc-lakeside';

export function line(overrides: Partial<ClaimLine> = {}): ClaimLine {
  return {
    lineNumber: 1,
    hcpcsCode: '99213',
    renderingNpi: NPI.rendering,
    taxId: TAX_ID,
    diagnosisCode: '4019',
    paymentAmountCents: 8000,
    allowedAmountCents: 10000,
    deductibleAmountCents: 0,
    coinsuranceAmountCents: 2000,
    primaryPayerPaidAmountCents: 0,
    processingIndicatorCode: 'A',
    processingCategory: 'allowed',
    ...overrides,
  };
}

type ClaimOverrides = Partial<ClaimEvent['claim']>;

/** A professional claim served 2008-03-10, received 2008-03-20, one line by NPI.rendering under TAX_ID. */
export function claimEvent(claim: ClaimOverrides = {}, event: Partial<Omit<ClaimEvent, 'claim'>> = {}): ClaimEvent {
  const lines = claim.lines ?? [line()];
  return {
    schemaVersion: 2,
    eventId: '00000000-0000-4000-8000-000000000001',
    eventType: 'submitted',
    occurredAt: '2008-03-20',
    claimId: 'CLM-1',
    rawEventId: '00000000-0000-4000-8000-000000000002',
    layout: 'billing.claim-export',
    lineage: { source: 'fixture.csv', fileId: 'f'.repeat(64), recordNumber: 1, recordSha256: 'a'.repeat(64) },
    publishedAt: '2024-01-02T03:04:05.000Z',
    ...event,
    claim: {
      claimType: 'professional',
      patientToken: TOKEN,
      payer: 'MEDICARE',
      serviceFromDate: '2008-03-10',
      serviceThroughDate: '2008-03-10',
      diagnoses: [{ code: '4019', system: 'ICD-9-CM' }],
      totals: {
        paymentAmountCents: lines.reduce((sum, each) => sum + each.paymentAmountCents, 0),
        allowedAmountCents: lines.reduce((sum, each) => sum + each.allowedAmountCents, 0),
      },
      receivedDate: '2008-03-20',
      ...claim,
      lines,
    },
    dataQuality: [],
  };
}

let eventSequence = 0;
function nextEventId(): string {
  eventSequence += 1;
  return `00000000-0000-4000-9000-${String(eventSequence).padStart(12, '0')}`;
}

const envelope = (key: string, effectiveDate: string) => ({
  schemaVersion: 1 as const,
  eventId: nextEventId(),
  key,
  effectiveDate,
  source: 'fixture-directory',
  publishedAt: '2024-01-02T03:04:05.000Z',
});

/** A complete individual provider practising in TAX_ID's group. */
export function providerRecord(npi: string, overrides: Partial<ProviderReference> = {}): ProviderReference {
  return {
    npi,
    entityType: 'individual',
    firstName: 'MARIA',
    lastName: 'ALVAREZ',
    organizationName: null,
    credential: 'MD',
    taxonomyCode: '207Q00000X',
    specialty: null,
    groupKey: TAX_ID,
    locationKey: null,
    practiceAddress: { address1: '1200 LAKESHORE DR', city: 'CHICAGO', state: 'IL', zip: '60611' },
    ...overrides,
  };
}

export function providerVersion(
  npi: string,
  effectiveDate: string,
  record: ProviderReference | null = providerRecord(npi),
): ReferenceEvent {
  return { ...envelope(npi, effectiveDate), kind: 'provider', record };
}

export function groupVersion(
  groupKey: string,
  effectiveDate: string,
  overrides: Partial<ProviderGroupReference> | null = {},
): ReferenceEvent {
  const record: ProviderGroupReference | null =
    overrides === null
      ? null
      : { groupKey, keyType: 'tax_id', name: 'LAKESIDE FAMILY MEDICINE', locationKey: GROUP_LOCATION, ...overrides };
  return { ...envelope(groupKey, effectiveDate), kind: 'provider_group', record };
}

export function locationVersion(
  locationKey: string,
  effectiveDate: string,
  overrides: Partial<ServiceLocationReference> | null = {},
): ReferenceEvent {
  const record: ServiceLocationReference | null =
    overrides === null
      ? null
      : {
          locationKey,
          ccn: null,
          name: 'LAKESIDE CLINIC',
          address: { address1: '1200 LAKESHORE DR', city: 'CHICAGO', state: 'IL', zip: '60611' },
          ssaStateCode: '14',
          ssaCountyCode: '141',
          countyName: 'COOK',
          effectiveDate: '2007-01-01',
          ...overrides,
        };
  return { ...envelope(locationKey, effectiveDate), kind: 'service_location', record };
}

/** A member for 2008 born 1935-06-15, in Illinois (SSA 14), covered all year by Parts A, B and D. */
export function memberRecord(overrides: Partial<MemberReference> = {}): MemberReference {
  return {
    patientToken: TOKEN,
    referenceYear: 2008,
    birthDate: '1935-06-15',
    deathDate: null,
    sex: 'female',
    raceCode: '1',
    ssaStateCode: '14',
    ssaCountyCode: '141',
    coverageMonths: { partA: 12, partB: 12, hmo: 0, partD: 12 },
    chronicConditions: { chf: false, diabetes: true },
    sourceOperation: null,
    ...overrides,
  };
}

/** The directory a clean fixture claim needs: its provider, group, location and member, all in force since 2007. */
export function cleanDirectory(): { versions: ReferenceEvent[]; members: MemberReference[] } {
  return {
    versions: [
      providerVersion(NPI.rendering, '2007-01-01'),
      groupVersion(TAX_ID, '2007-01-01'),
      locationVersion(GROUP_LOCATION, '2007-01-01'),
    ],
    members: [memberRecord()],
  };
}
