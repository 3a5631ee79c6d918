import { x12AmountOf, x12DateOf } from '@claims/x12';

/**
 * The answers to an 837P a clearinghouse and payers send back, written as
 * text: the 999 (005010X231A1), the 277CA (005010X214) and the 835
 * (005010X221A1). Each function writes one whole interchange from a bounded
 * batch (one submitted interchange's worth), so a scenario of any size is
 * written batch by batch. Separators as the 837 writer's: * : ^ ~.
 */

const TERMINATOR = '~\n';

/** Joins elements and drops trailing empty ones, as X12 asks. */
function segment(...elements: string[]): string {
  let end = elements.length;
  while (end > 1 && elements[end - 1] === '') end -= 1;
  return `${elements.slice(0, end).join('*')}${TERMINATOR}`;
}

/** Counts a transaction set's segments as they are added, for SE01. */
class TransactionSetText {
  private readonly parts: string[] = [];
  private count = 0;

  constructor(
    private readonly control: string,
    ...st: string[]
  ) {
    this.add('ST', ...st.slice(0, 1), control, ...st.slice(1));
  }

  add(...elements: string[]): void {
    this.parts.push(segment(...elements));
    this.count += 1;
  }

  close(): string {
    this.add('SE', String(this.count + 1), this.control);
    return this.parts.join('');
  }
}

export interface AnswerEnvelope {
  senderId: string;
  receiverId: string;
  /** ISA13 and GS06. */
  controlNumber: number;
  /** YYYY-MM-DD: ISA09, GS04. */
  date: string;
  /** GS01: FA acknowledgement, HN claim status, HP remittance. */
  functionalIdentifierCode: 'FA' | 'HN' | 'HP';
  version: string;
}

/** ISA..IEA around transaction sets, with the counts the envelope reader checks. */
export function interchangeText(envelope: AnswerEnvelope, transactionSets: readonly string[]): string {
  const control = String(envelope.controlNumber).padStart(9, '0');
  const date = x12DateOf(envelope.date);
  // ISA is fixed width: ids padded to 15, the component separator as its last element.
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    envelope.senderId.padEnd(15),
    'ZZ',
    envelope.receiverId.padEnd(15),
    date.slice(2),
    '1200',
    '^',
    '00501',
    control,
    '0',
    'P',
    ':',
  ].join('*');
  return [
    `${isa}${TERMINATOR}`,
    segment(
      'GS',
      envelope.functionalIdentifierCode,
      envelope.senderId,
      envelope.receiverId,
      date,
      '1200',
      String(envelope.controlNumber),
      'X',
      envelope.version,
    ),
    ...transactionSets,
    segment('GE', String(transactionSets.length), String(envelope.controlNumber)),
    segment('IEA', '1', control),
  ].join('');
}

export interface AcknowledgedTransactionSet {
  /** ST02 of the 837. */
  controlNumber: string;
  accepted: boolean;
}

/** Where a rejected 837 transaction set is said to be wrong: the billing provider's NPI (2010AA NM109). */
export const REJECTED_SEGMENT = { tag: 'NM1', position: 7, loop: '2010AA', element: 9, dataElement: '67' } as const;

/**
 * A 999 for one functional group of 837s: an AK2/IK5 per transaction set
 * and AK9 for the group, A when all are accepted, P when some, R when none
 * (005010X231A1 code list 715).
 */
export function functionalAcknowledgementSet(
  groupControlNumber: number,
  sets: readonly AcknowledgedTransactionSet[],
): string {
  const text = new TransactionSetText('0001', '999', '005010X231A1');
  text.add('AK1', 'HC', String(groupControlNumber), '005010X222A1');
  for (const set of sets) {
    text.add('AK2', '837', set.controlNumber, '005010X222A1');
    if (set.accepted) {
      text.add('IK5', 'A');
      continue;
    }
    // IK304 8: segment has data element errors; IK403 7: invalid code value; IK501 R, IK502 5: segments in error.
    text.add('IK3', REJECTED_SEGMENT.tag, String(REJECTED_SEGMENT.position), REJECTED_SEGMENT.loop, '8');
    text.add('IK4', String(REJECTED_SEGMENT.element), REJECTED_SEGMENT.dataElement, '7');
    text.add('IK5', 'R', '5');
  }
  const accepted = sets.filter((set) => set.accepted).length;
  const verdict = accepted === sets.length ? 'A' : accepted === 0 ? 'R' : 'P';
  const count = String(sets.length);
  text.add('AK9', verdict, count, count, String(accepted));
  return text.close();
}

export interface StatusParty {
  name: string;
  id: string;
}

export interface ClaimStatus {
  claimId: string;
  member: { memberId: string; lastName: string; firstName: string };
  billing: { npi: string; name: string };
  chargeCents: number;
  serviceFromDate: string;
  serviceThroughDate: string;
  /** STC01-1/STC01-2, e.g. A2 and 20 (accepted for processing), A7 and 33 (subscriber id invalid). */
  category: string;
  statusCode: string;
  /** STC01-3: the entity the status is about (PR payer, IL subscriber, 85 billing provider). */
  entityCode: string;
  accepted: boolean;
  /** REF*1K, for an accepted claim: the payer's claim control number. */
  payerClaimControlNumber: string | null;
}

/**
 * A 277CA for the claims of one submitted transaction set and one payer:
 * 2000A the payer, 2000B the submitter (with the batch's totals), 2000C each
 * billing provider, 2000D each claim with its STC and TRN*2 = CLM01.
 */
export function claimAcknowledgementSet(
  control: string,
  payer: StatusParty,
  submitter: StatusParty & { batchReference: string },
  statusDate: string,
  claims: readonly ClaimStatus[],
): string {
  const date = x12DateOf(statusDate);
  const text = new TransactionSetText(control, '277', '005010X214');
  // BHT02 08 status; BHT06 TH receipt acknowledgement.
  text.add('BHT', '0085', '08', control, date, '1200', 'TH');
  let hl = 1;
  text.add('HL', '1', '', '20', '1');
  text.add('NM1', 'PR', '2', payer.name, '', '', '', '', 'PI', payer.id);
  text.add('TRN', '1', `${submitter.batchReference}${payer.id}`);
  text.add('DTP', '050', 'D8', date);
  text.add('DTP', '009', 'D8', date);
  hl += 1;
  text.add('HL', String(hl), '1', '21', '1');
  text.add('NM1', '41', '2', submitter.name, '', '', '', '', '46', submitter.id);
  text.add('TRN', '2', submitter.batchReference);
  const accepted = claims.filter((claim) => claim.accepted);
  const rejected = claims.filter((claim) => !claim.accepted);
  text.add('STC', 'A1:19:PR', date, 'WQ', x12AmountOf(claims.reduce((sum, claim) => sum + claim.chargeCents, 0)));
  if (accepted.length > 0) text.add('QTY', '90', String(accepted.length));
  if (rejected.length > 0) text.add('QTY', 'AA', String(rejected.length));
  if (accepted.length > 0)
    text.add('AMT', 'YU', x12AmountOf(accepted.reduce((sum, claim) => sum + claim.chargeCents, 0)));
  if (rejected.length > 0)
    text.add('AMT', 'YY', x12AmountOf(rejected.reduce((sum, claim) => sum + claim.chargeCents, 0)));
  const receiverLevel = hl;
  for (const [npi, ofProvider] of groupedBy(claims, (claim) => claim.billing.npi)) {
    hl += 1;
    const providerLevel = hl;
    text.add('HL', String(hl), String(receiverLevel), '19', '1');
    text.add('NM1', '85', '2', ofProvider[0]?.billing.name ?? '', '', '', '', '', 'XX', npi);
    text.add('TRN', '1', '0');
    for (const claim of ofProvider) {
      hl += 1;
      text.add('HL', String(hl), String(providerLevel), 'PT');
      const member = claim.member;
      text.add('NM1', 'QC', '1', member.lastName, member.firstName, '', '', '', 'MI', member.memberId);
      text.add('TRN', '2', claim.claimId);
      // STC03: WQ accepted, U rejected; STC04 the claim's total charge.
      text.add(
        'STC',
        `${claim.category}:${claim.statusCode}:${claim.entityCode}`,
        date,
        claim.accepted ? 'WQ' : 'U',
        x12AmountOf(claim.chargeCents),
      );
      if (claim.payerClaimControlNumber) text.add('REF', '1K', claim.payerClaimControlNumber);
      text.add('DTP', '472', 'RD8', `${x12DateOf(claim.serviceFromDate)}-${x12DateOf(claim.serviceThroughDate)}`);
    }
  }
  return text.close();
}

/** Items grouped by a key, groups in the order their first item came. */
export function groupedBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export interface RemittanceAdjustment {
  groupCode: 'CO' | 'PR' | 'OA';
  carc: string;
  amountCents: number;
}

export interface RemittanceLine {
  hcpcsCode: string;
  modifiers: readonly string[];
  chargeCents: number;
  paidCents: number;
  allowedCents: number;
  units: number;
  serviceDate: string;
  adjustments: readonly RemittanceAdjustment[];
}

export interface RemittanceClaim {
  claimId: string;
  /** CLP02: 1 processed as primary, 4 denied. */
  statusCode: '1' | '4';
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  payerClaimControlNumber: string;
  member: { memberId: string; lastName: string; firstName: string };
  serviceFromDate: string;
  serviceThroughDate: string;
  /** Claim-level CAS (a denial of the whole claim); lines carry their own. */
  adjustments: readonly RemittanceAdjustment[];
  lines: readonly RemittanceLine[];
}

export interface RemittancePayee {
  name: string;
  npi: string;
  taxId: string;
  address: { line: string; city: string; stateCode: string; postalCode: string };
}

/** CAS: one segment per group code, up to six reason/amount triplets each. */
function addAdjustments(text: TransactionSetText, adjustments: readonly RemittanceAdjustment[]): void {
  for (const [groupCode, ofGroup] of groupedBy(adjustments, (adjustment) => adjustment.groupCode)) {
    for (let start = 0; start < ofGroup.length; start += 6) {
      const triplets = ofGroup.slice(start, start + 6).flatMap((adjustment, index, all) => {
        const amount = [adjustment.carc, x12AmountOf(adjustment.amountCents)];
        // The quantity is left out, but its place is kept when another triplet follows.
        return index < all.length - 1 ? [...amount, ''] : amount;
      });
      text.add('CAS', groupCode, ...triplets);
    }
  }
}

/**
 * An 835 for one payer's payment to one payee: BPR02 is the sum of CLP04
 * (no provider-level adjustments), a check when money moves, a
 * non-payment notice (BPR01 H) when every claim was denied.
 */
export function remittanceSet(
  control: string,
  payer: StatusParty & { taxId: string },
  payee: RemittancePayee,
  paymentDate: string,
  checkNumber: string,
  claims: readonly RemittanceClaim[],
): string {
  const date = x12DateOf(paymentDate);
  const total = claims.reduce((sum, claim) => sum + claim.paidCents, 0);
  const text = new TransactionSetText(control, '835');
  const blanks = (count: number): string[] => Array.from({ length: count }, () => '');
  if (total > 0) text.add('BPR', 'I', x12AmountOf(total), 'C', 'CHK', ...blanks(11), date);
  else text.add('BPR', 'H', x12AmountOf(0), 'C', 'NON', ...blanks(11), date);
  text.add('TRN', '1', checkNumber, `1${payer.taxId}`);
  text.add('DTM', '405', date);
  text.add('N1', 'PR', payer.name);
  text.add('N3', 'PO BOX 1000');
  text.add('N4', 'HARRISBURG', 'PA', '171050000');
  text.add('REF', '2U', payer.id);
  text.add('PER', 'BL', 'PROVIDER SERVICES', 'TE', '8005550100');
  text.add('N1', 'PE', payee.name, 'XX', payee.npi);
  text.add('N3', payee.address.line);
  text.add('N4', payee.address.city, payee.address.stateCode, payee.address.postalCode);
  text.add('REF', 'TJ', payee.taxId);
  text.add('LX', '1');
  for (const claim of claims) {
    // CLP06 12: preferred provider organisation; CLP08 11 office, CLP09 1 original claim.
    text.add(
      'CLP',
      claim.claimId,
      claim.statusCode,
      x12AmountOf(claim.chargeCents),
      x12AmountOf(claim.paidCents),
      claim.patientResponsibilityCents > 0 ? x12AmountOf(claim.patientResponsibilityCents) : '',
      '12',
      claim.payerClaimControlNumber,
      '11',
      '1',
    );
    addAdjustments(text, claim.adjustments);
    const member = claim.member;
    text.add('NM1', 'QC', '1', member.lastName, member.firstName, '', '', '', 'MI', member.memberId);
    if (claim.lines.length === 0) {
      text.add('DTM', '232', x12DateOf(claim.serviceFromDate));
      text.add('DTM', '233', x12DateOf(claim.serviceThroughDate));
    }
    for (const line of claim.lines) {
      text.add(
        'SVC',
        ['HC', line.hcpcsCode, ...line.modifiers].join(':'),
        x12AmountOf(line.chargeCents),
        x12AmountOf(line.paidCents),
        '',
        String(line.units),
      );
      text.add('DTM', '472', x12DateOf(line.serviceDate));
      addAdjustments(text, line.adjustments);
      text.add('AMT', 'B6', x12AmountOf(line.allowedCents));
    }
  }
  return text.close();
}
