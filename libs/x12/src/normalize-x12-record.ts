import {
  deriveEventId,
  isCalendarDay,
  invalidClaimEventFailure,
  providerAdjustmentEventId,
  type ClaimEvent,
  type ProviderAdjustmentEvent,
  type RawClaimRecord,
  type Submission,
} from '@claims/contracts';
import { SourceRecordError, tokenizePatientId } from '@claims/source-layouts';
import {
  acknowledgementsOf999,
  claimAcknowledgementsOf277,
  claimStatusesOf277,
  type ClaimAcknowledgement,
  type TransactionSetAcknowledgement,
} from './acknowledgements';
import { claimsOf837, type Claim837 } from './claim-837';
import { remittanceOf835, type ClaimPayment, type ProviderAdjustment, type Remittance835 } from './remittance-835';
import { X12_LAYOUTS, parseX12RecordContext, type X12RecordContext } from './x12-layouts';
import { segmentsOfText, type X12Segment } from './x12-segments';
import { X12Error } from './x12.errors';

export interface X12NormalizeOptions {
  /** The key of the patient-id hash: the same member gets the same token from every source. */
  patientTokenKey: string;
}

/** The segments of a raw X12 event, numbered as they stood in the file. */
export function segmentsOfRawRecord(raw: Pick<RawClaimRecord, 'record' | 'header'>): {
  context: X12RecordContext;
  segments: X12Segment[];
} {
  const context = parseX12RecordContext(raw.header);
  const segments = segmentsOfText(raw.record, context.separators, context.firstSegmentNumber);
  const first = segments[0];
  if (first?.tag !== 'ST' || segments[segments.length - 1]?.tag !== 'SE') {
    throw new X12Error('X12_SEGMENT_INVALID', 'the record is not one transaction set (ST to SE)', {
      segmentNumber: context.firstSegmentNumber,
      elementPosition: 0,
    });
  }
  return { context, segments };
}

type EventBase = Pick<
  ClaimEvent,
  'schemaVersion' | 'rawEventId' | 'layout' | 'lineage' | 'publishedAt' | 'dataQuality'
>;

function baseOf(raw: RawClaimRecord): EventBase {
  return {
    schemaVersion: 2,
    rawEventId: raw.eventId,
    layout: raw.layout,
    lineage: raw.lineage,
    publishedAt: raw.publishedAt,
    dataQuality: [],
  };
}

/** Each claim of a transaction set gets its own id: the raw event's, its position and its claim id. */
function eventIdOf(raw: RawClaimRecord, index: number, claimId: string): string {
  return deriveEventId('claims.normalized', raw.eventId, String(index), claimId);
}

/**
 * What joins an 837 claim to its acknowledgements and remittance: the
 * transaction set it came in (ISA06 sender, GS06, ST02, which a 999 names in
 * AK102/AK202), the submission date (BHT04, else GS04) and the CLM05-3
 * frequency code (7 and 8 replace or void a claim sent before).
 */
function submissionOf(claim: Claim837, context: X12RecordContext): Submission {
  return {
    senderId: context.senderId,
    groupControlNumber: context.groupControlNumber,
    transactionControlNumber: context.transactionControlNumber,
    submittedDate: claim.createdDate ?? isoDateOf(context.groupDate),
    // As the 837 reader read CLM05, by the separator its composites use.
    frequencyCode: claim.frequencyCode ?? null,
  };
}

/** A CCYYMMDD envelope date as YYYY-MM-DD; null when it is no day of the calendar (20240230 included). */
function isoDateOf(ccyymmdd: string | undefined): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(ccyymmdd ?? '');
  if (!match || !isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) return null;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function submittedEvent(raw: RawClaimRecord, claim: Claim837, index: number, submission: Submission): ClaimEvent {
  return {
    ...baseOf(raw),
    eventId: eventIdOf(raw, index, claim.claimId),
    eventType: 'submitted',
    occurredAt: claim.serviceThroughDate,
    claimId: claim.claimId,
    // A CLM02 that is not the sum of the lines' charges: the claim as sent, said so.
    dataQuality: claim.dataQuality,
    claim: {
      claimType: claim.claimType,
      patientToken: claim.patientToken,
      payer: claim.payer,
      serviceFromDate: claim.serviceFromDate,
      serviceThroughDate: claim.serviceThroughDate,
      diagnoses: claim.diagnoses,
      lines: claim.lines,
      totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
      billType: claim.billType,
      drgCode: claim.drgCode,
      facilityNpi: claim.facilityNpi,
      billingNpi: claim.billingNpi,
      attendingNpi: claim.attendingNpi,
      operatingNpi: claim.operatingNpi,
      renderingProvider: claim.renderingProvider,
      admissionDate: claim.admissionDate,
      procedures: claim.procedures,
      billedAmountCents: claim.billedAmountCents,
      submission,
    },
  };
}

function adjudicatedEvent(
  raw: RawClaimRecord,
  remittance: Remittance835,
  claim: ClaimPayment,
  index: number,
): ClaimEvent {
  const paidDate = claim.adjudication.paidDate;
  const occurredAt = paidDate ?? claim.serviceThroughDate;
  if (occurredAt === null) {
    throw new X12Error('X12_SEGMENT_INVALID', 'the remittance has no payment or production date (BPR16, DTM*405)', {
      segmentNumber: claim.segmentNumber,
      elementPosition: 0,
    });
  }
  return {
    ...baseOf(raw),
    dataQuality: remittance.dataQuality,
    eventId: eventIdOf(raw, index, claim.claimId),
    eventType: 'adjudicated',
    occurredAt,
    claimId: claim.claimId,
    claim: {
      claimType: claim.claimType,
      patientToken: claim.patientToken,
      payer: remittance.payer.name ?? remittance.payer.id ?? 'UNKNOWN',
      serviceFromDate: claim.serviceFromDate ?? occurredAt,
      serviceThroughDate: claim.serviceThroughDate ?? claim.serviceFromDate ?? occurredAt,
      diagnoses: [],
      lines: claim.lines,
      totals: {
        paymentAmountCents: claim.adjudication.paidAmountCents ?? 0,
        allowedAmountCents: claim.allowedAmountCents,
      },
      billingNpi: remittance.payee.npi,
      billedAmountCents: claim.billedAmountCents,
      adjudication: claim.adjudication,
    },
  };
}

/** A 277CA claim's verdict, or a 277 response's claim status: `acknowledged` or `rejected`, dated by its status date. */
function claimAcknowledgementEvent(
  raw: RawClaimRecord,
  claim: ClaimAcknowledgement,
  index: number,
  context: X12RecordContext,
): ClaimEvent {
  const occurredAt = claim.statusDate ?? groupDateOf(context, claim.segmentNumber);
  return {
    ...baseOf(raw),
    eventId: eventIdOf(raw, index, claim.claimId),
    eventType: claim.eventType,
    occurredAt,
    claimId: claim.claimId,
    claim: {
      // A 277 does not say which form the claim was: professional unless the 837 said otherwise.
      claimType: 'professional',
      patientToken: claim.patientToken,
      payer: claim.payer ?? (context.senderId || 'UNKNOWN'),
      serviceFromDate: claim.serviceFromDate ?? occurredAt,
      serviceThroughDate: claim.serviceThroughDate ?? claim.serviceFromDate ?? occurredAt,
      diagnoses: [],
      lines: [],
      totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
      billingNpi: claim.billingNpi,
      billedAmountCents: claim.billedAmountCents,
      acknowledgement: claim.acknowledgement,
    },
  };
}

/**
 * A 999's verdict on one transaction set. A 999 names transaction sets, not
 * claims: the event's claim id is the acknowledged set's own
 * (`x12-ts:<GS06>:<ST02>`), which keys it on Kafka; `submission` names the
 * set, and the fold keeps the verdict per set (never as a claim), joined to
 * the set's claims by their own `submission`.
 */
function transactionSetAcknowledgementEvent(
  raw: RawClaimRecord,
  acknowledged: TransactionSetAcknowledgement,
  index: number,
  context: X12RecordContext,
  patientTokenKey: string,
): ClaimEvent {
  const claimId = `x12-ts:${acknowledged.groupControlNumber}:${acknowledged.transactionControlNumber}`;
  const occurredAt = groupDateOf(context, acknowledged.segmentNumber);
  const institutional = /X223/.test(acknowledged.implementationReference ?? '');
  return {
    ...baseOf(raw),
    // A 999's body names neither its sender nor its addressee, and control numbers are small counters: two
    // submitters' 999s can be the same bytes from ST to SE. The addressee (ISA08) keeps their verdicts apart.
    eventId: deriveEventId('claims.normalized', raw.eventId, String(index), claimId, context.receiverId),
    eventType: acknowledged.eventType,
    occurredAt,
    claimId,
    claim: {
      claimType: institutional ? 'institutional_outpatient' : 'professional',
      // No member is named: the token stands for the transaction set, so no member's claims join it.
      patientToken: tokenizePatientId(claimId, patientTokenKey),
      payer: context.senderId || 'UNKNOWN',
      serviceFromDate: occurredAt,
      serviceThroughDate: occurredAt,
      diagnoses: [],
      lines: [],
      totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
      acknowledgement: acknowledged.acknowledgement,
      // The acknowledged set was sent by whom this 999 is addressed to (its ISA08).
      submission: {
        senderId: context.receiverId,
        groupControlNumber: acknowledged.groupControlNumber,
        transactionControlNumber: acknowledged.transactionControlNumber,
      },
    },
  };
}

/** GS04, the date the acknowledgement's group was built. @throws X12Error X12_DATE_INVALID */
function groupDateOf(context: X12RecordContext, segmentNumber: number): string {
  const date = isoDateOf(context.groupDate);
  if (date === null) {
    throw new X12Error('X12_DATE_INVALID', 'the acknowledgement has no status date and GS04 is not a date', {
      segmentNumber,
      elementPosition: 0,
    });
  }
  return date;
}

/** What a raw X12 transaction set yields: its claim events, and an 835's provider-level adjustments. */
export interface X12RecordEvents {
  claims: ClaimEvent[];
  providerAdjustments: ProviderAdjustmentEvent[];
}

/**
 * A PLB pair as an event of its own: it belongs to the payment (BPR/TRN), so
 * it names the payer, payee and trace number, and no claim.
 */
function providerAdjustmentEvent(
  raw: RawClaimRecord,
  remittance: Remittance835,
  adjustment: ProviderAdjustment,
  accountsForRecord: boolean,
): ProviderAdjustmentEvent {
  const occurredAt = remittance.paymentDate ?? remittance.productionDate ?? adjustment.fiscalPeriodDate;
  if (occurredAt === null) {
    throw new X12Error(
      'X12_SEGMENT_INVALID',
      'the remittance has no payment, production or fiscal period date (BPR16, DTM*405, PLB02)',
      { segmentNumber: adjustment.segmentNumber, elementPosition: 2 },
    );
  }
  return {
    schemaVersion: 1,
    eventId: providerAdjustmentEventId(raw.eventId, adjustment.segmentNumber, adjustment.elementPosition),
    rawEventId: raw.eventId,
    layout: raw.layout,
    lineage: raw.lineage,
    publishedAt: raw.publishedAt,
    occurredAt,
    accountsForRecord,
    payment: {
      payerId: remittance.payer.id,
      payerName: remittance.payer.name,
      payeeNpi: remittance.payee.npi,
      payeeTaxId: remittance.payee.taxId,
      traceNumber: remittance.traceNumber,
      paymentDate: remittance.paymentDate,
      productionDate: remittance.productionDate,
    },
    adjustment: { ...adjustment },
    dataQuality: remittance.dataQuality,
  };
}

/**
 * A raw X12 transaction set to the canonical events the normalizer publishes:
 * one `submitted` event per CLM of an 837, one `adjudicated` event per CLP of
 * an 835 (and one provider-adjustment event per PLB pair), one `acknowledged`
 * or `rejected` event per claim of a 277CA and per acknowledged transaction
 * set of a 999. Every claim event it returns has passed ClaimEventSchema once
 * (as normalizeSourceRecord's do), so no caller checks them again; a set's
 * events go all or none, so one invalid claim holds back the set.
 * @throws X12Error (permanent: the record belongs in the dead-letter topic),
 *   X12_NO_CLAIMS for a set with nothing to fold
 * @throws SourceRecordError NORMALIZED_EVENT_INVALID, the code of the same
 *   refusal on every other source
 */
export function normalizeX12RecordEvents(raw: RawClaimRecord, options: X12NormalizeOptions): X12RecordEvents {
  const events = x12RecordEvents(raw, options);
  if (events.claims.length === 0 && events.providerAdjustments.length === 0) {
    // Nothing to fold: a dead letter keeps the record counted and replayable.
    throw new X12Error('X12_NO_CLAIMS', `the ${raw.layout} transaction set holds no claim`);
  }
  const invalid = invalidClaimEventFailure(events.claims);
  if (invalid !== null) throw new SourceRecordError(invalid.code, invalid.reason);
  return events;
}

function x12RecordEvents(raw: RawClaimRecord, options: X12NormalizeOptions): X12RecordEvents {
  if (raw.layout !== X12_LAYOUTS.remittance) {
    return { claims: normalizeX12Record(raw, options), providerAdjustments: [] };
  }
  const { segments } = segmentsOfRawRecord(raw);
  const remittance = remittanceOf835(segments, options.patientTokenKey);
  const claims = remittance.claims.map((claim, index) => adjudicatedEvent(raw, remittance, claim, index));
  return {
    claims,
    providerAdjustments: remittance.providerAdjustments.map((adjustment) =>
      providerAdjustmentEvent(raw, remittance, adjustment, claims.length === 0),
    ),
  };
}

/**
 * The claim events of a raw X12 transaction set (see normalizeX12RecordEvents,
 * which adds an 835's provider-level adjustments).
 * @throws X12Error (permanent: the record belongs in the dead-letter topic)
 */
export function normalizeX12Record(raw: RawClaimRecord, options: X12NormalizeOptions): ClaimEvent[] {
  const { context, segments } = segmentsOfRawRecord(raw);
  switch (raw.layout) {
    case X12_LAYOUTS.claimProfessional:
    case X12_LAYOUTS.claimInstitutional: {
      const kind = raw.layout === X12_LAYOUTS.claimProfessional ? 'professional' : 'institutional';
      const claims = claimsOf837(segments, { kind, patientTokenKey: options.patientTokenKey });
      return claims.map((claim, index) => submittedEvent(raw, claim, index, submissionOf(claim, context)));
    }
    case X12_LAYOUTS.remittance: {
      const remittance = remittanceOf835(segments, options.patientTokenKey);
      return remittance.claims.map((claim, index) => adjudicatedEvent(raw, remittance, claim, index));
    }
    case X12_LAYOUTS.claimAcknowledgement:
      return claimAcknowledgementsOf277(segments, options.patientTokenKey).map((claim, index) =>
        claimAcknowledgementEvent(raw, claim, index, context),
      );
    case X12_LAYOUTS.claimStatusResponse:
      return claimStatusesOf277(segments, options.patientTokenKey).map((claim, index) =>
        claimAcknowledgementEvent(raw, claim, index, context),
      );
    case X12_LAYOUTS.functionalAcknowledgement:
      return acknowledgementsOf999(segments).map((acknowledged, index) =>
        transactionSetAcknowledgementEvent(raw, acknowledged, index, context, options.patientTokenKey),
      );
    default:
      throw new X12Error('X12_TRANSACTION_UNSUPPORTED', `layout ${raw.layout} is not mapped to canonical events`);
  }
}
