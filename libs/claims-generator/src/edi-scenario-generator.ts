import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Professional837Writer, type Professional837Claim, type X12Address } from '@claims/x12';
import {
  claimAcknowledgementSet,
  functionalAcknowledgementSet,
  groupedBy,
  interchangeText,
  remittanceSet,
  type AnswerEnvelope,
  type ClaimStatus,
  type RemittanceAdjustment,
  type RemittanceClaim,
  type RemittanceLine,
} from './edi-answer-writers';
import { emptyEdiScenarioFigures, type ExpectedEdiScenario } from './expected-kpis';
import { SeededRandom, WeightedChoice } from './seeded-random';
import { formatIsoDate, npiWithCheckDigit } from './value-formats';

/**
 * A seeded EDI exchange: an 837P of N claims and what comes back for it, a
 * 999 per submitted functional group, a 277CA per accepted transaction set
 * and payer, and an 835 per payer, payee and submission, with a manifest of
 * the figures the pipeline must find in them, counted while writing.
 */

export const EDI_SCENARIO_FILES = {
  claims: 'claims.837',
  functionalAcknowledgements: 'functional-acknowledgements.999',
  claimAcknowledgements: 'claim-acknowledgements.277',
  remittances: 'remittances.835',
  manifest: 'manifest.json',
} as const;

export interface EdiScenarioRequest {
  /** 0 to 2^32 − 1: the same request always gives the same bytes. */
  seed: number;
  claims: number;
  /** Where the four files and the manifest go (created if missing). */
  directory: string;
  /** CLM01 of the first claim (default 1): scenarios meant to meet in one database use distinct ranges. */
  claimIdStart?: number;
  /** Claims per 837 transaction set (default 100). */
  claimsPerTransactionSet?: number;
  /** Transaction sets per 837 interchange, which is one functional group, submitted on its own day (default 5). */
  transactionSetsPerInterchange?: number;
  /** The first submission day, YYYY-MM-DD (default 2024-01-02); each interchange goes one day later. */
  firstSubmissionDate?: string;
  /** Shares of what goes wrong; the defaults resemble a clean practice's month. */
  shares?: Partial<EdiScenarioShares>;
}

export interface EdiScenarioShares {
  /** Functional groups the 999 rejects whole (AK9*R). */
  groupRejected: number;
  /** Transaction sets the 999 rejects (IK5*R) in a group it accepts in part. */
  transactionSetRejected: number;
  /** Claims the 277CA rejects (A3/A6/A7). */
  claimRejected: number;
  /** Of the remitted claims: denied outright, paid with a line denied, paid in full with no adjustment. */
  claimDenied: number;
  claimPartiallyDenied: number;
  claimPaidInFull: number;
}

const DEFAULT_SHARES: EdiScenarioShares = {
  groupRejected: 0.02,
  transactionSetRejected: 0.03,
  claimRejected: 0.05,
  claimDenied: 0.1,
  claimPartiallyDenied: 0.12,
  claimPaidInFull: 0.08,
};

export interface EdiScenarioFile {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  /** Interchanges (ISA..IEA) and transaction sets (ST..SE) written. */
  interchanges: number;
  transactionSets: number;
}

export interface EdiScenarioManifest {
  scenario: 'x12.edi-scenario';
  generatorVersion: number;
  seed: number;
  claimIdStart: number;
  files: Record<keyof ScenarioFiles, EdiScenarioFile>;
  expected: ExpectedEdiScenario;
  generationSeconds: number;
}

/** Bumped whenever the bytes written for the same request change. */
export const EDI_SCENARIO_GENERATOR_VERSION = 1;
const MILLISECONDS_PER_DAY = 86_400_000;
const SUBMITTER = {
  name: 'SUNRISE BILLING SERVICES',
  id: 'SUNRISEBILL',
  contactName: 'BILLING DESK',
  phone: '6175550123',
};
const CLEARINGHOUSE = { name: 'CLAIMS CLEARINGHOUSE', id: 'CLEARHOUSE01' };

interface Payer {
  name: string;
  id: string;
  taxId: string;
  claimFilingIndicator: string;
  /** Days from submission to payment, plus up to `jitterDays`: slow payers lag. */
  lagDays: number;
  jitterDays: number;
  /** The share of the charge the payer allows, drawn per claim from this range. */
  allowedShare: readonly [number, number];
}

const PAYERS: readonly Payer[] = [
  {
    name: 'MEDICARE PART B',
    id: '04412',
    taxId: '521234567',
    claimFilingIndicator: 'MB',
    lagDays: 14,
    jitterDays: 3,
    allowedShare: [0.45, 0.6],
  },
  {
    name: 'BLUE PLAN OF THE EAST',
    id: '00310',
    taxId: '231234567',
    claimFilingIndicator: 'BL',
    lagDays: 18,
    jitterDays: 6,
    allowedShare: [0.65, 0.8],
  },
  {
    name: 'ACME HEALTH INSURANCE',
    id: '60054',
    taxId: '061234567',
    claimFilingIndicator: 'CI',
    lagDays: 25,
    jitterDays: 8,
    allowedShare: [0.7, 0.85],
  },
  {
    name: 'STATE MEDICAID',
    id: 'SKMA0',
    taxId: '046002284',
    claimFilingIndicator: 'MC',
    lagDays: 35,
    jitterDays: 12,
    allowedShare: [0.35, 0.5],
  },
  {
    name: 'SLOW MUTUAL ASSURANCE',
    id: '87726',
    taxId: '411289245',
    claimFilingIndicator: 'CI',
    lagDays: 70,
    jitterDays: 25,
    allowedShare: [0.6, 0.75],
  },
];
const PAYER_CHOICE = new WeightedChoice<Payer>(PAYERS.map((payer, index) => [payer, [30, 22, 22, 14, 12][index] ?? 1]));

/** CPT/HCPCS codes of a multi-specialty practice, with a typical charge in cents. */
const PROCEDURES = new WeightedChoice<readonly [string, number]>([
  [['99213', 12_000], 30],
  [['99214', 18_000], 18],
  [['99203', 16_000], 6],
  [['99204', 24_000], 4],
  [['36415', 2_000], 12],
  [['85025', 3_500], 8],
  [['80053', 5_500], 7],
  [['93000', 7_500], 5],
  [['71046', 11_000], 4],
  [['97110', 9_000], 4],
  [['20610', 15_000], 2],
]);
/** ICD-10-CM, without the dot, as an 837 writes them. */
const DIAGNOSES = ['E119', 'I10', 'J069', 'M545', 'Z0000', 'E785', 'R0789', 'K219', 'F411', 'N390', 'J45909', 'M25561'];
const LINES_PER_CLAIM = new WeightedChoice<number>([
  [1, 45],
  [2, 30],
  [3, 15],
  [4, 7],
  [5, 3],
]);
const PLACES_OF_SERVICE = new WeightedChoice<string>([
  ['11', 80],
  ['22', 12],
  ['02', 8],
]);
/** Denying CARCs (X12 code source 139) with the group that bears them, weighted as a practice sees them. */
const DENIALS = new WeightedChoice<readonly ['CO' | 'PR' | 'OA', string]>([
  [['CO', '16'], 18], // lacks information needed for adjudication
  [['CO', '50'], 16], // not deemed a medical necessity
  [['CO', '97'], 14], // included in another service's payment
  [['CO', '197'], 10], // precertification absent
  [['CO', '29'], 8], // time limit for filing expired
  [['PR', '27'], 9], // incurred after coverage terminated
  [['PR', '96'], 8], // non-covered charge
  [['OA', '18'], 10], // exact duplicate
  [['OA', '23'], 7], // the impact of prior payers' adjudication
]);
/** 277CA rejections (STC01: category, claim status code 508, entity). */
const REJECTIONS = new WeightedChoice<readonly [string, string, string]>([
  [['A7', '33', 'IL'], 40], // subscriber and subscriber id: invalid
  [['A7', '562', '85'], 25], // billing provider NPI: invalid
  [['A6', '35', 'QC'], 15], // patient date of birth: missing
  [['A3', '21', 'PR'], 20], // missing or invalid information
]);
const LAST_NAMES = ['SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'GARCIA', 'MILLER', 'DAVIS', 'LOPEZ', 'WILSON'];
const FIRST_NAMES = ['JAMES', 'MARY', 'ROBERT', 'PATRICIA', 'JOHN', 'JENNIFER', 'MICHAEL', 'LINDA', 'DAVID', 'ELENA'];
const CITIES: ReadonlyArray<readonly [string, string, string]> = [
  ['BOSTON', 'MA', '021080000'],
  ['PROVIDENCE', 'RI', '029030000'],
  ['HARTFORD', 'CT', '061030000'],
  ['ALBANY', 'NY', '122070000'],
];

interface Member {
  memberId: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  gender: 'F' | 'M';
  address: X12Address;
}

interface Provider {
  npi: string;
  taxId: string;
  name: string;
  address: X12Address;
  rendering: ReadonlyArray<{ npi: string; lastName: string; firstName: string }>;
}

function addressOf(random: SeededRandom): X12Address {
  const [city, stateCode, postalCode] = random.pick(CITIES);
  return {
    line: `${random.intBetween(1, 999)} ${random.pick(['MAIN', 'ELM', 'OAK', 'PARK'])} ST`,
    city,
    stateCode,
    postalCode,
  };
}

function daysAfter(isoDate: string, days: number): string {
  return formatIsoDate(new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * MILLISECONDS_PER_DAY));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MILLISECONDS_PER_DAY);
}

/** What the generator decides for one claim beyond the 837: how each answer treats it. */
interface ClaimFate {
  claim: Professional837Claim;
  member: Member;
  payer: Payer;
  provider: Provider;
  setControlNumber: string;
}

/** Writes text to a file with back-pressure, hashing and counting what goes out. */
class CountedFile {
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  bytes = 0;
  interchanges = 0;
  transactionSets = 0;

  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
  }

  async write(text: string, interchanges: number, transactionSets: number): Promise<void> {
    this.interchanges += interchanges;
    this.transactionSets += transactionSets;
    if (text === '') return;
    this.hash.update(text);
    this.bytes += Buffer.byteLength(text);
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async close(): Promise<EdiScenarioFile> {
    this.stream.end();
    await once(this.stream, 'finish');
    return {
      name: this.name,
      path: this.path,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
      interchanges: this.interchanges,
      transactionSets: this.transactionSets,
    };
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/**
 * The scenario's state: reference parties drawn once from the seed, then
 * one submission (an 837 interchange) at a time with its answers. Draws
 * happen in a fixed order, so the bytes depend on the request alone.
 */
class EdiScenario {
  private readonly members: Member[];
  private readonly providers: Provider[];
  readonly expected = emptyEdiScenarioFigures();

  constructor(
    private readonly random: SeededRandom,
    private readonly shares: EdiScenarioShares,
  ) {
    this.members = Array.from({ length: 2_000 }, () => this.memberOf());
    this.providers = Array.from({ length: 8 }, (_, index) => this.providerOf(index));
  }

  private memberOf(): Member {
    const random = this.random;
    return {
      memberId: `W${random.digits(9)}`,
      lastName: random.pick(LAST_NAMES),
      firstName: random.pick(FIRST_NAMES),
      birthDate: daysAfter('1940-01-01', random.intBetween(0, 365 * 60)),
      gender: random.chance(0.52) ? 'F' : 'M',
      address: addressOf(random),
    };
  }

  private providerOf(index: number): Provider {
    const random = this.random;
    const name = `${random.pick(['RIVERSIDE', 'NORTHGATE', 'LAKESIDE', 'HILLCREST'])} MEDICAL GROUP ${index + 1}`;
    return {
      npi: npiWithCheckDigit(`1${random.digits(8)}`),
      taxId: random.digits(9),
      name,
      address: addressOf(random),
      rendering: Array.from({ length: 3 }, () => ({
        npi: npiWithCheckDigit(`1${random.digits(8)}`),
        lastName: random.pick(LAST_NAMES),
        firstName: random.pick(FIRST_NAMES),
      })),
    };
  }

  /** One claim of 1–5 lines, served in the month before its submission day. */
  claimOf(claimId: string, submissionDate: string): Omit<ClaimFate, 'setControlNumber'> {
    const random = this.random;
    const member = random.pick(this.members);
    const provider = random.pick(this.providers);
    const payer = PAYER_CHOICE.pick(random);
    const rendering = random.pick(provider.rendering);
    const from = daysAfter(submissionDate, -random.intBetween(3, 30));
    const diagnoses = Array.from({ length: random.intBetween(1, 4) }, () => random.pick(DIAGNOSES))
      .filter((code, index, all) => all.indexOf(code) === index)
      .map((code) => ({ code, system: 'ICD-10-CM' as const }));
    const place = PLACES_OF_SERVICE.pick(random);
    const lines = Array.from({ length: LINES_PER_CLAIM.pick(random) }, () => {
      const [code, typicalCents] = PROCEDURES.pick(random);
      const units = random.chance(0.1) ? 2 : 1;
      return {
        hcpcsCode: code,
        procedureModifiers: random.chance(0.1) ? ['25'] : [],
        chargeAmountCents: Math.round((typicalCents * units * random.intBetween(85, 120)) / 100),
        serviceUnitCount: units,
        placeOfServiceCode: place,
        serviceDate: daysAfter(from, random.intBetween(0, 2)),
        diagnosisCode: random.pick(diagnoses).code,
        renderingNpi: rendering.npi,
      };
    });
    const dates = lines.map((line) => line.serviceDate).sort();
    const claim: Professional837Claim = {
      claimId,
      billedAmountCents: lines.reduce((sum, line) => sum + line.chargeAmountCents, 0),
      serviceFromDate: dates[0] ?? from,
      serviceThroughDate: dates[dates.length - 1] ?? from,
      admissionDate: null,
      diagnoses,
      renderingProvider: { npi: rendering.npi, lastName: rendering.lastName, firstName: rendering.firstName },
      placeOfServiceCode: place,
      claimFilingIndicator: payer.claimFilingIndicator,
      billingProvider: {
        npi: provider.npi,
        taxId: provider.taxId,
        lastName: provider.name,
        firstName: null,
        address: provider.address,
      },
      // The subscriber is the patient: the 835 and 277CA name the member by the same id.
      subscriber: member,
      patient: null,
      payer: { name: payer.name, id: payer.id },
      facility: null,
      lines,
    };
    return { claim, member, payer, provider };
  }

  /** The 999's verdict per transaction set of one group: all rejected, some, or none. */
  functionalVerdicts(setCount: number): boolean[] {
    const groupRejected = this.random.chance(this.shares.groupRejected);
    return Array.from({ length: setCount }, () =>
      groupRejected ? false : !this.random.chance(this.shares.transactionSetRejected),
    );
  }

  /** A 277CA status for a claim of an accepted transaction set. */
  claimStatusOf(fate: ClaimFate): ClaimStatus {
    const random = this.random;
    const rejected = random.chance(this.shares.claimRejected);
    const [category, statusCode, entityCode] = rejected
      ? REJECTIONS.pick(random)
      : random.chance(0.1)
        ? (['A1', '19', 'PR'] as const)
        : (['A2', '20', 'PR'] as const);
    const expected = this.expected;
    if (rejected) {
      expected.claimsRejectedBy277ca += 1;
      const key = `${category}:${statusCode}`;
      expected.claimsRejectedBy277caByStatus[key] = (expected.claimsRejectedBy277caByStatus[key] ?? 0) + 1;
    } else expected.claimsAcknowledgedBy277ca += 1;
    return {
      claimId: fate.claim.claimId,
      member: fate.member,
      billing: { npi: fate.provider.npi, name: fate.provider.name },
      chargeCents: fate.claim.billedAmountCents,
      serviceFromDate: fate.claim.serviceFromDate,
      serviceThroughDate: fate.claim.serviceThroughDate,
      category,
      statusCode,
      entityCode,
      accepted: !rejected,
      payerClaimControlNumber: rejected ? null : `${fate.payer.id}${random.digits(10)}`,
    };
  }

  private denial(denials: RemittanceAdjustment[], amountCents: number): void {
    const [groupCode, carc] = DENIALS.pick(this.random);
    denials.push({ groupCode, carc, amountCents });
    const key = `${groupCode}-${carc}`;
    const figures = (this.expected.denials[key] ??= { adjustments: 0, amountCents: 0 });
    figures.adjustments += 1;
    figures.amountCents += amountCents;
  }

  /**
   * The payer's adjudication of an acknowledged claim: denied whole, paid
   * with a line denied, paid in full, or (most often) paid at the payer's
   * allowed amount less deductible and coinsurance. Every CAS balances:
   * charge − paid = the adjustments, line by line and claim by claim.
   */
  remittanceOf(fate: ClaimFate, payerClaimControlNumber: string): RemittanceClaim {
    const random = this.random;
    const { claim, payer } = fate;
    const draw = random.nextFloat();
    const shares = this.shares;
    const denied = draw < shares.claimDenied;
    const partial = !denied && claim.lines.length > 1 && draw < shares.claimDenied + shares.claimPartiallyDenied;
    const inFull = !denied && !partial && random.chance(shares.claimPaidInFull / (1 - shares.claimDenied));
    const base = {
      claimId: claim.claimId,
      chargeCents: claim.billedAmountCents,
      payerClaimControlNumber,
      member: fate.member,
      serviceFromDate: claim.serviceFromDate,
      serviceThroughDate: claim.serviceThroughDate,
    };
    const expected = this.expected;
    if (denied) {
      const adjustments: RemittanceAdjustment[] = [];
      this.denial(adjustments, claim.billedAmountCents);
      const patientResponsibility = adjustments[0]?.groupCode === 'PR' ? claim.billedAmountCents : 0;
      expected.deniedClaims += 1;
      expected.deniedChargeCents += claim.billedAmountCents;
      expected.remittedClaimsByStatus.denied += 1;
      expected.patientResponsibilityCents += patientResponsibility;
      return {
        ...base,
        statusCode: '4',
        paidCents: 0,
        patientResponsibilityCents: patientResponsibility,
        adjustments,
        lines: [],
      };
    }
    const deniedLine = partial ? random.intBetween(0, claim.lines.length - 1) : -1;
    const [low, high] = payer.allowedShare;
    const allowedShare = low + random.nextFloat() * (high - low);
    const deductibleLeft = { cents: !inFull && random.chance(0.15) ? random.intBetween(10, 60) * 100 : 0 };
    const coinsurance = !inFull && random.chance(0.6);
    const lines: RemittanceLine[] = claim.lines.map((line, index) => {
      const charge = line.chargeAmountCents ?? 0;
      const common = {
        hcpcsCode: line.hcpcsCode ?? '',
        modifiers: line.procedureModifiers ?? [],
        chargeCents: charge,
        units: line.serviceUnitCount ?? 1,
        serviceDate: line.serviceDate ?? claim.serviceFromDate,
      };
      if (index === deniedLine) {
        const adjustments: RemittanceAdjustment[] = [];
        this.denial(adjustments, charge);
        return { ...common, paidCents: 0, allowedCents: 0, adjustments };
      }
      if (inFull) return { ...common, paidCents: charge, allowedCents: charge, adjustments: [] };
      const allowed = Math.min(charge - 1, Math.round(charge * allowedShare));
      const deductible = Math.min(deductibleLeft.cents, allowed);
      deductibleLeft.cents -= deductible;
      const coinsuranceCents = coinsurance ? Math.round((allowed - deductible) * 0.2) : 0;
      const adjustments: RemittanceAdjustment[] = [{ groupCode: 'CO', carc: '45', amountCents: charge - allowed }];
      if (deductible > 0) adjustments.push({ groupCode: 'PR', carc: '1', amountCents: deductible });
      if (coinsuranceCents > 0) adjustments.push({ groupCode: 'PR', carc: '2', amountCents: coinsuranceCents });
      expected.contractualAdjustmentCents += charge - allowed;
      expected.deductibleCents += deductible;
      expected.coinsuranceCents += coinsuranceCents;
      return { ...common, paidCents: allowed - deductible - coinsuranceCents, allowedCents: allowed, adjustments };
    });
    const paid = lines.reduce((sum, line) => sum + line.paidCents, 0);
    const patientResponsibility = lines
      .flatMap((line) => line.adjustments)
      .filter((adjustment) => adjustment.groupCode === 'PR')
      .reduce((sum, adjustment) => sum + adjustment.amountCents, 0);
    expected.remittedClaimsByStatus[paid < claim.billedAmountCents ? 'partially_paid' : 'paid'] += 1;
    expected.patientResponsibilityCents += patientResponsibility;
    return {
      ...base,
      statusCode: '1',
      paidCents: paid,
      patientResponsibilityCents: patientResponsibility,
      adjustments: [],
      lines,
    };
  }
}

interface ValidEdiScenarioRequest {
  seed: number;
  claims: number;
  directory: string;
  claimIdStart: number;
  claimsPerTransactionSet: number;
  transactionSetsPerInterchange: number;
  firstSubmissionDate: string;
  shares: EdiScenarioShares;
}

/** A request the generator cannot carry out as given. */
export class EdiScenarioRequestError extends Error {
  override readonly name = 'EdiScenarioRequestError';
}

function validRequest(request: EdiScenarioRequest): ValidEdiScenarioRequest {
  const fail = (message: string): never => {
    throw new EdiScenarioRequestError(message);
  };
  const whole = (value: unknown, name: string, min: number, max: number): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      fail(`${name} must be a whole number from ${min} to ${max}, not ${String(value)}`);
    }
    return value as number;
  };
  const shares = { ...DEFAULT_SHARES, ...request.shares };
  for (const [name, share] of Object.entries(shares)) {
    if (typeof share !== 'number' || !(share >= 0 && share <= 1)) fail(`shares.${name} must be from 0 to 1`);
  }
  if (shares.claimDenied + shares.claimPartiallyDenied + shares.claimPaidInFull > 1) {
    fail('shares.claimDenied, claimPartiallyDenied and claimPaidInFull add up to more than 1');
  }
  const firstSubmissionDate = request.firstSubmissionDate ?? '2024-01-02';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firstSubmissionDate)) fail('firstSubmissionDate must be YYYY-MM-DD');
  if (typeof request.directory !== 'string' || request.directory === '') fail('directory must name a folder');
  return {
    seed: whole(request.seed, 'seed', 0, 0xffff_ffff),
    claims: whole(request.claims, 'claims', 0, 100_000_000),
    directory: request.directory,
    claimIdStart: whole(request.claimIdStart ?? 1, 'claimIdStart', 1, 10 ** 18),
    claimsPerTransactionSet: whole(request.claimsPerTransactionSet ?? 100, 'claimsPerTransactionSet', 1, 5000),
    transactionSetsPerInterchange: whole(
      request.transactionSetsPerInterchange ?? 5,
      'transactionSetsPerInterchange',
      1,
      9999,
    ),
    firstSubmissionDate,
    shares,
  };
}

/** The four X12 files of a scenario, open for writing. */
type ScenarioFiles = Record<Exclude<keyof typeof EDI_SCENARIO_FILES, 'manifest'>, CountedFile>;

/**
 * Writes one submission and its answers: the 837 interchange (one group),
 * the 999 for its group the same day, the 277CA for its accepted sets the
 * next day, and each payer's 835 after the payer's lag.
 */
class SubmissionWriter {
  /** ISA13/GS06 of the answers: one sequence across the three answer files, so no two interchanges share one. */
  private answerControl = 0;

  constructor(
    private readonly scenario: EdiScenario,
    private readonly random: SeededRandom,
    private readonly request: ValidEdiScenarioRequest,
    private readonly files: ScenarioFiles,
  ) {}

  private get expected(): ExpectedEdiScenario {
    return this.scenario.expected;
  }

  private answerEnvelope(
    functionalIdentifierCode: AnswerEnvelope['functionalIdentifierCode'],
    senderId: string,
    date: string,
    version: string,
  ): AnswerEnvelope {
    this.answerControl += 1;
    return {
      senderId,
      receiverId: SUBMITTER.id,
      controlNumber: this.answerControl,
      date,
      functionalIdentifierCode,
      version,
    };
  }

  async write(submission: number, firstClaimNumber: number, count: number): Promise<void> {
    const submissionDate = daysAfter(this.request.firstSubmissionDate, submission);
    const perSet = this.request.claimsPerTransactionSet;
    const fates: ClaimFate[] = [];
    for (let index = 0; index < count; index += 1) {
      const claimId = String(firstClaimNumber + index);
      const setControlNumber = String(Math.floor(index / perSet) + 1).padStart(4, '0');
      fates.push({ ...this.scenario.claimOf(claimId, submissionDate), setControlNumber });
    }
    const interchangeControlNumber = submission + 1;
    await this.writeClaims(fates, interchangeControlNumber, submissionDate);
    const sets = groupedBy(fates, (fate) => fate.setControlNumber);
    const acceptedSets = await this.writeFunctionalAcknowledgement(sets, interchangeControlNumber, submissionDate);
    const accepted = acceptedSets.flatMap((controlNumber) => sets.get(controlNumber) ?? []);
    const statuses = await this.writeClaimAcknowledgements(
      acceptedSets.map((controlNumber) => [controlNumber, sets.get(controlNumber) ?? []] as const),
      interchangeControlNumber,
      daysAfter(submissionDate, 1),
    );
    await this.writeRemittances(
      accepted.filter((fate) => statuses.get(fate.claim.claimId)?.accepted),
      statuses,
      submissionDate,
    );
  }

  private async writeClaims(fates: readonly ClaimFate[], controlNumber: number, submissionDate: string): Promise<void> {
    const writer = new Professional837Writer({
      senderId: SUBMITTER.id,
      receiverId: CLEARINGHOUSE.id,
      interchangeControlNumber: controlNumber,
      createdAt: `${submissionDate}T08:00`,
      submitter: SUBMITTER,
      receiver: CLEARINGHOUSE,
      claimsPerTransactionSet: this.request.claimsPerTransactionSet,
    });
    const text = writer.start() + writer.claims(fates.map((fate) => fate.claim)) + writer.end();
    await this.files.claims.write(text, 1, writer.transactionSetCount);
    const expected = this.expected;
    expected.claimsSubmitted += fates.length;
    expected.billedAmountCents += fates.reduce((sum, fate) => sum + fate.claim.billedAmountCents, 0);
    expected.transactionSetsSubmitted += writer.transactionSetCount;
    expected.functionalGroupsSubmitted += 1;
  }

  /** The clearinghouse's 999 on each transaction set of the group, the same day. @returns the accepted sets' ST02 */
  private async writeFunctionalAcknowledgement(
    sets: ReadonlyMap<string, readonly ClaimFate[]>,
    groupControlNumber: number,
    date: string,
  ): Promise<string[]> {
    const verdicts = this.scenario.functionalVerdicts(sets.size);
    const acknowledged = [...sets.keys()].map((controlNumber, index) => ({
      controlNumber,
      accepted: verdicts[index] ?? false,
    }));
    const rejected = acknowledged.filter((set) => !set.accepted);
    const expected = this.expected;
    expected.transactionSetsRejectedBy999 += rejected.length;
    if (rejected.length === acknowledged.length) expected.functionalGroupsRejected += 1;
    expected.claimsRejectedBy999 += rejected.reduce((sum, set) => sum + (sets.get(set.controlNumber)?.length ?? 0), 0);
    const envelope = this.answerEnvelope('FA', CLEARINGHOUSE.id, date, '005010X231A1');
    const text = interchangeText(envelope, [functionalAcknowledgementSet(groupControlNumber, acknowledged)]);
    await this.files.functionalAcknowledgements.write(text, 1, 1);
    return acknowledged.filter((set) => set.accepted).map((set) => set.controlNumber);
  }

  /** Each payer's 277CA on each claim of the accepted sets: one transaction set per submitted set and payer. */
  private async writeClaimAcknowledgements(
    acceptedSets: ReadonlyArray<readonly [string, readonly ClaimFate[]]>,
    interchangeControlNumber: number,
    date: string,
  ): Promise<Map<string, ClaimStatus>> {
    const statuses = new Map<string, ClaimStatus>();
    const texts: string[] = [];
    for (const [setControlNumber, fates] of acceptedSets) {
      for (const fate of fates) statuses.set(fate.claim.claimId, this.scenario.claimStatusOf(fate));
      for (const [, ofPayer] of groupedBy(fates, (fate) => fate.payer.id)) {
        const payer = ofPayer[0]?.payer;
        if (!payer) continue;
        const claims = ofPayer.flatMap((fate) => statuses.get(fate.claim.claimId) ?? []);
        const submitter = { ...SUBMITTER, batchReference: `${interchangeControlNumber}-${setControlNumber}` };
        const control = String(texts.length + 1).padStart(4, '0');
        texts.push(claimAcknowledgementSet(control, payer, submitter, date, claims));
      }
    }
    if (texts.length > 0) {
      const envelope = this.answerEnvelope('HN', CLEARINGHOUSE.id, date, '005010X214');
      await this.files.claimAcknowledgements.write(interchangeText(envelope, texts), 1, texts.length);
    }
    return statuses;
  }

  /** One 835 interchange per payer, paid after the payer's lag: a transaction set per payee. */
  private async writeRemittances(
    remitted: readonly ClaimFate[],
    statuses: ReadonlyMap<string, ClaimStatus>,
    submissionDate: string,
  ): Promise<void> {
    const expected = this.expected;
    for (const [, ofPayer] of groupedBy(remitted, (fate) => fate.payer.id)) {
      const payer = ofPayer[0]?.payer;
      if (!payer) continue;
      const paymentDate = daysAfter(submissionDate, payer.lagDays + this.random.intBetween(0, payer.jitterDays));
      const envelope = this.answerEnvelope('HP', payer.id, paymentDate, '005010X221A1');
      const figures = (expected.byPayer[payer.name] ??= {
        remittedClaims: 0,
        paidAmountCents: 0,
        paymentLagDaysTotal: 0,
      });
      const texts: string[] = [];
      for (const [, ofPayee] of groupedBy(ofPayer, (fate) => fate.provider.npi)) {
        const provider = ofPayee[0]?.provider;
        if (!provider) continue;
        const claims = ofPayee.map((fate) =>
          this.scenario.remittanceOf(fate, statuses.get(fate.claim.claimId)?.payerClaimControlNumber ?? ''),
        );
        const control = String(texts.length + 1).padStart(4, '0');
        const checkNumber = `${payer.id}${String(envelope.controlNumber).padStart(6, '0')}${control}`;
        texts.push(remittanceSet(control, payer, provider, paymentDate, checkNumber, claims));
        for (const claim of claims) {
          expected.remittedClaims += 1;
          if (claim.paidCents > 0) expected.paidClaims += 1;
          expected.paidAmountCents += claim.paidCents;
          figures.remittedClaims += 1;
          figures.paidAmountCents += claim.paidCents;
          figures.paymentLagDaysTotal += daysBetween(submissionDate, paymentDate);
        }
      }
      await this.files.remittances.write(interchangeText(envelope, texts), 1, texts.length);
    }
  }
}

/**
 * Writes an 837P of `claims` claims and its 999, 277CA and 835 answers into
 * `directory`, and the manifest beside them; returns the manifest. Each
 * submission (one 837 interchange) is written with its answers before the
 * next is drawn, so memory holds one submission whatever the scenario's size.
 *
 *   await generateEdiScenario({ seed: 7, claims: 10_000, directory: 'data/generated/edi' });
 */
export async function generateEdiScenario(request: EdiScenarioRequest): Promise<EdiScenarioManifest> {
  const started = process.hrtime.bigint();
  const valid = validRequest(request);
  mkdirSync(valid.directory, { recursive: true });
  const random = new SeededRandom(valid.seed);
  const scenario = new EdiScenario(random, valid.shares);
  const fileOf = (key: keyof ScenarioFiles): CountedFile =>
    new CountedFile(EDI_SCENARIO_FILES[key], join(valid.directory, EDI_SCENARIO_FILES[key]));
  const files: ScenarioFiles = {
    claims: fileOf('claims'),
    functionalAcknowledgements: fileOf('functionalAcknowledgements'),
    claimAcknowledgements: fileOf('claimAcknowledgements'),
    remittances: fileOf('remittances'),
  };
  try {
    const writer = new SubmissionWriter(scenario, random, valid, files);
    const perSubmission = valid.claimsPerTransactionSet * valid.transactionSetsPerInterchange;
    for (let written = 0, submission = 0; written < valid.claims; submission += 1) {
      const count = Math.min(perSubmission, valid.claims - written);
      await writer.write(submission, valid.claimIdStart + written, count);
      written += count;
    }
    const manifest: EdiScenarioManifest = {
      scenario: 'x12.edi-scenario',
      generatorVersion: EDI_SCENARIO_GENERATOR_VERSION,
      seed: valid.seed,
      claimIdStart: valid.claimIdStart,
      files: {
        claims: await files.claims.close(),
        functionalAcknowledgements: await files.functionalAcknowledgements.close(),
        claimAcknowledgements: await files.claimAcknowledgements.close(),
        remittances: await files.remittances.close(),
      },
      expected: scenario.expected,
      generationSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
    writeFileSync(join(valid.directory, EDI_SCENARIO_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } catch (error) {
    for (const file of Object.values(files)) {
      file.destroy();
      rmSync(file.path, { force: true });
    }
    throw error;
  }
}
