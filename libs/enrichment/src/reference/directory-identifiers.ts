import type { ClaimEvent, PROVIDER_ROLES } from '@claims/contracts';
import { stateNameOfUsps } from './code-lists';

export type ProviderRole = (typeof PROVIDER_ROLES)[number];

interface Sighting {
  /** The earliest service date the identifier was seen on. */
  firstSeen: string;
  /** A USPS state the claims place it in (a claim's service location), from the earliest claim that names one. */
  stateHint: string | null;
}

export interface NpiSighting extends Sighting {
  npi: string;
  roles: ReadonlySet<ProviderRole>;
  /** The tax id billed with it on the earliest line that names one: the provider's group. */
  taxId: string | null;
  /** The facility of the earliest claim that names one: the provider's location when it has no group. */
  ccn: string | null;
}

export interface TaxIdSighting extends Sighting {
  taxId: string;
  /** NPIs rendering on lines billed under this tax id. */
  npis: ReadonlySet<string>;
}

export interface CcnSighting extends Sighting {
  ccn: string;
}

export interface DirectoryIdentifiers {
  npis: ReadonlyMap<string, NpiSighting>;
  taxIds: ReadonlyMap<string, TaxIdSighting>;
  ccns: ReadonlyMap<string, CcnSighting>;
  /** Identifiers that could not key a directory entry (an NPI not of ten digits, an over-long tax id). */
  ignored: number;
}

/** A value with the date it was seen on. */
interface Dated {
  value: string;
  date: string;
}

/** The earlier of two sightings; a tie goes to the smaller value, so the order events come in never matters. */
function earlierOf(current: Dated | null, value: string, date: string): Dated {
  if (current === null || date < current.date || (date === current.date && value < current.value)) {
    return { value, date };
  }
  return current;
}

interface SightingAccumulator {
  firstSeen: string;
  stateHint: Dated | null;
}
interface NpiAccumulator extends SightingAccumulator {
  npi: string;
  roles: Set<ProviderRole>;
  taxId: Dated | null;
  ccn: Dated | null;
}
interface TaxIdAccumulator extends SightingAccumulator {
  npis: Set<string>;
}

const NPI = /^\d{10}$/;
/** Tax ids and CCNs become location keys with a four-character prefix; keys hold at most 200 characters. */
const MAX_IDENTIFIER_LENGTH = 196;

/**
 * Gathers the identifiers a directory must know to enrich claims, one event
 * at a time (so a caller reading files asynchronously feeds it as it reads):
 * every NPI (rendering, billing, attending, operating, facility), every tax id
 * (with the NPIs on its lines) and every facility CCN, each with the earliest
 * service date it was seen on. Only identifiers are kept, never the claims.
 */
export class DirectoryIdentifierCollector {
  private readonly npis = new Map<string, NpiAccumulator>();
  private readonly taxIds = new Map<string, TaxIdAccumulator>();
  private readonly ccns = new Map<string, SightingAccumulator>();
  private ignored = 0;

  add({ claim }: ClaimEvent): void {
    const claimDate = claim.serviceFromDate;
    const state = claim.serviceLocation?.state?.trim().toUpperCase() ?? '';
    const stateHint = stateNameOfUsps(state) === null ? null : state;
    const ccn = this.usableIdentifier(claim.facilityCcn);
    if (ccn !== null) this.sight(this.ccns, ccn, claimDate, stateHint, () => ({}));

    const claimNpis = [
      this.sightNpi(claim.billingNpi, 'billing', claimDate, stateHint),
      this.sightNpi(claim.attendingNpi, 'attending', claimDate, stateHint),
      this.sightNpi(claim.operatingNpi, 'operating', claimDate, stateHint),
      this.sightNpi(claim.facilityNpi, 'facility', claimDate, stateHint),
    ];
    for (const line of claim.lines) {
      const lineDate = line.serviceDate ?? claimDate;
      const rendering = this.sightNpi(line.renderingNpi, 'rendering', lineDate, stateHint);
      claimNpis.push(rendering);
      const taxId = this.usableIdentifier(line.taxId);
      if (taxId === null) continue;
      const group = this.sight(this.taxIds, taxId, lineDate, stateHint, () => ({ npis: new Set<string>() }));
      if (rendering !== null) {
        group.npis.add(rendering.npi);
        rendering.taxId = earlierOf(rendering.taxId, taxId, lineDate);
      }
    }
    if (ccn !== null) {
      for (const entry of claimNpis) if (entry !== null) entry.ccn = earlierOf(entry.ccn, ccn, claimDate);
    }
  }

  identifiers(): DirectoryIdentifiers {
    const hintOf = (entry: SightingAccumulator): string | null => entry.stateHint?.value ?? null;
    const npis = new Map<string, NpiSighting>();
    for (const [npi, entry] of this.npis) {
      npis.set(npi, {
        npi,
        firstSeen: entry.firstSeen,
        stateHint: hintOf(entry),
        roles: entry.roles,
        taxId: entry.taxId?.value ?? null,
        ccn: entry.ccn?.value ?? null,
      });
    }
    const taxIds = new Map<string, TaxIdSighting>();
    for (const [taxId, entry] of this.taxIds) {
      taxIds.set(taxId, { taxId, firstSeen: entry.firstSeen, stateHint: hintOf(entry), npis: entry.npis });
    }
    const ccns = new Map<string, CcnSighting>();
    for (const [ccn, entry] of this.ccns) ccns.set(ccn, { ccn, firstSeen: entry.firstSeen, stateHint: hintOf(entry) });
    return { npis, taxIds, ccns, ignored: this.ignored };
  }

  private sight<T extends SightingAccumulator>(
    map: Map<string, T>,
    key: string,
    date: string,
    stateHint: string | null,
    create: () => Omit<T, keyof SightingAccumulator>,
  ): T {
    let entry = map.get(key);
    if (entry === undefined) {
      entry = { ...create(), firstSeen: date, stateHint: null } as T;
      map.set(key, entry);
    } else if (date < entry.firstSeen) {
      entry.firstSeen = date;
    }
    if (stateHint !== null) entry.stateHint = earlierOf(entry.stateHint, stateHint, date);
    return entry;
  }

  private sightNpi(
    rawNpi: string | null | undefined,
    role: ProviderRole,
    date: string,
    stateHint: string | null,
  ): NpiAccumulator | null {
    const npi = rawNpi?.trim() ?? '';
    if (npi === '') return null;
    if (!NPI.test(npi)) {
      this.ignored += 1;
      return null;
    }
    const entry = this.sight(this.npis, npi, date, stateHint, () => ({
      npi,
      roles: new Set<ProviderRole>(),
      taxId: null,
      ccn: null,
    }));
    entry.roles.add(role);
    return entry;
  }

  private usableIdentifier(raw: string | null | undefined): string | null {
    const value = raw?.trim() ?? '';
    if (value === '') return null;
    if (value.length > MAX_IDENTIFIER_LENGTH) {
      this.ignored += 1;
      return null;
    }
    return value;
  }
}

/** The identifiers of a batch of claim events (see DirectoryIdentifierCollector). */
export function collectDirectoryIdentifiers(events: Iterable<ClaimEvent>): DirectoryIdentifiers {
  const collector = new DirectoryIdentifierCollector();
  for (const event of events) collector.add(event);
  return collector.identifiers();
}
