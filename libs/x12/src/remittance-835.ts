import {
  PATIENT_COST_SHARING_CARCS,
  type AdjudicationSchema,
  type ClaimLine,
  type ClaimType,
  type DataQualityFinding,
} from '@claims/contracts';
import { tokenizePatientId } from '@claims/source-layouts';
import type { z } from 'zod';
import { shippedRemarkCodes } from './x12-code-lists';
import { X12Error } from './x12.errors';
import type { X12Segment } from './x12-segments';
import {
  amountCentsOf,
  blankToNull,
  componentsOf,
  dateOf,
  elementOf,
  optionalAmountCentsOf,
  quantityOf,
} from './x12-values';

type Adjudication = z.infer<typeof AdjudicationSchema>;
type Adjustment = NonNullable<Adjudication['adjustments']>[number];

/** A PLB adjustment: provider-level, not tied to any claim (interest, forward balance, ...). */
export interface ProviderAdjustment {
  /** PLB01: the provider the adjustment applies to. */
  providerId: string;
  /** PLB02: end of the provider's fiscal period. */
  fiscalPeriodDate: string | null;
  /** PLBxx-1: adjustment reason code (WO overpayment recovery, L6 interest, ...). */
  reasonCode: string;
  /** PLBxx-2: the reference the payer gives for it. */
  reference: string | null;
  /** Positive reduces the payment, negative adds to it (005010X221A1, PLB). */
  amountCents: number;
  /** The PLB segment's number in the file, and the element of the pair's reason (3, 5, .. 13): its identity. */
  segmentNumber: number;
  elementPosition: number;
}

/** One CLP (2100) with everything the canonical adjudication event needs. */
export interface ClaimPayment {
  claimId: string;
  claimType: ClaimType;
  patientToken: string;
  serviceFromDate: string | null;
  serviceThroughDate: string | null;
  lines: ClaimLine[];
  billedAmountCents: number;
  /**
   * The claim's allowed total: its lines' allowed amounts less the payer's
   * reductions stated at claim level (a CAS before the first SVC, no line to
   * carry it); for a claim without lines, what was paid and what the member
   * owes (CLP04 + CLP05).
   */
  allowedAmountCents: number;
  adjudication: Adjudication;
  segmentNumber: number;
}

/** An 835 transaction set: the payment (BPR/TRN), its parties, its claims and its provider-level adjustments. */
export interface Remittance835 {
  /** BPR02: the total actually paid (claims less PLB). */
  paymentAmountCents: number;
  /** BPR01: C payment with remittance, H notification only, I remittance only, ... */
  transactionHandlingCode: string;
  paymentMethod: string | null;
  /** BPR16: when the payment is effective; null when the 835 moves no money. */
  paymentDate: string | null;
  /** DTM*405: when the payer produced the remittance. */
  productionDate: string | null;
  traceNumber: string | null;
  payer: { name: string | null; id: string | null };
  payee: { name: string | null; npi: string | null; taxId: string | null };
  claims: ClaimPayment[];
  providerAdjustments: ProviderAdjustment[];
  /**
   * What was read around rather than refused: a payment date that is no
   * date, a remark code not in the RARC list, a BPR02 that does not balance.
   * Every event of the remittance carries them.
   */
  dataQuality: DataQualityFinding[];
}

/**
 * CLP02 claim status codes (X12 code source 507... list in the 835 TR3,
 * 2100 CLP02): 1/2/3 processed as primary/secondary/tertiary, 4 denied,
 * 19/20/21 processed as primary/secondary/tertiary and forwarded to the
 * next payer, 22 reversal of previous payment, 23 not our claim (forwarded),
 * 25 predetermination pricing only (no payment).
 */
function statusOf(code: string, paidCents: number, chargeCents: number): Adjudication['status'] {
  switch (code) {
    case '1':
    case '2':
    case '3':
    case '19':
    case '20':
    case '21':
      return paidCents < chargeCents ? 'partially_paid' : 'paid';
    case '4':
      return 'denied';
    case '25':
      return 'pending';
    default:
      // 22 (reversal) and 23 (not our claim) state no outcome of their own: `reversal` says what a 22 does.
      return null;
  }
}

/**
 * Refuses a value past the last element the guide gives a segment (CAS19,
 * PLB14): six adjustments at most, and a seventh would otherwise be money
 * read past and lost without a word. A writer with more sends another segment.
 * @throws X12Error X12_SEGMENT_INVALID naming the first element past the last
 */
function assertNoElementPast(segment: X12Segment, lastPosition: number): void {
  for (let position = lastPosition + 1; position < segment.elements.length; position += 1) {
    if (elementOf(segment, position) === '') continue;
    throw new X12Error(
      'X12_SEGMENT_INVALID',
      `${segment.tag}${String(position).padStart(2, '0')} is past ${segment.tag}${lastPosition}: a ${segment.tag} holds six adjustments at most`,
      { segmentNumber: segment.number, elementPosition: position },
    );
  }
}

/**
 * An amount (or quantity) beside a blank reason code: money no code explains,
 * which would be left out of every total.
 * @throws X12Error X12_SEGMENT_INVALID naming the blank reason's element
 */
function assertReasonBeside(segment: X12Segment, reasonPosition: number, valuePositions: readonly number[]): void {
  if (valuePositions.every((position) => elementOf(segment, position) === '')) return;
  const field = `${segment.tag}${String(reasonPosition).padStart(2, '0')}`;
  throw new X12Error('X12_SEGMENT_INVALID', `${field} (reason code) is blank beside an amount`, {
    segmentNumber: segment.number,
    elementPosition: reasonPosition,
  });
}

/** CAS: a group code then up to six (reason, amount, quantity) triplets (CAS02–CAS19). */
function adjustmentsOf(cas: X12Segment, lineNumber: number | null): Adjustment[] {
  // Code lists spell group codes and CARCs in capitals; a writer's lower case names the same code.
  const groupCode = elementOf(cas, 1).toUpperCase();
  if (groupCode === '') {
    throw new X12Error('X12_SEGMENT_INVALID', 'CAS01 (group code) is blank', {
      segmentNumber: cas.number,
      elementPosition: 1,
    });
  }
  assertNoElementPast(cas, 19);
  const adjustments: Adjustment[] = [];
  for (let triplet = 0; triplet < 6; triplet += 1) {
    const reasonPosition = 2 + triplet * 3;
    const carc = elementOf(cas, reasonPosition).toUpperCase();
    if (carc === '') {
      assertReasonBeside(cas, reasonPosition, [reasonPosition + 1, reasonPosition + 2]);
      continue;
    }
    adjustments.push({
      lineNumber,
      groupCode,
      carc,
      amountCents: amountCentsOf(cas, reasonPosition + 1),
      quantity: quantityOf(cas, reasonPosition + 2),
    });
  }
  return adjustments;
}

/** A remark code and where it stood, for the RARC check. */
interface RemarkCodeSource {
  code: string;
  field: string;
  segmentNumber: number;
}

interface ClaimDraft {
  clp: X12Segment;
  patientId: string | null;
  insuredId: string | null;
  statement: { from: string | null; through: string | null };
  adjustments: Adjustment[];
  remarkCodes: string[];
  remarkCodeSources: RemarkCodeSource[];
  inpatient: boolean;
  institutional: boolean;
  /** `through`: the line's DTM*151 (service period end), when its DTM*150 opens a period. */
  lines: Array<{
    line: ClaimLine;
    adjustments: Adjustment[];
    allowedCents: number | null;
    through: string | null;
    /** The SVC segment, for a finding's location. */
    svc: X12Segment;
  }>;
}

/**
 * Reads an 835 transaction set (005010X221A1). Segments are taken by their
 * tag and the loop they stand in (header, 2100 claim, 2110 service line,
 * PLB trailer); anything else is skipped, as the guide's situational
 * segments are.
 *
 * Two checks become data-quality findings on the remittance, never refusals
 * (the claims are still the payer's word): a remark code that is not in
 * `remarkCodes` (the RARC list of data/codes/x12/codes.xml by default; null
 * skips the check) and a BPR02 that is not Σ CLP04 − Σ PLB amounts (the
 * transaction balancing of 005010X221A1, front matter section 1.10.2).
 * @throws X12Error for an amount or date that does not parse, or a CLP without CLP01
 */
export function remittanceOf835(
  segments: readonly X12Segment[],
  patientTokenKey: string,
  remarkCodes: ReadonlySet<string> | null = shippedRemarkCodes(),
): Remittance835 {
  const remittance: Remittance835 = {
    paymentAmountCents: 0,
    transactionHandlingCode: '',
    paymentMethod: null,
    paymentDate: null,
    productionDate: null,
    traceNumber: null,
    payer: { name: null, id: null },
    payee: { name: null, npi: null, taxId: null },
    claims: [],
    providerAdjustments: [],
    dataQuality: [],
  };
  const drafts: ClaimDraft[] = [];
  let draft: ClaimDraft | null = null;
  let party: 'PR' | 'PE' | null = null;
  let bpr: X12Segment | null = null;

  for (const segment of segments) {
    const line = draft?.lines[draft.lines.length - 1] ?? null;
    switch (segment.tag) {
      case 'BPR':
        bpr = segment;
        remittance.transactionHandlingCode = elementOf(segment, 1);
        remittance.paymentAmountCents = amountCentsOf(segment, 2);
        remittance.paymentMethod = blankToNull(elementOf(segment, 4));
        remittance.paymentDate = paymentDateOf(segment, remittance.dataQuality);
        break;
      case 'TRN':
        remittance.traceNumber = blankToNull(elementOf(segment, 2));
        break;
      case 'N1': {
        const entity = elementOf(segment, 1);
        party = entity === 'PR' || entity === 'PE' ? entity : null;
        if (entity === 'PR') remittance.payer.name = blankToNull(elementOf(segment, 2));
        if (entity === 'PE') {
          remittance.payee.name = blankToNull(elementOf(segment, 2));
          if (elementOf(segment, 3) === 'XX') remittance.payee.npi = blankToNull(elementOf(segment, 4));
          if (elementOf(segment, 3) === 'FI') remittance.payee.taxId = blankToNull(elementOf(segment, 4));
        }
        break;
      }
      case 'REF':
        // 1000A REF*2U: the payer's identification number.
        if (draft === null && party === 'PR' && elementOf(segment, 1) === '2U') {
          remittance.payer.id = blankToNull(elementOf(segment, 2));
        }
        if (draft === null && party === 'PE' && elementOf(segment, 1) === 'TJ') {
          remittance.payee.taxId ??= blankToNull(elementOf(segment, 2));
        }
        break;
      case 'DTM': {
        const qualifier = elementOf(segment, 1);
        if (qualifier === '405' && draft === null) remittance.productionDate = dateOf(segment, 2);
        else if (draft && line === null && qualifier === '232') draft.statement.from = dateOf(segment, 2);
        else if (draft && line === null && qualifier === '233') draft.statement.through = dateOf(segment, 2);
        else if (line && (qualifier === '472' || qualifier === '150')) line.line.serviceDate = dateOf(segment, 2);
        else if (line && qualifier === '151') line.through = dateOf(segment, 2);
        break;
      }
      case 'CLP':
        draft = {
          clp: segment,
          patientId: null,
          insuredId: null,
          statement: { from: null, through: null },
          adjustments: [],
          remarkCodes: [],
          remarkCodeSources: [],
          inpatient: false,
          institutional: false,
          lines: [],
        };
        drafts.push(draft);
        break;
      case 'NM1':
        if (draft && elementOf(segment, 1) === 'QC') draft.patientId = blankToNull(elementOf(segment, 9));
        if (draft && elementOf(segment, 1) === 'IL') draft.insuredId = blankToNull(elementOf(segment, 9));
        break;
      case 'MIA':
        // MIA (inpatient adjudication) is sent only for inpatient institutional claims; MIA05, MIA20–24 are RARCs.
        if (draft) {
          draft.inpatient = true;
          draft.institutional = true;
          for (const position of [5, 20, 21, 22, 23, 24]) addRemarkCode(draft, segment, position);
        }
        break;
      case 'MOA':
        // MOA03–MOA07: claim-level remark codes (RARCs) for outpatient and professional claims.
        if (draft) {
          for (const position of [3, 4, 5, 6, 7]) addRemarkCode(draft, segment, position);
        }
        break;
      case 'CAS':
        if (draft === null) break;
        if (line) line.adjustments.push(...adjustmentsOf(segment, line.line.lineNumber));
        else draft.adjustments.push(...adjustmentsOf(segment, null));
        break;
      case 'SVC':
        if (draft) draft.lines.push(serviceLineOf(segment, draft));
        break;
      case 'AMT':
        // 2110 AMT*B6: the allowed amount of the line.
        if (line && elementOf(segment, 1) === 'B6') line.allowedCents = amountCentsOf(segment, 2);
        break;
      case 'LQ':
        // 2110 LQ*HE: a line-level remark code (RARC).
        if (draft && elementOf(segment, 1) === 'HE') addRemarkCode(draft, segment, 2);
        break;
      case 'PLB':
        draft = null;
        remittance.providerAdjustments.push(...providerAdjustmentsOf(segment));
        break;
      case 'LX':
        draft = null;
        break;
      default:
        break;
    }
  }
  remittance.claims = drafts.map((claim) => claimPaymentOf(claim, remittance, patientTokenKey));
  if (remarkCodes) remittance.dataQuality.push(...unknownRemarkCodeFindings(drafts, remarkCodes));
  remittance.dataQuality.push(...drafts.flatMap(claimBalanceFindings));
  if (bpr) remittance.dataQuality.push(...balanceFindings(bpr, remittance));
  return remittance;
}

function addRemarkCode(draft: ClaimDraft, segment: X12Segment, position: number): void {
  const code = elementOf(segment, position);
  if (code === '') return;
  draft.remarkCodes.push(code);
  draft.remarkCodeSources.push({
    code,
    field: `${segment.tag}${String(position).padStart(2, '0')}`,
    segmentNumber: segment.number,
  });
}

/**
 * A remark code (MIA, MOA, LQ*HE) the RARC list does not hold: a typo, a
 * payer's private code or one newer than the list. The code is no PHI, so
 * the message names it, with the segment that carried it.
 */
function unknownRemarkCodeFindings(
  drafts: readonly ClaimDraft[],
  remarkCodes: ReadonlySet<string>,
): DataQualityFinding[] {
  return drafts.flatMap((draft) =>
    draft.remarkCodeSources
      .filter((source) => !remarkCodes.has(source.code))
      .map((source) => ({
        code: 'REMARK_CODE_UNKNOWN',
        field: source.field,
        message: `remark code ${source.code} (segment ${source.segmentNumber}) is not in the RARC list of data/codes/x12/codes.xml`,
      })),
  );
}

const dollarsOf = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/**
 * BPR02, the money moved, must be what the claims paid (Σ CLP04, reversals
 * negative) less the provider-level adjustments (Σ PLB amounts; a positive
 * one withholds money, a negative one adds it).
 */
function balanceFindings(bpr: X12Segment, remittance: Remittance835): DataQualityFinding[] {
  const claimsPaid = remittance.claims.reduce((sum, claim) => sum + (claim.adjudication.paidAmountCents ?? 0), 0);
  const providerAdjusted = remittance.providerAdjustments.reduce((sum, adjustment) => sum + adjustment.amountCents, 0);
  const expected = claimsPaid - providerAdjusted;
  if (expected === remittance.paymentAmountCents) return [];
  return [
    {
      code: 'REMITTANCE_UNBALANCED',
      field: 'BPR02',
      message:
        `BPR02 (segment ${bpr.number}) is ${dollarsOf(remittance.paymentAmountCents)}, but the claims' CLP04 ` +
        `(${dollarsOf(claimsPaid)}) less the PLB adjustments (${dollarsOf(providerAdjusted)}) come to ${dollarsOf(expected)}`,
    },
  ];
}

const adjustedCentsOf = (adjustments: readonly Adjustment[]): number =>
  adjustments.reduce((sum, adjustment) => sum + adjustment.amountCents, 0);

/**
 * The claim and service-line balancing of 005010X221A1 (front matter
 * 1.10.2): a line's charge (SVC02) less its CAS amounts is its payment
 * (SVC03), and the claim's charge (CLP03) less every CAS amount of the claim
 * and its lines is its payment (CLP04). A claim or line that does not
 * balance is read as the payer sent it (its CLP04, SVC03 and CAS are what
 * the figures add up), and the finding says which amounts disagree, by
 * segment number: never the claim's id, which names a patient's account.
 */
function claimBalanceFindings(draft: ClaimDraft): DataQualityFinding[] {
  const clp = draft.clp;
  const findings: DataQualityFinding[] = [];
  for (const { line, adjustments, svc } of draft.lines) {
    const paid = line.paymentAmountCents ?? 0;
    const charge = line.chargeAmountCents ?? 0;
    const adjusted = adjustedCentsOf(adjustments);
    if (charge - adjusted === paid) continue;
    findings.push({
      code: 'SERVICE_LINE_UNBALANCED',
      field: 'SVC03',
      message:
        `SVC03 (segment ${svc.number}) is ${dollarsOf(paid)}, but SVC02 (${dollarsOf(charge)}) less the line's ` +
        `CAS adjustments (${dollarsOf(adjusted)}) comes to ${dollarsOf(charge - adjusted)}`,
    });
  }
  const charge = amountCentsOf(clp, 3);
  const paid = amountCentsOf(clp, 4);
  const adjusted =
    adjustedCentsOf(draft.adjustments) + draft.lines.reduce((sum, line) => sum + adjustedCentsOf(line.adjustments), 0);
  if (charge - adjusted !== paid) {
    findings.push({
      code: 'CLAIM_UNBALANCED',
      field: 'CLP04',
      message:
        `CLP04 (segment ${clp.number}) is ${dollarsOf(paid)}, but CLP03 (${dollarsOf(charge)}) less the CAS ` +
        `adjustments of the claim and its lines (${dollarsOf(adjusted)}) comes to ${dollarsOf(charge - adjusted)}`,
    });
  }
  return findings;
}

/**
 * BPR16, the effective payment date. A date that is no date (the X12 guide's
 * own managed-care example has 20002316) costs the remittance its payment
 * date, not its claims: DTM*405 stands in and a finding says so.
 */
function paymentDateOf(bpr: X12Segment, findings: DataQualityFinding[]): string | null {
  if (elementOf(bpr, 16) === '') return null;
  try {
    return dateOf(bpr, 16);
  } catch (error) {
    if (!(error instanceof X12Error)) throw error;
    findings.push({ code: 'DATE_INVALID', field: 'BPR16', message: error.message });
    return null;
  }
}

/** A NUBC revenue code as an 835 carries it: four digits, or three when the leading zero is dropped. */
const REVENUE_CODE = /^\d{3,4}$/;

function serviceLineOf(svc: X12Segment, draft: ClaimDraft): ClaimDraft['lines'][number] {
  // SVC01: qualifier (HC HCPCS, NU revenue code, ...), code, modifiers; SVC04: revenue code beside a HCPCS.
  const [qualifier = '', code = '', ...modifiers] = componentsOf(svc, 1);
  // SVC04 is a NUBC revenue code (four digits, sent as three without the leading zero); anything else there
  // (an amount a writer shifted one element along) is no revenue code and would make the claim institutional.
  const stated = elementOf(svc, 4);
  const revenueCode = qualifier === 'NU' ? code : REVENUE_CODE.test(stated) ? stated : null;
  if (revenueCode !== null) draft.institutional = true;
  // N4: an NDC (5-4-2) the payer adjudicated a drug line by; read as a HCPCS code it would count as a procedure.
  const drug = qualifier === 'N4';
  return {
    line: {
      lineNumber: draft.lines.length + 1,
      hcpcsCode: qualifier === 'NU' || drug ? null : blankToNull(code),
      ...(drug ? { ndcCode: blankToNull(code) } : {}),
      renderingNpi: null,
      taxId: null,
      diagnosisCode: null,
      paymentAmountCents: amountCentsOf(svc, 3),
      allowedAmountCents: 0,
      deductibleAmountCents: 0,
      coinsuranceAmountCents: 0,
      primaryPayerPaidAmountCents: 0,
      processingIndicatorCode: null,
      processingCategory: 'unknown',
      revenueCode,
      chargeAmountCents: amountCentsOf(svc, 2),
      serviceUnitCount: unitCountOf(svc, draft),
      serviceDate: null,
      procedureModifiers: modifiers.slice(0, 4).filter((modifier) => modifier !== ''),
    },
    adjustments: [],
    allowedCents: null,
    through: null,
    svc,
  };
}

/**
 * SVC05, the paid units (SVC07, the billed units, when SVC05 is absent). A
 * reversal (CLP02 22) negates the payment it takes back, and payers that
 * negate its units too send them below zero; the canonical line counts units
 * whichever way they go (a reversal's direction is its status and its
 * amounts), so a reversal's units are read as their size. Anywhere else a
 * negative count stays as sent, and the contract refuses it.
 */
function unitCountOf(svc: X12Segment, draft: ClaimDraft): number | null {
  const units = quantityOf(svc, 5) ?? quantityOf(svc, 7);
  return units !== null && units < 0 && elementOf(draft.clp, 2) === '22' ? -units : units;
}

/** PLB03–PLB14: up to six (reason:reference, amount) pairs. */
function providerAdjustmentsOf(plb: X12Segment): ProviderAdjustment[] {
  const adjustments: ProviderAdjustment[] = [];
  const fiscalPeriodDate = elementOf(plb, 2) === '' ? null : dateOf(plb, 2);
  assertNoElementPast(plb, 14);
  for (let pair = 0; pair < 6; pair += 1) {
    const position = 3 + pair * 2;
    const [reason = '', reference = ''] = componentsOf(plb, position);
    // The code list spells reason codes in capitals (WO, L6, FB): a writer's lower case names the same code.
    const reasonCode = reason.trim().toUpperCase();
    if (reasonCode === '') {
      assertReasonBeside(plb, position, [position + 1]);
      continue;
    }
    adjustments.push({
      providerId: elementOf(plb, 1),
      fiscalPeriodDate,
      reasonCode,
      reference: blankToNull(reference),
      amountCents: amountCentsOf(plb, position + 1),
      segmentNumber: plb.number,
      elementPosition: position,
    });
  }
  return adjustments;
}

/** The groups of the payer's own reductions (contractual, other, payer-initiated, correction): every one but PR. */
const PAYER_REDUCTION_GROUPS = ['CO', 'OA', 'PI', 'CR'] as const;

const sumOf = (adjustments: Adjustment[], groups: readonly string[], carcs?: readonly string[]): number =>
  adjustments
    .filter((adjustment) => groups.includes(adjustment.groupCode) && (!carcs || carcs.includes(adjustment.carc)))
    .reduce((sum, adjustment) => sum + adjustment.amountCents, 0);

function claimPaymentOf(draft: ClaimDraft, remittance: Remittance835, patientTokenKey: string): ClaimPayment {
  const clp = draft.clp;
  const claimId = elementOf(clp, 1);
  if (claimId === '') {
    throw new X12Error('X12_SEGMENT_INVALID', 'CLP01 (patient control number) is blank', {
      segmentNumber: clp.number,
      elementPosition: 1,
    });
  }
  const statusCode = elementOf(clp, 2);
  const chargeCents = amountCentsOf(clp, 3);
  const paidCents = amountCentsOf(clp, 4);
  const lines = draft.lines.map(({ line, adjustments, allowedCents }) => ({
    ...line,
    // Without AMT*B6 the allowed amount is what the charge keeps after the payer's own reductions
    // (every group but PR: contractual, other, payer-initiated, correction).
    allowedAmountCents: allowedCents ?? (line.chargeAmountCents ?? 0) - sumOf(adjustments, PAYER_REDUCTION_GROUPS),
    deductibleAmountCents: sumOf(adjustments, ['PR'], [PATIENT_COST_SHARING_CARCS.deductible]),
    coinsuranceAmountCents: sumOf(adjustments, ['PR'], [PATIENT_COST_SHARING_CARCS.coinsurance]),
  }));
  const lineDates = lines.map((line) => line.serviceDate).filter((date): date is string => Boolean(date));
  const sorted = [...lineDates].sort();
  // A line dated by a period (DTM*150/151) ends on its DTM*151: the claim spans to the last line's end.
  const lineEnds = draft.lines
    .map(({ line, through }) => through ?? line.serviceDate)
    .filter((date): date is string => Boolean(date))
    .sort();
  const adjustments = [...draft.adjustments, ...draft.lines.flatMap((line) => line.adjustments)];
  const memberId = draft.insuredId ?? draft.patientId ?? `missing:${claimId}`;
  return {
    claimId,
    claimType: draft.inpatient
      ? 'institutional_inpatient'
      : draft.institutional
        ? 'institutional_outpatient'
        : 'professional',
    patientToken: tokenizePatientId(memberId, patientTokenKey),
    serviceFromDate: draft.statement.from ?? sorted[0] ?? null,
    serviceThroughDate: draft.statement.through ?? lineEnds[lineEnds.length - 1] ?? draft.statement.from ?? null,
    lines,
    billedAmountCents: chargeCents,
    allowedAmountCents:
      lines.length > 0
        ? lines.reduce((sum, line) => sum + line.allowedAmountCents, 0) -
          sumOf(draft.adjustments, PAYER_REDUCTION_GROUPS)
        : paidCents + (optionalAmountCentsOf(clp, 5) ?? 0),
    segmentNumber: clp.number,
    adjudication: {
      sourceStatus: statusCode,
      status: statusOf(statusCode, paidCents, chargeCents),
      paidAmountCents: paidCents,
      paidDate: remittance.paymentDate ?? remittance.productionDate,
      claimStatusCode: statusCode,
      payerClaimControlNumber: blankToNull(elementOf(clp, 7)),
      chargeAmountCents: chargeCents,
      patientResponsibilityCents: optionalAmountCentsOf(clp, 5),
      adjustments,
      remarkCodes: [...new Set(draft.remarkCodes)],
      traceNumber: remittance.traceNumber,
      paymentMethod: remittance.paymentMethod,
      reversal: statusCode === '22',
    },
  };
}
