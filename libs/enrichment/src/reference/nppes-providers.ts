import { ProviderReferenceSchema, type ProviderReference } from '@claims/contracts';
import type { ReferenceCodes } from './code-lists';
import {
  BEGINNING_OF_TIME,
  describeIssues,
  fieldAt,
  forEachCsvRow,
  isBlankAddress,
  isoDateOfUsDate,
  postalAddressOf,
  textOrNull,
  type ColumnIndex,
  type ReferenceItem,
  type RejectedRow,
} from './reference-rows';
import { ReferenceFormatError } from './reference.errors';

const NPI = /^\d{10}$/;

/** An NPI withdrawn from the directory from `effectiveDate` on (NPPES deactivated it). */
export interface ProviderWithdrawal {
  npi: string;
  effectiveDate: string;
}

export interface ProviderReferenceParse {
  items: Array<ReferenceItem<ProviderReference>>;
  /** Deactivations: from each date on, a claim naming the NPI finds no provider (until a reactivation item). */
  withdrawals: ProviderWithdrawal[];
  rejected: RejectedRow[];
}

/** The NPPES Data Dissemination file lists up to 15 taxonomies per provider. */
const NPPES_TAXONOMY_SLOTS = 15;

/**
 * Column names of the npidata file (NPPES Data Dissemination readme,
 * "Data File Layout"). The 329- and 330-column layouts name these alike; the
 * newer one only adds a column, so every column is found by name.
 */
const NPPES_COLUMNS = {
  npi: 'NPI',
  entityType: 'Entity Type Code',
  organizationName: 'Provider Organization Name (Legal Business Name)',
  lastName: 'Provider Last Name (Legal Name)',
  firstName: 'Provider First Name',
  credential: 'Provider Credential Text',
  practiceAddress1: 'Provider First Line Business Practice Location Address',
  practiceCity: 'Provider Business Practice Location Address City Name',
  practiceState: 'Provider Business Practice Location Address State Name',
  practicePostalCode: 'Provider Business Practice Location Address Postal Code',
  practiceCountry: 'Provider Business Practice Location Address Country Code (If outside U.S.)',
  enumerationDate: 'Provider Enumeration Date',
  lastUpdateDate: 'Last Update Date',
  deactivationDate: 'NPI Deactivation Date',
  reactivationDate: 'NPI Reactivation Date',
} as const;

type NppesColumn = keyof typeof NPPES_COLUMNS;
interface NppesPositions {
  column: Record<NppesColumn, number | undefined>;
  taxonomySlots: Array<{ code: number; primarySwitch: number | undefined }>;
}

function nppesPositionsOf(columns: ColumnIndex): NppesPositions {
  const column = Object.fromEntries(
    Object.entries(NPPES_COLUMNS).map(([key, name]) => [key, columns.find(name)]),
  ) as Record<NppesColumn, number | undefined>;
  for (const required of ['npi', 'entityType'] as const) {
    if (column[required] === undefined) {
      throw new ReferenceFormatError(`NPPES header lacks the "${NPPES_COLUMNS[required]}" column`);
    }
  }
  const taxonomySlots: NppesPositions['taxonomySlots'] = [];
  for (let slot = 1; slot <= NPPES_TAXONOMY_SLOTS; slot += 1) {
    const code = columns.find(`Healthcare Provider Taxonomy Code_${slot}`);
    if (code === undefined) continue;
    taxonomySlots.push({ code, primarySwitch: columns.find(`Healthcare Provider Primary Taxonomy Switch_${slot}`) });
  }
  return { column, taxonomySlots };
}

/**
 * The provider's primary taxonomy: the one NPPES flags with the primary
 * switch Y, else the first listed (older records often flag none).
 */
function primaryTaxonomyOf(fields: readonly string[], slots: NppesPositions['taxonomySlots']): string | null {
  let first: string | null = null;
  for (const slot of slots) {
    const code = fieldAt(fields, slot.code).toUpperCase();
    if (code === '') continue;
    if (fieldAt(fields, slot.primarySwitch).toUpperCase() === 'Y') return code;
    first ??= code;
  }
  return first;
}

/** What one data row says of its NPI, before duplicates are settled. */
interface NppesRowReading {
  npi: string;
  rowNumber: number;
  /** The latest date the row states (last update, deactivation, reactivation): the newer row of an NPI wins. */
  latestDate: string;
  items: ReadonlyArray<ReferenceItem<ProviderReference>>;
  withdrawals: readonly ProviderWithdrawal[];
}

const NO_WITHDRAWALS: readonly ProviderWithdrawal[] = Object.freeze([]);

/**
 * Reads NPPES npidata rows into provider reference versions, each effective
 * from its enumeration date (the day the NPI could first be billed), else
 * its last update, else the beginning of time.
 *
 * A deactivated NPI is withdrawn from its NPI Deactivation Date: NPPES
 * blanks every other field of it (entity type included), and a claim served
 * from that day names no billable provider. A reactivated NPI keeps its
 * deactivation date beside its reactivation date and its full record: it is
 * held from enumeration, withdrawn from deactivation and held again from
 * reactivation, so a claim served in between finds no provider.
 *
 * An NPI on several rows (weekly files appended to a monthly one) is read
 * from the listing row stating the latest date (last update, deactivation or
 * reactivation), whatever the rows' order, the others reported in
 * `rejected`; rows saying the same thing are one. A bare deactivation row
 * dated on or after that listing ends it from its date, the listing holding
 * before it (as the two rows would in files of their own). A row that does
 * not make a valid record is reported in `rejected`, never thrown.
 *
 * @throws ReferenceFormatError when the header has no NPI or Entity Type Code column.
 */
export function parseNppesProviders(
  lines: Iterable<string>,
  codes: Pick<ReferenceCodes, 'taxonomySpecialty'>,
): ProviderReferenceParse {
  const rejected: RejectedRow[] = [];
  // By NPI, in the order NPIs first appear: the kept listing of each, and apart (they are few) the kept row
  // holding nothing but a deactivation.
  const listings = new Map<string, NppesRowReading>();
  const deactivations = new Map<string, NppesRowReading>();
  let positions: NppesPositions | null = null;
  forEachCsvRow(lines, {
    header: (columns) => {
      positions = nppesPositionsOf(columns);
    },
    rejected: (rejection) => rejected.push(rejection),
    row: (fields, rowNumber) => {
      if (positions === null) return;
      const reading = readNppesRow(fields, rowNumber, positions, codes, rejected);
      if (reading === null) return;
      const kept = reading.items.length === 0 ? deactivations : listings;
      kept.set(reading.npi, keptReading(kept.get(reading.npi), reading, rejected));
    },
  });
  const result: ProviderReferenceParse = { items: [], withdrawals: [], rejected };
  const add = (reading: Pick<NppesRowReading, 'items' | 'withdrawals'>): void => {
    result.items.push(...reading.items);
    result.withdrawals.push(...reading.withdrawals);
  };
  for (const [npi, listing] of listings) add(combinedReading(listing, deactivations.get(npi), rejected));
  for (const [npi, deactivation] of deactivations) if (!listings.has(npi)) add(deactivation);
  rejected.sort((left, right) => left.rowNumber - right.rowNumber);
  return result;
}

/** Of two readings of one kind, the newer; the other is reported in `rejected` unless both say the same. */
function keptReading(
  held: NppesRowReading | undefined,
  reading: NppesRowReading,
  rejected: RejectedRow[],
): NppesRowReading {
  if (held === undefined) return reading;
  if (held.latestDate === reading.latestDate && sameReading(held, reading)) return held;
  const newer = isNewerReading(reading, held) ? reading : held;
  rejectOlder(newer === reading ? held : reading, newer, rejected);
  return newer;
}

function rejectOlder(older: NppesRowReading, newer: NppesRowReading, rejected: RejectedRow[]): void {
  const why =
    newer.latestDate === older.latestDate
      ? 'both state the same latest date, so the same row is kept whatever their order'
      : 'it states the later date';
  rejected.push({
    rowNumber: older.rowNumber,
    reason: `NPI repeated with other data on data row ${newer.rowNumber}, which is kept: ${why}`,
  });
}

/**
 * An NPI's listing and a bare deactivation of it (NPPES blanks a deactivated
 * NPI's row, so a weekly file deactivating it says nothing of its past): a
 * deactivation dated on or after everything the listing states ends the
 * listing from that day, the listing still holding before it, as it would
 * were the two rows published in files of their own. A listing stating a
 * later date is the NPI reactivated: it stands alone.
 */
function combinedReading(
  listing: NppesRowReading,
  deactivation: NppesRowReading | undefined,
  rejected: RejectedRow[],
): Pick<NppesRowReading, 'items' | 'withdrawals'> {
  if (deactivation === undefined) return listing;
  const deactivatedOn = deactivation.withdrawals[0]?.effectiveDate;
  if (deactivatedOn === undefined || deactivation.latestDate < listing.latestDate) {
    rejectOlder(deactivation, listing, rejected);
    return listing;
  }
  return {
    items: listing.items.filter((item) => item.effectiveDate < deactivatedOn),
    withdrawals: [
      ...listing.withdrawals.filter((withdrawal) => withdrawal.effectiveDate < deactivatedOn),
      ...deactivation.withdrawals,
    ],
  };
}

/** What a reading says, as text: computed only for an NPI on two rows, so a large file holds no copy of it. */
function contentOf(reading: NppesRowReading): string {
  return JSON.stringify([reading.items, reading.withdrawals]);
}

function sameReading(left: NppesRowReading, right: NppesRowReading): boolean {
  return contentOf(left) === contentOf(right);
}

/** The later-dated reading; at the same date the larger content, so the answer never depends on row order. */
function isNewerReading(candidate: NppesRowReading, held: NppesRowReading): boolean {
  if (candidate.latestDate !== held.latestDate) return candidate.latestDate > held.latestDate;
  return contentOf(candidate) > contentOf(held);
}

function readNppesRow(
  fields: readonly string[],
  rowNumber: number,
  { column, taxonomySlots }: NppesPositions,
  codes: Pick<ReferenceCodes, 'taxonomySpecialty'>,
  rejected: RejectedRow[],
): NppesRowReading | null {
  const value = (name: NppesColumn): string => fieldAt(fields, column[name]);
  const npi = value('npi');
  const lastUpdate = isoDateOfUsDate(value('lastUpdateDate'));
  const deactivation = isoDateOfUsDate(value('deactivationDate'));
  const reactivation = isoDateOfUsDate(value('reactivationDate'));
  // Read as blank, an unreadable deactivation would hold a deactivated NPI as billable: the row is refused instead.
  for (const [name, date] of [
    ['deactivationDate', deactivation],
    ['reactivationDate', reactivation],
  ] as const) {
    if (date === null && value(name) !== '') {
      rejected.push({ rowNumber, reason: `${NPPES_COLUMNS[name]}: expected a MM/DD/YYYY calendar date` });
      return null;
    }
  }
  const latestDate = [lastUpdate, deactivation, reactivation].reduce<string>(
    (latest, date) => (date !== null && date > latest ? date : latest),
    '',
  );
  const entityTypeCode = value('entityType');
  if (entityTypeCode === '') {
    // A deactivated NPI: NPPES keeps its number and deactivation date, nothing else.
    if (deactivation === null) return null;
    if (!NPI.test(npi)) {
      rejected.push({ rowNumber, reason: 'npi: a deactivated NPI that is not ten digits' });
      return null;
    }
    return { npi, rowNumber, latestDate, items: [], withdrawals: [{ npi, effectiveDate: deactivation }] };
  }
  if (entityTypeCode !== '1' && entityTypeCode !== '2') {
    // The value is not quoted: a row whose columns slipped could hold a name there.
    rejected.push({ rowNumber, reason: 'Entity Type Code: expected 1 (individual) or 2 (organization)' });
    return null;
  }
  const isOrganization = entityTypeCode === '2';
  const taxonomyCode = primaryTaxonomyOf(fields, taxonomySlots);
  // Abroad, the state column holds a province and the postal code is foreign, though either may look like a
  // USPS state or a ZIP (Nuevo Leon, NL 64000): neither is a US one.
  const country = value('practiceCountry').toUpperCase();
  const abroad = country !== '' && country !== 'US';
  const practiceAddress = postalAddressOf({
    address1: value('practiceAddress1'),
    city: value('practiceCity'),
    state: abroad ? '' : value('practiceState'),
    zip: abroad ? '' : value('practicePostalCode'),
  });
  const record: ProviderReference = {
    npi,
    entityType: isOrganization ? 'organization' : 'individual',
    firstName: isOrganization ? null : textOrNull(value('firstName')),
    lastName: isOrganization ? null : textOrNull(value('lastName')),
    organizationName: isOrganization ? textOrNull(value('organizationName')) : null,
    credential: isOrganization ? null : textOrNull(value('credential')),
    taxonomyCode,
    specialty: taxonomyCode === null ? null : (codes.taxonomySpecialty.get(taxonomyCode) ?? null),
    groupKey: null,
    locationKey: null,
    practiceAddress: isBlankAddress(practiceAddress) ? null : practiceAddress,
  };
  const checked = ProviderReferenceSchema.safeParse(record);
  if (!checked.success) {
    rejected.push({ rowNumber, reason: describeIssues(checked.error.issues) });
    return null;
  }
  const effectiveDate = isoDateOfUsDate(value('enumerationDate')) ?? lastUpdate ?? BEGINNING_OF_TIME;
  if (deactivation === null) {
    return {
      npi,
      rowNumber,
      latestDate,
      items: [{ effectiveDate, record: checked.data }],
      withdrawals: NO_WITHDRAWALS,
    };
  }
  const items: Array<ReferenceItem<ProviderReference>> = [];
  // A record starting on or after its deactivation (deactivated the day it was enumerated, or dated by the last
  // update the deactivation stamped) was billable on no day before it: holding it would make the NPI billable.
  if (effectiveDate < deactivation) items.push({ effectiveDate, record: checked.data });
  // A reactivation after the deactivation holds the record again from its own date, the one day NPPES states it
  // billable again; without one the NPI stays withdrawn.
  if (reactivation !== null && reactivation > deactivation) {
    items.push({ effectiveDate: reactivation, record: checked.data });
  }
  return { npi, rowNumber, latestDate, items, withdrawals: [{ npi, effectiveDate: deactivation }] };
}
