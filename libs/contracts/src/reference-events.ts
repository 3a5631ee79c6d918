import { z } from 'zod';
import { isIsoCalendarDate } from './calendar-day';
import { EVENT_HEADERS } from './headers';
import { CLAIM_TOPICS } from './topics';

/**
 * A NUL (which a Postgres text value cannot hold) or a lone surrogate (which
 * UTF-8 cannot encode, so Kafka, Postgres and a hash each receive U+FFFD
 * instead): reference text reaches the pend index and the KPI dimensions as
 * keys, and must arrive there as it was sent.
 */
const UNSTORABLE_IN_TEXT = /[\0\p{Cs}]/u;

/**
 * A calendar day as YYYY-MM-DD (reference data comes from outside: files,
 * the admin API, the CLI): an effective date becomes the clear date of the
 * claims a fix lets through, and 2024-02-30 or 0000-01-01 would fail in
 * Postgres after the fix had been published.
 */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(isIsoCalendarDate, 'not a calendar day');
const Text = z
  .string()
  .min(1)
  .max(200)
  .refine((text) => !UNSTORABLE_IN_TEXT.test(text), 'holds a NUL character or a lone surrogate');

/** A US postal address as the directories give it; any part may be missing (that is a flaw the pend rules see). */
export const PostalAddressSchema = z.object({
  address1: Text.nullable(),
  city: Text.nullable(),
  /** USPS state abbreviation (IL, OH). */
  state: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable(),
  zip: z
    .string()
    .regex(/^\d{5}(\d{4})?$/)
    .nullable(),
});
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

/** One provider as a directory knows it (NPPES, the CMS clinician file, a synthetic directory). */
export const ProviderReferenceSchema = z.object({
  npi: z.string().regex(/^\d{10}$/),
  entityType: z.enum(['individual', 'organization']),
  firstName: Text.nullable(),
  lastName: Text.nullable(),
  organizationName: Text.nullable(),
  credential: Text.nullable(),
  /** NUCC taxonomy code of the primary specialty (NPPES). */
  taxonomyCode: z
    .string()
    .regex(/^[0-9A-Z]{9}X$/)
    .nullable(),
  /** Specialty as a name: resolved from the taxonomy, or the clinician file's primary specialty. */
  specialty: Text.nullable(),
  /** The provider's group: a tax id or a group practice id (the group reference's key). */
  groupKey: Text.nullable(),
  /** The location the provider practises at (a location reference's key). */
  locationKey: Text.nullable(),
  practiceAddress: PostalAddressSchema.nullable(),
});
export type ProviderReference = z.infer<typeof ProviderReferenceSchema>;

export const PROVIDER_GROUP_KEY_TYPES = ['tax_id', 'group_practice_id'] as const;

export const ProviderGroupReferenceSchema = z.object({
  groupKey: Text,
  keyType: z.enum(PROVIDER_GROUP_KEY_TYPES),
  name: Text.nullable(),
  locationKey: Text.nullable(),
});
export type ProviderGroupReference = z.infer<typeof ProviderGroupReferenceSchema>;

/** A service location or facility. A facility's key is `ccn:` and its CMS Certification Number. */
export const ServiceLocationReferenceSchema = z.object({
  locationKey: Text,
  ccn: z
    .string()
    .regex(/^[0-9A-Z]{6,10}$/)
    .nullable(),
  name: Text.nullable(),
  address: PostalAddressSchema,
  /** SSA state and county codes (the codes DE-SynPUF and RIF members carry). */
  ssaStateCode: z
    .string()
    .regex(/^\d{2}$/)
    .nullable(),
  ssaCountyCode: z
    .string()
    .regex(/^\d{3}$/)
    .nullable(),
  countyName: Text.nullable(),
  /** First day services may be billed at this location; a claim dated before it pends. */
  effectiveDate: IsoDate.nullable(),
});
export type ServiceLocationReference = z.infer<typeof ServiceLocationReferenceSchema>;

export const REFERENCE_KINDS = ['provider', 'provider_group', 'service_location'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

const referenceEnvelope = {
  schemaVersion: z.literal(1),
  eventId: z.uuid(),
  /** The entity's key: NPI, group key, or location key. */
  key: Text,
  /**
   * Event time: the first day this version holds. Versions of a key are kept
   * side by side, so a claim is judged against the directory as it stood on
   * its own date, whatever order the streams arrive in.
   */
  effectiveDate: IsoDate,
  /** Where the version came from: a file name, `synthetic-directory`, `admin-api`. Never a path. */
  source: Text,
  publishedAt: z.iso.datetime(),
};

/**
 * reference.providers.v1 / reference.provider-groups.v1 / reference.locations.v1:
 * one version of one directory entry. A null record withdraws the entry from
 * its effective date on (a deactivated NPI, a closed location).
 */
export const ReferenceEventSchema = z
  .discriminatedUnion('kind', [
    z.object({ ...referenceEnvelope, kind: z.literal('provider'), record: ProviderReferenceSchema.nullable() }),
    z.object({
      ...referenceEnvelope,
      kind: z.literal('provider_group'),
      record: ProviderGroupReferenceSchema.nullable(),
    }),
    z.object({
      ...referenceEnvelope,
      kind: z.literal('service_location'),
      record: ServiceLocationReferenceSchema.nullable(),
    }),
  ])
  .superRefine((event, context) => {
    // The directory files a version under its key and serves its record: a record of another entry under the
    // key would answer a claim's lookup of one NPI, group or location with another's.
    const recordKey = event.record === null ? null : ownKeyOf(event);
    if (recordKey !== null && recordKey !== event.key) {
      context.addIssue({ code: 'custom', path: ['key'], message: "is not the key of the version's own record" });
    }
  });

/** The key a reference record names itself by. */
function ownKeyOf(
  event:
    | { kind: 'provider'; record: ProviderReference | null }
    | { kind: 'provider_group'; record: ProviderGroupReference | null }
    | { kind: 'service_location'; record: ServiceLocationReference | null },
): string | null {
  switch (event.kind) {
    case 'provider':
      return event.record?.npi ?? null;
    case 'provider_group':
      return event.record?.groupKey ?? null;
    case 'service_location':
      return event.record?.locationKey ?? null;
  }
}
export type ReferenceEvent = z.infer<typeof ReferenceEventSchema>;
export type ProviderReferenceEvent = Extract<ReferenceEvent, { kind: 'provider' }>;
export type ProviderGroupReferenceEvent = Extract<ReferenceEvent, { kind: 'provider_group' }>;
export type ServiceLocationReferenceEvent = Extract<ReferenceEvent, { kind: 'service_location' }>;

export const REFERENCE_TOPIC_BY_KIND = {
  provider: CLAIM_TOPICS.referenceProviders,
  provider_group: CLAIM_TOPICS.referenceProviderGroups,
  service_location: CLAIM_TOPICS.referenceLocations,
} as const satisfies Record<ReferenceKind, string>;

/**
 * The Kafka key of a reference version: its entity key and effective date,
 * so compaction keeps every version (the history a claim is judged against)
 * and folds only exact re-publications of one version.
 */
export function referenceMessageKey(event: Pick<ReferenceEvent, 'key' | 'effectiveDate'>): string {
  return `${event.key}@${event.effectiveDate}`;
}

/** A reference version as the Kafka message every publisher writes: its versioned key, its JSON, its event id. */
export function referenceEventMessage(event: ReferenceEvent): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  return {
    key: referenceMessageKey(event),
    value: JSON.stringify(event),
    headers: { [EVENT_HEADERS.eventId]: event.eventId },
  };
}
