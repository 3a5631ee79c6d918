import { z } from 'zod';
import type { TrustedEnvelope } from './decode-event';

/** ISO calendar date (YYYY-MM-DD): claims are dated, not timed. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** Money travels as integer cents: never floats for money. */
const Cents = z.number().int();

/**
 * A layout's name: an open string, so onboarding a source is a mapping file
 * and no code change. Lower-case words joined by dots, hyphens or
 * underscores (`desynpuf.carrier`, `rif.inpatient`, `billing.acme-export`).
 */
export const SOURCE_LAYOUT_NAME_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const SourceLayoutSchema = z
  .string()
  .max(64)
  .regex(SOURCE_LAYOUT_NAME_PATTERN, 'expected lower-case words joined by ".", "-" or "_"');
export type SourceLayout = z.infer<typeof SourceLayoutSchema>;

/** The DE-SynPUF carrier layout: hand-coded (the measured hot path), listed among the known layouts. */
export const DESYNPUF_CARRIER_LAYOUT = 'desynpuf.carrier';

/**
 * Version 2 adds optional fields only (claim type detail, institutional and
 * drug fields, pend and adjudication data, grouped lineage), so every v1
 * event still decodes; producers write 1 when an event carries nothing of v2.
 * Version 3 adds lineage.recordNumbers: a claim's rows that are not
 * consecutive in their file. A v2 reader would take such an event's rows for
 * consecutive ones and account the wrong rows, so it is written only where
 * needed (`lineageSchemaVersion`) and an older reader refuses it.
 */
const SchemaVersion = z.union([z.literal(1), z.literal(2), z.literal(3)]);
/** SchemaVersion's values, for the trusted decode's envelope check. */
const CLAIM_EVENT_SCHEMA_VERSIONS = SchemaVersion.options.map((option) => option.value);

export const LineageSchema = z
  .object({
    /** Where the record came from: a file name or a feed name, never a path with PHI. */
    source: z.string().min(1),
    /** SHA-256 of the whole source file: a replay of the same file has the same id. */
    fileId: z.string().regex(/^[0-9a-f]{64}$/),
    /** 1-based position of the record among the file's data records (the first row, for a grouped claim). */
    recordNumber: z.number().int().positive(),
    /**
     * How many rows the event stands for: the rows of one multi-row claim,
     * consecutive from `recordNumber` on unless `recordNumbers` lists them.
     * Absent means one row.
     */
    recordCount: z.number().int().positive().optional(),
    /**
     * Every row's position, ascending from `recordNumber`, when the claim's
     * rows are not consecutive: the segments of a claim that sit apart among
     * their member's rows (a layout grouped `within` the member). Absent when
     * the rows run on from `recordNumber` (v3).
     */
    recordNumbers: z.array(z.number().int().positive()).min(2).optional(),
    /** SHA-256 of the record's bytes (a grouped claim's rows joined by LF). */
    recordSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .refine(
    (lineage) =>
      lineage.recordNumbers === undefined ||
      (lineage.recordNumbers[0] === lineage.recordNumber &&
        lineage.recordNumbers.length === lineage.recordCount &&
        lineage.recordNumbers.every((number, index, numbers) => index === 0 || number > (numbers[index - 1] ?? 0))),
    { path: ['recordNumbers'], message: 'expected recordCount ascending rows from recordNumber' },
  );
export type Lineage = z.infer<typeof LineageSchema>;

/**
 * Calls `visit` with the 1-based position of every source row the lineage
 * stands for, ascending, allocating nothing: per-row accounting runs it for
 * every event of a batch.
 */
export function forEachLineageRow(lineage: Lineage, visit: (recordNumber: number) => void): void {
  if (lineage.recordNumbers !== undefined) {
    for (const recordNumber of lineage.recordNumbers) visit(recordNumber);
    return;
  }
  const count = lineage.recordCount ?? 1;
  for (let index = 0; index < count; index += 1) visit(lineage.recordNumber + index);
}

/** The 1-based positions of every source row the lineage stands for, ascending. */
export function lineageRowNumbers(lineage: Lineage): number[] {
  const numbers: number[] = [];
  forEachLineageRow(lineage, (recordNumber) => numbers.push(recordNumber));
  return numbers;
}

/**
 * The schema version an event of `version`'s fields is written as: 3 when
 * its lineage lists rows apart, so that no v2 reader takes them for
 * consecutive ones.
 */
export function lineageSchemaVersion<Version extends 1 | 2>(lineage: Lineage, version: Version): Version | 3 {
  return lineage.recordNumbers === undefined ? version : 3;
}

/**
 * claims.raw.v1: one event per source record, bytes untouched; for a layout
 * whose claims span adjacent rows, one event per claim, its rows joined by LF
 * (lineage.recordCount says how many).
 */
export const RawClaimRecordSchema = z.object({
  schemaVersion: SchemaVersion,
  eventId: z.uuid(),
  layout: SourceLayoutSchema,
  /**
   * The claim id as far as the ingestor could read it; the normalizer decides
   * whether it is valid. Null for a member-reference record (keyed by member).
   */
  claimId: z.string().nullable(),
  lineage: LineageSchema,
  record: z.string(),
  /**
   * The file's header row, for a layout mapped by column name (v2): columns
   * may sit in any order, so the record cannot be read without it.
   */
  header: z.string().nullable().optional(),
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
  'snf',
  'hha',
  'hospice',
  'dme',
  'pharmacy',
] as const;
export const ClaimTypeSchema = z.enum(CLAIM_TYPES);
export type ClaimType = z.infer<typeof ClaimTypeSchema>;

/**
 * How a line was processed, grouped from the source's own code (for DE-SynPUF
 * carrier lines, LINE_PRCSG_IND_CD). `msp_cob` lines were cost-avoided because
 * another payer is primary: they are neither allowed nor denied by Medicare.
 */
export const LINE_PROCESSING_CATEGORIES = ['allowed', 'not_allowed', 'msp_cob', 'reprocessed', 'unknown'] as const;
export const LineProcessingCategorySchema = z.enum(LINE_PROCESSING_CATEGORIES);
export type LineProcessingCategory = z.infer<typeof LineProcessingCategorySchema>;

export const DIAGNOSIS_CODE_SYSTEMS = ['ICD-9-CM', 'ICD-10-CM'] as const;
export const DiagnosisSchema = z.object({
  code: z.string().min(1),
  system: z.enum(DIAGNOSIS_CODE_SYSTEMS),
});

/** ICD procedure codes (inpatient surgical procedures): ICD-9-CM volume 3, or ICD-10-PCS. */
export const PROCEDURE_CODE_SYSTEMS = ['ICD-9-CM', 'ICD-10-PCS'] as const;
export const ProcedureSchema = z.object({
  code: z.string().min(1),
  system: z.enum(PROCEDURE_CODE_SYSTEMS),
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
  /** v2, institutional lines: the revenue center code (UB-04 form locator 42). */
  revenueCode: z.string().nullable().optional(),
  /** v2: the line's charge as billed. */
  chargeAmountCents: Cents.nullable().optional(),
  /** v2: units of service. */
  serviceUnitCount: z.number().nonnegative().nullable().optional(),
  placeOfServiceCode: z.string().nullable().optional(),
  serviceDate: IsoDate.nullable().optional(),
  /** v2, drug lines: the National Drug Code of the product dispensed. */
  ndcCode: z.string().nullable().optional(),
  /** HCPCS/CPT modifiers of the line's procedure code (837 SV101-3.., 835 SVC01-3..). */
  procedureModifiers: z.array(z.string()).optional(),
});
export type ClaimLine = z.infer<typeof ClaimLineSchema>;

/** How a claim stands after adjudication, as a billing or payer export states it. */
export const ADJUDICATION_STATUSES = ['paid', 'partially_paid', 'denied', 'pending', 'rejected'] as const;
export const AdjudicationStatusSchema = z.enum(ADJUDICATION_STATUSES);

/** CAS group codes (X12 005010X221A1, 2100/2110 CAS01): who bears an adjustment. */
export const ADJUSTMENT_GROUP_CODES = ['CO', 'PR', 'OA', 'PI', 'CR'] as const;

/**
 * The claim adjustment reason codes (CARC list) of group PR that are the
 * member's cost sharing: 1 deductible, 2 coinsurance. An 835 line carries
 * them as its deductible and coinsurance; a claim-level CAS has no line to
 * carry them, so the KPIs read them from the claim's adjustments.
 */
export const PATIENT_COST_SHARING_CARCS = { deductible: '1', coinsurance: '2' } as const;

/** One CAS triplet: group, claim adjustment reason code (CARC), amount and quantity. */
export const AdjustmentSchema = z.object({
  /** The SVC line's position in its claim (1-based); null for a claim-level adjustment. */
  lineNumber: z.number().int().positive().nullable(),
  groupCode: z.string().min(1),
  carc: z.string().min(1),
  amountCents: Cents,
  quantity: z.number().nullable(),
});

/** v2: a source's own claim status, and what it means. */
export const AdjudicationSchema = z.object({
  /** The source's code or word for the status, as it stands in the file. */
  sourceStatus: z.string().nullable(),
  status: AdjudicationStatusSchema.nullable(),
  paidAmountCents: Cents.nullable(),
  paidDate: IsoDate.nullable(),
  // Optional: read from an X12 835 remittance (005010X221A1); other sources leave them out.
  /** CLP02, the payer's claim status code (1 processed as primary, 4 denied, 22 reversal, ...). */
  claimStatusCode: z.string().nullable().optional(),
  /** CLP07: the payer's own number for the claim, which a reversal and its correction share. */
  payerClaimControlNumber: z.string().nullable().optional(),
  /** CLP03: the charge the payer adjudicated. */
  chargeAmountCents: Cents.nullable().optional(),
  /** CLP05: what the patient owes. */
  patientResponsibilityCents: Cents.nullable().optional(),
  /** CAS adjustments, claim-level (lineNumber null) and per SVC line. */
  adjustments: z.array(AdjustmentSchema).optional(),
  /** RARCs from MOA, MIA and LQ*HE. */
  remarkCodes: z.array(z.string()).optional(),
  /** TRN02: the check or EFT trace number of the payment. */
  traceNumber: z.string().nullable().optional(),
  /** BPR04: ACH, CHK, FWT, BOP or NON (no payment). */
  paymentMethod: z.string().nullable().optional(),
  /** CLP02 = 22: this remittance reverses the payer's earlier adjudication of the claim. */
  reversal: z.boolean().optional(),
});

/**
 * v2: why a claim waits, from a pended-queue export. The comments are free
 * text written by adjudicators and may hold PHI: they travel on the event,
 * and logs never carry them.
 */
export const PendSchema = z.object({
  reason: z.string().nullable(),
  queue: z.string().nullable(),
  comments: z.string().nullable(),
});

/**
 * An X12 acknowledgement of a claim or of the transaction set that carried
 * it: a 999 (per transaction set, AK9/IK5) or a 277CA (per claim, STC).
 */
export const AcknowledgementSchema = z.object({
  /** Which acknowledgement said it: a 999, a 277CA (005010X214), or a 277 claim status response (005010X212). */
  kind: z.enum(['999', '277ca', '277']),
  status: z.enum(['accepted', 'accepted_with_errors', 'rejected']),
  /** IK501 (A, E, R, ...) of a 999; STC01-1 status category (A1, A3, ...) of a 277CA. */
  statusCode: z.string().min(1),
  /** 277CA: STC01-2 claim status codes (and STC10/STC11's); 999: IK502.. implementation error codes. */
  statusCodes: z.array(z.string()),
  /** The acknowledged transaction set (AK202 of a 999; the 837's ST02 when a 277CA names it). */
  transactionControlNumber: z.string().nullable(),
  /** 999 IK3/IK4: where the receiver found errors in the acknowledged transaction set. */
  errors: z
    .array(
      z.object({
        segmentTag: z.string(),
        segmentPosition: z.number().int().nullable(),
        elementPosition: z.number().int().nullable(),
        errorCode: z.string(),
      }),
    )
    .optional(),
});

/**
 * v2, X12: the transaction set a claim event came in, and how the claim was
 * submitted, so an 835, a 277CA or a 999 can be joined to the 837 that sent
 * the claim. Every field optional: a source that knows none leaves it out.
 */
export const SubmissionSchema = z.object({
  /**
   * The submitter of the 837 (its ISA06); on a 999, the submitter of the
   * transaction set it acknowledges (the 999's ISA08).
   */
  senderId: z.string().nullable().optional(),
  /** GS06 of the 837's functional group (AK102 on a 999). */
  groupControlNumber: z.string().nullable().optional(),
  /** ST02 of the 837 transaction set (AK202 on a 999). */
  transactionControlNumber: z.string().nullable().optional(),
  /** When the claim was submitted: the 837's BHT04, else its GS04. */
  submittedDate: IsoDate.nullable().optional(),
  /** CLM05-3 claim frequency type code: 1 original, 7 replacement, 8 void of a prior claim. */
  frequencyCode: z.string().nullable().optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

/** v2: the rendering provider as a source names it (provider names and NPIs are public data, not PHI). */
export const NamedProviderSchema = z.object({
  npi: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
});

export const ServiceLocationSchema = z.object({
  /** The location's name as the source writes it (a clinic, a campus). */
  name: z.string().nullable().optional(),
  address1: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  zip: z.string().nullable(),
});

/** v2, Part D events: the drug dispensed. Quantities may be fractional (millilitres, grams). */
export const DrugSchema = z.object({
  ndcCode: z.string().nullable(),
  quantityDispensed: z.number().nonnegative().nullable(),
  daysSupply: z.number().int().nonnegative().nullable(),
});

/** v2: whether the source row inserted a claim or replaced an earlier version of it (CMS RIF DML_IND). */
export const SourceOperationSchema = z.enum(['insert', 'update']);

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
  // Version 2 fields: every one optional, so a v1 event is a valid v2 event.
  /** Institutional type of bill (facility type, care classification, frequency), e.g. 111. */
  billType: z.string().nullable().optional(),
  /** MS-DRG of an inpatient stay. */
  drgCode: z.string().nullable().optional(),
  /** The facility's CMS Certification Number (provider number). */
  facilityCcn: z.string().nullable().optional(),
  facilityNpi: z.string().nullable().optional(),
  billingNpi: z.string().nullable().optional(),
  attendingNpi: z.string().nullable().optional(),
  operatingNpi: z.string().nullable().optional(),
  renderingProvider: NamedProviderSchema.nullable().optional(),
  /** The provider group (practice) a pended-queue export names. */
  providerGroup: z.string().nullable().optional(),
  serviceLocation: ServiceLocationSchema.nullable().optional(),
  admissionDate: IsoDate.nullable().optional(),
  dischargeDate: IsoDate.nullable().optional(),
  /** When the payer received the claim. */
  receivedDate: IsoDate.nullable().optional(),
  /** When a pended claim left the pend queue; null while it waits. */
  clearDate: IsoDate.nullable().optional(),
  procedures: z.array(ProcedureSchema).optional(),
  drug: DrugSchema.nullable().optional(),
  /** Total charge as billed. */
  billedAmountCents: Cents.nullable().optional(),
  adjudication: AdjudicationSchema.nullable().optional(),
  pend: PendSchema.nullable().optional(),
  acknowledgement: AcknowledgementSchema.nullable().optional(),
  sourceOperation: SourceOperationSchema.nullable().optional(),
  submission: SubmissionSchema.nullable().optional(),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const DataQualityFindingSchema = z.object({
  code: z.string().min(1),
  field: z.string().min(1),
  message: z.string(),
});
export type DataQualityFinding = z.infer<typeof DataQualityFindingSchema>;

/**
 * claims.normalized.v1: the canonical claim event. Decodes version 1 and
 * version 2 events; the topic stays .v1 because v2 only adds optional fields.
 */
export const ClaimEventSchema = z.object({
  schemaVersion: SchemaVersion,
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

/**
 * The identity fields a claim event's consumers read before anything else:
 * the dead letter's lineage, the key and the fold's processed_event row.
 */
const CLAIM_EVENT_IDENTITY = {
  eventId: 'string',
  eventType: 'string',
  occurredAt: 'string',
  claimId: 'string',
  layout: 'string',
  publishedAt: 'string',
  lineage: { source: 'string', fileId: 'string', recordNumber: 'number', recordSha256: 'string' },
} as const;

/** claims.normalized.v1 as the enricher trusts it: the normalizer validated each event in full before producing it. */
export const CLAIM_EVENT_ENVELOPE: TrustedEnvelope<typeof ClaimEventSchema> = {
  schema: ClaimEventSchema,
  schemaVersions: CLAIM_EVENT_SCHEMA_VERSIONS,
  fields: CLAIM_EVENT_IDENTITY,
};

export const MEMBER_SEXES = ['male', 'female', 'unknown'] as const;

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

/** What a claim names a provider as (the NPI field it came from). */
export const PROVIDER_ROLES = ['rendering', 'billing', 'attending', 'operating', 'facility'] as const;

/** Why a lookup found nothing usable: what the ingest report counts and the pend rules read. */
export const LOOKUP_MISS_REASONS = [
  /** No entry under that key in the directory as of the claim's date. */
  'not_found',
  /** An entry exists but lacks what the claim needs (a name, an address part). */
  'incomplete',
  /** The entry exists but only from a later date than the claim's. */
  'not_yet_effective',
] as const;
export const LookupMissReasonSchema = z.enum(LOOKUP_MISS_REASONS);

export const LOOKUPS = ['provider', 'provider_group', 'service_location', 'member'] as const;
export const LookupSchema = z.enum(LOOKUPS);
export type Lookup = z.infer<typeof LookupSchema>;

export const LookupMissSchema = z.object({
  lookup: LookupSchema,
  /** The provider role, for a provider lookup. */
  role: z.enum(PROVIDER_ROLES).nullable(),
  /** The key looked up (NPI, group key, location key); a member's token is never written here. */
  key: z.string().nullable(),
  reason: LookupMissReasonSchema,
});
export type LookupMiss = z.infer<typeof LookupMissSchema>;

export const EnrichedProviderSchema = z.object({
  role: z.enum(PROVIDER_ROLES),
  npi: z.string(),
  found: z.boolean(),
  name: z.string().nullable(),
  credential: z.string().nullable(),
  taxonomyCode: z.string().nullable(),
  specialty: z.string().nullable(),
  groupKey: z.string().nullable(),
  groupName: z.string().nullable(),
});
export type EnrichedProvider = z.infer<typeof EnrichedProviderSchema>;

export const EnrichedServiceLocationSchema = z.object({
  /** The directory key, or null when the location is only the address the source wrote. */
  locationKey: z.string().nullable(),
  name: z.string().nullable(),
  address1: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  stateName: z.string().nullable(),
  countyName: z.string().nullable(),
  zip: z.string().nullable(),
  effectiveDate: IsoDate.nullable(),
});

export const EnrichedMemberSchema = z.object({
  found: z.boolean(),
  /** Whole years at the claim's first service date. */
  ageAtService: z.number().int().min(0).max(150).nullable(),
  sex: z.enum(MEMBER_SEXES).nullable(),
  ssaStateCode: z.string().nullable(),
  stateName: z.string().nullable(),
  ssaCountyCode: z.string().nullable(),
  /** Whether the member's coverage for the claim's benefit held in the service month; null when unknown. */
  coveredInServiceMonth: z.boolean().nullable(),
});

/** v2 of the enrichment block: every field optional, so enriched events of v1 still decode. */
export const EnrichmentSchema = z.object({
  renderingProviders: z.array(RenderingProviderSchema),
  providers: z.array(EnrichedProviderSchema).optional(),
  providerGroup: z
    .object({ groupKey: z.string(), name: z.string().nullable(), found: z.boolean() })
    .nullable()
    .optional(),
  serviceLocation: EnrichedServiceLocationSchema.nullable().optional(),
  member: EnrichedMemberSchema.nullable().optional(),
  lookupMisses: z.array(LookupMissSchema).optional(),
});
export type Enrichment = z.infer<typeof EnrichmentSchema>;

/** What reference entry a pend waits on: a fix to it re-evaluates the claim. */
export const PendDependencySchema = z.object({
  kind: LookupSchema,
  key: z.string(),
});
export type PendDependency = z.infer<typeof PendDependencySchema>;

export const PEND_SEVERITIES = ['low', 'medium', 'high'] as const;

export const PendReasonSchema = z.object({
  /** The rule's code (PROVIDER_NOT_FOUND), or the source's own reason for a pended-queue export. */
  code: z.string().min(1),
  description: z.string(),
  queue: z.string().min(1),
  severity: z.enum(PEND_SEVERITIES),
  /** The reference entries whose fix could clear this reason; empty when only adjudication clears it. */
  waitsOn: z.array(PendDependencySchema),
  /** For a reason read from adjudicator comments: the keyword rule that matched. */
  classifiedBy: z.string().nullable(),
});
export type PendReason = z.infer<typeof PendReasonSchema>;

export const PEND_STATUSES = ['clean', 'pended', 'cleared'] as const;

/** The pend rules' verdict on a claim: what the pended-queue KPIs fold. */
export const PendDecisionSchema = z.object({
  /** The rule set's version, so a verdict can be traced to the rules that made it. */
  ruleSetVersion: z.string().min(1),
  status: z.enum(PEND_STATUSES),
  /** Every reason the claim pended for (kept after it clears, for KPIs by reason). */
  reasons: z.array(PendReasonSchema),
  /** The queue of the most severe reason: where the claim is worked. */
  queue: z.string().nullable(),
  /** Event date the claim entered the queue (its received or service date). */
  pendedOn: IsoDate.nullable(),
  /** Event date it left: the fix's effective date, the export's clear date, or the adjudication date. */
  clearedOn: IsoDate.nullable(),
  /** What cleared it: `reference`, `source_clear_date`, `adjudication`. */
  clearedBy: z.enum(['reference', 'source_clear_date', 'adjudication']).nullable(),
});
export type PendDecision = z.infer<typeof PendDecisionSchema>;

/** claims.enriched.v1: the canonical event plus reference-data lookups and the pend rules' verdict. */
export const EnrichedClaimEventSchema = ClaimEventSchema.extend({
  normalizedEventId: z.uuid(),
  enrichment: EnrichmentSchema,
  pendDecision: PendDecisionSchema.nullable().optional(),
});
export type EnrichedClaimEvent = z.infer<typeof EnrichedClaimEventSchema>;

/**
 * claims.enriched.v1 as the metrics fold trusts it: the enricher builds each
 * event by typed code from a normalized event validated where it entered and
 * from reference data validated where it entered.
 */
export const ENRICHED_CLAIM_EVENT_ENVELOPE: TrustedEnvelope<typeof EnrichedClaimEventSchema> = {
  schema: EnrichedClaimEventSchema,
  schemaVersions: CLAIM_EVENT_SCHEMA_VERSIONS,
  fields: { ...CLAIM_EVENT_IDENTITY, normalizedEventId: 'string' },
};

/** A member's reference record for one coverage year (a beneficiary summary row). */
export const MemberReferenceSchema = z.object({
  /** The same keyed hash as a claim's patientToken: member and claims join without the member id. */
  patientToken: z.string().min(1),
  /** The year the record summarises; null when the source states none (a history row). */
  referenceYear: z.number().int().min(1900).max(2999).nullable(),
  birthDate: IsoDate.nullable(),
  deathDate: IsoDate.nullable(),
  sex: z.enum(MEMBER_SEXES).nullable(),
  raceCode: z.string().nullable(),
  /** SSA state code (DE-SynPUF SP_STATE_CODE, RIF STATE_CODE) and county code within it. */
  ssaStateCode: z.string().nullable(),
  ssaCountyCode: z.string().nullable(),
  /** Months of the year with coverage: Part A, Part B, Medicare Advantage (HMO) and Part D. */
  coverageMonths: z.object({
    partA: z.number().int().min(0).max(12).nullable(),
    partB: z.number().int().min(0).max(12).nullable(),
    hmo: z.number().int().min(0).max(12).nullable(),
    partD: z.number().int().min(0).max(12).nullable(),
  }),
  /** Chronic-condition flags by condition name (e.g. chf, diabetes): true when the source flags it. */
  chronicConditions: z.record(z.string(), z.boolean()),
  sourceOperation: SourceOperationSchema.nullable(),
});
export type MemberReference = z.infer<typeof MemberReferenceSchema>;

/**
 * reference.members.v1: one member reference record, keyed by patient token
 * (compacted by key: the latest record of a member is the one that counts).
 */
export const MemberReferenceEventSchema = z.object({
  schemaVersion: z.literal(1),
  eventId: z.uuid(),
  rawEventId: z.uuid(),
  layout: SourceLayoutSchema,
  lineage: LineageSchema,
  publishedAt: z.iso.datetime(),
  member: MemberReferenceSchema,
  dataQuality: z.array(DataQualityFindingSchema),
});
export type MemberReferenceEvent = z.infer<typeof MemberReferenceEventSchema>;

/**
 * The Kafka key of a member reference record: token and year, so compaction
 * keeps one record per member-year (a claim is judged against its own year).
 */
export function memberReferenceKey(member: Pick<MemberReference, 'patientToken' | 'referenceYear'>): string {
  return `${member.patientToken}:${member.referenceYear ?? 'history'}`;
}

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
  /**
   * The letter does not hold the original message exactly, so no replay may
   * send it: a prefix of its value, a key or header cut to fit or not UTF-8,
   * a repeated or null header, or a tombstone (null value).
   */
  originalTruncated: z.boolean().optional(),
  originalHeaders: z.record(z.string(), z.string()),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
