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

export interface ProviderReferenceParse {
  items: Array<ReferenceItem<ProviderReference>>;
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
  enumerationDate: 'Provider Enumeration Date',
  lastUpdateDate: 'Last Update Date',
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

/**
 * Reads NPPES npidata rows into provider reference versions, each effective
 * from its enumeration date (the day the NPI could first be billed), else
 * its last update, else the beginning of time. A deactivated NPI keeps its
 * number but loses its entity type and every other field: it is skipped. A
 * row that does not make a valid record is reported in `rejected`, never thrown.
 *
 * @throws ReferenceFormatError when the header has no NPI or Entity Type Code column.
 */
export function parseNppesProviders(
  lines: Iterable<string>,
  codes: Pick<ReferenceCodes, 'taxonomySpecialty'>,
): ProviderReferenceParse {
  const result: ProviderReferenceParse = { items: [], rejected: [] };
  let positions: NppesPositions | null = null;
  forEachCsvRow(lines, {
    header: (columns) => {
      positions = nppesPositionsOf(columns);
    },
    rejected: (rejection) => result.rejected.push(rejection),
    row: (fields, rowNumber) => {
      if (positions === null) return;
      const { column, taxonomySlots } = positions;
      const value = (name: NppesColumn): string => fieldAt(fields, column[name]);
      const entityTypeCode = value('entityType');
      if (entityTypeCode === '') return;
      if (entityTypeCode !== '1' && entityTypeCode !== '2') {
        // The value is not quoted: a row whose columns slipped could hold a name there.
        result.rejected.push({ rowNumber, reason: 'Entity Type Code: expected 1 (individual) or 2 (organization)' });
        return;
      }
      const isOrganization = entityTypeCode === '2';
      const taxonomyCode = primaryTaxonomyOf(fields, taxonomySlots);
      const practiceAddress = postalAddressOf({
        address1: value('practiceAddress1'),
        city: value('practiceCity'),
        state: value('practiceState'),
        zip: value('practicePostalCode'),
      });
      const record: ProviderReference = {
        npi: value('npi'),
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
        result.rejected.push({ rowNumber, reason: describeIssues(checked.error.issues) });
        return;
      }
      const effectiveDate =
        isoDateOfUsDate(value('enumerationDate')) ?? isoDateOfUsDate(value('lastUpdateDate')) ?? BEGINNING_OF_TIME;
      result.items.push({ effectiveDate, record: checked.data });
    },
  });
  return result;
}
