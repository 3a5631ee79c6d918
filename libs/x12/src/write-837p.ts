import type { Claim837 } from './claim-837';

/**
 * Writes 837P interchanges (ASC X12 005010X222A1, health care claim:
 * professional) from canonical claims. The reader (claim-837.ts) turns member
 * ids into tokens, so its output cannot be written back alone: the writer
 * takes the raw parties (member id, names, addresses) beside the claim.
 */

/** N3/N4: a street line, city, state and ZIP (9 digits for a billing provider, as 2010AA N403 asks). */
export interface X12Address {
  line: string;
  city: string;
  stateCode: string;
  postalCode: string;
}

export interface Professional837BillingProvider {
  npi: string;
  /** REF*EI: the employer identification number (2010AA requires a tax id). */
  taxId: string;
  /** An organisation's name, or a person's last name when `firstName` is set. */
  lastName: string;
  firstName: string | null;
  address: X12Address;
}

/** 2010BA: the member as the payer knows them. */
export interface Professional837Subscriber {
  memberId: string;
  lastName: string;
  firstName: string | null;
  /** DMG: required when the subscriber is the patient. */
  birthDate: string | null;
  gender: 'F' | 'M' | 'U' | null;
  address: X12Address | null;
}

/** 2000C/2010CA: a dependent patient (005010 gives them no member id of their own). */
export interface Professional837Patient {
  /** PAT01, individual relationship code: 01 spouse, 19 child, 20 employee, 21 unknown, ... */
  relationshipCode: string;
  lastName: string;
  firstName: string | null;
  birthDate: string;
  gender: 'F' | 'M' | 'U';
  address: X12Address;
}

export interface Professional837Facility {
  npi: string | null;
  name: string;
  address: X12Address;
}

/**
 * One service line: the fields of the canonical line an 837P carries. What
 * the primary payer paid for it (2430 SVD02) is written only on a claim that
 * names its primary payer.
 */
export type Professional837Line = Pick<
  Claim837['lines'][number],
  | 'hcpcsCode'
  | 'procedureModifiers'
  | 'chargeAmountCents'
  | 'serviceUnitCount'
  | 'placeOfServiceCode'
  | 'serviceDate'
  | 'diagnosisCode'
  | 'renderingNpi'
> &
  Partial<Pick<Claim837['lines'][number], 'primaryPayerPaidAmountCents'>>;

/**
 * The payer that adjudicated the claim first, on a claim sent on to the
 * secondary (coordination of benefits): 2320 other subscriber information
 * (SBR01 P), 2330A other subscriber, 2330B other payer.
 */
export interface Professional837PrimaryPayer {
  name: string;
  /** 2330B NM109 (PI payer id): what each line's 2430 SVD01 names the payer by. */
  id: string;
  /** 2320 SBR02: the patient's relationship to the primary's subscriber (18 self, 01 spouse, 19 child, ...). */
  relationshipCode: string;
  /** 2320 SBR09; CI commercial unless given. */
  claimFilingIndicator?: string;
  /** 2330A: the member as the primary payer knows them. */
  subscriber: { memberId: string; lastName: string; firstName: string | null };
  /** The primary's remittance date: 2430 DTP*573, which the guide requires beside each SVD. */
  paidDate: string;
}

/**
 * A professional claim to write: the reader's claim fields an 837P carries,
 * plus the raw parties it needs. The service dates are not written at claim
 * level (an 837P dates its lines): a line without a date is dated with the
 * claim's span, and the latest line becomes a range to the claim's last day
 * when the claim ends after it. What the claim says is written as it is: a
 * claim read from a damaged file (no diagnosis, no procedure code) is written
 * without them rather than given made-up codes.
 */
export interface Professional837Claim
  extends Pick<
    Claim837,
    | 'claimId'
    | 'billedAmountCents'
    | 'serviceFromDate'
    | 'serviceThroughDate'
    | 'admissionDate'
    | 'diagnoses'
    | 'renderingProvider'
  > {
  /** CLM05-1: the place of service, the claim's default for its lines. */
  placeOfServiceCode: string;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequencyCode?: string;
  /** SBR09: claim filing indicator (CI commercial, MB Medicare Part B, MC Medicaid, ...). */
  claimFilingIndicator?: string;
  billingProvider: Professional837BillingProvider;
  subscriber: Professional837Subscriber;
  /** Null when the subscriber is the patient. */
  patient: Professional837Patient | null;
  payer: { name: string; id: string };
  facility: Professional837Facility | null;
  /** The primary payer, when the claim goes to the secondary (2000B SBR01 S) after the primary paid. */
  primaryPayer?: Professional837PrimaryPayer | null;
  lines: readonly Professional837Line[];
}

export interface Professional837InterchangeOptions {
  /** ISA06/GS02 and ISA08/GS03 (ZZ mutually defined qualifiers). */
  senderId: string;
  receiverId: string;
  /** ISA13 and IEA02: 1 to 999999999. */
  interchangeControlNumber: number;
  /** GS06 and GE02; the interchange control number unless given. */
  groupControlNumber?: number;
  /** ISA09/10, GS04/05 and BHT04/05: YYYY-MM-DDTHH:MM (UTC, as written). */
  createdAt: string;
  /** ISA15: P production, T test. */
  usageIndicator?: 'P' | 'T';
  /** 1000A: who sends the claims. */
  submitter: { name: string; id: string; contactName: string; phone: string };
  /** 1000B: who receives them (a clearinghouse or the payer). */
  receiver: { name: string; id: string };
  /**
   * Claims per transaction set (ST..SE). The guide allows 5,000; a smaller
   * set keeps each raw event under the ingestor's record limit.
   */
  claimsPerTransactionSet?: number;
  /** Transaction sets are numbered (ST02) from here; 1 unless given. */
  firstTransactionControlNumber?: number;
  /** A line break after each terminator: easier to read, ignored by readers. */
  lineBreaks?: boolean;
}

export const X12_837P_VERSION = '005010X222A1';
const DEFAULT_CLAIMS_PER_TRANSACTION_SET = 500;
/** The guide's limits: 50 service lines per claim (2400 repeat), 12 diagnoses (HI01–HI12). */
const MAX_LINES_PER_CLAIM = 50;
const MAX_DIAGNOSES = 12;
const MAX_CONTROL_NUMBER = 999_999_999;
const ELEMENT = '*';
const COMPONENT = ':';
const REPETITION = '^';
const TERMINATOR = '~';
const SEPARATORS = new Set([ELEMENT, COMPONENT, REPETITION, TERMINATOR]);

export type X12WriteErrorCode = 'X12_VALUE_UNWRITABLE' | 'X12_CLAIM_UNWRITABLE' | 'X12_WRITER_STATE';

/** A claim or option the writer cannot put into valid X12; permanent, as the input will not change. */
export class X12WriteError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: X12WriteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'X12WriteError';
  }
}

/** An element as written: a separator inside a value would split it, so it is refused rather than escaped (X12 has no escape). */
function value(text: string, what: string): string {
  for (const char of text) {
    if (SEPARATORS.has(char)) throw new X12WriteError('X12_VALUE_UNWRITABLE', `${what} holds a delimiter (${char})`);
  }
  return text;
}

/** An X12 R amount: dollars with two decimals, as the samples write them. */
export function x12AmountOf(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new X12WriteError('X12_VALUE_UNWRITABLE', `${cents} is not whole cents`);
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** YYYY-MM-DD to CCYYMMDD. */
export function x12DateOf(isoDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) {
    throw new X12WriteError('X12_VALUE_UNWRITABLE', `${isoDate} is not a YYYY-MM-DD date`);
  }
  return isoDate.replace(/-/g, '');
}

function controlNumberOf(number: number, width: number, what: string): string {
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_CONTROL_NUMBER) {
    throw new X12WriteError('X12_VALUE_UNWRITABLE', `${what} must be from 1 to ${MAX_CONTROL_NUMBER}, not ${number}`);
  }
  return String(number).padStart(width, '0');
}

/** Joins elements and drops trailing empty ones, as X12 asks (no trailing element separators). */
function segmentText(elements: readonly string[]): string {
  let end = elements.length;
  while (end > 1 && elements[end - 1] === '') end -= 1;
  return elements.slice(0, end).join(ELEMENT);
}

/** ISA06/ISA08: 1 to 15 characters, padded to 15 (fixed width); a longer id would be cut, so it is refused. */
function interchangeIdOf(id: string, what: string): string {
  if (id.trim() === '' || id.length > 15)
    throw new X12WriteError('X12_VALUE_UNWRITABLE', `${what} must be 1 to 15 characters`);
  return value(id, what).padEnd(15);
}

function timestampOf(createdAt: string): { date: string; time: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(createdAt);
  if (!match) throw new X12WriteError('X12_VALUE_UNWRITABLE', `createdAt ${createdAt} is not YYYY-MM-DDTHH:MM`);
  return { date: `${match[1]}${match[2]}${match[3]}`, time: `${match[4]}${match[5]}` };
}

/** Same party, same loop: consecutive claims of one billing provider share its 2000A, of one member their 2000B. */
const billingKeyOf = (claim: Professional837Claim): string => JSON.stringify(claim.billingProvider);
const subscriberKeyOf = (claim: Professional837Claim): string =>
  JSON.stringify([
    claim.subscriber,
    claim.payer,
    claim.claimFilingIndicator ?? 'CI',
    claim.patient !== null,
    payerResponsibilityOf(claim),
  ]);

/** 2000B SBR01: the payer the claim is sent to is the secondary when a primary paid before it (2320). */
const payerResponsibilityOf = (claim: Professional837Claim): 'P' | 'S' => (claim.primaryPayer ? 'S' : 'P');
const patientKeyOf = (claim: Professional837Claim): string => JSON.stringify(claim.patient);

/**
 * Writes one 837P interchange (one functional group) piece by piece, so any
 * number of claims is written in bounded memory: `start()`, then `claims()`
 * for each batch, then `end()`; each returns the text to append. Control
 * numbers and counts (SE01, GE01, IEA01) are counted as the text goes out.
 */
export class Professional837Writer {
  private readonly claimsPerSet: number;
  private readonly interchangeControl: string;
  private readonly groupControl: string;
  private readonly stamp: { date: string; time: string };
  private readonly breakAfter: string;
  private state: 'new' | 'open' | 'ended' = 'new';
  private transactionSets = 0;
  /** The open transaction set, if any. */
  private set: {
    control: string;
    segments: number;
    claims: number;
    hl: number;
    billing: { key: string; hl: number } | null;
    subscriber: { key: string; hl: number } | null;
    patient: { key: string; hl: number } | null;
  } | null = null;

  constructor(private readonly options: Professional837InterchangeOptions) {
    this.claimsPerSet = options.claimsPerTransactionSet ?? DEFAULT_CLAIMS_PER_TRANSACTION_SET;
    if (!Number.isSafeInteger(this.claimsPerSet) || this.claimsPerSet < 1 || this.claimsPerSet > 5000) {
      throw new X12WriteError('X12_VALUE_UNWRITABLE', 'claimsPerTransactionSet must be from 1 to 5000');
    }
    this.interchangeControl = controlNumberOf(options.interchangeControlNumber, 9, 'interchangeControlNumber');
    // GS06 is written without leading zeros (an N0 element), ISA13 with them (fixed width).
    this.groupControl = String(
      Number(controlNumberOf(options.groupControlNumber ?? options.interchangeControlNumber, 1, 'groupControlNumber')),
    );
    this.stamp = timestampOf(options.createdAt);
    this.breakAfter = options.lineBreaks === false ? TERMINATOR : `${TERMINATOR}\n`;
  }

  /** Transaction sets opened so far; the n-th (from 0) has ST02 `firstTransactionControlNumber + n`. */
  get transactionSetCount(): number {
    return this.transactionSets;
  }

  /** ISA and GS. */
  start(): string {
    if (this.state !== 'new') throw new X12WriteError('X12_WRITER_STATE', 'start() was called twice');
    this.state = 'open';
    const { senderId, receiverId } = this.options;
    const isa = [
      'ISA',
      '00',
      ' '.repeat(10),
      '00',
      ' '.repeat(10),
      'ZZ',
      interchangeIdOf(senderId, 'senderId'),
      'ZZ',
      interchangeIdOf(receiverId, 'receiverId'),
      this.stamp.date.slice(2),
      this.stamp.time,
      REPETITION,
      '00501',
      this.interchangeControl,
      '0',
      this.options.usageIndicator ?? 'P',
      COMPONENT,
    ];
    // ISA is fixed-width and its last element is the component separator itself: joined as is, never trimmed.
    const gs = segmentText([
      'GS',
      'HC',
      senderId,
      receiverId,
      this.stamp.date,
      this.stamp.time,
      this.groupControl,
      'X',
      X12_837P_VERSION,
    ]);
    return `${isa.join(ELEMENT)}${this.breakAfter}${gs}${this.breakAfter}`;
  }

  /** The segments of a batch of claims, opening and closing transaction sets as they fill. */
  claims(batch: Iterable<Professional837Claim>): string {
    if (this.state !== 'open') throw new X12WriteError('X12_WRITER_STATE', 'claims() outside start() and end()');
    const out: string[] = [];
    for (const claim of batch) {
      if (this.set === null) this.openSet(out);
      this.writeClaim(out, claim);
      if (this.set && this.set.claims >= this.claimsPerSet) this.closeSet(out);
    }
    return out.join('');
  }

  /** SE of the open transaction set, GE and IEA. */
  end(): string {
    if (this.state !== 'open') throw new X12WriteError('X12_WRITER_STATE', 'end() without start(), or twice');
    this.state = 'ended';
    const out: string[] = [];
    this.closeSet(out);
    out.push(segmentText(['GE', String(this.transactionSets), this.groupControl]) + this.breakAfter);
    out.push(segmentText(['IEA', '1', this.interchangeControl]) + this.breakAfter);
    return out.join('');
  }

  private put(out: string[], elements: readonly string[]): void {
    out.push(segmentText(elements) + this.breakAfter);
    if (this.set) this.set.segments += 1;
  }

  private openSet(out: string[]): void {
    const first = this.options.firstTransactionControlNumber ?? 1;
    const control = controlNumberOf(first + this.transactionSets, 4, 'transaction set control number');
    this.transactionSets += 1;
    this.set = { control, segments: 0, claims: 0, hl: 0, billing: null, subscriber: null, patient: null };
    const { submitter, receiver } = this.options;
    this.put(out, ['ST', '837', control, X12_837P_VERSION]);
    // BHT02 00 original; BHT06 CH chargeable (a claim, not an encounter report).
    this.put(out, ['BHT', '0019', '00', control, this.stamp.date, this.stamp.time, 'CH']);
    this.put(out, ['NM1', '41', '2', value(submitter.name, 'submitter name'), '', '', '', '', '46', submitter.id]);
    this.put(out, ['PER', 'IC', value(submitter.contactName, 'submitter contact'), 'TE', submitter.phone]);
    this.put(out, ['NM1', '40', '2', value(receiver.name, 'receiver name'), '', '', '', '', '46', receiver.id]);
  }

  private closeSet(out: string[]): void {
    const set = this.set;
    if (set === null) return;
    this.put(out, ['SE', String(set.segments + 1), set.control]);
    this.set = null;
  }

  private hierarchyLevel(out: string[], parent: number | null, level: string, hasChildren: boolean): number {
    const set = this.set;
    if (set === null) throw new X12WriteError('X12_WRITER_STATE', 'a hierarchy level outside a transaction set');
    set.hl += 1;
    this.put(out, ['HL', String(set.hl), parent === null ? '' : String(parent), level, hasChildren ? '1' : '0']);
    return set.hl;
  }

  private writeClaim(out: string[], claim: Professional837Claim): void {
    const set = this.set;
    if (set === null) throw new X12WriteError('X12_WRITER_STATE', 'a claim outside a transaction set');
    checkClaim(claim);
    const billingKey = billingKeyOf(claim);
    if (set.billing?.key !== billingKey) {
      set.billing = { key: billingKey, hl: this.hierarchyLevel(out, null, '20', true) };
      set.subscriber = null;
      set.patient = null;
      this.writeBillingProvider(out, claim.billingProvider);
    }
    const subscriberKey = subscriberKeyOf(claim);
    if (set.subscriber?.key !== subscriberKey) {
      const hl = this.hierarchyLevel(out, set.billing.hl, '22', claim.patient !== null);
      set.subscriber = { key: subscriberKey, hl };
      set.patient = null;
      this.writeSubscriber(out, claim);
    }
    if (claim.patient !== null) {
      const patientKey = patientKeyOf(claim);
      if (set.patient?.key !== patientKey) {
        set.patient = { key: patientKey, hl: this.hierarchyLevel(out, set.subscriber.hl, '23', false) };
        this.writePatient(out, claim.patient);
      }
    }
    this.writeClaimLoop(out, claim);
    set.claims += 1;
  }

  private writeAddress(out: string[], address: X12Address, what: string): void {
    this.put(out, ['N3', value(address.line, `${what} address`)]);
    this.put(out, [
      'N4',
      value(address.city, `${what} city`),
      value(address.stateCode, `${what} state`),
      value(address.postalCode, `${what} postal code`),
    ]);
  }

  private writeBillingProvider(out: string[], provider: Professional837BillingProvider): void {
    const person = provider.firstName !== null;
    this.put(out, [
      'NM1',
      '85',
      person ? '1' : '2',
      value(provider.lastName, 'billing provider name'),
      value(provider.firstName ?? '', 'billing provider first name'),
      '',
      '',
      '',
      'XX',
      value(provider.npi, 'billing provider NPI'),
    ]);
    this.writeAddress(out, provider.address, 'billing provider');
    this.put(out, ['REF', 'EI', value(provider.taxId, 'billing provider tax id')]);
  }

  private writeSubscriber(out: string[], claim: Professional837Claim): void {
    const { subscriber, payer } = claim;
    // SBR02 18 (self) only when the subscriber is the patient; blank when a 2000C names the patient.
    this.put(out, [
      'SBR',
      payerResponsibilityOf(claim),
      claim.patient === null ? '18' : '',
      '',
      '',
      '',
      '',
      '',
      '',
      claim.claimFilingIndicator ?? 'CI',
    ]);
    this.writeSubscriberName(out, subscriber, 'subscriber');
    if (subscriber.address) this.writeAddress(out, subscriber.address, 'subscriber');
    if (subscriber.birthDate !== null) {
      this.put(out, ['DMG', 'D8', x12DateOf(subscriber.birthDate), subscriber.gender ?? 'U']);
    }
    this.writePayerName(out, payer, 'payer');
  }

  /** NM1*IL: a subscriber by name and member id (2010BA, and the primary's 2330A). */
  private writeSubscriberName(
    out: string[],
    subscriber: { lastName: string; firstName: string | null; memberId: string },
    what: string,
  ): void {
    this.put(out, [
      'NM1',
      'IL',
      '1',
      value(subscriber.lastName, `${what} name`),
      value(subscriber.firstName ?? '', `${what} first name`),
      '',
      '',
      '',
      'MI',
      value(subscriber.memberId, `${what} member id`),
    ]);
  }

  /** NM1*PR: a payer by name and id (2010BB, and the primary's 2330B, which its lines' SVD01 name). */
  private writePayerName(out: string[], payer: { name: string; id: string }, what: string): void {
    this.put(out, [
      'NM1',
      'PR',
      '2',
      value(payer.name, `${what} name`),
      '',
      '',
      '',
      '',
      'PI',
      value(payer.id, `${what} id`),
    ]);
  }

  private writePatient(out: string[], patient: Professional837Patient): void {
    this.put(out, ['PAT', value(patient.relationshipCode, 'patient relationship')]);
    this.put(out, [
      'NM1',
      'QC',
      '1',
      value(patient.lastName, 'patient name'),
      value(patient.firstName ?? '', 'patient first name'),
    ]);
    this.writeAddress(out, patient.address, 'patient');
    this.put(out, ['DMG', 'D8', x12DateOf(patient.birthDate), patient.gender]);
  }

  private writeClaimLoop(out: string[], claim: Professional837Claim): void {
    // CLM05: place of service, B (place of service code qualifier), frequency; CLM06–09: signature on file,
    // assignment accepted, benefits assigned, release of information: a provider's ordinary answers.
    const facilityCode = [value(claim.placeOfServiceCode, 'place of service'), 'B', claim.frequencyCode ?? '1'];
    this.put(out, [
      'CLM',
      value(claim.claimId, 'claim id'),
      x12AmountOf(claim.billedAmountCents),
      '',
      '',
      facilityCode.join(COMPONENT),
      'Y',
      'A',
      'Y',
      'Y',
    ]);
    if (claim.admissionDate) this.put(out, ['DTP', '435', 'D8', x12DateOf(claim.admissionDate)]);
    if (claim.diagnoses.length > 0) {
      this.put(out, ['HI', ...claim.diagnoses.map((diagnosis, index) => diagnosisElementOf(diagnosis, index))]);
    }
    const rendering = claim.renderingProvider;
    if (rendering) this.writeRendering(out, rendering);
    if (claim.facility) {
      const facility = claim.facility;
      const ids = facility.npi === null ? [] : ['XX', value(facility.npi, 'facility NPI')];
      this.put(out, ['NM1', '77', '2', value(facility.name, 'facility name'), '', '', '', '', ...ids]);
      this.writeAddress(out, facility.address, 'facility');
    }
    if (claim.primaryPayer) this.writePrimaryPayer(out, claim, claim.primaryPayer);
    const through = spanEndingLineOf(claim);
    claim.lines.forEach((line, index) => this.writeLine(out, claim, line, index + 1, index === through));
  }

  /**
   * 2320, 2330A and 2330B (005010X222A1): the primary's coverage and what it
   * paid for the claim. AMT*D is the sum of the lines' SVD02 less the
   * claim-level CAS adjustments, and no claim-level CAS is written: the sum.
   * OI03 and OI06 repeat CLM08 and CLM09, as the writer's CLM states them.
   */
  private writePrimaryPayer(out: string[], claim: Professional837Claim, primary: Professional837PrimaryPayer): void {
    const paidCents = claim.lines.reduce((sum, line) => sum + (line.primaryPayerPaidAmountCents ?? 0), 0);
    this.put(out, [
      'SBR',
      'P',
      value(primary.relationshipCode, 'primary payer relationship'),
      '',
      '',
      '',
      '',
      '',
      '',
      value(primary.claimFilingIndicator ?? 'CI', 'primary payer claim filing indicator'),
    ]);
    this.put(out, ['AMT', 'D', x12AmountOf(paidCents)]);
    this.put(out, ['OI', '', '', 'Y', '', '', 'Y']);
    const subscriber = primary.subscriber;
    this.writeSubscriberName(out, subscriber, 'primary payer subscriber');
    this.writePayerName(out, primary, 'primary payer');
  }

  private writeRendering(out: string[], rendering: NonNullable<Claim837['renderingProvider']>): void {
    const ids = rendering.npi === null ? [] : ['XX', value(rendering.npi, 'rendering NPI')];
    this.put(out, [
      'NM1',
      '82',
      rendering.firstName === null ? '2' : '1',
      value(rendering.lastName ?? '', 'rendering provider name'),
      value(rendering.firstName ?? '', 'rendering provider first name'),
      '',
      '',
      '',
      ...ids,
    ]);
  }

  private writeLine(
    out: string[],
    claim: Professional837Claim,
    line: Professional837Line,
    number: number,
    endsClaimSpan: boolean,
  ): void {
    const procedure = ['HC', value(line.hcpcsCode ?? '', 'procedure code'), ...(line.procedureModifiers ?? [])];
    const units = String(line.serviceUnitCount ?? 1);
    const pointer = claim.diagnoses.findIndex((diagnosis) => diagnosis.code === line.diagnosisCode);
    this.put(out, ['LX', String(number)]);
    this.put(out, [
      'SV1',
      procedure.map((part) => value(part, 'procedure modifier')).join(COMPONENT),
      x12AmountOf(line.chargeAmountCents ?? 0),
      'UN',
      units,
      // SV105 only where the line's place differs from the claim's, as the guide asks.
      line.placeOfServiceCode && line.placeOfServiceCode !== claim.placeOfServiceCode
        ? value(line.placeOfServiceCode, 'line place of service')
        : '',
      '',
      // SV107-1 is required: a line that names no diagnosis of the claim points at the principal one.
      claim.diagnoses.length === 0 ? '' : String(pointer < 0 ? 1 : pointer + 1),
    ]);
    const from = line.serviceDate ?? claim.serviceFromDate;
    const through = endsClaimSpan || line.serviceDate == null ? claim.serviceThroughDate : from;
    const date = through === from ? ['D8', x12DateOf(from)] : ['RD8', `${x12DateOf(from)}-${x12DateOf(through)}`];
    this.put(out, ['DTP', '472', ...date]);
    const claimRenderingNpi = claim.renderingProvider?.npi ?? null;
    if (line.renderingNpi != null && line.renderingNpi !== claimRenderingNpi) {
      // 2420A: a line rendered by someone other than the claim's rendering provider; the canonical line keeps no name.
      this.put(out, [
        'NM1',
        '82',
        '2',
        'RENDERING PROVIDER',
        '',
        '',
        '',
        '',
        'XX',
        value(line.renderingNpi, 'line NPI'),
      ]);
    }
    const primary = claim.primaryPayer;
    if (primary) {
      // 2430: SVD03 is the procedure as billed in SV101, SVD05 the units paid; DTP*573 is required beside it.
      this.put(out, [
        'SVD',
        value(primary.id, 'primary payer id'),
        x12AmountOf(line.primaryPayerPaidAmountCents ?? 0),
        procedure.join(COMPONENT),
        '',
        units,
      ]);
      this.put(out, ['DTP', '573', 'D8', x12DateOf(primary.paidDate)]);
    }
  }
}

/**
 * An 837P dates its lines only, so the claim's span is theirs: the line with
 * the latest date of service is written as a range to the claim's last day
 * when the claim ends after it (a drug or supply line billed for a week).
 * @returns the index of that line, or -1 when the line dates reach the claim's end
 */
function spanEndingLineOf(claim: Professional837Claim): number {
  let latest = -1;
  claim.lines.forEach((line, index) => {
    const date = line.serviceDate;
    if (date != null && (latest < 0 || date >= (claim.lines[latest]?.serviceDate ?? ''))) latest = index;
  });
  const latestDate = claim.lines[latest]?.serviceDate;
  return latestDate != null && latestDate < claim.serviceThroughDate ? latest : -1;
}

/** HI01 is the principal diagnosis (ABK ICD-10-CM, BK ICD-9-CM), HI02–HI12 the others (ABF, BF). */
function diagnosisElementOf(diagnosis: Claim837['diagnoses'][number], index: number): string {
  const icd10 = diagnosis.system === 'ICD-10-CM';
  const qualifier = index === 0 ? (icd10 ? 'ABK' : 'BK') : icd10 ? 'ABF' : 'BF';
  return `${qualifier}${COMPONENT}${value(diagnosis.code, 'diagnosis code')}`;
}

function checkClaim(claim: Professional837Claim): void {
  const refuse = (why: string): never => {
    throw new X12WriteError('X12_CLAIM_UNWRITABLE', `claim ${claim.claimId}: ${why}`);
  };
  if (claim.claimId === '' || claim.claimId.length > 20) refuse('CLM01 must be 1 to 20 characters');
  if (claim.lines.length === 0 || claim.lines.length > MAX_LINES_PER_CLAIM) {
    refuse(`an 837P claim has 1 to ${MAX_LINES_PER_CLAIM} service lines`);
  }
  // The guide requires an HI, but a claim read from a file whose HI was unreadable has no diagnosis to
  // write: it is written without one (readers take it) rather than given a made-up code.
  if (claim.diagnoses.length > MAX_DIAGNOSES) refuse(`an 837P claim has at most ${MAX_DIAGNOSES} diagnoses`);
  // An SVD names its payer by the 2330B id: a primary payment with no primary payer named could not be read back.
  if (!claim.primaryPayer && claim.lines.some((line) => (line.primaryPayerPaidAmountCents ?? 0) !== 0)) {
    refuse('a line states what the primary payer paid, but the claim names no primary payer (2320/2330B)');
  }
}

export interface Professional837StreamOptions extends Professional837InterchangeOptions {
  /** Claims handed to the writer at once: the size of each chunk of text, not a limit on the total. */
  claimsPerChunk?: number;
}

/**
 * One 837P interchange as text chunks, from claims that may come from any
 * iterable (a database cursor, a generator): memory holds one chunk of
 * claims, never the interchange.
 */
export async function* professional837Chunks(
  claims: AsyncIterable<Professional837Claim> | Iterable<Professional837Claim>,
  options: Professional837StreamOptions,
): AsyncGenerator<string, void, undefined> {
  const writer = new Professional837Writer(options);
  const perChunk = options.claimsPerChunk ?? 200;
  yield writer.start();
  let batch: Professional837Claim[] = [];
  for await (const claim of claims) {
    batch.push(claim);
    if (batch.length >= perChunk) {
      yield writer.claims(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield writer.claims(batch);
  yield writer.end();
}
