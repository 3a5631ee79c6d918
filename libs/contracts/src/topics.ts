/**
 * Topic names are versioned: a breaking change to a payload gets a new topic
 * (`.v2`) that runs beside the old one, so consumers migrate one at a time.
 */
export const CLAIM_TOPICS = {
  raw: 'claims.raw.v1',
  normalized: 'claims.normalized.v1',
  enriched: 'claims.enriched.v1',
  deadLetter: 'claims.dlq.v1',
  /** 835 PLB provider-level adjustments (interest, recoupments, forward balances), keyed by PLB01; no claim is named. */
  providerAdjustments: 'claims.provider-adjustments.v1',
  /** One report per ingested file (keyed by file id): what per-file accounting compares with. */
  ingestReports: 'claims.ingest-reports.v1',
  /** Member reference records (beneficiary summaries), keyed by patient token and year. */
  referenceMembers: 'reference.members.v1',
  /** Provider directory versions (NPPES, clinician file, synthetic directory, admin fixes), keyed by NPI@effective date. */
  referenceProviders: 'reference.providers.v1',
  /** Provider groups by tax id or group practice id, keyed by group key@effective date. */
  referenceProviderGroups: 'reference.provider-groups.v1',
  /** Service locations and facilities (by CCN), keyed by location key@effective date. */
  referenceLocations: 'reference.locations.v1',
} as const;

export type ClaimTopic = (typeof CLAIM_TOPICS)[keyof typeof CLAIM_TOPICS];

const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9-]{0,40}$/;

/**
 * A namespace prefixes every topic so that several pipelines (a tenant, a
 * test suite, a benchmark run) can share one cluster without reading each
 * other's records. The empty namespace yields the plain names.
 */
export function namespacedTopic(topic: ClaimTopic, namespace: string): string {
  if (namespace === '') return topic;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`Invalid topic namespace "${namespace}": expected ${NAMESPACE_PATTERN.source}`);
  }
  return `${namespace}.${topic}`;
}

/**
 * Consumer group ids carry the namespace too: two pipelines sharing a broker
 * must not join one group and split each other's partitions.
 */
export function namespacedGroupId(groupId: string, namespace: string): string {
  if (namespace === '') return groupId;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`Invalid topic namespace "${namespace}": expected ${NAMESPACE_PATTERN.source}`);
  }
  return `${namespace}.${groupId}`;
}
