import type { ClaimFilter } from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { claimPage } from './cell-cursor';
import { ClaimsRepository } from './claims.repository';
import { encodeDenialClaimsCursor, type DenialClaimsQuery } from './denial-claims.query';

/** A folded event of the claim, as the timeline lists it. */
export interface ClaimTimelineEvent {
  eventId: string;
  /** submitted, pended, cleared, adjudicated, acknowledged, rejected; null for an event folded before history was kept. */
  eventType: string | null;
  /** The event date (when the fact happened in the source). */
  occurredAt: string | null;
  layout: string | null;
  sourceFile: { source: string | null; fileId: string | null; recordNumber: number | null };
  publishedAt: string;
  foldedAt: string;
}

export interface ClaimDetail {
  claimId: string;
  /** What the claim's latest folded event made of it; null when no event of it folded (only refused). */
  state: {
    eventId: string;
    eventType: string;
    claimType: string;
    payer: string;
    layout: string | null;
    providerGroup: string;
    state: string;
    occurredAt: string;
    serviceFromDate: string;
    serviceThroughDate: string;
    adjudicationStatus: string | null;
    paymentAmountCents: number;
    allowedAmountCents: number;
    billedAmountCents: number | null;
    sourceFile: { source: string; fileId: string; recordNumber: number };
    updatedAt: string;
    lines: Array<{
      lineNumber: number;
      hcpcsCode: string | null;
      renderingNpi: string | null;
      processingIndicatorCode: string | null;
      processingCategory: string;
      paymentAmountCents: number;
      allowedAmountCents: number;
      chargeAmountCents: number | null;
    }>;
  } | null;
  /** The pend episode of the claim's latest version: reasons, queue, dates; null when it did not pend. */
  pend: {
    open: boolean;
    pendedOn: string;
    clearedOn: string | null;
    queue: string;
    reasons: string[];
    amountCents: number;
    /**
     * The adjudicators' comments of a pended-queue export, as its latest row
     * states them (PHI, for claims:read only: never logged, never in an
     * aggregate, a listing or an export); null when the source says none.
     */
    comments: string | null;
  } | null;
  /**
   * Member identifiers kept with the claim (PHI, for claims:read only): the
   * patient tokens of its stored X12 parts. The member id itself is never
   * stored, so no route can return it.
   */
  member: { patientTokens: string[] };
  /** Every event folded for the claim, oldest first. */
  timeline: ClaimTimelineEvent[];
}

export interface ClaimLineage {
  claimId: string;
  /** Every source record the claim's events came from, with the events each produced and where it ended. */
  records: Array<{
    fileId: string;
    source: string | null;
    recordNumber: number;
    /** Rows the record spans (a multi-row claim): consecutive from recordNumber on, unless recordNumbers lists them. */
    recordCount: number;
    /** Every row's position, ascending, when a claim's rows sit apart in the file (a DE-SynPUF claim's segments). */
    recordNumbers?: number[];
    recordSha256: string | null;
    layout: string | null;
    /** Where the record ended (ingest_record); null when its accounting is not written yet. */
    ingest: { outcome: string; stage: string | null; errorCode: string | null } | null;
    events: Array<{ eventId: string; eventType: string | null; occurredAt: string | null; refusedCode: string | null }>;
  }>;
  /** The dead letters of those records' rows, at any stage, oldest first. */
  deadLetters: Array<{
    deadLetterId: string;
    fileId: string;
    recordNumber: number;
    stage: string;
    errorCode: string;
    reason: string;
    failedAt: string;
  }>;
}

export interface DenialClaimsResponse {
  source: DenialClaimsQuery['source'];
  month: string | null;
  filter: ClaimFilter;
  deniedOnly: boolean;
  items: Array<{
    claimId: string;
    payer: string;
    claimType: string;
    month: string;
    providerGroup: string;
    adjudicationStatus: string | null;
    layout: string;
    adjudicatedUnits: number;
    deniedUnits: number;
    adjudicatedAmountCents: number;
    deniedAmountCents: number;
  }>;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const nullableNumber = (value: string | null): number | null => (value === null ? null : Number(value));

/** One claim's detail and lineage, and the claims behind a denial figure: reads only, what the fold stored. */
@Injectable()
export class ClaimsService {
  constructor(private readonly repository: ClaimsRepository) {}

  /** Null when the fold never handled an event of the claim. */
  async detail(claimId: string): Promise<ClaimDetail | null> {
    if (!(await this.repository.known(claimId))) return null;
    const [state, lines, pend, patientTokens, timeline] = await Promise.all([
      this.repository.state(claimId),
      this.repository.lines(claimId),
      this.repository.pend(claimId),
      this.repository.patientTokens(claimId),
      this.repository.timeline(claimId),
    ]);
    return {
      claimId,
      state:
        state === null
          ? null
          : {
              eventId: state.event_id,
              eventType: state.event_type,
              claimType: state.claim_type,
              payer: state.payer,
              layout: state.layout,
              providerGroup: state.provider_group,
              state: state.state,
              occurredAt: state.occurred_at,
              serviceFromDate: state.service_from_date,
              serviceThroughDate: state.service_through_date,
              adjudicationStatus: state.adjudication_status,
              paymentAmountCents: Number(state.payment_amount_cents),
              allowedAmountCents: Number(state.allowed_amount_cents),
              billedAmountCents: nullableNumber(state.billed_amount_cents),
              sourceFile: {
                source: state.lineage_source,
                fileId: state.lineage_file_id,
                recordNumber: state.lineage_record_number,
              },
              updatedAt: state.updated_at.toISOString(),
              lines: lines.map((line) => ({
                lineNumber: line.line_number,
                hcpcsCode: line.hcpcs_code,
                renderingNpi: line.rendering_npi,
                processingIndicatorCode: line.processing_indicator_code,
                processingCategory: line.processing_category,
                paymentAmountCents: Number(line.payment_amount_cents),
                allowedAmountCents: Number(line.allowed_amount_cents),
                chargeAmountCents: nullableNumber(line.charge_amount_cents),
              })),
            },
      pend:
        pend === null
          ? null
          : {
              open: pend.cleared_on === null,
              pendedOn: pend.pended_on,
              clearedOn: pend.cleared_on,
              queue: pend.queue,
              reasons: pend.reasons,
              amountCents: Number(pend.amount_cents),
              comments: pend.comments,
            },
      member: { patientTokens },
      timeline: timeline.map((event) => ({
        eventId: event.event_id,
        eventType: event.event_type,
        occurredAt: event.occurred_at,
        layout: event.layout,
        sourceFile: {
          source: event.lineage_source,
          fileId: event.lineage_file_id,
          recordNumber: event.lineage_record_number,
        },
        publishedAt: event.published_at.toISOString(),
        foldedAt: event.processed_at.toISOString(),
      })),
    };
  }

  /** Null when the fold never handled an event of the claim. */
  async lineage(claimId: string): Promise<ClaimLineage | null> {
    if (!(await this.repository.known(claimId))) return null;
    const [records, deadLetters] = await Promise.all([
      this.repository.sourceRecords(claimId),
      this.repository.deadLetters(claimId),
    ]);
    return {
      claimId,
      records: records.map((record) => ({
        fileId: record.file_id,
        source: record.source,
        recordNumber: record.record_number,
        recordCount: record.record_count,
        ...(record.record_numbers === null ? {} : { recordNumbers: record.record_numbers }),
        recordSha256: record.record_sha256,
        layout: record.layout,
        ingest:
          record.outcome === null
            ? null
            : { outcome: record.outcome, stage: record.stage, errorCode: record.error_code },
        events: record.events,
      })),
      deadLetters: deadLetters.map((deadLetter) => ({
        deadLetterId: deadLetter.dead_letter_id,
        fileId: deadLetter.file_id,
        recordNumber: deadLetter.record_number,
        stage: deadLetter.stage,
        errorCode: deadLetter.error_code,
        reason: deadLetter.reason,
        failedAt: deadLetter.failed_at.toISOString(),
      })),
    };
  }

  async denialClaims(query: DenialClaimsQuery): Promise<DenialClaimsResponse> {
    const rows = await this.repository.denialClaims(
      query.source,
      query.month,
      query.filter,
      query.deniedOnly,
      query.afterClaimId ?? '',
      query.limit + 1,
    );
    const page = claimPage(
      rows,
      query.limit,
      (row) => ({
        claimId: row.claim_id,
        payer: row.payer,
        claimType: row.claim_type,
        month: row.month,
        providerGroup: row.provider_group,
        adjudicationStatus: row.adjudication_status,
        layout: row.layout,
        adjudicatedUnits: row.adjudicated_units,
        deniedUnits: row.denied_units,
        adjudicatedAmountCents: Number(row.adjudicated_amount_cents),
        deniedAmountCents: Number(row.denied_amount_cents),
      }),
      (lastClaimId) => encodeDenialClaimsCursor(query, lastClaimId),
    );
    return { source: query.source, month: query.month, filter: query.filter, deniedOnly: query.deniedOnly, ...page };
  }
}
