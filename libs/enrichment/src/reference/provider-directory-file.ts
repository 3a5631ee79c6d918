import type { ReferenceEvent } from '@claims/contracts';
import { parseCsvRecord } from '@claims/source-layouts';
import { parseClinicianFile } from './clinician-file';
import type { ReferenceCodes } from './code-lists';
import { parseNppesProviders } from './nppes-providers';
import { referenceEvent, referenceEventsOf } from './reference-event';
import { ColumnIndex, type RejectedRow } from './reference-rows';
import { ReferenceFormatError } from './reference.errors';

export type ProviderDirectoryLayout = 'nppes' | 'clinician';

/**
 * A directory file is read whole, as one string: V8 holds at most about
 * 512 MiB in one, so a larger file (the national NPPES file is several GB)
 * must be refused before it is read, with what to do, not fail deep in the read.
 */
export const MAX_PROVIDER_DIRECTORY_FILE_BYTES = 500 * 1024 * 1024;

/** Why a directory file of `sizeBytes` cannot be read whole, or null when it can. */
export function oversizeDirectoryFileReason(
  fileName: string,
  sizeBytes: number,
  maxBytes: number = MAX_PROVIDER_DIRECTORY_FILE_BYTES,
  /** What to do with the parts, as the door that reads the file takes them. */
  withTheParts = 'name the parts',
): string | null {
  if (sizeBytes <= maxBytes) return null;
  const mebibytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0);
  return (
    `${fileName} is ${mebibytes(sizeBytes)} MiB; a directory file is read whole, at most ` +
    `${mebibytes(maxBytes)} MiB: split it (the NPPES file by state, say) and ${withTheParts}`
  );
}

export interface ProviderDirectoryFile {
  layout: ProviderDirectoryLayout;
  events: ReferenceEvent[];
  rejected: RejectedRow[];
}

export interface ProviderDirectoryFileOptions {
  /** The clinician file's release date (NPPES rows carry their own dates). */
  effectiveDate?: string;
  publishedAt?: string;
}

/**
 * Which directory layout a header belongs to: NPPES npidata names its entity
 * type column; the CMS clinician file has its PECOS and specialty columns.
 */
export function providerDirectoryLayoutOf(headerLine: string): ProviderDirectoryLayout | null {
  const columns = new ColumnIndex(parseCsvRecord(headerLine.replace(/^\uFEFF/, '')));
  if (columns.find('Entity Type Code') !== undefined) return 'nppes';
  if (columns.find('pri_spec', 'Ind_PAC_ID') !== undefined) return 'clinician';
  return null;
}

/**
 * A directory file (NPPES npidata or the CMS clinician file, told apart by
 * its header) as reference events, `source` naming the file. An NPI NPPES
 * deactivated is a withdrawal (a null record) from its deactivation date.
 *
 * @throws ReferenceFormatError when the header is neither layout's.
 */
export function parseProviderDirectoryFile(
  lines: Iterable<string>,
  source: string,
  codes: ReferenceCodes,
  options: ProviderDirectoryFileOptions = {},
): ProviderDirectoryFile {
  const iterator = lines[Symbol.iterator]();
  let header: string | undefined;
  for (let next = iterator.next(); next.done !== true; next = iterator.next()) {
    if (next.value.trim() !== '') {
      header = next.value;
      break;
    }
  }
  if (header === undefined) return { layout: 'nppes', events: [], rejected: [] };
  const layout = providerDirectoryLayoutOf(header);
  if (layout === null) {
    throw new ReferenceFormatError(`${source}: header is neither an NPPES npidata nor a CMS clinician file header`);
  }
  const headerLine = header;
  const rest: Iterable<string> = { [Symbol.iterator]: () => iterator };
  function* withHeader(): Generator<string> {
    yield headerLine;
    yield* rest;
  }
  if (layout === 'nppes') {
    const parsed = parseNppesProviders(withHeader(), codes);
    const publishedAt = options.publishedAt ?? new Date().toISOString();
    const withdrawals = parsed.withdrawals.map(({ npi, effectiveDate }) =>
      referenceEvent('provider', npi, effectiveDate, null, source, publishedAt),
    );
    return {
      layout,
      events: [...referenceEventsOf({ providers: parsed.items }, source, publishedAt), ...withdrawals],
      rejected: parsed.rejected,
    };
  }
  const parsed = parseClinicianFile(withHeader(), codes, { effectiveDate: options.effectiveDate });
  return { layout, events: referenceEventsOf(parsed, source, options.publishedAt), rejected: parsed.rejected };
}
