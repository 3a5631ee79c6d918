import {
  deriveEventId,
  ReferenceEventSchema,
  sha256Hex,
  type ProviderGroupReference,
  type ProviderReference,
  type ReferenceEvent,
  type ReferenceKind,
  type ServiceLocationReference,
} from '@claims/contracts';
import { describeIssues, type ReferenceItem } from './reference-rows';
import { ReferenceFormatError } from './reference.errors';

/** The record each kind of reference version carries. */
export interface ReferenceRecordByKind {
  provider: ProviderReference;
  provider_group: ProviderGroupReference;
  service_location: ServiceLocationReference;
}

/**
 * One version of one directory entry as an event. The id is derived from the
 * version's identity and content, not from its source or publication time:
 * the same version republished (a re-run, a second CLI load) has the same id
 * and is recognised downstream, while a changed record gets a new one.
 *
 * @param record the version's content, or null to withdraw the entry from `effectiveDate` on.
 * @throws ReferenceFormatError when the event does not satisfy the contract.
 */
export function referenceEvent<TKind extends ReferenceKind>(
  kind: TKind,
  key: string,
  effectiveDate: string,
  record: ReferenceRecordByKind[TKind] | null,
  source: string,
  publishedAt: string = new Date().toISOString(),
): Extract<ReferenceEvent, { kind: TKind }> {
  const candidate = referenceEventUnchecked(kind, key, effectiveDate, record, source, publishedAt);
  const checked = ReferenceEventSchema.safeParse(candidate);
  if (!checked.success) {
    throw new ReferenceFormatError(`${kind} ${key}@${effectiveDate}: ${describeIssues(checked.error.issues)}`);
  }
  return checked.data as Extract<ReferenceEvent, { kind: TKind }>;
}

/**
 * referenceEvent without the contract check, for a generator whose records
 * are valid by construction and whose tests check every event it can make:
 * the check costs more than building the event, which matters at a hundred
 * thousand providers. Anything read from outside goes through referenceEvent.
 */
export function referenceEventUnchecked<TKind extends ReferenceKind>(
  kind: TKind,
  key: string,
  effectiveDate: string,
  record: ReferenceRecordByKind[TKind] | null,
  source: string,
  publishedAt: string,
): Extract<ReferenceEvent, { kind: TKind }> {
  return {
    schemaVersion: 1,
    eventId: deriveEventId('reference', kind, key, effectiveDate, sha256Hex(JSON.stringify(record))),
    kind,
    key,
    effectiveDate,
    source,
    publishedAt,
    record,
  } as Extract<ReferenceEvent, { kind: TKind }>;
}

/** What a reference parser yields, by kind. */
export interface ReferenceItems {
  providers?: ReadonlyArray<ReferenceItem<ProviderReference>>;
  groups?: ReadonlyArray<ReferenceItem<ProviderGroupReference>>;
  locations?: ReadonlyArray<ReferenceItem<ServiceLocationReference>>;
}

/** Every parsed version as an event, keyed by NPI, group key and location key, in that order. */
export function referenceEventsOf(
  items: ReferenceItems,
  source: string,
  publishedAt: string = new Date().toISOString(),
): ReferenceEvent[] {
  return [
    ...(items.providers ?? []).map(({ effectiveDate, record }) =>
      referenceEvent('provider', record.npi, effectiveDate, record, source, publishedAt),
    ),
    ...(items.groups ?? []).map(({ effectiveDate, record }) =>
      referenceEvent('provider_group', record.groupKey, effectiveDate, record, source, publishedAt),
    ),
    ...(items.locations ?? []).map(({ effectiveDate, record }) =>
      referenceEvent('service_location', record.locationKey, effectiveDate, record, source, publishedAt),
    ),
  ];
}
