import {
  memberReferenceKey,
  type MemberReference,
  type PostalAddress,
  type ProviderGroupReference,
  type ProviderReference,
  type ReferenceEvent,
  type ReferenceKind,
  type ServiceLocationReference,
} from '@claims/contracts';

/** The record type each reference kind carries, as the tables hold it. */
export interface HeldRecordByKind {
  provider: ProviderReference;
  provider_group: ProviderGroupReference;
  service_location: ServiceLocationReference;
}

/** One version of one directory entry: from `effectiveDate` on, the entry is `record` (null: withdrawn). */
export interface ReferenceVersion<R> {
  readonly effectiveDate: string;
  readonly record: R | null;
}

/**
 * What the enricher needs of a member-year, flattened: the beneficiary
 * summary's chronic-condition flags and race are left out, because nothing
 * downstream of enrichment reads them and they would double the table's size
 * (DE-SynPUF: about 116,000 members × 3 years).
 */
export interface MemberCoverageRecord {
  readonly patientToken: string;
  readonly referenceYear: number | null;
  readonly birthDate: string | null;
  readonly deathDate: string | null;
  readonly sex: MemberReference['sex'];
  readonly ssaStateCode: string | null;
  readonly ssaCountyCode: string | null;
  readonly partAMonths: number | null;
  readonly partBMonths: number | null;
  readonly hmoMonths: number | null;
  readonly partDMonths: number | null;
}

/** How much the tables hold: for the enricher's gauges and the memory test. */
export interface ReferenceTableCounts {
  providers: number;
  providerVersions: number;
  groups: number;
  groupVersions: number;
  locations: number;
  locationVersions: number;
  members: number;
  memberYears: number;
}

const NO_VERSIONS: readonly never[] = Object.freeze([]);

/**
 * Every version of every key of one reference kind. Versions sit in a small
 * array sorted by effective date (most entries have one or two), so an as-of
 * lookup is a short scan from the newest end and a key costs one array plus
 * one small object per version: a map of maps would cost several times that.
 */
class VersionTable<R> {
  private readonly versionsByKey = new Map<string, ReferenceVersion<R>[]>();
  private versionCount = 0;

  constructor(private readonly sameRecord: (left: R | null, right: R | null) => boolean) {}

  /** Adds or replaces the version of `key` dated `effectiveDate`; false when that exact version was already held. */
  put(key: string, effectiveDate: string, record: R | null): boolean {
    const versions = this.versionsByKey.get(key);
    if (versions === undefined) {
      this.versionsByKey.set(key, [{ effectiveDate, record }]);
      this.versionCount += 1;
      return true;
    }
    // Where the version goes: after every version dated on or before it.
    let index = versions.length;
    while (index > 0 && (versions[index - 1]?.effectiveDate ?? '') > effectiveDate) index -= 1;
    const previous = versions[index - 1];
    if (previous !== undefined && previous.effectiveDate === effectiveDate) {
      // A re-publication of the same version is a no-op; a corrected one replaces it.
      if (this.sameRecord(previous.record, record)) return false;
      versions[index - 1] = { effectiveDate, record };
      return true;
    }
    // A new array of exactly the new length: growing one in place would reserve 16 spare slots per key.
    const grown = new Array<ReferenceVersion<R>>(versions.length + 1);
    for (let from = 0; from < versions.length; from += 1) {
      grown[from < index ? from : from + 1] = versions[from] as ReferenceVersion<R>;
    }
    grown[index] = { effectiveDate, record };
    this.versionsByKey.set(key, grown);
    this.versionCount += 1;
    return true;
  }

  /** The latest version dated on or before `asOf`; undefined when the first version is later (or none exists). */
  versionAsOf(key: string, asOf: string): ReferenceVersion<R> | undefined {
    const versions = this.versionsByKey.get(key);
    if (versions === undefined) return undefined;
    for (let index = versions.length - 1; index >= 0; index -= 1) {
      const version = versions[index];
      if (version !== undefined && version.effectiveDate <= asOf) return version;
    }
    return undefined;
  }

  /**
   * The latest version dated on or before `lookupDate`, passing over a
   * withdrawal dated after `serviceDate`: it ends the entry from its own date
   * on, so it says nothing of a service before it.
   */
  versionForService(key: string, serviceDate: string, lookupDate: string): ReferenceVersion<R> | undefined {
    const versions = this.versionsByKey.get(key);
    if (versions === undefined) return undefined;
    for (let index = versions.length - 1; index >= 0; index -= 1) {
      const version = versions[index];
      if (version === undefined || version.effectiveDate > lookupDate) continue;
      if (version.record === null && version.effectiveDate > serviceDate) continue;
      return version;
    }
    return undefined;
  }

  versionsOf(key: string): readonly ReferenceVersion<R>[] {
    return this.versionsByKey.get(key) ?? NO_VERSIONS;
  }

  get keyCount(): number {
    return this.versionsByKey.size;
  }

  get versions(): number {
    return this.versionCount;
  }
}

/**
 * The reference data the enricher judges claims against, in memory: every
 * version of every provider, provider group and service location (so a claim
 * is judged against the directory as it stood on its own date, whatever order
 * the versions arrived in), and each member's record per coverage year.
 *
 * Records are copied on the way in with their repeated strings interned
 * (states, cities, specialties, taxonomy codes, group and location keys,
 * dates, common names): 100,000 providers then cost tens of megabytes, not
 * hundreds, and the caller's event objects can be dropped.
 */
export class ReferenceTables {
  private readonly providers = new VersionTable<ProviderReference>(sameJsonValue);
  private readonly groups = new VersionTable<ProviderGroupReference>(sameJsonValue);
  private readonly locations = new VersionTable<ServiceLocationReference>(sameJsonValue);
  private readonly tablesByKind: { [Kind in ReferenceKind]: VersionTable<HeldRecordByKind[Kind]> } = {
    provider: this.providers,
    provider_group: this.groups,
    service_location: this.locations,
  };
  /** Member-years by token: one small array per member, so the token string is held once. */
  private readonly members = new Map<string, MemberCoverageRecord[]>();
  private memberYearCount = 0;
  private readonly strings = new Map<string, string>();

  /**
   * Holds one reference version. Idempotent: the same version applied twice
   * changes nothing; a different record for the same key and effective date
   * replaces the one held. Returns whether anything changed (the enricher
   * re-evaluates the claims pended on the key only then).
   */
  apply(event: ReferenceEvent): boolean {
    const key = this.intern(event.key);
    const effectiveDate = this.intern(event.effectiveDate);
    switch (event.kind) {
      case 'provider':
        return this.providers.put(key, effectiveDate, event.record && this.internProvider(key, event.record));
      case 'provider_group':
        return this.groups.put(key, effectiveDate, event.record && this.internGroup(key, event.record));
      case 'service_location':
        return this.locations.put(key, effectiveDate, event.record && this.internLocation(key, event.record));
    }
  }

  /** Holds a member's record for its year, replacing the one held; returns whether anything changed. */
  applyMember(member: MemberReference): boolean {
    const record = this.internMember(member);
    const years = this.members.get(member.patientToken);
    if (years === undefined) {
      this.members.set(record.patientToken, [record]);
      this.memberYearCount += 1;
      return true;
    }
    const index = years.findIndex((held) => held.referenceYear === record.referenceYear);
    if (index < 0) {
      years.push(record);
      this.memberYearCount += 1;
      return true;
    }
    if (sameJsonValue(years[index], record)) return false;
    years[index] = record;
    return true;
  }

  /** The provider as of a date; null when none was effective then or it was withdrawn. */
  provider(npi: string, asOf: string): ProviderReference | null {
    return this.providers.versionAsOf(npi, asOf)?.record ?? null;
  }

  group(groupKey: string, asOf: string): ProviderGroupReference | null {
    return this.groups.versionAsOf(groupKey, asOf)?.record ?? null;
  }

  location(locationKey: string, asOf: string): ServiceLocationReference | null {
    return this.locations.versionAsOf(locationKey, asOf)?.record ?? null;
  }

  /**
   * A member's record for a year (the year of the claim's service). A record
   * without a year (a history row) is reached only with `null`: its coverage
   * months belong to no year a claim could be judged against.
   */
  member(patientToken: string, referenceYear: number | null): MemberCoverageRecord | null {
    const years = this.members.get(patientToken);
    if (years === undefined) return null;
    for (const record of years) if (record.referenceYear === referenceYear) return record;
    return null;
  }

  /**
   * An entry as a claim served on `serviceDate` sees it once the versions
   * dated up to `lookupDate` (later fixes) are in force: the version in force
   * on `lookupDate`, unless that is a withdrawal dated after the service (an
   * NPI NPPES deactivated after the claim was served), which leaves the
   * version before it standing. Null when none stands or it was withdrawn
   * by the service date. With `lookupDate` the service date, as provider().
   */
  recordForService<K extends ReferenceKind>(
    kind: K,
    key: string,
    serviceDate: string,
    lookupDate: string,
  ): HeldRecordByKind[K] | null {
    return this.tableOf(kind).versionForService(key, serviceDate, lookupDate)?.record ?? null;
  }

  /** The version of an entry in force on a date (its record null when withdrawn); undefined before the first. */
  versionAsOf<K extends ReferenceKind>(
    kind: K,
    key: string,
    asOf: string,
  ): ReferenceVersion<HeldRecordByKind[K]> | undefined {
    return this.tableOf(kind).versionAsOf(key, asOf);
  }

  /** Every version of an entry, oldest first (the caller must not modify it). */
  versionsOf<K extends ReferenceKind>(kind: K, key: string): readonly ReferenceVersion<HeldRecordByKind[K]>[] {
    return this.tableOf(kind).versionsOf(key);
  }

  /** The effective dates of an entry's versions, oldest first. */
  versionDates(kind: ReferenceKind, key: string): string[] {
    return this.tableOf(kind)
      .versionsOf(key)
      .map((version) => version.effectiveDate);
  }

  /**
   * The effective date of the first version dated after `date`, or null: when
   * a pend waiting on this entry could clear next. With `withRecord`, only a
   * version that is not a withdrawal counts (an entry that exists later).
   */
  firstVersionAfter(kind: ReferenceKind, key: string, date: string, withRecord = false): string | null {
    for (const version of this.tableOf(kind).versionsOf(key)) {
      if (version.effectiveDate > date && (!withRecord || version.record !== null)) return version.effectiveDate;
    }
    return null;
  }

  /** How many entries, versions and member-years the tables hold (for logs and gauges). */
  size(): ReferenceTableCounts {
    return {
      providers: this.providers.keyCount,
      providerVersions: this.providers.versions,
      groups: this.groups.keyCount,
      groupVersions: this.groups.versions,
      locations: this.locations.keyCount,
      locationVersions: this.locations.versions,
      members: this.members.size,
      memberYears: this.memberYearCount,
    };
  }

  private tableOf<K extends ReferenceKind>(kind: K): VersionTable<HeldRecordByKind[K]> {
    return this.tablesByKind[kind];
  }

  private intern(value: string): string;
  private intern(value: string | null): string | null;
  private intern(value: string | null): string | null {
    if (value === null) return null;
    const held = this.strings.get(value);
    if (held !== undefined) return held;
    this.strings.set(value, value);
    return value;
  }

  private internAddress(address: PostalAddress): PostalAddress {
    return {
      address1: this.intern(address.address1),
      city: this.intern(address.city),
      state: this.intern(address.state),
      zip: this.intern(address.zip),
    };
  }

  private internProvider(key: string, record: ProviderReference): ProviderReference {
    // An entry's versions mostly differ in one field: the address object of an earlier version is reused.
    let practiceAddress: PostalAddress | null = null;
    if (record.practiceAddress !== null) {
      for (const version of this.providers.versionsOf(key)) {
        const held = version.record?.practiceAddress;
        if (held != null && sameJsonValue(held, record.practiceAddress)) {
          practiceAddress = held;
          break;
        }
      }
      practiceAddress ??= this.internAddress(record.practiceAddress);
    }
    return {
      npi: record.npi === key ? key : this.intern(record.npi),
      entityType: record.entityType,
      firstName: this.intern(record.firstName),
      lastName: this.intern(record.lastName),
      organizationName: this.intern(record.organizationName),
      credential: this.intern(record.credential),
      taxonomyCode: this.intern(record.taxonomyCode),
      specialty: this.intern(record.specialty),
      groupKey: this.intern(record.groupKey),
      locationKey: this.intern(record.locationKey),
      practiceAddress,
    };
  }

  private internGroup(key: string, record: ProviderGroupReference): ProviderGroupReference {
    return {
      groupKey: record.groupKey === key ? key : this.intern(record.groupKey),
      keyType: record.keyType,
      name: this.intern(record.name),
      locationKey: this.intern(record.locationKey),
    };
  }

  private internLocation(key: string, record: ServiceLocationReference): ServiceLocationReference {
    return {
      locationKey: record.locationKey === key ? key : this.intern(record.locationKey),
      ccn: record.ccn,
      name: this.intern(record.name),
      address: this.internAddress(record.address),
      ssaStateCode: this.intern(record.ssaStateCode),
      ssaCountyCode: this.intern(record.ssaCountyCode),
      countyName: this.intern(record.countyName),
      effectiveDate: this.intern(record.effectiveDate),
    };
  }

  private internMember(member: MemberReference): MemberCoverageRecord {
    // Tokens are unique per member: interning them would only grow the pool.
    const token = this.members.get(member.patientToken)?.[0]?.patientToken ?? member.patientToken;
    return {
      patientToken: token,
      referenceYear: member.referenceYear,
      birthDate: this.intern(member.birthDate),
      deathDate: this.intern(member.deathDate),
      sex: member.sex,
      ssaStateCode: this.intern(member.ssaStateCode),
      ssaCountyCode: this.intern(member.ssaCountyCode),
      partAMonths: member.coverageMonths.partA,
      partBMonths: member.coverageMonths.partB,
      hmoMonths: member.coverageMonths.hmo,
      partDMonths: member.coverageMonths.partD,
    };
  }
}

/** The key a member-year is known by outside the tables (a pend's dependency): the contracts' member key. */
export function memberDependencyKey(patientToken: string, referenceYear: number | null): string {
  return memberReferenceKey({ patientToken, referenceYear });
}

/** Structural equality of JSON-shaped values (reference records are plain data). */
export function sameJsonValue(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  for (const key of leftKeys) {
    if (!Object.hasOwn(right, key)) return false;
    if (!sameJsonValue((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key])) return false;
  }
  return true;
}
