import type { AcknowledgementSchema } from '@claims/contracts';
import { tokenizePatientId } from '@claims/source-layouts';
import type { z } from 'zod';
import { X12Error } from './x12.errors';
import type { X12Segment } from './x12-segments';
import { amountCentsOf, blankToNull, componentsOf, dateOf, dateRangeOf, elementOf } from './x12-values';

type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

/** One acknowledged transaction set of a 999 (an AK2 loop): what the receiver said of it. */
export interface TransactionSetAcknowledgement {
  /** AK201/AK202/AK203: the acknowledged transaction set (an 837's ST01, ST02 and ST03). */
  transactionSetId: string;
  transactionControlNumber: string;
  implementationReference: string | null;
  /** AK101/AK102: the acknowledged functional group. */
  groupControlNumber: string;
  acknowledgement: Acknowledgement;
  eventType: 'acknowledged' | 'rejected';
  segmentNumber: number;
}

const REJECTING_SET_CODES: ReadonlySet<string> = new Set(['M', 'R', 'W', 'X']);

/**
 * IK501 (005010X231A1, code list 717): A accepted, E accepted but errors
 * were noted, M/W/X rejected (message authentication, assurance, content
 * decryption), R rejected. Only acceptance lets the claims in it go on.
 * Any other value (blank, a typo, an AK9-only code such as P) says nothing
 * of the set: it is refused rather than read as a rejection, which would
 * raise the 999 rejection rate and stop the set's claims being awaited.
 * @throws X12Error X12_SEGMENT_INVALID
 */
function transactionSetStatus(ik5: X12Segment): Acknowledgement['status'] {
  const code = elementOf(ik5, 1);
  if (code === 'A') return 'accepted';
  if (code === 'E') return 'accepted_with_errors';
  if (REJECTING_SET_CODES.has(code)) return 'rejected';
  throw new X12Error('X12_SEGMENT_INVALID', 'IK501 is not a transaction set acknowledgment code (A, E, M, R, W, X)', {
    segmentNumber: ik5.number,
    elementPosition: 1,
  });
}

/** An optional integer element (a segment or element position), null when blank or not a number. */
function positionOf(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * The AK2 loops of a 999 transaction set, each with its IK5 verdict and the
 * IK3/IK4 errors located in the acknowledged transaction set (segment tag
 * and position, element position, error code).
 * @throws X12Error X12_SEGMENT_INVALID for an AK2 without IK5, an IK5 without AK2 (a second verdict on
 *   one set), or an IK501 outside code list 717
 */
export function acknowledgementsOf999(segments: readonly X12Segment[]): TransactionSetAcknowledgement[] {
  const acknowledged: TransactionSetAcknowledgement[] = [];
  let groupControlNumber = '';
  let open: { ak2: X12Segment; errors: NonNullable<Acknowledgement['errors']> } | null = null;
  let lastSegmentError: { segmentTag: string; segmentPosition: number | null } | null = null;
  for (const segment of segments) {
    switch (segment.tag) {
      case 'AK1':
        groupControlNumber = elementOf(segment, 2);
        break;
      case 'AK2':
        if (open) throw missingIk5(open.ak2);
        open = { ak2: segment, errors: [] };
        lastSegmentError = null;
        break;
      case 'IK3':
        if (!open) break;
        lastSegmentError = { segmentTag: elementOf(segment, 1), segmentPosition: positionOf(elementOf(segment, 2)) };
        // IK304: implementation segment syntax error code (1 unrecognized segment, 3 required segment missing, I6 ...).
        open.errors.push({ ...lastSegmentError, elementPosition: null, errorCode: elementOf(segment, 4) });
        break;
      case 'IK4':
        if (!open) break;
        // IK401-1: the element's position in the segment the IK3 before it names; IK403: the error code.
        open.errors.push({
          segmentTag: lastSegmentError?.segmentTag ?? '',
          segmentPosition: lastSegmentError?.segmentPosition ?? null,
          elementPosition: positionOf(componentsOf(segment, 1)[0] ?? ''),
          errorCode: elementOf(segment, 3),
        });
        break;
      case 'IK5': {
        // A second IK5 for one AK2 (or one before any AK2) is a verdict on no set we can name: dropping it
        // would silently keep a set accepted that this 999 may reject.
        if (!open) {
          throw new X12Error('X12_SEGMENT_INVALID', 'IK5 without an AK2 of its own', {
            segmentNumber: segment.number,
            elementPosition: 0,
          });
        }
        const code = elementOf(segment, 1);
        const status = transactionSetStatus(segment);
        const codes = [2, 3, 4, 5, 6].map((position) => elementOf(segment, position)).filter((value) => value !== '');
        acknowledged.push({
          transactionSetId: elementOf(open.ak2, 1),
          transactionControlNumber: elementOf(open.ak2, 2),
          implementationReference: blankToNull(elementOf(open.ak2, 3)),
          groupControlNumber,
          eventType: status === 'rejected' ? 'rejected' : 'acknowledged',
          segmentNumber: open.ak2.number,
          acknowledgement: {
            kind: '999',
            status,
            statusCode: code,
            statusCodes: codes,
            transactionControlNumber: blankToNull(elementOf(open.ak2, 2)),
            errors: open.errors,
          },
        });
        open = null;
        break;
      }
      default:
        break;
    }
  }
  if (open) throw missingIk5(open.ak2);
  return acknowledged;
}

function missingIk5(ak2: X12Segment): X12Error {
  return new X12Error('X12_SEGMENT_INVALID', 'AK2 without its IK5', { segmentNumber: ak2.number, elementPosition: 0 });
}

/** One claim of a 277CA (2200D): the payer's or clearinghouse's verdict on it. */
export interface ClaimAcknowledgement {
  /** 2200D TRN02: the patient control number the 837 sent in CLM01. */
  claimId: string;
  patientToken: string;
  payer: string | null;
  billingNpi: string | null;
  eventType: 'acknowledged' | 'rejected';
  /** STC02: when the status took effect. */
  statusDate: string | null;
  serviceFromDate: string | null;
  serviceThroughDate: string | null;
  /** STC04: the total charge the status speaks of. */
  billedAmountCents: number | null;
  /** 2200D REF*1K: the payer's claim control number. */
  payerClaimControlNumber: string | null;
  acknowledgement: Acknowledgement;
  segmentNumber: number;
}

/**
 * Claim status categories (X12 code list 507, as 005010X214 uses them): A1
 * received, A2 accepted into adjudication, A5 split; A3 returned as
 * unprocessable, A6 rejected for missing information, A7 rejected for
 * invalid information, A8 rejected for relational field errors; A4 not
 * found. A3/A6/A7/A8 reject the claim; A4 says nothing of its content, so it
 * is acknowledged with errors rather than rejected.
 */
const REJECTING_CATEGORIES = new Set(['A3', 'A6', 'A7', 'A8']);
const ACCEPTING_CATEGORIES = new Set(['A1', 'A2', 'A5']);

/**
 * A claim status response (005010X212) speaks of a claim the payer holds:
 * finalized (F0–F4), pending (P0–P5) or waiting on a request (R*) all mean
 * it got past the front end, so they read as accepted. A4 (not found), D0
 * (no data found) and E* (the inquiry could not be answered) say nothing of
 * the claim's content: accepted with errors, as a 277CA's A4. A front-end
 * rejection category rejects it as in a 277CA.
 */
function statusOfCategory(guide: Guide277, category: string): Acknowledgement['status'] {
  if (REJECTING_CATEGORIES.has(category)) return 'rejected';
  if (ACCEPTING_CATEGORIES.has(category)) return 'accepted';
  if (guide.kind === '277' && !/^(A4|D|E)/.test(category)) return 'accepted';
  return 'accepted_with_errors';
}

/**
 * Where the two 277 guides keep a claim: a 277CA (005010X214) under HL
 * level PT (loop 2000D), its patient control number in TRN02; a claim
 * status response (005010X212) under the subscriber (HL 22) or dependent
 * (HL 23), its TRN02 being the inquiry's trace and the patient control
 * number in REF*EJ, its provider of service an NM1*1P.
 */
interface Guide277 {
  kind: Acknowledgement['kind'];
  claimLevels: ReadonlySet<string>;
  billingProviderEntity: string;
  memberEntities: ReadonlySet<string>;
  /** Whether REF*EJ (patient account number) names the claim rather than TRN02. */
  claimIdFromPatientAccount: boolean;
}

const CLAIM_ACKNOWLEDGEMENT_GUIDE: Guide277 = {
  kind: '277ca',
  claimLevels: new Set(['PT']),
  billingProviderEntity: '85',
  memberEntities: new Set(['QC']),
  claimIdFromPatientAccount: false,
};

const CLAIM_STATUS_RESPONSE_GUIDE: Guide277 = {
  kind: '277',
  claimLevels: new Set(['22', '23']),
  billingProviderEntity: '1P',
  memberEntities: new Set(['IL', 'QC']),
  claimIdFromPatientAccount: true,
};

interface Claim277Draft {
  hl: X12Segment;
  memberId: string | null;
  trace: string | null;
  patientAccount: string | null;
  stcs: X12Segment[];
  service: { from: string; through: string } | null;
  payerClaimControlNumber: string | null;
}

/**
 * The claims (HL level PT, loop 2000D) of a 277CA transaction set, each with
 * the category that decides it (the first rejecting one of its STCs, else
 * its first STC's) and every status code of its STCs (STC01-2, STC10-2,
 * STC11-2).
 * @throws X12Error for a date or amount that does not parse
 */
export function claimAcknowledgementsOf277(
  segments: readonly X12Segment[],
  patientTokenKey: string,
): ClaimAcknowledgement[] {
  return claimsOf277(segments, CLAIM_ACKNOWLEDGEMENT_GUIDE, patientTokenKey);
}

/**
 * The claim-level statuses of a 277 claim status response (005010X212),
 * read the same way as a 277CA's. Status at the information-receiver or
 * provider level (an answer about no particular claim) is not a claim's and
 * is left out; a subscriber level that only parents dependents holds none.
 * @throws X12Error for a date or amount that does not parse
 */
export function claimStatusesOf277(segments: readonly X12Segment[], patientTokenKey: string): ClaimAcknowledgement[] {
  return claimsOf277(segments, CLAIM_STATUS_RESPONSE_GUIDE, patientTokenKey);
}

/** Whether a 277 claim status response holds any claim-level status (else there is nothing to fold). */
export function hasClaimLevelStatus(segments: readonly X12Segment[]): boolean {
  let level = '';
  for (const segment of segments) {
    if (segment.tag === 'HL') level = elementOf(segment, 3);
    else if (segment.tag === 'STC' && CLAIM_STATUS_RESPONSE_GUIDE.claimLevels.has(level)) return true;
  }
  return false;
}

/** HL03 levels: 20 information source (the payer), 21 information receiver, 19 provider of service, 22 subscriber. */
const INFORMATION_SOURCE_LEVEL = '20';
const PARTY_LEVELS: ReadonlySet<string> = new Set([INFORMATION_SOURCE_LEVEL, '21', '19']);
const SUBSCRIBER_LEVEL = '22';

function claimsOf277(
  segments: readonly X12Segment[],
  guide: Guide277,
  patientTokenKey: string,
): ClaimAcknowledgement[] {
  const claims: ClaimAcknowledgement[] = [];
  let level = '';
  let payer: string | null = null;
  let billingNpi: string | null = null;
  let processedDate: string | null = null;
  let memberId: string | null = null;
  let draft: Claim277Draft | null = null;
  const finish = (): void => {
    // A 277 response's subscriber level that only parents its dependents carries no status of its own.
    if (draft && !(guide.claimIdFromPatientAccount && draft.stcs.length === 0 && draft.trace === null)) {
      claims.push(claimAcknowledgementOf(draft, guide, { payer, billingNpi, processedDate }, patientTokenKey));
    }
    draft = null;
  };
  for (const segment of segments) {
    if (segment.tag === 'HL') {
      finish();
      level = elementOf(segment, 3);
      // What a loop names belongs to it and the loops beneath it, never to the next loop of its level:
      // a second provider named by tax id only must not take the first one's NPI (nor a second payer the first's dates).
      if (level === INFORMATION_SOURCE_LEVEL) {
        payer = null;
        processedDate = null;
      }
      if (PARTY_LEVELS.has(level)) billingNpi = null;
      if (level === SUBSCRIBER_LEVEL) memberId = null;
      if (guide.claimLevels.has(level)) {
        draft = {
          hl: segment,
          memberId,
          trace: null,
          patientAccount: null,
          stcs: [],
          service: null,
          payerClaimControlNumber: null,
        };
      }
      continue;
    }
    if (segment.tag === 'SE') continue;
    if (draft === null) {
      if (segment.tag === 'NM1' && elementOf(segment, 1) === 'PR') payer = blankToNull(elementOf(segment, 3));
      if (
        segment.tag === 'NM1' &&
        elementOf(segment, 1) === guide.billingProviderEntity &&
        elementOf(segment, 8) === 'XX'
      ) {
        billingNpi = blankToNull(elementOf(segment, 9));
      }
      // 2200A DTP*009: when the information source processed the batch.
      if (segment.tag === 'DTP' && elementOf(segment, 1) === '009') processedDate = dateRangeOf(segment, 2).from;
      continue;
    }
    // Service lines (2220D SVC and what follows) belong to the claim; their STCs are the lines', not the claim's.
    if (segment.tag === 'SVC') level = 'SVC';
    if (level === 'SVC') continue;
    if (segment.tag === 'NM1' && guide.memberEntities.has(elementOf(segment, 1))) {
      const id = blankToNull(elementOf(segment, 9));
      if (elementOf(segment, 1) === 'IL') memberId = draft.memberId = id;
      // A dependent named without an id of its own is told apart under its subscriber by name.
      else draft.memberId = id ?? `${memberId ?? 'missing'}|QC|${elementOf(segment, 3)}|${elementOf(segment, 4)}`;
    } else if (segment.tag === 'TRN' && elementOf(segment, 1) === '2') draft.trace = blankToNull(elementOf(segment, 2));
    else if (segment.tag === 'STC') draft.stcs.push(segment);
    else if (segment.tag === 'REF' && elementOf(segment, 1) === '1K') {
      draft.payerClaimControlNumber = blankToNull(elementOf(segment, 2));
    } else if (segment.tag === 'REF' && elementOf(segment, 1) === 'EJ') {
      draft.patientAccount = blankToNull(elementOf(segment, 2));
    } else if (segment.tag === 'DTP' && elementOf(segment, 1) === '472') draft.service = dateRangeOf(segment, 2);
  }
  finish();
  return claims;
}

/** STC01, STC10 and STC11: a claim status composite each (category, status code, entity). */
const STATUS_POSITIONS = [1, 10, 11] as const;

/**
 * Every status composite of an STC, each as its components. The guide does
 * not repeat these elements, but a sender that writes a second status into
 * one with the interchange's repetition separator (ISA11) still means two
 * statuses, not one whose entity reads `IL^A7`.
 */
function statusCompositesOf(stc: X12Segment): string[][] {
  const { repetition, component } = stc.separators;
  return STATUS_POSITIONS.flatMap((position) => {
    const element = elementOf(stc, position);
    if (element === '') return [];
    const repetitions = repetition === null ? [element] : element.split(repetition);
    return repetitions
      .filter((text) => text.trim() !== '')
      .map((text) => text.split(component).map((part) => part.trim()));
  });
}

/**
 * The status that decides a claim, of all its STCs (2200D repeats STC, and
 * STC10/STC11 carry further statuses): the first that rejects it (A3, A6,
 * A7, A8), else the first STC's. A claim is rejected when any of its
 * statuses rejects it, whatever the order the payer wrote them in: a receipt
 * (A1) followed by a rejection (A7) is a rejection. The rejecting STC's own
 * date (STC02) dates the verdict. Null when the claim has no STC.
 */
function claimVerdictOf(stcs: readonly X12Segment[]): { stc: X12Segment; category: string } | null {
  for (const stc of stcs) {
    for (const [category = ''] of statusCompositesOf(stc)) {
      if (REJECTING_CATEGORIES.has(category)) return { stc, category };
    }
  }
  const [first] = stcs;
  return first === undefined ? null : { stc: first, category: statusCompositesOf(first)[0]?.[0] ?? '' };
}

function claimAcknowledgementOf(
  draft: Claim277Draft,
  guide: Guide277,
  parties: { payer: string | null; billingNpi: string | null; processedDate: string | null },
  patientTokenKey: string,
): ClaimAcknowledgement {
  const location = { segmentNumber: draft.hl.number, elementPosition: 0 };
  const claimId = (guide.claimIdFromPatientAccount ? draft.patientAccount : null) ?? draft.trace;
  if (claimId === null) throw new X12Error('X12_SEGMENT_INVALID', 'a claim status without its TRN02', location);
  const verdict = claimVerdictOf(draft.stcs);
  if (verdict === null) throw new X12Error('X12_SEGMENT_INVALID', 'a claim status without STC', location);
  const { stc, category } = verdict;
  const statusCodes = draft.stcs.flatMap((status) =>
    statusCompositesOf(status)
      .map((components) => components[1] ?? '')
      .filter((code) => code !== ''),
  );
  const rejected = REJECTING_CATEGORIES.has(category);
  const charged = draft.stcs.find((status) => elementOf(status, 4) !== '');
  return {
    claimId,
    patientToken: tokenizePatientId(draft.memberId ?? `missing:${claimId}`, patientTokenKey),
    payer: parties.payer,
    billingNpi: parties.billingNpi,
    eventType: rejected ? 'rejected' : 'acknowledged',
    statusDate: elementOf(stc, 2) === '' ? parties.processedDate : dateOf(stc, 2),
    serviceFromDate: draft.service?.from ?? null,
    serviceThroughDate: draft.service?.through ?? null,
    billedAmountCents: charged === undefined ? null : amountCentsOf(charged, 4),
    payerClaimControlNumber: draft.payerClaimControlNumber,
    segmentNumber: draft.hl.number,
    acknowledgement: {
      kind: guide.kind,
      status: statusOfCategory(guide, category),
      statusCode: category,
      statusCodes,
      transactionControlNumber: null,
    },
  };
}
