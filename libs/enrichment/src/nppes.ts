import { parseCsvRecord } from '@claims/source-layouts';

/** A provider directory entry, as the enricher stores and looks it up. */
export interface ProviderDirectoryEntry {
  npi: string;
  /** NPPES entity type: 1 = individual, 2 = organisation. */
  entityType: 'individual' | 'organization';
  displayName: string;
  taxonomyCode: string | null;
  practiceState: string | null;
}

const NPPES_COLUMNS = {
  npi: 'NPI',
  entityType: 'Entity Type Code',
  organizationName: 'Provider Organization Name (Legal Business Name)',
  lastName: 'Provider Last Name (Legal Name)',
  firstName: 'Provider First Name',
  practiceState: 'Provider Business Practice Location Address State Name',
  taxonomy: 'Healthcare Provider Taxonomy Code_1',
} as const;

export class ProviderDirectoryFormatError extends Error {
  readonly code = 'PROVIDER_DIRECTORY_FORMAT';
  readonly retriable = false;
  override readonly name = 'ProviderDirectoryFormatError';
}

/**
 * Reads NPPES "npidata" rows (the 329-column and the current 330-column
 * layouts name these columns identically) into directory entries, by header
 * name rather than position so both layouts load.
 */
export function parseNppesRows(lines: Iterable<string>): ProviderDirectoryEntry[] {
  let columnIndex: Map<string, number> | null = null;
  const entries: ProviderDirectoryEntry[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const fields = parseCsvRecord(line);
    if (columnIndex === null) {
      columnIndex = new Map(fields.map((name, index) => [name.trim(), index]));
      for (const required of [NPPES_COLUMNS.npi, NPPES_COLUMNS.entityType]) {
        if (!columnIndex.has(required)) {
          throw new ProviderDirectoryFormatError(`NPPES header lacks the "${required}" column`);
        }
      }
      continue;
    }
    const index = columnIndex;
    const value = (column: string): string => (fields[index.get(column) ?? -1] ?? '').trim();
    const npi = value(NPPES_COLUMNS.npi);
    const entityTypeCode = value(NPPES_COLUMNS.entityType);
    // A deactivated NPI keeps its number but loses its entity type and every other field.
    if (!/^\d{10}$/.test(npi) || (entityTypeCode !== '1' && entityTypeCode !== '2')) continue;
    const isOrganization = entityTypeCode === '2';
    const personName = [value(NPPES_COLUMNS.firstName), value(NPPES_COLUMNS.lastName)].filter(Boolean).join(' ');
    entries.push({
      npi,
      entityType: isOrganization ? 'organization' : 'individual',
      displayName: isOrganization ? value(NPPES_COLUMNS.organizationName) : personName,
      taxonomyCode: value(NPPES_COLUMNS.taxonomy) || null,
      practiceState: value(NPPES_COLUMNS.practiceState) || null,
    });
  }
  return entries;
}
