/**
 * One claim as the fold left it: its current state, its pend episode, and
 * its history (processed_event keeps one row per event the fold handled,
 * with the source record it came from). `$1` is the claim id in every
 * statement; parameters only. Dates as YYYY-MM-DD, cents as text (bigint).
 */

/** The claim's current state: what its latest event made of it. */
export const CLAIM_STATE_SQL = `
SELECT claim_id, event_id, event_type, claim_type, payer, layout, provider_group, state,
       to_char(occurred_at, 'YYYY-MM-DD') AS occurred_at,
       to_char(service_from_date, 'YYYY-MM-DD') AS service_from_date,
       to_char(service_through_date, 'YYYY-MM-DD') AS service_through_date,
       line_count, payment_amount_cents::text AS payment_amount_cents,
       allowed_amount_cents::text AS allowed_amount_cents, billed_amount_cents::text AS billed_amount_cents,
       adjudication_status, lineage_source, lineage_file_id, lineage_record_number, updated_at
  FROM claim_state
 WHERE claim_id = $1
`;

export interface ClaimStateRow {
  claim_id: string;
  event_id: string;
  event_type: string;
  claim_type: string;
  payer: string;
  layout: string | null;
  provider_group: string;
  state: string;
  occurred_at: string;
  service_from_date: string;
  service_through_date: string;
  line_count: number;
  payment_amount_cents: string;
  allowed_amount_cents: string;
  billed_amount_cents: string | null;
  adjudication_status: string | null;
  lineage_source: string;
  lineage_file_id: string;
  lineage_record_number: number;
  updated_at: Date;
}

export const CLAIM_LINES_SQL = `
SELECT line_number, hcpcs_code, rendering_npi, processing_indicator_code, processing_category,
       payment_amount_cents::text AS payment_amount_cents, allowed_amount_cents::text AS allowed_amount_cents,
       charge_amount_cents::text AS charge_amount_cents
  FROM claim_line_state
 WHERE claim_id = $1
 ORDER BY line_number
`;

export interface ClaimLineRow {
  line_number: number;
  hcpcs_code: string | null;
  rendering_npi: string | null;
  processing_indicator_code: string | null;
  processing_category: string;
  payment_amount_cents: string;
  allowed_amount_cents: string;
  charge_amount_cents: string | null;
}

/** The claim's pend episode, open or cleared, with its comments (PHI); none when its latest event did not pend. */
export const CLAIM_PEND_SQL = `
SELECT to_char(pended_on, 'YYYY-MM-DD') AS pended_on, to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on,
       queue, reasons, amount_cents::text AS amount_cents, comments
  FROM claim_pend
 WHERE claim_id = $1
`;

export interface ClaimPendRow {
  pended_on: string;
  cleared_on: string | null;
  queue: string;
  reasons: string[];
  amount_cents: string;
  /** The adjudicators' comments (PHI): claim detail only. */
  comments: string | null;
}

/**
 * The patient tokens the claim's stored X12 parts carry: the only member
 * identifier kept with a claim (a keyed hash, never the member id). PHI:
 * only claim detail reads it, and logs redact it.
 */
export const CLAIM_PATIENT_TOKENS_SQL = `
SELECT DISTINCT event -> 'claim' ->> 'patientToken' AS patient_token
  FROM x12_claim_part
 WHERE claim_id = $1 AND event -> 'claim' ->> 'patientToken' IS NOT NULL
 ORDER BY 1
`;

/**
 * Every event the fold folded for the claim, oldest first by event date
 * (then by when it folded). An event the fold refused (dead-lettered with
 * a code) changed nothing, so it is no part of the timeline; the lineage
 * shows it. Rows folded before the history was kept have no event date and
 * come first.
 */
export const CLAIM_TIMELINE_SQL = `
SELECT event_id, event_type, to_char(occurred_at, 'YYYY-MM-DD') AS occurred_at, layout,
       lineage_source, lineage_file_id, lineage_record_number, published_at, processed_at
  FROM processed_event
 WHERE claim_id = $1 AND refused_code IS NULL
 ORDER BY occurred_at NULLS FIRST, processed_at, event_id
`;

export interface ClaimTimelineRow {
  event_id: string;
  event_type: string | null;
  occurred_at: string | null;
  layout: string | null;
  lineage_source: string | null;
  lineage_file_id: string | null;
  lineage_record_number: number | null;
  published_at: Date;
  processed_at: Date;
}

/** Whether the fold has handled any event of the claim (a claim only refused has history but no state). */
export const CLAIM_KNOWN_SQL = `
SELECT EXISTS (SELECT 1 FROM claim_state WHERE claim_id = $1)
    OR EXISTS (SELECT 1 FROM processed_event WHERE claim_id = $1) AS known
`;

/**
 * The source records the claim came from, each with the events it produced
 * and where it ended (ingest_record: folded, duplicate or dead-lettered, at
 * which stage, with which code). A record standing for several rows (a
 * multi-row claim, its rows consecutive or apart) is reported by its first
 * row, whose outcome its rows share: the fold writes them together.
 */
export const CLAIM_SOURCE_RECORDS_SQL = `
SELECT e.lineage_file_id AS file_id, e.lineage_source AS source, e.lineage_record_number AS record_number,
       coalesce(e.lineage_record_count, 1) AS record_count, e.lineage_record_numbers AS record_numbers,
       e.lineage_record_sha256 AS record_sha256, e.layout,
       r.outcome, r.stage, r.error_code,
       jsonb_agg(jsonb_build_object('eventId', e.event_id, 'eventType', e.event_type,
                                    'occurredAt', to_char(e.occurred_at, 'YYYY-MM-DD'),
                                    'refusedCode', e.refused_code)
                 ORDER BY e.processed_at, e.event_id) AS events
  FROM processed_event e
  LEFT JOIN ingest_record r ON r.file_id = e.lineage_file_id AND r.record_number = e.lineage_record_number
 WHERE e.claim_id = $1 AND e.lineage_file_id IS NOT NULL
 GROUP BY e.lineage_file_id, e.lineage_source, e.lineage_record_number, coalesce(e.lineage_record_count, 1),
          e.lineage_record_numbers, e.lineage_record_sha256, e.layout, r.outcome, r.stage, r.error_code
 ORDER BY min(e.processed_at), e.lineage_file_id, e.lineage_record_number
`;

export interface ClaimSourceRecordRow {
  file_id: string;
  source: string | null;
  record_number: number;
  record_count: number;
  /** Every row's position when the rows are not consecutive; null when they run on from record_number. */
  record_numbers: number[] | null;
  record_sha256: string | null;
  layout: string | null;
  outcome: 'folded' | 'duplicate' | 'dead_lettered' | null;
  stage: string | null;
  error_code: string | null;
  events: Array<{ eventId: string; eventType: string | null; occurredAt: string | null; refusedCode: string | null }>;
}

/** The dead letters of every row of the claim's source records, at any stage, oldest first. */
export const CLAIM_DEAD_LETTERS_SQL = `
WITH claim_row AS (
  SELECT DISTINCT p.lineage_file_id AS file_id, row_number
    FROM processed_event p
   CROSS JOIN LATERAL unnest(coalesce(p.lineage_record_numbers,
                                      ARRAY(SELECT generate_series(p.lineage_record_number,
                                            p.lineage_record_number + coalesce(p.lineage_record_count, 1) - 1))))
                      AS row_number
   WHERE p.claim_id = $1 AND p.lineage_file_id IS NOT NULL
)
SELECT d.dead_letter_id, d.file_id, d.record_number, d.stage, d.error_code, d.reason, d.failed_at
  FROM claim_row c
  JOIN dead_letter d ON d.file_id = c.file_id AND d.record_number = c.row_number
 ORDER BY d.failed_at, d.dead_letter_id
`;

export interface ClaimDeadLetterRow {
  dead_letter_id: string;
  file_id: string;
  record_number: number;
  stage: string;
  error_code: string;
  reason: string;
  failed_at: Date;
}
