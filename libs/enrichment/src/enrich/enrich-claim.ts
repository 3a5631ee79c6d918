import type {
  ClaimEvent,
  ClaimLine,
  ClaimType,
  EnrichedProvider,
  Enrichment,
  LookupMiss,
  PostalAddress,
  ProviderReference,
  RenderingProvider,
} from '@claims/contracts';
import { isValidNpiCheckDigit } from '@claims/source-layouts';
import type { ReferenceTables } from '../tables';
import { stateNamesByUsps, type EnrichmentCodes } from './enrichment-codes';
import { ageInWholeYears, coveredInServiceMonth } from './member-coverage';

type ProviderRole = EnrichedProvider['role'];
type EnrichedServiceLocation = NonNullable<Enrichment['serviceLocation']>;
type EnrichedMember = NonNullable<Enrichment['member']>;

/** Claim types billed by a facility under its CMS Certification Number. */
const FACILITY_CLAIM_TYPES: ReadonlySet<ClaimType> = new Set<ClaimType>([
  'institutional_inpatient',
  'institutional_outpatient',
  'snf',
  'hha',
  'hospice',
]);

/** The key a facility is held under in the location table. */
export function facilityLocationKey(ccn: string): string {
  return `ccn:${ccn}`;
}

/**
 * The reference data a claim names, looked up as of its first service date:
 * every provider it names by role, its provider group, where the service
 * happened, and the member for the service year; plus one lookup miss per
 * thing not found or not usable, which the pend rules and the ingest report
 * read. A miss is data, not an error: the claim goes on either way.
 */
export function enrichClaim(event: ClaimEvent, tables: ReferenceTables, codes: EnrichmentCodes): Enrichment {
  return enrichClaimAsOf(event, tables, codes, event.claim.serviceFromDate);
}

/**
 * The same, with the directory versions taken as of `lookupDate` instead of
 * the service date: how the pend rules see the claim once later versions
 * (fixes) are in force. A withdrawal dated after the service is no fix and
 * is passed over (ReferenceTables.recordForService): a provider deactivated
 * after it served the claim still served it. What the claim is compared with
 * stays the claim's own date: a location's effective date against the
 * service date, the member's record for the service year.
 */
export function enrichClaimAsOf(
  event: ClaimEvent,
  tables: ReferenceTables,
  codes: EnrichmentCodes,
  lookupDate: string,
): Enrichment {
  const claim = event.claim;
  const lines = linesInNumberOrder(claim.lines);
  const lookup: ProviderLookup = {
    tables,
    codes,
    serviceDate: claim.serviceFromDate,
    lookupDate,
    providers: [],
    records: [],
    renderingProviders: [],
    misses: [],
    groupLocationKey: null,
  };
  for (const line of lines) addProvider(lookup, 'rendering', line.renderingNpi);
  addProvider(lookup, 'rendering', claim.renderingProvider?.npi);
  addProvider(lookup, 'billing', claim.billingNpi);
  addProvider(lookup, 'attending', claim.attendingNpi);
  addProvider(lookup, 'operating', claim.operatingNpi);
  addProvider(lookup, 'facility', claim.facilityNpi);

  const providerGroup = enrichGroup(lines, lookup);
  return {
    renderingProviders: lookup.renderingProviders,
    providers: lookup.providers,
    providerGroup,
    serviceLocation: enrichServiceLocation(event, lookup),
    member: enrichMember(event, tables, codes, lookup.misses),
    lookupMisses: lookup.misses,
  };
}

/**
 * A claim's lines by line number (then by what enrichment reads of them): the
 * first line's tax number names the group and the lines' NPIs are looked up in
 * turn, so the verdict must not hang on the order a source wrote the lines in.
 */
function linesInNumberOrder(lines: readonly ClaimLine[]): readonly ClaimLine[] {
  let ordered = true;
  for (let index = 1; index < lines.length && ordered; index += 1) {
    ordered = compareLines(lines[index - 1] as ClaimLine, lines[index] as ClaimLine) <= 0;
  }
  return ordered ? lines : [...lines].sort(compareLines);
}

function compareLines(left: ClaimLine, right: ClaimLine): number {
  if (left.lineNumber !== right.lineNumber) return left.lineNumber - right.lineNumber;
  const byTaxId = compareText(left.taxId, right.taxId);
  return byTaxId !== 0 ? byTaxId : compareText(left.renderingNpi, right.renderingNpi);
}

function compareText(left: string | null | undefined, right: string | null | undefined): number {
  const leftText = left ?? '';
  const rightText = right ?? '';
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

interface ProviderLookup {
  readonly tables: ReferenceTables;
  readonly codes: EnrichmentCodes;
  /** The claim's first service date: a withdrawal after it does not touch the claim. */
  readonly serviceDate: string;
  readonly lookupDate: string;
  readonly providers: EnrichedProvider[];
  /** The directory record behind each of `providers`, same index (null when not found). */
  readonly records: (ProviderReference | null)[];
  readonly renderingProviders: RenderingProvider[];
  readonly misses: LookupMiss[];
  /** The group's location, when the group is found: the usual place of service of a professional claim. */
  groupLocationKey: string | null;
}

function addProvider(lookup: ProviderLookup, role: ProviderRole, writtenNpi: string | null | undefined): void {
  const npi = claimNpiOf(writtenNpi);
  if (npi === null) return;
  // A claim names a handful of providers: a scan beats a Set allocated per claim.
  for (const provider of lookup.providers) if (provider.role === role && provider.npi === npi) return;
  const { tables, serviceDate, lookupDate } = lookup;
  const record = tables.recordForService('provider', npi, serviceDate, lookupDate);
  const name = record && providerName(record);
  const taxonomyCode = record?.taxonomyCode ?? null;
  const groupKey = record?.groupKey ?? null;
  lookup.providers.push({
    role,
    npi,
    found: record !== null,
    name,
    credential: record?.credential ?? null,
    taxonomyCode,
    specialty:
      record?.specialty ?? (taxonomyCode === null ? null : (lookup.codes.taxonomySpecialty.get(taxonomyCode) ?? null)),
    groupKey,
    groupName:
      groupKey === null
        ? null
        : (tables.recordForService('provider_group', groupKey, serviceDate, lookupDate)?.name ?? null),
  });
  lookup.records.push(record);
  if (role === 'rendering') {
    // The v1 block, kept for consumers written before the providers list.
    lookup.renderingProviders.push({
      npi,
      lookupStatus: record === null ? 'not_found' : 'found',
      checkDigitValid: isValidNpiCheckDigit(npi),
      displayName: name,
      taxonomyCode,
      practiceState: record?.practiceAddress?.state ?? null,
    });
  }
  if (record === null) {
    const later = tables.firstVersionAfter('provider', npi, lookupDate, true) !== null;
    lookup.misses.push({ lookup: 'provider', role, key: npi, reason: later ? 'not_yet_effective' : 'not_found' });
  } else if (
    (record.entityType === 'individual' && record.lastName === null) ||
    (record.entityType === 'organization' && record.organizationName === null) ||
    isIncompleteAddress(record.practiceAddress)
  ) {
    lookup.misses.push({ lookup: 'provider', role, key: npi, reason: 'incomplete' });
  }
}

/**
 * An NPI as a claim names it, without padding; null when blank. The claim
 * contract does not require trimmed identifiers, while the directory keys an
 * NPI by its ten digits (as the synthetic directory's collector reads the
 * same claims): a padded NPI looked up as written would pend on a key no
 * directory version can have, and fail the check digit it passes.
 */
export function claimNpiOf(written: string | null | undefined): string | null {
  const npi = written?.trim() ?? '';
  return npi === '' ? null : npi;
}

/** "First Last" for a person, the organization's name otherwise (whichever the record has). */
function providerName(record: ProviderReference): string | null {
  const personal =
    record.firstName !== null && record.lastName !== null
      ? `${record.firstName} ${record.lastName}`
      : (record.lastName ?? record.firstName);
  return record.entityType === 'organization'
    ? (record.organizationName ?? personal)
    : (personal ?? record.organizationName);
}

/** An address the claim cannot be mailed or placed with: missing, or lacking a street, city, state or ZIP. */
function isIncompleteAddress(address: PostalAddress | null): boolean {
  return (
    address === null ||
    address.address1 === null ||
    address.city === null ||
    address.state === null ||
    address.zip === null
  );
}

type EnrichedGroup = NonNullable<Enrichment['providerGroup']>;

/** The billing group: the carrier line's tax number (TAX_NUM), else the first found provider's group. */
function enrichGroup(lines: readonly ClaimLine[], lookup: ProviderLookup): EnrichedGroup | null {
  let groupKey: string | null = null;
  for (const line of lines) {
    if (line.taxId !== null && line.taxId !== '') {
      groupKey = line.taxId;
      break;
    }
  }
  if (groupKey === null) {
    for (const record of lookup.records) {
      if (record?.groupKey != null) {
        groupKey = record.groupKey;
        break;
      }
    }
  }
  if (groupKey === null) return null;
  const record = lookup.tables.recordForService('provider_group', groupKey, lookup.serviceDate, lookup.lookupDate);
  if (record === null) {
    const later = lookup.tables.firstVersionAfter('provider_group', groupKey, lookup.lookupDate, true) !== null;
    lookup.misses.push({
      lookup: 'provider_group',
      role: null,
      key: groupKey,
      reason: later ? 'not_yet_effective' : 'not_found',
    });
  }
  lookup.groupLocationKey = record?.locationKey ?? null;
  return { groupKey, name: record?.name ?? null, found: record !== null };
}

/**
 * Where the service happened: the facility (by CCN) on an institutional
 * claim; else the group's location, else the rendering provider's; else the
 * address the source itself wrote, with no directory key.
 */
function enrichServiceLocation(event: ClaimEvent, lookup: ProviderLookup): EnrichedServiceLocation | null {
  const claim = event.claim;
  const stateNames = stateNamesByUsps(lookup.codes);
  let locationKey: string | null = null;
  if (FACILITY_CLAIM_TYPES.has(claim.claimType) && claim.facilityCcn != null && claim.facilityCcn !== '') {
    locationKey = facilityLocationKey(claim.facilityCcn);
  } else if (lookup.groupLocationKey !== null) {
    locationKey = lookup.groupLocationKey;
  } else {
    for (let index = 0; index < lookup.providers.length; index += 1) {
      const record = lookup.records[index];
      if (lookup.providers[index]?.role === 'rendering' && record?.locationKey != null) {
        locationKey = record.locationKey;
        break;
      }
    }
  }
  if (locationKey !== null) {
    const record = lookup.tables.recordForService(
      'service_location',
      locationKey,
      lookup.serviceDate,
      lookup.lookupDate,
    );
    if (record !== null) {
      if (record.effectiveDate !== null && record.effectiveDate > claim.serviceFromDate) {
        lookup.misses.push({ lookup: 'service_location', role: null, key: locationKey, reason: 'not_yet_effective' });
      } else if (isIncompleteAddress(record.address)) {
        lookup.misses.push({ lookup: 'service_location', role: null, key: locationKey, reason: 'incomplete' });
      }
      const state = record.address.state;
      return {
        locationKey,
        name: record.name,
        address1: record.address.address1,
        city: record.address.city,
        state,
        stateName: state === null ? null : (stateNames.get(state) ?? null),
        countyName: record.countyName,
        zip: record.address.zip,
        effectiveDate: record.effectiveDate,
      };
    }
    const later = lookup.tables.firstVersionAfter('service_location', locationKey, lookup.lookupDate, true) !== null;
    lookup.misses.push({
      lookup: 'service_location',
      role: null,
      key: locationKey,
      reason: later ? 'not_yet_effective' : 'not_found',
    });
  }
  const written = claim.serviceLocation;
  if (written == null) return null;
  const state = written.state;
  return {
    locationKey: null,
    name: written.name ?? null,
    address1: written.address1,
    city: written.city,
    state,
    stateName: state === null ? null : (stateNames.get(state.toUpperCase()) ?? null),
    countyName: null,
    zip: written.zip,
    effectiveDate: null,
  };
}

/** The member for the service year. The miss names no key: a patient token is never written into a miss. */
function enrichMember(
  event: ClaimEvent,
  tables: ReferenceTables,
  codes: EnrichmentCodes,
  misses: LookupMiss[],
): EnrichedMember {
  const claim = event.claim;
  const serviceDate = claim.serviceFromDate;
  const member = tables.member(claim.patientToken, Number(serviceDate.slice(0, 4)));
  if (member === null) {
    misses.push({ lookup: 'member', role: null, key: null, reason: 'not_found' });
    return {
      found: false,
      ageAtService: null,
      sex: null,
      ssaStateCode: null,
      stateName: null,
      ssaCountyCode: null,
      coveredInServiceMonth: null,
    };
  }
  return {
    found: true,
    ageAtService: member.birthDate === null ? null : ageInWholeYears(member.birthDate, serviceDate),
    sex: member.sex,
    ssaStateCode: member.ssaStateCode,
    stateName: member.ssaStateCode === null ? null : (codes.ssaStates.get(member.ssaStateCode)?.name ?? null),
    ssaCountyCode: member.ssaCountyCode,
    coveredInServiceMonth: coveredInServiceMonth(member, claim.claimType, serviceDate),
  };
}
