import type { EnrichedClaimEvent } from '@claims/contracts';

/**
 * An X12 claim's life is told by several transaction sets: the 837 that
 * submits it (again, when resubmitted), the 277CA that accepts or rejects it
 * at the front door, the 835 that pays, denies or reverses it. Each event is
 * a *part* of the claim, kept as it came; the claim's state and its lifecycle
 * row are recomputed from the set of its parts, so the order the parts arrive
 * in (and a redelivery, which adds no part) never changes a figure.
 *
 * A 999 is no part of a claim: it speaks of a transaction set, and is kept
 * per set (see `TransactionSetVerdict`).
 */
export type ClaimPartKind = 'submission' | 'adjudication' | 'acknowledgement' | 'status';

const X12_SUBMISSION_LAYOUT = /^x12\.837[pi]$/;
const X12_REMITTANCE_LAYOUT = 'x12.835';
const X12_CLAIM_ACKNOWLEDGEMENT_LAYOUT = 'x12.277ca';
const X12_SET_ACKNOWLEDGEMENT_LAYOUT = 'x12.999';
const X12_CLAIM_STATUS_LAYOUT = 'x12.277';

/** The part an event is of its claim; null for every other source, whose latest version replaces the claim. */
export function claimPartKindOf(event: Pick<EnrichedClaimEvent, 'layout' | 'claim'>): ClaimPartKind | null {
  // Whatever the pend rules made of it (submitted, pended, cleared), an 837 claim is its submission.
  if (X12_SUBMISSION_LAYOUT.test(event.layout)) return 'submission';
  if (event.layout === X12_REMITTANCE_LAYOUT && event.claim.adjudication) return 'adjudication';
  if (event.layout === X12_CLAIM_ACKNOWLEDGEMENT_LAYOUT && event.claim.acknowledgement?.kind === '277ca') {
    return 'acknowledgement';
  }
  // A 277 claim status response (005010X212) tells where the claim stands; it is no front-door verdict.
  if (event.layout === X12_CLAIM_STATUS_LAYOUT && event.claim.acknowledgement?.kind === '277') return 'status';
  return null;
}

/** A 999's verdict on one transaction set, as the fold keeps it (one row per 999 event). */
export interface TransactionSetVerdict {
  eventId: string;
  /** The submitter of the acknowledged 837 (ISA06), as the 999 addresses it (ISA08). */
  senderId: string;
  groupControlNumber: string;
  transactionControlNumber: string;
  status: 'accepted' | 'accepted_with_errors' | 'rejected';
  /** The 999's own date (GS04). */
  acknowledgedOn: string;
}

/** The verdict a 999 event carries; null for any other event. */
export function transactionSetVerdictOf(event: EnrichedClaimEvent): TransactionSetVerdict | null {
  const acknowledgement = event.claim.acknowledgement;
  if (event.layout !== X12_SET_ACKNOWLEDGEMENT_LAYOUT || acknowledgement?.kind !== '999') return null;
  const submission = event.claim.submission;
  return {
    eventId: event.eventId,
    senderId: submission?.senderId ?? '',
    groupControlNumber: submission?.groupControlNumber ?? '',
    transactionControlNumber: submission?.transactionControlNumber ?? acknowledgement.transactionControlNumber ?? '',
    status: acknowledgement.status,
    acknowledgedOn: event.occurredAt,
  };
}

type Part = EnrichedClaimEvent;

const submittedDateOf = (part: Part): string => part.claim.submission?.submittedDate ?? part.occurredAt;

/** A total order on parts of one kind: by date, then event id, so a tie never depends on arrival. */
function byDateThenId(dateOf: (part: Part) => string): (left: Part, right: Part) => number {
  return (left, right) => {
    const leftDate = dateOf(left);
    const rightDate = dateOf(right);
    if (leftDate !== rightDate) return leftDate < rightDate ? -1 : 1;
    return left.eventId < right.eventId ? -1 : left.eventId > right.eventId ? 1 : 0;
  };
}

const bySubmission = byDateThenId(submittedDateOf);
const byOccurrence = byDateThenId((part) => part.occurredAt);

/** Parts of one claim by kind, each in its total order, one version of each source fact. */
export interface ClaimParts {
  submissions: Part[];
  adjudications: Part[];
  acknowledgements: Part[];
  /** 277 claim status responses: the claim's latest reported status, never counted as acknowledgements. */
  statuses: Part[];
}

/**
 * How far the pend rules had got with a claim event: the enricher emits a
 * pended claim as a pended event, and again as a cleared one once a fix or
 * its adjudication lets it through; the furthest version stands.
 */
const PEND_PROGRESS: Readonly<Record<string, number>> = { clean: 0, pended: 1, cleared: 2 };
const pendProgressOf = (part: Part): number => PEND_PROGRESS[part.pendDecision?.status ?? 'clean'] ?? 0;

/**
 * One part per source fact: the enriched versions of one normalized event
 * (pended, then cleared) are one submission or one payment, not two; the
 * furthest pend version stands, ties broken by event id.
 */
function oneVersionPerFact(parts: Iterable<Part>): Part[] {
  const byFact = new Map<string, Part>();
  for (const part of parts) {
    const fact = part.normalizedEventId ?? part.eventId;
    const kept = byFact.get(fact);
    const later =
      !kept ||
      pendProgressOf(part) > pendProgressOf(kept) ||
      (pendProgressOf(part) === pendProgressOf(kept) && part.eventId > kept.eventId);
    if (later) byFact.set(fact, part);
  }
  return [...byFact.values()];
}

export function claimPartsOf(parts: Iterable<Part>): ClaimParts {
  const all = oneVersionPerFact(parts);
  const ofKind = (kind: ClaimPartKind): Part[] => all.filter((part) => claimPartKindOf(part) === kind);
  return {
    submissions: ofKind('submission').sort(bySubmission),
    adjudications: ofKind('adjudication').sort(byOccurrence),
    acknowledgements: ofKind('acknowledgement').sort(byOccurrence),
    statuses: ofKind('status').sort(byOccurrence),
  };
}

const isReversal = (part: Part): boolean => part.claim.adjudication?.reversal === true;

/**
 * The adjudication that stands. A reversal (CLP02 22) undoes one earlier
 * adjudication: reversals cancel the non-reversal adjudications oldest first,
 * so original (day 1) + reversal and correction (day 2) leaves the
 * correction, and original + reversal alone leaves none. Of those left, the
 * latest stands.
 */
export function standingAdjudicationOf(adjudications: readonly Part[]): Part | null {
  const reversals = adjudications.filter(isReversal).length;
  const outcomes = adjudications.filter((part) => !isReversal(part));
  return outcomes.slice(reversals).at(-1) ?? null;
}

type Line = EnrichedClaimEvent['claim']['lines'][number];

/**
 * An 835-only claim whose every adjudication a reversal undid: the claim as
 * its last original remittance billed it, with nothing standing (no
 * adjudication, nothing paid or allowed, nobody owing), as a claim whose 837
 * came falls back to the 837. Dated by the last reversal, the latest fact.
 * The reversal itself (negated charges and payments) is no claim state: it
 * would count the claim at minus its billed and minus its payment. A
 * reversal whose original never came (paid before the feed began) bills
 * what it reverses: its charges turned back, so the claim counts as it would
 * once its original came.
 */
function reversedRemittanceOf(adjudications: readonly Part[]): Part | undefined {
  const reversal = adjudications.filter(isReversal).at(-1);
  if (!reversal) return adjudications.at(-1);
  const original = adjudications.filter((part) => !isReversal(part)).at(-1) ?? billedAsReversed(reversal);
  return {
    ...original,
    eventId: reversal.eventId,
    eventType: reversal.eventType,
    occurredAt: reversal.occurredAt,
    claim: {
      ...original.claim,
      adjudication: null,
      totals: { ...original.claim.totals, paymentAmountCents: 0, allowedAmountCents: 0 },
      lines: original.claim.lines.map((line) => ({
        ...line,
        paymentAmountCents: 0,
        allowedAmountCents: 0,
        deductibleAmountCents: 0,
        coinsuranceAmountCents: 0,
      })),
    },
  };
}

/** A charge a reversal negates (005010X221A1 CLP03, SVC02) as the original billed it; unsigned, it meant the same. */
const chargeReversed = (cents: number | null | undefined): number | null | undefined =>
  cents === null || cents === undefined ? cents : Math.abs(cents);

/** The claim a reversal takes back, as billed: its charges turned back (what it paid is dropped by the caller). */
function billedAsReversed(reversal: Part): Part {
  return {
    ...reversal,
    claim: {
      ...reversal.claim,
      billedAmountCents: chargeReversed(reversal.claim.billedAmountCents),
      lines: reversal.claim.lines.map((line) => ({
        ...line,
        chargeAmountCents: chargeReversed(line.chargeAmountCents),
      })),
    },
  };
}

/**
 * The 837's lines with what the 835 says of each laid over: paid, allowed,
 * deductible, coinsurance and processing. An 835 numbers its SVC lines by
 * position in the CLP as an 837 numbers its LX lines, so the line of the same
 * number is the same service (a payer returns the lines in the order billed);
 * an 837 line the 835 does not answer keeps nothing paid. The 837 keeps what
 * it knows better: the procedure, the charge, the rendering provider, the
 * diagnosis pointer, and what the primary payer paid (a secondary's 837
 * states it per line in 2430 SVD02; an 835 line has no such field and reads
 * as 0), unless the answer's line states a primary payment of its own.
 */
function linesWithPayments(billed: readonly Line[], paid: readonly Line[]): Line[] {
  const byNumber = new Map(paid.map((line) => [line.lineNumber, line]));
  return billed.map((line) => {
    const answer = byNumber.get(line.lineNumber);
    if (!answer) return line;
    return {
      ...line,
      paymentAmountCents: answer.paymentAmountCents,
      allowedAmountCents: answer.allowedAmountCents,
      deductibleAmountCents: answer.deductibleAmountCents,
      coinsuranceAmountCents: answer.coinsuranceAmountCents,
      primaryPayerPaidAmountCents:
        answer.primaryPayerPaidAmountCents !== 0
          ? answer.primaryPayerPaidAmountCents
          : line.primaryPayerPaidAmountCents,
      processingIndicatorCode: answer.processingIndicatorCode,
      processingCategory: answer.processingCategory,
    };
  });
}

/**
 * The claim's state from its parts: the latest submission's claim
 * (diagnoses, providers, lines, billed, enrichment) with the standing
 * adjudication (status, paid, allowed, CAS, payment date, each line's
 * payment) and the latest 277CA verdict or 277 status laid over it. The event type, id,
 * date and layout are the overlay's, so a claim adjudicated by an 835 counts
 * under the remittance denial rule. Without a submission (an 835 or 277CA that came first, or
 * whose 837 never comes) the state is the latest answer on its own, as it
 * came. Null when no part is left.
 */
export function mergeClaimParts(parts: ClaimParts): EnrichedClaimEvent | null {
  const submission = parts.submissions.at(-1);
  const adjudication = standingAdjudicationOf(parts.adjudications);
  const acknowledgement = [...parts.acknowledgements, ...parts.statuses].sort(byOccurrence).at(-1);
  if (!submission) {
    const answer = adjudication ?? reversedRemittanceOf(parts.adjudications) ?? acknowledgement;
    if (!answer) return null;
    if (answer === acknowledgement || !acknowledgement) return answer;
    return { ...answer, claim: { ...answer.claim, acknowledgement: acknowledgement.claim.acknowledgement } };
  }
  const claim = {
    ...submission.claim,
    acknowledgement: acknowledgement?.claim.acknowledgement ?? submission.claim.acknowledgement,
  };
  if (adjudication) {
    return {
      ...submission,
      eventId: adjudication.eventId,
      eventType: adjudication.eventType,
      occurredAt: adjudication.occurredAt,
      layout: adjudication.layout,
      // The pend rules' verdict on the answer is the later one: an 835 clears a pended claim.
      pendDecision: adjudication.pendDecision ?? submission.pendDecision,
      claim: {
        ...claim,
        lines: linesWithPayments(claim.lines, adjudication.claim.lines),
        adjudication: adjudication.claim.adjudication,
        totals: adjudication.claim.totals,
      },
    };
  }
  if (acknowledgement) {
    return {
      ...submission,
      eventId: acknowledgement.eventId,
      eventType: acknowledgement.eventType,
      occurredAt: acknowledgement.occurredAt,
      claim,
    };
  }
  return { ...submission, claim };
}

/**
 * One claim's lifecycle, keyed by the match key: billing provider NPI ('' when
 * the 837 names none) and patient control number (CLM01 = CLP01 = 277CA TRN02).
 */
export interface ClaimLifecycle {
  patientControlNumber: string;
  billingNpi: string;
  payer: string;
  /** Whether an 837 of the claim was folded: a row without one holds answers waiting for their claim. */
  submitted: boolean;
  firstSubmittedOn: string | null;
  submissionCount: number;
  /** Replaced or voided (CLM05-3 7 or 8) or sent more than once. */
  resubmitted: boolean;
  /** The transaction set of the first submission, which a 999 names. */
  firstSetSenderId: string | null;
  firstSetGroupControlNumber: string | null;
  firstSetTransactionControlNumber: string | null;
  /** Pended by the pend rules on submission, or pended by the payer (an 835 status of pending). */
  pended: boolean;
  acknowledgementCount: number;
  latestAcknowledgementStatus: string | null;
  latestAcknowledgementCategory: string | null;
  latestAcknowledgedOn: string | null;
  /** Any 277CA rejected the claim (STC01-1 A3, A6, A7, A8). */
  everRejectedByAcknowledgement: boolean;
  adjudicationCount: number;
  /** The first adjudication that decided the claim (paid, partially paid or denied; a reversal never does). */
  firstAdjudicatedOn: string | null;
  firstAdjudicationStatus: string | null;
  /** The first adjudication that paid something: its payment date. */
  firstPaidOn: string | null;
  /** What the standing adjudication paid (0 when none stands). */
  paidAmountCents: number;
  reversalCount: number;
}

const PAID_STATUSES: ReadonlySet<string> = new Set(['paid', 'partially_paid']);
/** The payer decided the claim (HFMA: what a denial or clean-claim rate's denominator counts). */
const DECIDED_STATUSES: ReadonlySet<string> = new Set(['paid', 'partially_paid', 'denied']);
const normalizedPayer = (payer: string): string => payer.trim().toUpperCase();

/**
 * Which submission group an answer (835 or 277CA) joins:
 * - it names a billing NPI (835 N1*PE with N103 = XX; 277CA 2000C NM1*85 XX):
 *   the group of that NPI, else none;
 * - it names none: the group whose payer is the answer's payer (names
 *   compared trimmed and case-blind), else the only group when there is just
 *   one (the patient control number is the provider's own, unique per claim,
 *   while payer names are free text that an 837 and an 835 spell apart).
 * Returns the key of the group joined, or the answer's own key (unmatched).
 */
function matchKeyOf(answer: Part, groups: ReadonlyMap<string, Part[]>): { npi: string; matched: boolean } {
  const npi = answer.claim.billingNpi ?? null;
  if (npi !== null && npi !== '') return { npi, matched: groups.has(npi) };
  const payer = normalizedPayer(answer.claim.payer);
  const samePayer = [...groups.entries()].filter(([, submissions]) =>
    submissions.some((submission) => normalizedPayer(submission.claim.payer) === payer),
  );
  if (samePayer.length === 1 && samePayer[0]) return { npi: samePayer[0][0], matched: true };
  const only = groups.size === 1 ? [...groups.keys()][0] : undefined;
  if (samePayer.length === 0 && only !== undefined) return { npi: only, matched: true };
  return { npi: '', matched: false };
}

const earliest = (dates: ReadonlyArray<string | null>): string | null =>
  dates.reduce<string | null>((min, date) => (date !== null && (min === null || date < min) ? date : min), null);

function lifecycleOf(
  patientControlNumber: string,
  billingNpi: string,
  submissions: readonly Part[],
  adjudications: readonly Part[],
  acknowledgements: readonly Part[],
): ClaimLifecycle {
  const first = submissions[0];
  const outcomes = adjudications.filter((part) => !isReversal(part));
  const firstDecision = outcomes.find((part) => DECIDED_STATUSES.has(part.claim.adjudication?.status ?? ''));
  const latestAcknowledgement = acknowledgements.at(-1)?.claim.acknowledgement;
  const standing = standingAdjudicationOf(adjudications);
  const payerOf = first ?? outcomes[0] ?? adjudications[0] ?? acknowledgements[0];
  return {
    patientControlNumber,
    billingNpi,
    payer: payerOf?.claim.payer ?? 'UNKNOWN',
    submitted: first !== undefined,
    firstSubmittedOn: first ? submittedDateOf(first) : null,
    submissionCount: submissions.length,
    resubmitted:
      submissions.length > 1 ||
      submissions.some((part) => ['7', '8'].includes(part.claim.submission?.frequencyCode ?? '')),
    firstSetSenderId: first?.claim.submission?.senderId ?? null,
    firstSetGroupControlNumber: first?.claim.submission?.groupControlNumber ?? null,
    firstSetTransactionControlNumber: first?.claim.submission?.transactionControlNumber ?? null,
    pended:
      submissions.some((part) => (part.pendDecision?.status ?? 'clean') !== 'clean') ||
      outcomes.some((part) => part.claim.adjudication?.status === 'pending'),
    acknowledgementCount: acknowledgements.length,
    latestAcknowledgementStatus: latestAcknowledgement?.status ?? null,
    latestAcknowledgementCategory: latestAcknowledgement?.statusCode ?? null,
    latestAcknowledgedOn: acknowledgements.at(-1)?.occurredAt ?? null,
    everRejectedByAcknowledgement: acknowledgements.some((part) => part.claim.acknowledgement?.status === 'rejected'),
    adjudicationCount: adjudications.length,
    firstAdjudicatedOn: firstDecision?.occurredAt ?? null,
    firstAdjudicationStatus: firstDecision?.claim.adjudication?.status ?? null,
    firstPaidOn: earliest(
      outcomes
        .filter(
          (part) =>
            PAID_STATUSES.has(part.claim.adjudication?.status ?? '') &&
            (part.claim.adjudication?.paidAmountCents ?? 0) > 0,
        )
        .map((part) => part.claim.adjudication?.paidDate ?? part.occurredAt),
    ),
    paidAmountCents: standing?.claim.adjudication?.paidAmountCents ?? 0,
    reversalCount: adjudications.filter(isReversal).length,
  };
}

/**
 * The lifecycle rows of one patient control number, from all its parts:
 * one per billing NPI its 837s name, plus one for the answers that join no
 * 837 (kept under their own NPI, or '' when they name none, and counted as
 * unmatched until their 837 comes and the rows are recomputed).
 */
export function claimLifecyclesOf(patientControlNumber: string, parts: ClaimParts): ClaimLifecycle[] {
  const groups = new Map<string, Part[]>();
  for (const submission of parts.submissions) {
    const npi = submission.claim.billingNpi ?? '';
    groups.set(npi, [...(groups.get(npi) ?? []), submission]);
  }
  const answers = new Map<string, { adjudications: Part[]; acknowledgements: Part[] }>();
  const answersOf = (npi: string) => {
    let entry = answers.get(npi);
    if (!entry) {
      entry = { adjudications: [], acknowledgements: [] };
      answers.set(npi, entry);
    }
    return entry;
  };
  for (const adjudication of parts.adjudications) {
    answersOf(matchKeyOf(adjudication, groups).npi).adjudications.push(adjudication);
  }
  for (const acknowledgement of parts.acknowledgements) {
    answersOf(matchKeyOf(acknowledgement, groups).npi).acknowledgements.push(acknowledgement);
  }
  const npis = [...new Set([...groups.keys(), ...answers.keys()])].sort();
  return npis.map((npi) =>
    lifecycleOf(
      patientControlNumber,
      npi,
      groups.get(npi) ?? [],
      answers.get(npi)?.adjudications ?? [],
      answers.get(npi)?.acknowledgements ?? [],
    ),
  );
}
