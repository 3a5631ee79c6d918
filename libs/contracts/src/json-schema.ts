import { z } from 'zod';
import {
  ClaimEventSchema,
  DeadLetterSchema,
  EnrichedClaimEventSchema,
  MemberReferenceEventSchema,
  RawClaimRecordSchema,
} from './claim-events';
import { IngestReportSchema } from './ingest-report';
import { ProviderAdjustmentEventSchema } from './provider-adjustment-events';
import { ReferenceEventSchema } from './reference-events';
import { CLAIM_TOPICS, type ClaimTopic } from './topics';

const SCHEMA_BY_TOPIC: Record<ClaimTopic, z.ZodType> = {
  [CLAIM_TOPICS.raw]: RawClaimRecordSchema,
  [CLAIM_TOPICS.normalized]: ClaimEventSchema,
  [CLAIM_TOPICS.enriched]: EnrichedClaimEventSchema,
  [CLAIM_TOPICS.deadLetter]: DeadLetterSchema,
  [CLAIM_TOPICS.providerAdjustments]: ProviderAdjustmentEventSchema,
  [CLAIM_TOPICS.ingestReports]: IngestReportSchema,
  [CLAIM_TOPICS.referenceMembers]: MemberReferenceEventSchema,
  [CLAIM_TOPICS.referenceProviders]: ReferenceEventSchema,
  [CLAIM_TOPICS.referenceProviderGroups]: ReferenceEventSchema,
  [CLAIM_TOPICS.referenceLocations]: ReferenceEventSchema,
};

/** JSON Schema (draft 2020-12) of a topic's payload, for consumers outside TypeScript. */
export function topicJsonSchema(topic: ClaimTopic): Record<string, unknown> {
  return z.toJSONSchema(SCHEMA_BY_TOPIC[topic]) as Record<string, unknown>;
}
