import {
  ADJUDICATION_STATUSES,
  CLAIM_EVENT_TYPES,
  CLAIM_TYPES,
  LINE_PROCESSING_CATEGORIES,
  MEMBER_SEXES,
} from '@claims/contracts';

/**
 * What a mapped value becomes. `code` is a trimmed, upper-cased token that a
 * code list can check; `npi` is a code whose check digit is verified; an
 * `enum` target only takes the values listed (through a translation).
 */
export const VALUE_TYPES = ['string', 'code', 'npi', 'date', 'amount', 'integer', 'decimal', 'enum'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** The types a layout may state for a field; `enum` targets are reached through `translate`. */
export const DECLARABLE_TYPES = ['string', 'code', 'npi', 'date', 'amount', 'integer', 'decimal'] as const;
export type DeclarableType = (typeof DECLARABLE_TYPES)[number];

export interface TargetSpec {
  type: ValueType;
  /** For `enum` targets: the values a translation may produce. */
  values?: readonly string[];
  /** A blank value rejects the record (dead letter) unless the layout says otherwise. */
  required?: boolean;
  /** Dates that may become the event time are held to the plausible service-date range. */
  eventTimeCandidate?: boolean;
}

const string: TargetSpec = { type: 'string' };
const code: TargetSpec = { type: 'code' };
const npi: TargetSpec = { type: 'npi' };
const amount: TargetSpec = { type: 'amount' };
const date: TargetSpec = { type: 'date', eventTimeCandidate: true };
const SOURCE_OPERATIONS = ['insert', 'update'] as const;

/** Claim-level targets a claim layout maps into the canonical claim (libs/contracts ClaimSchema). */
export const CLAIM_TARGETS = {
  claimId: { type: 'string', required: true },
  /** Tokenized into claim.patientToken; the member id itself never leaves the normalizer. */
  memberId: string,
  claimType: { type: 'enum', values: CLAIM_TYPES, required: true },
  eventType: { type: 'enum', values: CLAIM_EVENT_TYPES, required: true },
  payer: { type: 'string', required: true },
  serviceFromDate: { type: 'date', required: true, eventTimeCandidate: true },
  /** Defaults to the from date when a source has a single service date. */
  serviceThroughDate: date,
  admissionDate: date,
  dischargeDate: date,
  receivedDate: date,
  clearDate: date,
  paidDate: date,
  billType: code,
  drgCode: code,
  facilityCcn: code,
  facilityNpi: npi,
  billingNpi: npi,
  attendingNpi: npi,
  operatingNpi: npi,
  renderingNpi: npi,
  renderingProviderFirstName: string,
  renderingProviderLastName: string,
  providerGroup: string,
  serviceLocationName: string,
  serviceLocationAddress1: string,
  serviceLocationCity: string,
  serviceLocationState: code,
  serviceLocationZip: code,
  billedAmount: amount,
  /** Claim-level totals; when unmapped or blank, the sums of the lines (a layout's `missing: flag` says so per claim). */
  paymentAmount: amount,
  allowedAmount: amount,
  paidAmount: amount,
  claimStatus: string,
  adjudicationStatus: { type: 'enum', values: ADJUDICATION_STATUSES },
  pendReason: string,
  pendQueue: string,
  /** Free text that may hold PHI: carried on the event, never logged, never in an error message. */
  pendComments: string,
  drugNdc: code,
  drugQuantity: { type: 'decimal' },
  drugDaysSupply: { type: 'integer' },
  sourceOperation: { type: 'enum', values: SOURCE_OPERATIONS },
} as const satisfies Record<string, TargetSpec>;
export type ClaimTarget = keyof typeof CLAIM_TARGETS;

/** Line-level targets (libs/contracts ClaimLineSchema). */
export const LINE_TARGETS = {
  lineNumber: { type: 'integer' },
  hcpcsCode: code,
  revenueCode: code,
  renderingNpi: npi,
  taxId: string,
  diagnosisCode: code,
  paymentAmount: amount,
  allowedAmount: amount,
  deductibleAmount: amount,
  coinsuranceAmount: amount,
  primaryPayerPaidAmount: amount,
  chargeAmount: amount,
  processingIndicatorCode: code,
  processingCategory: { type: 'enum', values: LINE_PROCESSING_CATEGORIES },
  serviceUnitCount: { type: 'decimal' },
  placeOfServiceCode: code,
  serviceDate: { type: 'date' },
  ndcCode: code,
} as const satisfies Record<string, TargetSpec>;
export type LineTarget = keyof typeof LINE_TARGETS;

/** Targets of a member-reference layout (libs/contracts MemberReferenceSchema). */
export const MEMBER_TARGETS = {
  memberId: { type: 'string', required: true },
  referenceYear: { type: 'integer' },
  birthDate: { type: 'date' },
  deathDate: { type: 'date' },
  sex: { type: 'enum', values: MEMBER_SEXES },
  raceCode: code,
  ssaStateCode: code,
  ssaCountyCode: code,
  coverageMonthsPartA: { type: 'integer' },
  coverageMonthsPartB: { type: 'integer' },
  coverageMonthsHmo: { type: 'integer' },
  coverageMonthsPartD: { type: 'integer' },
  sourceOperation: { type: 'enum', values: SOURCE_OPERATIONS },
} as const satisfies Record<string, TargetSpec>;
export type MemberTarget = keyof typeof MEMBER_TARGETS;

/** The claim-level dates an event time may be taken from, in the order a layout lists them. */
export const EVENT_TIME_TARGETS = [
  'serviceFromDate',
  'serviceThroughDate',
  'admissionDate',
  'dischargeDate',
  'receivedDate',
  'clearDate',
  'paidDate',
] as const satisfies readonly ClaimTarget[];

/** Code lists vendored under data/codes, by the name a layout uses. */
export const CODE_LIST_NAMES = [
  'icd-9-cm',
  'hcpcs',
  'place-of-service',
  'revenue-center',
  'bill-type',
  'ssa-state',
] as const;
export type CodeListName = (typeof CODE_LIST_NAMES)[number];
