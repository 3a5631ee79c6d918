import { z } from 'zod';
import { hasClaimLevelStatus } from './acknowledgements';
import { assertSegmentsOfGuide } from './x12-segment-dictionary';
import type { X12EnvelopeContext, X12TransactionSet } from './x12-envelope';
import { X12Error } from './x12.errors';

/** The raw-event layouts of the X12 transaction sets the pipeline maps. */
export const X12_LAYOUTS = {
  claimProfessional: 'x12.837p',
  claimInstitutional: 'x12.837i',
  remittance: 'x12.835',
  functionalAcknowledgement: 'x12.999',
  claimAcknowledgement: 'x12.277ca',
  claimStatusResponse: 'x12.277',
} as const;
export type X12Layout = (typeof X12_LAYOUTS)[keyof typeof X12_LAYOUTS];

/** The layout an ingest report names for an X12 file: its transaction sets carry their own. */
export const X12_FILE_LAYOUT = 'x12';

export function isX12Layout(layout: string): layout is X12Layout {
  return (Object.values(X12_LAYOUTS) as string[]).includes(layout);
}

/**
 * Implementation guides by transaction set (ASC X12 005010 TR3s): 837P
 * X222/X222A1/A2, 837I X223/A1–A3, 835 X221/A1, 999 X231/A1, 277CA X214.
 */
const GUIDES: ReadonlyArray<{ transactionSetId: string; guide: RegExp; layout: X12Layout }> = [
  { transactionSetId: '837', guide: /^005010X222/, layout: X12_LAYOUTS.claimProfessional },
  { transactionSetId: '837', guide: /^005010X223/, layout: X12_LAYOUTS.claimInstitutional },
  { transactionSetId: '835', guide: /^005010X221/, layout: X12_LAYOUTS.remittance },
  { transactionSetId: '999', guide: /^005010X231/, layout: X12_LAYOUTS.functionalAcknowledgement },
  { transactionSetId: '277', guide: /^005010X214/, layout: X12_LAYOUTS.claimAcknowledgement },
  { transactionSetId: '277', guide: /^005010X212/, layout: X12_LAYOUTS.claimStatusResponse },
];

/**
 * Transaction sets the pipeline knows and deliberately does not fold: no
 * KPI reads eligibility checks, claim status inquiries, enrollments,
 * premium payments or service reviews. They are reported as skipped, not
 * failed (a dead letter would say something is wrong with them).
 */
const NOT_FOLDED: Readonly<Record<string, string>> = {
  '270': 'eligibility inquiry',
  '271': 'eligibility response',
  '276': 'claim status inquiry',
  '278': 'services review',
  '820': 'premium payment',
  '834': 'benefit enrollment',
};

/**
 * The skip of a transaction set type no KPI folds, or null for any other.
 * Its envelope need not be sound: a damaged 271 is still a 271 the pipeline
 * would not have read, so it is skipped (the reason says what failed) rather
 * than dead-lettered for a replay that would never fold it.
 */
export function notFoldedSkip(transactionSetId: string): X12Skip | null {
  const kind = NOT_FOLDED[transactionSetId];
  if (kind === undefined) return null;
  return {
    code: 'X12_TRANSACTION_NOT_FOLDED',
    reason: `transaction set ${transactionSetId} (${kind}) is not folded into any KPI`,
  };
}

/** Why a transaction set is read but not published: the code and a reason naming its type, never its content. */
export interface X12Skip {
  code: 'X12_TRANSACTION_NOT_FOLDED' | 'X12_VERSION_UNSUPPORTED';
  reason: string;
}

/**
 * What the ingestor does with a transaction set: publish it under its
 * layout, or skip it and say why. A version the pipeline does not read
 * (4010 and older guides differ in loops and codes) is skipped and reported
 * as unsupported. A transaction set that is neither known nor one of the
 * recognised unfolded types still fails, as does one holding a segment its
 * guide does not define.
 * @throws X12Error X12_TRANSACTION_UNSUPPORTED, X12_SEGMENT_UNKNOWN
 */
export function x12DispositionOf(
  transaction: Pick<X12TransactionSet, 'transactionSetId' | 'implementationReference' | 'segments'>,
): { kind: 'publish'; layout: X12Layout } | ({ kind: 'skip' } & X12Skip) {
  const notFolded = notFoldedSkip(transaction.transactionSetId);
  if (notFolded !== null) return { kind: 'skip', ...notFolded };
  try {
    const layout = x12LayoutOf(transaction);
    assertSegmentsOfGuide(layout, transaction.segments);
    // A status response about a provider or the receiver as a whole (or an inquiry it could not answer) names no claim.
    if (layout === X12_LAYOUTS.claimStatusResponse && !hasClaimLevelStatus(transaction.segments)) {
      return {
        kind: 'skip',
        code: 'X12_TRANSACTION_NOT_FOLDED',
        reason: 'transaction set 277 (claim status response) holds no claim-level status',
      };
    }
    return { kind: 'publish', layout };
  } catch (error) {
    if (error instanceof X12Error && error.code === 'X12_VERSION_UNSUPPORTED') {
      return { kind: 'skip', code: 'X12_VERSION_UNSUPPORTED', reason: error.message };
    }
    throw error;
  }
}

/**
 * The layout of a transaction set, from ST01 and its implementation
 * reference (ST03, else GS08).
 * @throws X12Error X12_VERSION_UNSUPPORTED (not 005010: 4010 guides differ in loops and codes),
 *   X12_TRANSACTION_UNSUPPORTED (a transaction set or guide the pipeline does not fold)
 */
export function x12LayoutOf(
  transaction: Pick<X12TransactionSet, 'transactionSetId' | 'implementationReference' | 'segments'>,
): X12Layout {
  const reference = transaction.implementationReference;
  const location = { segmentNumber: transaction.segments[0]?.number ?? 0, elementPosition: 3 };
  if (!reference.startsWith('005010')) {
    throw new X12Error(
      'X12_VERSION_UNSUPPORTED',
      `transaction set ${transaction.transactionSetId} is version ${reference.slice(0, 6) || 'unknown'}; only 005010 is read`,
      location,
    );
  }
  const known = GUIDES.find(
    (entry) => entry.transactionSetId === transaction.transactionSetId && entry.guide.test(reference),
  );
  if (!known) {
    throw new X12Error(
      'X12_TRANSACTION_UNSUPPORTED',
      `transaction set ${transaction.transactionSetId} (${reference}) is not one the pipeline folds`,
      location,
    );
  }
  return known.layout;
}

/** What a raw X12 event carries beside its record: the envelope it was cut from. */
export const X12RecordContextSchema = z.object({
  format: z.literal('x12'),
  separators: z.object({
    element: z.string().length(1),
    repetition: z.string().length(1).nullable(),
    component: z.string().length(1),
    segment: z.string().length(1),
  }),
  interchangeControlNumber: z.string(),
  senderId: z.string(),
  receiverId: z.string(),
  usageIndicator: z.string(),
  functionalIdentifierCode: z.string(),
  groupControlNumber: z.string(),
  groupVersion: z.string(),
  /** GS04 as written (CCYYMMDD); optional so raw events written before it still read. */
  groupDate: z.string().optional(),
  transactionSetId: z.string(),
  transactionControlNumber: z.string(),
  implementationReference: z.string(),
  /** The ST's segment number in the file, so errors found later still locate in the file. */
  firstSegmentNumber: z.number().int().positive(),
});
export type X12RecordContext = z.infer<typeof X12RecordContextSchema>;

export function x12RecordContextOf(transaction: X12TransactionSet): X12RecordContext {
  const envelope: X12EnvelopeContext = transaction.envelope;
  return {
    format: 'x12',
    separators: envelope.separators,
    interchangeControlNumber: envelope.interchangeControlNumber,
    senderId: envelope.senderId,
    receiverId: envelope.receiverId,
    usageIndicator: envelope.usageIndicator,
    functionalIdentifierCode: envelope.functionalIdentifierCode,
    groupControlNumber: envelope.groupControlNumber,
    groupVersion: envelope.groupVersion,
    groupDate: envelope.groupDate,
    transactionSetId: transaction.transactionSetId,
    transactionControlNumber: transaction.controlNumber,
    implementationReference: transaction.implementationReference,
    firstSegmentNumber: transaction.segments[0]?.number ?? 1,
  };
}

/** @throws X12Error X12_CONTEXT_INVALID */
export function parseX12RecordContext(header: string | null | undefined): X12RecordContext {
  let json: unknown;
  try {
    json = JSON.parse(header ?? '');
  } catch {
    throw new X12Error('X12_CONTEXT_INVALID', 'the raw event carries no X12 envelope context');
  }
  const parsed = X12RecordContextSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new X12Error('X12_CONTEXT_INVALID', `the X12 envelope context has invalid fields: ${fields}`);
  }
  return parsed.data;
}
