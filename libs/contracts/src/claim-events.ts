import { z } from 'zod';

/** ISO calendar date (YYYY-MM-DD): claims are dated, not timed. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** Money travels as integer cents: never floats for money. */
const Cents = z.number().int();

export const SOURCE_LAYOUTS = ['desynpuf.carrier'] as const;
export const SourceLayoutSchema = z.enum(SOURCE_LAYOUTS);
export type SourceLayout = z.infer<typeof SourceLayoutSchema>;

export const LineageSchema = z.object({
  /** Where the record came from: a file name or a feed name, never a path with PHI. */
  source: z.string().min(1),
  /** SHA-256 of the whole source file: a replay of the same file has the same id. */
  fileId: z.string().regex(/^[0-9a-f]{64}$/),
  /** 1-based position of the record among the file's data records. */
  recordNumber: z.number().int().positive(),
  recordSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Lineage = z.infer<typeof LineageSchema>;

/** claims.raw.v1: one event per source record, bytes untouched. */
export const RawClaimRecordSchema = z.object({
  schemaVersion: z.literal(1),
  eventId: z.uuid(),
  layout: SourceLayoutSchema,
  /** The claim id as far as the ingestor could read it; the normalizer decides whether it is valid. */
  claimId: z.string().nullable(),
  lineage: LineageSchema,
  record: z.string(),
  /** Wall-clock time of publication; used only to measure freshness, never for KPIs. */
  publishedAt: z.iso.datetime(),
});
export type RawClaimRecord = z.infer<typeof RawClaimRecordSchema>;

export const CLAIM_EVENT_TYPES = ['submitted', 'pended', 'cleared', 'adjudicated', 'acknowledged', 'rejected'] as const;
export const ClaimEventTypeSchema = z.enum(CLAIM_EVENT_TYPES);

export const CLAIM_TYPES = [
  'professional',
  'institutional_inpatient',
  'institutional_outpatient',
  'dme',
  'pharmacy',
] as const;
export const ClaimTypeSchema = z.enum(CLAIM_TYPES);

/**
 * How a line was processed, grouped from the source's own code (for DE-SynPUF
 * carrier lines, LINE_PRCSG_IND_CD). `msp_cob` lines were cost-avoided because
 * another payer is primary: they are neither allowed nor denied by Medicare.
 */
export const LINE_PROCESSING_CATEGORIES = ['allowed', 'not_allowed', 'msp_cob', 'reprocessed', 'unknown'] as const;
export const LineProcessingCategorySchema = z.enum(LINE_PROCESSING_CATEGORIES);
export type LineProcessingCategory = z.infer<typeof LineProcessingCategorySchema>;

export const DiagnosisSchema = z.object({
  code: z.string().min(1),
  system: z.enum(['ICD-9-CM', 'ICD-10-CM']),
});

export const ClaimLineSchema = z.object({
  lineNumber: z.number().int().positive(),
  hcpcsCode: z.string().nullable(),
  renderingNpi: z.string().nullable(),
  /** Billing group's tax number (TAX_NUM on DE-SynPUF carrier lines). */
  taxId: z.string().nullable(),
  diagnosisCode: z.string().nullable(),
  paymentAmountCents: Cents,
  allowedAmountCents: Cents,
  deductibleAmountCents: Cents,
  coinsuranceAmountCents: Cents,
  primaryPayerPaidAmountCents: Cents,
  processingIndicatorCode: z.string().nullable(),
  processingCategory: LineProcessingCategorySchema,
});
export type ClaimLine = z.infer<typeof ClaimLineSchema>;

export const ClaimSchema = z.object({
  claimType: ClaimTypeSchema,
  /** Keyed hash of the member id: joins a member's claims without carrying the id. */
  patientToken: z.string().min(1),
  payer: z.string().min(1),
  serviceFromDate: IsoDate,
  serviceThroughDate: IsoDate,
  diagnoses: z.array(DiagnosisSchema),
  lines: z.array(ClaimLineSchema),
  totals: z.object({
    paymentAmountCents: Cents,
    allowedAmountCents: Cents,
  }),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const DataQualityFindingSchema = z.object({
  code: z.string().min(1),
  field: z.string().min(1),
  message: z.string(),
});
export type DataQualityFinding = z.infer<typeof DataQualityFindingSchema>;

/** claims.normalized.v1: the canonical claim event. */
export const ClaimEventSchema = z.object({
  schemaVersion: z.literal(1),
  eventId: z.uuid(),
  eventType: ClaimEventTypeSchema,
  /** Event time: the date the fact happened in the source, which drives every KPI. */
  occurredAt: IsoDate,
  claimId: z.string().min(1),
  rawEventId: z.uuid(),
  layout: SourceLayoutSchema,
  lineage: LineageSchema,
  publishedAt: z.iso.datetime(),
  claim: ClaimSchema,
  dataQuality: z.array(DataQualityFindingSchema),
});
export type ClaimEvent = z.infer<typeof ClaimEventSchema>;

export const PROVIDER_LOOKUP_STATUSES = ['found', 'not_found'] as const;

export const RenderingProviderSchema = z.object({
  npi: z.string(),
  lookupStatus: z.enum(PROVIDER_LOOKUP_STATUSES),
  /** Whether the NPI passes the Luhn check digit (with the 80840 prefix). */
  checkDigitValid: z.boolean(),
  displayName: z.string().nullable(),
  taxonomyCode: z.string().nullable(),
  practiceState: z.string().nullable(),
});
export type RenderingProvider = z.infer<typeof RenderingProviderSchema>;

/** claims.enriched.v1: the canonical event plus reference-data lookups. */
export const EnrichedClaimEventSchema = ClaimEventSchema.extend({
  normalizedEventId: z.uuid(),
  enrichment: z.object({
    renderingProviders: z.array(RenderingProviderSchema),
  }),
});
export type EnrichedClaimEvent = z.infer<typeof EnrichedClaimEventSchema>;

export const PIPELINE_STAGES = ['ingestor', 'normalizer', 'enricher', 'metrics'] as const;
export const PipelineStageSchema = z.enum(PIPELINE_STAGES);
export type PipelineStage = z.infer<typeof PipelineStageSchema>;

/**
 * claims.dlq.v1: the original bytes and why they could not go on; replayable
 * as they are. A dead letter must itself fit the broker's message limit, so a
 * huge original keeps only a bounded prefix, with its full size and SHA-256
 * (the bytes stay in the source file that the lineage names).
 *
 * Fields added after the first release are optional, so dead letters written
 * by an older build still decode.
 */
export const DeadLetterSchema = z.object({
  schemaVersion: z.literal(1),
  stage: PipelineStageSchema,
  errorCode: z.string().min(1),
  reason: z.string(),
  failedAt: z.iso.datetime(),
  /** The consumed message that failed; null when the ingestor refused a source record before publishing it. */
  origin: z
    .object({
      topic: z.string(),
      partition: z.number().int(),
      offset: z.string(),
      key: z.string().nullable(),
    })
    .nullable(),
  /** The source record the dead letter stands for, when known: what per-file accounting counts. */
  lineage: LineageSchema.nullable().optional(),
  /** The original value in base64, or its first bytes when `originalTruncated`. */
  originalValueBase64: z.string(),
  originalBytes: z.number().int().nonnegative().optional(),
  originalSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  originalTruncated: z.boolean().optional(),
  originalHeaders: z.record(z.string(), z.string()),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
