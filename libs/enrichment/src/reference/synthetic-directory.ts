import type {
  PostalAddress,
  ProviderGroupReference,
  ProviderReference,
  ReferenceEvent,
  ReferenceKind,
  ServiceLocationReference,
} from '@claims/contracts';
import { ssaStateCodesByUsps, type ReferenceCodes } from './code-lists';
import type { DirectoryIdentifiers } from './directory-identifiers';
import {
  BILLING_ORGANIZATION_TAXONOMIES,
  CITIES_BY_STATE,
  DEFAULT_DIRECTORY_STATES,
  FACILITY_NAME_SUFFIXES,
  FACILITY_TAXONOMIES,
  GROUP_NAME_SUFFIXES,
  INDIVIDUAL_TAXONOMIES,
  STREET_NAMES,
  STREET_TYPES,
  type NamePool,
} from './directory-pools';
import { referenceEvent, referenceEventUnchecked, type ReferenceRecordByKind } from './reference-event';
import { BEGINNING_OF_TIME } from './reference-rows';
import { SeededRandom } from './seeded-random';

export const DIRECTORY_FLAW_KINDS = ['missing', 'incomplete', 'late_effective_date'] as const;
export type DirectoryFlawKind = (typeof DIRECTORY_FLAW_KINDS)[number];

/** One deliberately flawed entry: what the pend rules should catch, and when (if ever) the fix lands. */
export interface DirectoryFlaw {
  kind: ReferenceKind;
  key: string;
  flaw: DirectoryFlawKind;
  firstSeen: string;
  /** Effective date of the fixing version; null for a flaw never fixed. */
  fixedOn: string | null;
}

export interface DirectorySummary {
  providers: number;
  groups: number;
  locations: number;
  flawed: { missing: number; incomplete: number; lateEffectiveDate: number };
  neverFixed: number;
}

export interface SyntheticDirectory {
  /** Sorted by effective date, then kind, then key. */
  events: ReferenceEvent[];
  summary: DirectorySummary;
  flaws: DirectoryFlaw[];
}

export interface SyntheticDirectoryOptions {
  seed: number;
  /** Share of providers and locations given a flaw (default 0.15). */
  flawShare?: number;
  /** Share of the flaws that are never fixed (default 0.2). */
  neverFixedShare?: number;
  namePool: NamePool;
  codes: ReferenceCodes;
  /** USPS states to place entries without a state hint in (default: the 50 states and DC). */
  states?: readonly string[];
  /** The events' `source` (default `synthetic-directory`). */
  source?: string;
  /** The events' publication time (default now); pass one to make two runs byte-identical. */
  publishedAt?: string;
}

export const SYNTHETIC_DIRECTORY_SOURCE = 'synthetic-directory';
const DEFAULT_FLAW_SHARE = 0.15;
const DEFAULT_NEVER_FIXED_SHARE = 0.2;
/** A fix lands 1 to 90 days after the first claim that needed it. */
const FIX_DELAY_DAYS = [1, 90] as const;
/** A late location opens 30 to 200 days after its first claim. */
const LATE_EFFECTIVE_DAYS = [30, 200] as const;
/** A corrected opening date lies up to a year before the first claim. */
const CORRECTED_EFFECTIVE_DAYS_BEFORE = [0, 365] as const;

/**
 * Calendar arithmetic on YYYY-MM-DD. setUTCFullYear, unlike Date.UTC, keeps
 * years below 100 as they are, and rolls an impossible date (a claim's
 * 2009-02-30) over into the next month rather than failing.
 */
function addDays(isoDate: string, days: number): string {
  const [year = 1, month = 1, day = 1] = isoDate.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day + days);
  return date.toISOString().slice(0, 10);
}

function clip(text: string): string {
  return text.length > 200 ? text.slice(0, 200).trimEnd() : text;
}

function checkedShare(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must lie between 0 and 1, got ${value}`);
  return value;
}

function checkedPool(name: keyof NamePool, names: readonly string[]): readonly string[] {
  if (names.length === 0) throw new RangeError(`namePool.${name} is empty`);
  if (names.some((each) => each.trim() === '')) throw new RangeError(`namePool.${name} holds a blank name`);
  return names;
}

const NPI = /^\d{10}$/;
const MAX_KEY_LENGTH = 200;

/** The directory's events are built unchecked: identifiers that could not key a valid entry are refused here. */
function checkedIdentifiers(identifiers: DirectoryIdentifiers): void {
  for (const npi of identifiers.npis.keys()) {
    if (!NPI.test(npi)) throw new RangeError(`NPI "${npi}" is not ten digits`);
  }
  for (const [prefix, keys] of [
    ['tin:', identifiers.taxIds.keys()],
    ['ccn:', identifiers.ccns.keys()],
  ] as const) {
    for (const key of keys) {
      if (key.trim() === '' || prefix.length + key.length > MAX_KEY_LENGTH) {
        throw new RangeError(`identifier "${key.slice(0, 40)}" cannot key a directory entry`);
      }
    }
  }
}

/**
 * A seeded directory for identifiers found in claims (DE-SynPUF NPIs, tax
 * numbers and CCNs are synthetic: no public directory knows them). Every tax
 * id gets a group and its location, every CCN a facility location, every NPI a
 * provider in the group it billed under. A share of providers and locations
 * is flawed the way real directories are (missing, incomplete, opening late),
 * most fixed by a later version, some never: the input the pend rules and the
 * pended-queue KPIs are exercised with.
 *
 * Each identifier draws from a generator seeded by the seed and the identifier
 * alone, so an entry does not change when other claims are added, and the
 * same seed gives the same directory.
 */
export function synthesizeDirectory(
  identifiers: DirectoryIdentifiers,
  options: SyntheticDirectoryOptions,
): SyntheticDirectory {
  const flawShare = checkedShare('flawShare', options.flawShare ?? DEFAULT_FLAW_SHARE);
  const neverFixedShare = checkedShare('neverFixedShare', options.neverFixedShare ?? DEFAULT_NEVER_FIXED_SHARE);
  const firstNames = checkedPool('firstNames', options.namePool.firstNames);
  const lastNames = checkedPool('lastNames', options.namePool.lastNames);
  const organizationNames = checkedPool('organizationNames', options.namePool.organizationNames);
  const states = options.states ?? DEFAULT_DIRECTORY_STATES;
  if (states.length === 0) throw new RangeError('states is empty');
  const unknownStates = states.filter((state) => !CITIES_BY_STATE.has(state));
  if (unknownStates.length > 0) throw new RangeError(`unknown USPS states: ${unknownStates.join(', ')}`);
  const source = options.source ?? SYNTHETIC_DIRECTORY_SOURCE;
  const publishedAt = options.publishedAt ?? new Date().toISOString();
  // The caller's envelope fields are checked once here, since every event below is built unchecked.
  referenceEvent('provider', '0000000000', BEGINNING_OF_TIME, null, source, publishedAt);
  checkedIdentifiers(identifiers);
  const { seed, codes } = options;
  const ssaCodeByUsps = ssaStateCodesByUsps(codes);

  const events: ReferenceEvent[] = [];
  const flaws: DirectoryFlaw[] = [];
  const summary: DirectorySummary = {
    providers: 0,
    groups: 0,
    locations: 0,
    flawed: { missing: 0, incomplete: 0, lateEffectiveDate: 0 },
    neverFixed: 0,
  };
  const locationAddresses = new Map<string, PostalAddress>();

  const emit = <TKind extends ReferenceKind>(
    kind: TKind,
    key: string,
    effectiveDate: string,
    record: ReferenceRecordByKind[TKind],
  ): void => {
    events.push(referenceEventUnchecked(kind, key, effectiveDate, record, source, publishedAt));
  };
  /** Records the flaw and decides its fix date (null: never fixed). */
  const flawed = (
    random: SeededRandom,
    kind: ReferenceKind,
    key: string,
    flaw: DirectoryFlawKind,
    firstSeen: string,
  ): string | null => {
    const fixedOn = random.chance(neverFixedShare) ? null : addDays(firstSeen, random.intBetween(...FIX_DELAY_DAYS));
    flaws.push({ kind, key, flaw, firstSeen, fixedOn });
    if (flaw === 'missing') summary.flawed.missing += 1;
    else if (flaw === 'incomplete') summary.flawed.incomplete += 1;
    else summary.flawed.lateEffectiveDate += 1;
    if (fixedOn === null) summary.neverFixed += 1;
    return fixedOn;
  };
  const stateOf = (random: SeededRandom, hint: string | null): string => {
    // Drawn whatever the hint, so a hint does not shift the entry's later draws.
    const drawn = random.pick(states);
    return hint !== null && CITIES_BY_STATE.has(hint) ? hint : drawn;
  };
  const addressIn = (random: SeededRandom, state: string): PostalAddress => {
    const [city, zipPrefix] = random.pick(CITIES_BY_STATE.get(state) ?? []);
    const number = random.intBetween(1, 9999);
    return {
      address1: `${number} ${random.pick(STREET_NAMES)} ${random.pick(STREET_TYPES)}`,
      city,
      state,
      zip: `${zipPrefix}${String(random.intBetween(1, 99)).padStart(2, '0')}`,
    };
  };
  const addLocation = (random: SeededRandom, record: ServiceLocationReference, firstSeen: string): void => {
    summary.locations += 1;
    locationAddresses.set(record.locationKey, record.address);
    if (!random.chance(flawShare)) {
      emit('service_location', record.locationKey, BEGINNING_OF_TIME, record);
      return;
    }
    if (random.chance(0.5)) {
      const missingPart = random.chance(0.5) ? 'address1' : 'zip';
      emit('service_location', record.locationKey, BEGINNING_OF_TIME, {
        ...record,
        address: { ...record.address, [missingPart]: null },
      });
      const fixedOn = flawed(random, 'service_location', record.locationKey, 'incomplete', firstSeen);
      if (fixedOn !== null) emit('service_location', record.locationKey, fixedOn, record);
      return;
    }
    const opensOn = addDays(firstSeen, random.intBetween(...LATE_EFFECTIVE_DAYS));
    const correctedOpening = addDays(firstSeen, -random.intBetween(...CORRECTED_EFFECTIVE_DAYS_BEFORE));
    emit('service_location', record.locationKey, BEGINNING_OF_TIME, { ...record, effectiveDate: opensOn });
    const fixedOn = flawed(random, 'service_location', record.locationKey, 'late_effective_date', firstSeen);
    if (fixedOn !== null) {
      emit('service_location', record.locationKey, fixedOn, { ...record, effectiveDate: correctedOpening });
    }
  };
  const sortedValues = <T>(map: ReadonlyMap<string, T>): T[] => [...map.keys()].sort().map((key) => map.get(key) as T);

  for (const sighting of sortedValues(identifiers.taxIds)) {
    const random = SeededRandom.forEntity(seed, 'tax_id', sighting.taxId);
    const name = clip(`${random.pick(organizationNames)} ${random.pick(GROUP_NAME_SUFFIXES)}`);
    const state = stateOf(random, sighting.stateHint);
    const locationKey = `tin:${sighting.taxId}`;
    const group: ProviderGroupReference = { groupKey: sighting.taxId, keyType: 'tax_id', name, locationKey };
    summary.groups += 1;
    emit('provider_group', group.groupKey, BEGINNING_OF_TIME, group);
    addLocation(
      random,
      {
        locationKey,
        ccn: null,
        name,
        address: addressIn(random, state),
        ssaStateCode: ssaCodeByUsps.get(state) ?? null,
        ssaCountyCode: null,
        countyName: null,
        effectiveDate: null,
      },
      sighting.firstSeen,
    );
  }

  for (const sighting of sortedValues(identifiers.ccns)) {
    const random = SeededRandom.forEntity(seed, 'ccn', sighting.ccn);
    const name = clip(`${random.pick(organizationNames)} ${random.pick(FACILITY_NAME_SUFFIXES)}`);
    // A CCN begins with its state's two-digit code, in the SSA code system members carry too.
    const ccnState = /^\d{2}/.test(sighting.ccn) ? (codes.ssaStates.get(sighting.ccn.slice(0, 2))?.usps ?? null) : null;
    const state = stateOf(random, sighting.stateHint ?? ccnState);
    addLocation(
      random,
      {
        locationKey: `ccn:${sighting.ccn}`,
        ccn: /^[0-9A-Z]{6,10}$/.test(sighting.ccn) ? sighting.ccn : null,
        name,
        address: addressIn(random, state),
        ssaStateCode: ssaCodeByUsps.get(state) ?? null,
        ssaCountyCode: null,
        countyName: null,
        effectiveDate: null,
      },
      sighting.firstSeen,
    );
  }

  for (const sighting of sortedValues(identifiers.npis)) {
    const random = SeededRandom.forEntity(seed, 'npi', sighting.npi);
    const isIndividual =
      sighting.roles.has('rendering') || sighting.roles.has('attending') || sighting.roles.has('operating');
    const ownAddress = addressIn(random, stateOf(random, sighting.stateHint));
    const locationKey =
      sighting.taxId !== null ? `tin:${sighting.taxId}` : sighting.ccn !== null ? `ccn:${sighting.ccn}` : null;
    const practiceAddress = (locationKey === null ? undefined : locationAddresses.get(locationKey)) ?? ownAddress;
    let record: ProviderReference;
    if (isIndividual) {
      const taxonomy = random.pick(INDIVIDUAL_TAXONOMIES);
      record = {
        npi: sighting.npi,
        entityType: 'individual',
        firstName: clip(random.pick(firstNames)),
        lastName: clip(random.pick(lastNames)),
        organizationName: null,
        credential: random.pick(taxonomy.credentials),
        taxonomyCode: taxonomy.code,
        specialty: codes.taxonomySpecialty.get(taxonomy.code) ?? null,
        groupKey: sighting.taxId,
        locationKey,
        practiceAddress,
      };
    } else {
      const isFacility = sighting.roles.has('facility');
      const taxonomyCode = random.pick(isFacility ? FACILITY_TAXONOMIES : BILLING_ORGANIZATION_TAXONOMIES);
      const suffix = random.pick(isFacility ? FACILITY_NAME_SUFFIXES : GROUP_NAME_SUFFIXES);
      record = {
        npi: sighting.npi,
        entityType: 'organization',
        firstName: null,
        lastName: null,
        organizationName: clip(`${random.pick(organizationNames)} ${suffix}`),
        credential: null,
        taxonomyCode,
        specialty: codes.taxonomySpecialty.get(taxonomyCode) ?? null,
        groupKey: sighting.taxId,
        locationKey,
        practiceAddress,
      };
    }
    summary.providers += 1;
    if (!random.chance(flawShare)) {
      emit('provider', record.npi, BEGINNING_OF_TIME, record);
      continue;
    }
    if (random.chance(0.5)) {
      const fixedOn = flawed(random, 'provider', record.npi, 'missing', sighting.firstSeen);
      if (fixedOn !== null) emit('provider', record.npi, fixedOn, record);
      continue;
    }
    const incomplete: ProviderReference = isIndividual
      ? { ...record, lastName: null }
      : { ...record, organizationName: null };
    emit('provider', record.npi, BEGINNING_OF_TIME, incomplete);
    const fixedOn = flawed(random, 'provider', record.npi, 'incomplete', sighting.firstSeen);
    if (fixedOn !== null) emit('provider', record.npi, fixedOn, record);
  }

  events.sort(
    (a, b) => compareText(a.effectiveDate, b.effectiveDate) || compareText(a.kind, b.kind) || compareText(a.key, b.key),
  );
  flaws.sort((a, b) => compareText(a.kind, b.kind) || compareText(a.key, b.key));
  return { events, summary, flaws };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
