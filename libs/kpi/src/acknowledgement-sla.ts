import { daysBetween } from './pend-aging';

/**
 * Acknowledgement SLAs, the clearinghouse view (docs/kpis/acknowledgement-slas.md):
 * a submitted 837 claim should be answered by a 999 (its transaction set
 * accepted or rejected) and a 277CA (the claim accepted or rejected at the
 * payer's front door) within a number of hours, per payer. Ages are in event
 * time, counted as the pended queue counts them: whole days from the claim's
 * first submission date (837 BHT04, else GS04) to the as-of date (by default
 * the acknowledgement clock, below), so a replay of the same history gives the same
 * figures whatever the wall clock says.
 */

/**
 * The acknowledgement clock: the later of the event-time watermark (the
 * latest event date folded, max over partitions, as the pended queue ages
 * by) and the latest first-submission date folded. An 837 event's date is
 * its service date, which comes before its submission date (BHT04); without
 * the second term a claim submitted after the latest service date folded
 * would be in the clock's future. Both are dates the events carry, never the
 * wall clock, so a replay of the same history reads the same figures. NULL
 * before anything folded. Both reads are indexed (kpi_watermark is a row per
 * partition; x12_claim_lifecycle_submitted_on leads with the date).
 */
export const ACKNOWLEDGEMENT_CLOCK_SQL = `
SELECT greatest(
         (SELECT max(event_time_watermark) FROM kpi_watermark),
         (SELECT max(first_submitted_on) FROM x12_claim_lifecycle WHERE submitted)
       )::text AS as_of
`;

export interface AcknowledgementClockRow {
  as_of: string | null;
}

/** The most hours an SLA may be: a year. */
export const MAX_ACKNOWLEDGEMENT_SLA_HOURS = 8_760;
const HOURS_PER_DAY = 24;

export interface AcknowledgementSlaPolicy {
  /** ACK_SLA_HOURS: every payer not named below. */
  defaultHours: number;
  /** ACK_SLA_HOURS_BY_PAYER, keyed by the payer name as `acknowledgementSlaPayerKey` folds it. */
  hoursByPayer: ReadonlyMap<string, number>;
}

/**
 * Payer names are free text (837 2010BB NM1*PR), spelled by people: a
 * configured name matches trimmed and case-blind, as the claim lifecycle
 * matches an 835's payer to its 837's. SQL folds the same way: upper(btrim(payer)).
 */
export function acknowledgementSlaPayerKey(payer: string): string {
  return payer.trim().toUpperCase();
}

export class AcknowledgementSlaConfigError extends Error {
  readonly code = 'ACK_SLA_CONFIG_INVALID';
  readonly retriable = false;
}

/**
 * Reads `payer=hours,payer=hours` (ACK_SLA_HOURS_BY_PAYER). A payer name may
 * hold `=` (the last one separates the hours) but not `,`; hours are whole,
 * 1 to MAX_ACKNOWLEDGEMENT_SLA_HOURS. A payer named twice, even spelled apart
 * in case or spaces, is refused rather than one of them silently winning.
 */
export function parseAcknowledgementSlaHoursByPayer(value: string): Map<string, number> {
  const hoursByPayer = new Map<string, number>();
  if (value.trim() === '') return hoursByPayer;
  for (const entry of value.split(',')) {
    const separator = entry.lastIndexOf('=');
    const payer = separator < 0 ? '' : acknowledgementSlaPayerKey(entry.slice(0, separator));
    const hoursText = separator < 0 ? '' : entry.slice(separator + 1).trim();
    if (payer === '' || !/^\d{1,5}$/.test(hoursText)) {
      throw new AcknowledgementSlaConfigError(
        `"${entry.trim()}" is not payer=hours (a payer name, then whole hours, entries comma-separated)`,
      );
    }
    const hours = Number(hoursText);
    if (hours < 1 || hours > MAX_ACKNOWLEDGEMENT_SLA_HOURS) {
      throw new AcknowledgementSlaConfigError(`"${entry.trim()}": hours must be 1 to ${MAX_ACKNOWLEDGEMENT_SLA_HOURS}`);
    }
    if (hoursByPayer.has(payer)) throw new AcknowledgementSlaConfigError(`payer "${payer}" is named twice`);
    hoursByPayer.set(payer, hours);
  }
  return hoursByPayer;
}

export function acknowledgementSlaHoursFor(policy: AcknowledgementSlaPolicy, payer: string): number {
  return policy.hoursByPayer.get(acknowledgementSlaPayerKey(payer)) ?? policy.defaultHours;
}

/**
 * A submission's age at the as-of date, in hours: whole days from its
 * submission date to the as-of date, times 24 (the dates carry no time of
 * day). A claim submitted on D is 0 hours old on D and 24 on D+1: by the end
 * of D+1 it has waited at least 24 hours, whenever on D it was sent, so an
 * age never overstates the wait.
 */
export function submissionAgeHours(submittedOn: string, asOf: string): number {
  return Math.max(0, daysBetween(submittedOn, asOf)) * HOURS_PER_DAY;
}

/** The first acknowledgement still awaited: '999' (nothing came back yet) or '277ca' (the 999 came, the 277CA not). */
export type AwaitedAcknowledgement = '999' | '277ca';
export const AWAITED_ACKNOWLEDGEMENTS: readonly AwaitedAcknowledgement[] = ['999', '277ca'];

/** What had answered a submission by the as-of date. */
export interface SubmissionAnswers {
  /** A 999 answered the first submission's transaction set (sender, GS06, ST02), accepting or rejecting it. */
  setAcknowledged: boolean;
  /** A 999 rejected that transaction set (IK501/AK901 R, M, W, X). */
  setRejected: boolean;
  /** A 277CA answered the claim (any category), or an 835 adjudicated it. */
  claimAnswered: boolean;
}

/**
 * Which acknowledgements a submission still awaits, earliest first; empty when
 * none. A 277CA or an 835 means the payer received the claim, so nothing is
 * awaited any more (a 999 that never reached the provider changes nothing
 * then). A set the 999 rejected never reached the payer: no 277CA will come,
 * the provider corrects and resubmits (the 999 rejection rate counts it).
 */
export function awaitedAcknowledgements(answers: SubmissionAnswers): AwaitedAcknowledgement[] {
  if (answers.claimAnswered || answers.setRejected) return [];
  return answers.setAcknowledged ? ['277ca'] : ['999', '277ca'];
}

/** Overdue when the submission has waited the payer's SLA: age at least the SLA. */
export function isAcknowledgementOverdue(ageHours: number, slaHours: number): boolean {
  return ageHours >= slaHours;
}

/** The SLA policy as SQL parameters: payer keys and their hours, side by side, then the default. */
export function acknowledgementSlaParameters(policy: AcknowledgementSlaPolicy): [string[], number[], number] {
  const payers = [...policy.hoursByPayer.keys()].sort();
  return [payers, payers.map((payer) => policy.hoursByPayer.get(payer) ?? policy.defaultHours), policy.defaultHours];
}

/**
 * The SLA of each submission row `l`, from parameters $2 (payer keys, text[]),
 * $3 (their hours, int[]) and $4 (the default hours): a scalar subquery over
 * the few configured payers.
 */
const SLA_HOURS_OF_ROW = `coalesce(
         (SELECT s.hours FROM unnest($2::text[], $3::int[]) AS s(payer, hours) WHERE s.payer = upper(btrim(l.payer))),
         $4::int)`;

/**
 * Submitted claims still awaiting an acknowledgement at the clock, the
 * ones the metrics service exports as gauges and the API lists by default.
 * Only claims no 277CA and no 835 answered are candidates: the partial index
 * x12_claim_lifecycle_unanswered holds exactly those, so the read is bounded
 * by the backlog, not by history. Each candidate's first transaction set is
 * looked up in x12_transaction_set_verdict by its set key (indexed).
 * Every answer folded is dated at or before the clock, so "not answered
 * now" is "not answered by the clock". $1 the as-of date (the clock, or a
 * later date).
 */
const UNANSWERED_AT_CLOCK = `
  SELECT l.payer, l.patient_control_number, l.billing_npi, l.first_submitted_on,
         l.first_set_sender_id, l.first_set_group_control_number, l.first_set_transaction_control_number,
         v.acknowledged AS set_acknowledged,
         ${SLA_HOURS_OF_ROW} AS sla_hours
    FROM x12_claim_lifecycle l
    LEFT JOIN LATERAL (
      SELECT true AS acknowledged, bool_or(v.status = 'rejected') AS rejected
        FROM x12_transaction_set_verdict v
       WHERE v.sender_id = l.first_set_sender_id
         AND v.group_control_number = l.first_set_group_control_number
         AND v.transaction_control_number = l.first_set_transaction_control_number
       HAVING count(*) > 0
    ) v ON true
   WHERE l.submitted AND l.acknowledgement_count = 0 AND l.adjudication_count = 0
     AND l.first_submitted_on <= $1::date
     AND NOT coalesce(v.rejected, false)`;

/**
 * The same at an as-of date before the clock: an answer dated after it
 * had not come yet. Candidates are every submission up to the as-of date
 * (index x12_claim_lifecycle_submitted_on), the claim's 277CA and 835 parts
 * are read by claim id (x12_claim_part's primary key) and the 999 by set key,
 * each bounded by its own date. Slower than the read at the clock: it walks the
 * history up to the as-of date.
 */
const UNANSWERED_AS_OF = `
  SELECT l.payer, l.patient_control_number, l.billing_npi, l.first_submitted_on,
         l.first_set_sender_id, l.first_set_group_control_number, l.first_set_transaction_control_number,
         v.acknowledged AS set_acknowledged,
         ${SLA_HOURS_OF_ROW} AS sla_hours
    FROM x12_claim_lifecycle l
    LEFT JOIN LATERAL (
      SELECT true AS acknowledged, bool_or(v.status = 'rejected') AS rejected
        FROM x12_transaction_set_verdict v
       WHERE v.sender_id = l.first_set_sender_id
         AND v.group_control_number = l.first_set_group_control_number
         AND v.transaction_control_number = l.first_set_transaction_control_number
         AND v.acknowledged_on <= $1::date
       HAVING count(*) > 0
    ) v ON true
   WHERE l.submitted AND l.first_submitted_on <= $1::date
     AND ((l.acknowledgement_count = 0 AND l.adjudication_count = 0) OR NOT EXISTS (
       SELECT 1 FROM x12_claim_part p
        WHERE p.claim_id = l.patient_control_number
          AND p.part_kind IN ('acknowledgement', 'adjudication')
          AND p.occurred_at <= $1::date))
     AND NOT coalesce(v.rejected, false)`;

/**
 * Per payer and first acknowledgement awaited, at the clock ($1): the
 * submissions awaiting one, those past their payer's SLA, and the oldest
 * submission's age (whole days). Parameters: $1 the clock, $2/$3/$4 the SLA policy
 * (`acknowledgementSlaParameters`).
 */
export const ACKNOWLEDGEMENT_BACKLOG_BY_PAYER_SQL = `
WITH unanswered AS (${UNANSWERED_AT_CLOCK}
)
SELECT u.payer,
       CASE WHEN u.set_acknowledged THEN '277ca' ELSE '999' END AS awaiting,
       count(*)::float8 AS submissions,
       count(*) FILTER (WHERE ($1::date - u.first_submitted_on) * 24 >= u.sla_hours)::float8 AS overdue,
       ($1::date - min(u.first_submitted_on))::float8 AS oldest_age_days
  FROM unanswered u
 GROUP BY 1, 2
`;

/**
 * 277CA verdicts by payer over the event days ending at the clock: `1d`
 * the clock's day, `7d` the seven days ending with it. A claim counts on
 * the date of its latest 277CA, as rejected when that verdict rejected it (a
 * claim rejected, corrected and accepted in the window counts as accepted).
 * Index x12_claim_lifecycle_acknowledged_on (latest_acknowledged_on) covers
 * the read. $1 the clock.
 */
export const CLAIM_ACKNOWLEDGEMENT_VERDICTS_BY_PAYER_SQL = `
SELECT l.payer,
       count(*) FILTER (WHERE l.latest_acknowledged_on = $1::date)::float8 AS acknowledged_1d,
       count(*) FILTER (WHERE l.latest_acknowledged_on = $1::date
                          AND l.latest_acknowledgement_status = 'rejected')::float8 AS rejected_1d,
       count(*)::float8 AS acknowledged_7d,
       count(*) FILTER (WHERE l.latest_acknowledgement_status = 'rejected')::float8 AS rejected_7d
  FROM x12_claim_lifecycle l
 WHERE l.submitted AND l.acknowledgement_count > 0
   AND l.latest_acknowledged_on > $1::date - 7 AND l.latest_acknowledged_on <= $1::date
 GROUP BY l.payer
`;

/**
 * The overdue submissions themselves, oldest first (submission date, then
 * patient control number, billing NPI), a page after a cursor. Parameters: $1
 * as-of date, $2/$3/$4 the SLA policy, $5 payer (exact, NULL for all), $6/$7/$8
 * the cursor (submission date, patient control number, billing NPI; NULL for
 * the first page), $9 the page size.
 */
function overdueSubmissionsSql(unanswered: string): string {
  return `
WITH unanswered AS (${unanswered}
)
SELECT u.payer, u.patient_control_number, u.billing_npi, u.first_submitted_on::text AS submitted_on,
       u.first_set_sender_id AS sender_id, u.first_set_group_control_number AS group_control_number,
       u.first_set_transaction_control_number AS transaction_control_number,
       coalesce(u.set_acknowledged, false) AS set_acknowledged, u.sla_hours
  FROM unanswered u
 WHERE ($1::date - u.first_submitted_on) * 24 >= u.sla_hours
   AND ($5::text IS NULL OR u.payer = $5::text)
   AND ($6::date IS NULL OR (u.first_submitted_on, u.patient_control_number, u.billing_npi) > ($6::date, $7::text, $8::text))
 ORDER BY u.first_submitted_on, u.patient_control_number, u.billing_npi
 LIMIT $9
`;
}

export const OVERDUE_SUBMISSIONS_AT_CLOCK_SQL = overdueSubmissionsSql(UNANSWERED_AT_CLOCK);
export const OVERDUE_SUBMISSIONS_AS_OF_SQL = overdueSubmissionsSql(UNANSWERED_AS_OF);

export interface AcknowledgementBacklogRow {
  payer: string;
  awaiting: AwaitedAcknowledgement;
  submissions: number;
  overdue: number;
  oldest_age_days: number;
}

export interface ClaimAcknowledgementVerdictRow {
  payer: string;
  acknowledged_1d: number;
  rejected_1d: number;
  acknowledged_7d: number;
  rejected_7d: number;
}

export interface OverdueSubmissionRow {
  payer: string;
  patient_control_number: string;
  billing_npi: string;
  submitted_on: string;
  sender_id: string | null;
  group_control_number: string | null;
  transaction_control_number: string | null;
  set_acknowledged: boolean;
  sla_hours: number;
}

export interface OverdueSubmission {
  payer: string;
  /** CLM01: the claim id of an X12 claim, shown wherever claim ids are (no member identifier). */
  patientControlNumber: string;
  billingNpi: string;
  /** The 837's ISA06, GS06 and ST02: the transaction set a 999 would answer. */
  senderId: string | null;
  groupControlNumber: string | null;
  transactionControlNumber: string | null;
  /** The first submission's date (837 BHT04, else GS04); X12 dates carry no time of day here. */
  submittedOn: string;
  ageHours: number;
  slaHours: number;
  hoursOverdue: number;
  /** What has not come back: ['999', '277ca'] when nothing did, ['277ca'] when only the 999 did. */
  awaiting: AwaitedAcknowledgement[];
}

export function overdueSubmissionOf(row: OverdueSubmissionRow, asOf: string): OverdueSubmission {
  const ageHours = submissionAgeHours(row.submitted_on, asOf);
  const slaHours = Number(row.sla_hours);
  return {
    payer: row.payer,
    patientControlNumber: row.patient_control_number,
    billingNpi: row.billing_npi,
    senderId: row.sender_id,
    groupControlNumber: row.group_control_number,
    transactionControlNumber: row.transaction_control_number,
    submittedOn: row.submitted_on,
    ageHours,
    slaHours,
    hoursOverdue: ageHours - slaHours,
    awaiting: awaitedAcknowledgements({
      setAcknowledged: row.set_acknowledged,
      setRejected: false,
      claimAnswered: false,
    }),
  };
}

/** The payer label that gathers every payer past the label limit. */
export const OTHER_PAYERS_LABEL = 'other';

/** The most payers a per-payer gauge names; the rest are gathered under `other`. */
export const PAYER_LABEL_LIMIT = 20;

/**
 * The payers a gauge family names: the `limit` with the largest weight
 * (compared element by element: overdue, then backlog, say; ties by name). A
 * feed naming thousands of payers cannot flood Prometheus.
 */
export function payersToLabel(
  weightByPayer: ReadonlyMap<string, readonly number[]>,
  limit = PAYER_LABEL_LIMIT,
): Set<string> {
  const heavierFirst = (left: readonly number[], right: readonly number[]): number => {
    for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
      const difference = (right[index] ?? 0) - (left[index] ?? 0);
      if (difference !== 0) return difference;
    }
    return 0;
  };
  return new Set(
    [...weightByPayer.entries()]
      .sort(([leftPayer, left], [rightPayer, right]) => heavierFirst(left, right) || (leftPayer < rightPayer ? -1 : 1))
      .slice(0, limit)
      .map(([payer]) => payer),
  );
}

/** One gauge sample: its labels (payer among them) and value. */
export interface GaugeSample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * Samples with every payer outside `named` relabelled `other`, samples that
 * then share labels combined (summed for counts, the largest for an age).
 */
export function withBoundedPayers(
  samples: readonly GaugeSample[],
  named: ReadonlySet<string>,
  combine: 'sum' | 'max',
): GaugeSample[] {
  const byLabels = new Map<string, GaugeSample>();
  for (const sample of samples) {
    const payer = sample.labels['payer'] ?? '';
    const labels = named.has(payer) ? sample.labels : { ...sample.labels, payer: OTHER_PAYERS_LABEL };
    const key = JSON.stringify(Object.entries(labels).sort(([left], [right]) => (left < right ? -1 : 1)));
    const kept = byLabels.get(key);
    const value =
      kept === undefined
        ? sample.value
        : combine === 'sum'
          ? kept.value + sample.value
          : Math.max(kept.value, sample.value);
    byLabels.set(key, { labels, value });
  }
  return [...byLabels.values()];
}
