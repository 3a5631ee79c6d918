import {
  ProviderGroupReferenceSchema,
  ProviderReferenceSchema,
  ServiceLocationReferenceSchema,
  sha256Hex,
  type PostalAddress,
  type ProviderGroupReference,
  type ProviderReference,
  type ServiceLocationReference,
} from '@claims/contracts';
import { ssaStateCodesByUsps, type ReferenceCodes } from './code-lists';
import {
  BEGINNING_OF_TIME,
  describeIssues,
  fieldAt,
  forEachCsvRow,
  isBlankAddress,
  postalAddressOf,
  textOrNull,
  type ColumnIndex,
  type ReferenceItem,
  type RejectedRow,
} from './reference-rows';
import { ReferenceFormatError } from './reference.errors';

export interface ClinicianFileParse {
  providers: Array<ReferenceItem<ProviderReference>>;
  groups: Array<ReferenceItem<ProviderGroupReference>>;
  locations: Array<ReferenceItem<ServiceLocationReference>>;
  rejected: RejectedRow[];
}

export interface ClinicianFileOptions {
  /** The file's release date: every version it yields holds from that day. Defaults to the beginning of time. */
  effectiveDate?: string;
}

/**
 * Column names of the Doctors and Clinicians National Downloadable File
 * (DAC_NationalDownloadableFile.csv), current names first, then the names of
 * the older Physician Compare layout (lst_nm, org_nm, cty, st, zip).
 */
const CLINICIAN_COLUMNS = {
  npi: ['NPI'],
  lastName: ['Provider Last Name', 'lst_nm'],
  firstName: ['Provider First Name', 'frst_nm'],
  credential: ['Cred'],
  primarySpecialty: ['pri_spec'],
  facilityName: ['Facility Name', 'org_nm'],
  groupPacId: ['org_pac_id'],
  address1: ['adr_ln_1'],
  city: ['City/Town', 'cty'],
  state: ['State', 'st'],
  zip: ['ZIP Code', 'zip'],
  addressId: ['adrs_id'],
} as const;

type ClinicianColumn = keyof typeof CLINICIAN_COLUMNS;

function clinicianPositionsOf(columns: ColumnIndex): Record<ClinicianColumn, number | undefined> {
  const positions = Object.fromEntries(
    Object.entries(CLINICIAN_COLUMNS).map(([key, names]) => [key, columns.find(...names)]),
  ) as Record<ClinicianColumn, number | undefined>;
  for (const required of ['npi', 'lastName'] as const) {
    if (positions[required] === undefined) {
      throw new ReferenceFormatError(
        `clinician file header lacks the "${CLINICIAN_COLUMNS[required].join('" or "')}" column`,
      );
    }
  }
  return positions;
}

/**
 * A location key for a row without `adrs_id` (the older layout): the same
 * address always yields the same key, so rows of one practice share it.
 */
export function addressLocationKey(address: PostalAddress): string {
  const canonical = [address.address1, address.city, address.state, address.zip?.slice(0, 5)]
    .map((part) => (part ?? '').toUpperCase().replace(/\s+/g, ' '))
    .join('|');
  return `address:${sha256Hex(canonical).slice(0, 16)}`;
}

/**
 * Reads the CMS clinician file: each row is one clinician at one group and
 * one address. A clinician on several rows yields one provider version (from
 * the first row: its group and location), while every group and location the
 * rows name yields a version of its own, the first row naming it deciding its
 * content. A row that would make an invalid record is rejected whole.
 *
 * @throws ReferenceFormatError when the header has no NPI or last name column.
 */
export function parseClinicianFile(
  lines: Iterable<string>,
  codes: Pick<ReferenceCodes, 'ssaStates'>,
  options: ClinicianFileOptions = {},
): ClinicianFileParse {
  const effectiveDate = options.effectiveDate ?? BEGINNING_OF_TIME;
  const ssaCodeByUsps = ssaStateCodesByUsps(codes);
  const result: ClinicianFileParse = { providers: [], groups: [], locations: [], rejected: [] };
  const seenProviders = new Set<string>();
  const seenGroups = new Set<string>();
  const seenLocations = new Set<string>();
  let positions: Record<ClinicianColumn, number | undefined> | null = null;

  forEachCsvRow(lines, {
    header: (columns) => {
      positions = clinicianPositionsOf(columns);
    },
    rejected: (rejection) => result.rejected.push(rejection),
    row: (fields, rowNumber) => {
      if (positions === null) return;
      const columnPositions = positions;
      const value = (name: ClinicianColumn): string => fieldAt(fields, columnPositions[name]);
      const address = postalAddressOf({
        address1: value('address1'),
        city: value('city'),
        state: value('state'),
        zip: value('zip'),
      });
      const facilityName = textOrNull(value('facilityName'));
      const groupKey = textOrNull(value('groupPacId'));
      const locationKey =
        textOrNull(value('addressId')) ?? (isBlankAddress(address) ? null : addressLocationKey(address));

      const provider: ProviderReference = {
        npi: value('npi'),
        entityType: 'individual',
        firstName: textOrNull(value('firstName')),
        lastName: textOrNull(value('lastName')),
        organizationName: null,
        credential: textOrNull(value('credential')),
        taxonomyCode: null,
        specialty: textOrNull(value('primarySpecialty')),
        groupKey,
        locationKey,
        practiceAddress: isBlankAddress(address) ? null : address,
      };
      const group: ProviderGroupReference | null =
        groupKey === null ? null : { groupKey, keyType: 'group_practice_id', name: facilityName, locationKey };
      const location: ServiceLocationReference | null =
        locationKey === null
          ? null
          : {
              locationKey,
              ccn: null,
              name: facilityName,
              address,
              ssaStateCode: address.state === null ? null : (ssaCodeByUsps.get(address.state) ?? null),
              ssaCountyCode: null,
              countyName: null,
              effectiveDate: null,
            };

      const reasons = [
        ['provider', ProviderReferenceSchema.safeParse(provider)] as const,
        ['group', group === null ? null : ProviderGroupReferenceSchema.safeParse(group)] as const,
        ['location', location === null ? null : ServiceLocationReferenceSchema.safeParse(location)] as const,
      ].flatMap(([label, check]) =>
        check === null || check.success ? [] : [`${label} ${describeIssues(check.error.issues)}`],
      );
      if (reasons.length > 0) {
        result.rejected.push({ rowNumber, reason: reasons.join('; ') });
        return;
      }

      if (!seenProviders.has(provider.npi)) {
        seenProviders.add(provider.npi);
        result.providers.push({ effectiveDate, record: provider });
      }
      if (group !== null && !seenGroups.has(group.groupKey)) {
        seenGroups.add(group.groupKey);
        result.groups.push({ effectiveDate, record: group });
      }
      if (location !== null && !seenLocations.has(location.locationKey)) {
        seenLocations.add(location.locationKey);
        result.locations.push({ effectiveDate, record: location });
      }
    },
  });
  return result;
}
