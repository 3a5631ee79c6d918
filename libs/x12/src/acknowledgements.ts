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

/**
 * IK501 (005010X231A1, code list 717): A accepted, E accepted but errors
 * were noted, M/W/X rejected (message authentication, assurance, content
 * decryption), R rejected. Only acceptance lets the claims in it go on.
 */
function transactionSetStatus(code: string): Acknowledgement['status'] {
  if (code === 'A') return 'accepted';
  if (code === 'E') return 'accepted_with_errors';
  return 'rejected';
}

/** An optional integer element (a segment or element position), null when blank or not a number. */
function positionOf(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * The AK2 loops of a 999 transaction set, each with its IK5 verdict and the
 * IK3/IK4 errors located in the acknowledged transaction set (segment tag
 * and position, element position, error code).
 * @throws X12Error X12_SEGMENT_INVALID for an AK2 without IK5
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
        if (!open) break;
        const code = elementOf(segment, 1);
        const status = transactionSetStatus(code);
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
 * The claims (HL level PT, loop 2000D) of a 277CA transaction set, each with
 * its first STC's category and every status code of its STCs (STC01-2,
 * STC10-2, STC11-2).
 * @throws X12Error for a date or amount that does not parse
 */
export function claimAcknowledgementsOf277(
  segments: readonly X12Segment[],
  patientTokenKey: string,
): ClaimAcknowledgement[] {
  const claims: ClaimAcknowledgement[] = [];
  let level = '';
  let payer: string | null = null;
  let billingNpi: string | null = null;
  let processedDate: string | null = null;
  let draft: {
    hl: X12Segment;
    memberId: string | null;
    claimId: string | null;
    stcs: X12Segment[];
    service: { from: string; through: string } | null;
    payerClaimControlNumber: string | null;
  } | null = null;
  const finish = (): void => {
    if (draft) claims.push(claimAcknowledgementOf(draft, { payer, billingNpi, processedDate }, patientTokenKey));
    draft = null;
  };
  for (const segment of segments) {
    if (segment.tag === 'HL') {
      finish();
      level = elementOf(segment, 3);
      if (level === 'PT') {
        draft = { hl: segment, memberId: null, claimId: null, stcs: [], service: null, payerClaimControlNumber: null };
      }
      continue;
    }
    if (segment.tag === 'SE') continue;
    if (draft === null) {
      if (segment.tag === 'NM1' && elementOf(segment, 1) === 'PR') payer = blankToNull(elementOf(segment, 3));
      if (segment.tag === 'NM1' && elementOf(segment, 1) === '85' && elementOf(segment, 8) === 'XX') {
        billingNpi = blankToNull(elementOf(segment, 9));
      }
      // 2200A DTP*009: when the information source processed the batch.
      if (segment.tag === 'DTP' && elementOf(segment, 1) === '009') processedDate = dateRangeOf(segment, 2).from;
      continue;
    }
    // Service lines (2220D SVC and what follows) belong to the claim; their STCs are the lines', not the claim's.
    if (segment.tag === 'SVC') level = 'SVC';
    if (level === 'SVC') continue;
    if (segment.tag === 'NM1' && elementOf(segment, 1) === 'QC') draft.memberId = blankToNull(elementOf(segment, 9));
    else if (segment.tag === 'TRN' && elementOf(segment, 1) === '2') draft.claimId = blankToNull(elementOf(segment, 2));
    else if (segment.tag === 'STC') draft.stcs.push(segment);
    else if (segment.tag === 'REF' && elementOf(segment, 1) === '1K') {
      draft.payerClaimControlNumber = blankToNull(elementOf(segment, 2));
    } else if (segment.tag === 'DTP' && elementOf(segment, 1) === '472') draft.service = dateRangeOf(segment, 2);
  }
  finish();
  return claims;
}

function claimAcknowledgementOf(
  draft: {
    hl: X12Segment;
    memberId: string | null;
    claimId: string | null;
    stcs: X12Segment[];
    service: { from: string; through: string } | null;
    payerClaimControlNumber: string | null;
  },
  parties: { payer: string | null; billingNpi: string | null; processedDate: string | null },
  patientTokenKey: string,
): ClaimAcknowledgement {
  const location = { segmentNumber: draft.hl.number, elementPosition: 0 };
  const [first] = draft.stcs;
  if (draft.claimId === null) throw new X12Error('X12_SEGMENT_INVALID', 'a 2000D claim without its TRN02', location);
  if (first === undefined) throw new X12Error('X12_SEGMENT_INVALID', 'a 2000D claim without STC', location);
  const category = componentsOf(first, 1)[0] ?? '';
  const statusCodes = draft.stcs.flatMap((stc) =>
    [1, 10, 11].map((position) => componentsOf(stc, position)[1] ?? '').filter((code) => code !== ''),
  );
  const rejected = REJECTING_CATEGORIES.has(category);
  return {
    claimId: draft.claimId,
    patientToken: tokenizePatientId(draft.memberId ?? `missing:${draft.claimId}`, patientTokenKey),
    payer: parties.payer,
    billingNpi: parties.billingNpi,
    eventType: rejected ? 'rejected' : 'acknowledged',
    statusDate: elementOf(first, 2) === '' ? parties.processedDate : dateOf(first, 2),
    serviceFromDate: draft.service?.from ?? null,
    serviceThroughDate: draft.service?.through ?? null,
    billedAmountCents: elementOf(first, 4) === '' ? null : amountCentsOf(first, 4),
    payerClaimControlNumber: draft.payerClaimControlNumber,
    segmentNumber: draft.hl.number,
    acknowledgement: {
      kind: '277ca',
      status: rejected ? 'rejected' : ACCEPTING_CATEGORIES.has(category) ? 'accepted' : 'accepted_with_errors',
      statusCode: category,
      statusCodes,
      transactionControlNumber: null,
    },
  };
}
