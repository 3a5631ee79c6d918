import { createHmac } from 'node:crypto';
import {
  derivedEventId,
  type ClaimEvent,
  type ClaimLine,
  type DataQualityFinding,
  type Lineage,
  type LineProcessingCategory,
} from '@claims/contracts';
import { DEFAULT_SERVICE_DATE_RANGE, parseAmountCents, parseCsvRecord, parseServiceDate, type DateRange } from './csv';
import { HEADER_REPEATED_REASON, ROW_BLANK_REASON, SourceRecordError, holdsNoValue } from './source-record.errors';

/** The claim id column's name, as a header row repeated mid-file holds it in place of an id. */
const HEADER_CLAIM_ID = 'CLM_ID';
const LINE_COUNT = 13;
/**
 * Every carrier column is an id, a code, a date or an amount: none comes
 * near this length, and a field that does is damage (a lost delimiter, a
 * pasted blob) that must not ride into claim state as a code.
 */
const MAX_FIELD_LENGTH = 64;
const DIAGNOSIS_COUNT = 8;
const numbered = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}_${index + 1}`);

/**
 * The official DE-SynPUF Carrier Claims layout (CMS, "DE-SynPUF Codebook",
 * Carrier Claims file): 4 claim columns, 8 claim diagnoses and 10 line-level
 * variables repeated for 13 lines — 142 columns.
 */
export const DESYNPUF_CARRIER_COLUMNS: readonly string[] = [
  'DESYNPUF_ID',
  'CLM_ID',
  'CLM_FROM_DT',
  'CLM_THRU_DT',
  ...numbered('ICD9_DGNS_CD', DIAGNOSIS_COUNT),
  ...numbered('PRF_PHYSN_NPI', LINE_COUNT),
  ...numbered('TAX_NUM', LINE_COUNT),
  ...numbered('HCPCS_CD', LINE_COUNT),
  ...numbered('LINE_NCH_PMT_AMT', LINE_COUNT),
  ...numbered('LINE_BENE_PTB_DDCTBL_AMT', LINE_COUNT),
  ...numbered('LINE_BENE_PRMRY_PYR_PD_AMT', LINE_COUNT),
  ...numbered('LINE_COINSRNC_AMT', LINE_COUNT),
  ...numbered('LINE_ALOWD_CHRG_AMT', LINE_COUNT),
  ...numbered('LINE_PRCSG_IND_CD', LINE_COUNT),
  ...numbered('LINE_ICD9_DGNS_CD', LINE_COUNT),
];

const COLUMN_INDEX = new Map(DESYNPUF_CARRIER_COLUMNS.map((name, index) => [name, index]));
const columnIndex = (name: string): number => {
  const index = COLUMN_INDEX.get(name);
  if (index === undefined) throw new Error(`no column ${name} in the carrier layout`);
  return index;
};
const CLAIM_ID_INDEX = columnIndex('CLM_ID');
const MEMBER_ID_INDEX = columnIndex('DESYNPUF_ID');
const FROM_DATE_INDEX = columnIndex('CLM_FROM_DT');
const THROUGH_DATE_INDEX = columnIndex('CLM_THRU_DT');
const DIAGNOSIS_INDEXES = numbered('ICD9_DGNS_CD', DIAGNOSIS_COUNT).map(columnIndex);

/** Column positions of each of the 13 lines, resolved once: the mapping runs for every record. */
const LINE_COLUMNS = Array.from({ length: LINE_COUNT }, (_, index) => {
  const lineNumber = index + 1;
  const at = (prefix: string) => ({ name: `${prefix}_${lineNumber}`, index: columnIndex(`${prefix}_${lineNumber}`) });
  return {
    lineNumber,
    npi: at('PRF_PHYSN_NPI'),
    taxId: at('TAX_NUM'),
    hcpcs: at('HCPCS_CD'),
    payment: at('LINE_NCH_PMT_AMT'),
    deductible: at('LINE_BENE_PTB_DDCTBL_AMT'),
    primaryPayerPaid: at('LINE_BENE_PRMRY_PYR_PD_AMT'),
    coinsurance: at('LINE_COINSRNC_AMT'),
    allowed: at('LINE_ALOWD_CHRG_AMT'),
    processingIndicator: at('LINE_PRCSG_IND_CD'),
    diagnosis: at('LINE_ICD9_DGNS_CD'),
  };
});

/**
 * LINE_PRCSG_IND_CD, per the CMS CCW Codebook (Carrier line file, "Line
 * Processing Indicator Code"). 'A' is the only allowed code. The Medicare
 * Secondary Payer codes mark lines cost-avoided because another payer is
 * primary; the one-character symbols (!, @, #, $, *, (, ), +, <, >, %, &) are
 * the codebook's one-byte stand-ins for the two-digit MSP cost-avoided codes
 * (00, 12, 13, 14, 15, 16, 17, 21, 22, 25, 26). Those lines are neither paid
 * nor denied by Medicare, so denial KPIs leave them out of the denominator.
 * 'R' (reprocessed adjustment) is a correction of an earlier line, also kept
 * apart. Any other value is carried as data and grouped as `unknown`.
 */
const LINE_PROCESSING_CATEGORY_BY_CODE: Readonly<Record<string, LineProcessingCategory>> = {
  A: 'allowed',
  B: 'not_allowed', // benefits exhausted
  C: 'not_allowed', // non-covered care
  D: 'not_allowed', // denied (from BMAD)
  I: 'not_allowed', // invalid data
  L: 'not_allowed', // CLIA
  M: 'not_allowed', // multiple submittal: duplicate line item
  N: 'not_allowed', // medically unnecessary
  O: 'not_allowed', // other
  P: 'not_allowed', // physician ownership denial
  Z: 'not_allowed', // bundled test, no payment
  R: 'reprocessed',
  S: 'msp_cob', // secondary payer
  G: 'msp_cob',
  H: 'msp_cob',
  J: 'msp_cob',
  K: 'msp_cob',
  Q: 'msp_cob',
  T: 'msp_cob',
  U: 'msp_cob',
  V: 'msp_cob',
  X: 'msp_cob',
  Y: 'msp_cob',
  '!': 'msp_cob',
  '@': 'msp_cob',
  '#': 'msp_cob',
  $: 'msp_cob',
  '*': 'msp_cob',
  '(': 'msp_cob',
  ')': 'msp_cob',
  '+': 'msp_cob',
  '<': 'msp_cob',
  '>': 'msp_cob',
  '%': 'msp_cob',
  '&': 'msp_cob',
};

export function lineProcessingCategory(code: string | null): LineProcessingCategory {
  if (code === null) return 'unknown';
  // Own keys only: a code such as 'constructor' must not find Object.prototype.
  return Object.hasOwn(LINE_PROCESSING_CATEGORY_BY_CODE, code)
    ? (LINE_PROCESSING_CATEGORY_BY_CODE[code] ?? 'unknown')
    : 'unknown';
}

/** True when a header row is the official carrier layout, in order (quotes and case aside). */
export function isDesynpufCarrierHeader(headerFields: readonly string[]): boolean {
  return (
    headerFields.length === DESYNPUF_CARRIER_COLUMNS.length &&
    headerFields.every((name, index) => name.trim().toUpperCase() === DESYNPUF_CARRIER_COLUMNS[index])
  );
}

/** The claim id for keying a raw record, read without validating the rest of it. */
export function readDesynpufCarrierClaimId(record: string): string | null {
  const start = record.indexOf(',') + 1;
  if (start === 0) return null;
  const end = record.indexOf(',', start);
  const claimId = (end === -1 ? record.slice(start) : record.slice(start, end)).replace(/"/g, '').trim();
  return claimId === '' ? null : claimId;
}

export interface CarrierRecordInput {
  record: string;
  rawEventId: string;
  lineage: Lineage;
  publishedAt: string;
}

export interface NormalizeOptions {
  /** Key for the member-id HMAC, so the canonical event never carries the source member id. */
  patientTokenKey: string;
  /** Service dates outside this range are dead-lettered (DATE_OUT_OF_RANGE); DEFAULT_SERVICE_DATE_RANGE if unset. */
  serviceDateRange?: DateRange;
}

export function tokenizePatientId(memberId: string, key: string): string {
  return createHmac('sha256', key).update(memberId).digest('hex').slice(0, 32);
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Maps one DE-SynPUF carrier record to the canonical claim event. Carrier
 * claims in the SynPUF are final-action (already adjudicated) Part B claims,
 * so the event type is `adjudicated`, and its event time is the claim's
 * through date: the file carries no adjudication or receipt date.
 *
 * @throws SourceRecordError when the record cannot be trusted at all.
 */
export function normalizeCarrierRecord(input: CarrierRecordInput, options: NormalizeOptions): ClaimEvent {
  const fields = parseCsvRecord(input.record);
  if (fields.length !== DESYNPUF_CARRIER_COLUMNS.length) {
    // Only on the way out: the hot path does not scan every field for a value.
    if (holdsNoValue(fields)) throw new SourceRecordError('ROW_BLANK', ROW_BLANK_REASON);
    throw new SourceRecordError(
      'COLUMN_COUNT_MISMATCH',
      `expected ${DESYNPUF_CARRIER_COLUMNS.length} columns, found ${fields.length}`,
    );
  }
  const overlong = fields.findIndex((field) => field.length > MAX_FIELD_LENGTH);
  if (overlong !== -1) {
    throw new SourceRecordError(
      'FIELD_TOO_LONG',
      `${DESYNPUF_CARRIER_COLUMNS[overlong] ?? `column ${overlong + 1}`} is longer than ${MAX_FIELD_LENGTH} characters`,
    );
  }
  const claimId = blankToNull(fields[CLAIM_ID_INDEX]);
  if (claimId === null) {
    throw holdsNoValue(fields)
      ? new SourceRecordError('ROW_BLANK', ROW_BLANK_REASON)
      : new SourceRecordError('CLAIM_ID_MISSING', 'CLM_ID is blank');
  }
  // A length comparison per row (no string made on the hot path); the header's other columns are checked only
  // for a row whose claim id reads as the header's.
  if (
    claimId.length === HEADER_CLAIM_ID.length &&
    claimId.toUpperCase() === HEADER_CLAIM_ID &&
    isDesynpufCarrierHeader(fields)
  ) {
    throw new SourceRecordError('HEADER_REPEATED', HEADER_REPEATED_REASON);
  }
  const memberId = blankToNull(fields[MEMBER_ID_INDEX]);
  const dataQuality: DataQualityFinding[] = [];
  if (memberId === null) {
    dataQuality.push({ code: 'MEMBER_ID_MISSING', field: 'DESYNPUF_ID', message: 'member id is blank' });
  }

  const dateRange = options.serviceDateRange ?? DEFAULT_SERVICE_DATE_RANGE;
  const serviceFromDate = parseServiceDate(fields[FROM_DATE_INDEX] ?? '', 'CLM_FROM_DT', dateRange);
  const serviceThroughDate = parseServiceDate(fields[THROUGH_DATE_INDEX] ?? '', 'CLM_THRU_DT', dateRange);
  if (serviceThroughDate < serviceFromDate) {
    dataQuality.push({
      code: 'SERVICE_DATES_REVERSED',
      field: 'CLM_THRU_DT',
      message: 'through date precedes from date',
    });
  }

  const diagnoses = DIAGNOSIS_INDEXES.map((index) => blankToNull(fields[index]))
    .filter((code): code is string => code !== null)
    .map((code) => ({ code, system: 'ICD-9-CM' as const }));

  const lines: ClaimLine[] = [];
  for (const columns of LINE_COLUMNS) {
    const text = (column: { index: number }): string | null => blankToNull(fields[column.index]);
    const amount = (column: { index: number; name: string }): number =>
      parseAmountCents(fields[column.index] ?? '', column.name);
    const lineNumber = columns.lineNumber;
    const processingIndicatorCode = text(columns.processingIndicator);
    const hcpcsCode = text(columns.hcpcs);
    const renderingNpi = text(columns.npi);
    const taxId = text(columns.taxId);
    const diagnosisCode = text(columns.diagnosis);
    const paymentAmountCents = amount(columns.payment);
    const allowedAmountCents = amount(columns.allowed);
    const deductibleAmountCents = amount(columns.deductible);
    const coinsuranceAmountCents = amount(columns.coinsurance);
    const primaryPayerPaidAmountCents = amount(columns.primaryPayerPaid);
    // Unused line slots are blank codes with 0.00 amounts; a slot with any code
    // or any non-zero amount is a line (39 sample lines carry an indicator but no HCPCS).
    // Every one of the slot's ten fields counts, as a mapped layout's line fields do:
    // a slot holding only a tax number or a line diagnosis is a line the source filled in.
    const present =
      processingIndicatorCode !== null ||
      hcpcsCode !== null ||
      renderingNpi !== null ||
      taxId !== null ||
      diagnosisCode !== null ||
      paymentAmountCents !== 0 ||
      allowedAmountCents !== 0 ||
      deductibleAmountCents !== 0 ||
      coinsuranceAmountCents !== 0 ||
      primaryPayerPaidAmountCents !== 0;
    if (!present) continue;
    const processingCategory = lineProcessingCategory(processingIndicatorCode);
    if (processingCategory === 'unknown') {
      dataQuality.push({
        code: 'LINE_PROCESSING_INDICATOR_UNKNOWN',
        field: columns.processingIndicator.name,
        message: 'line processing indicator is blank or not in the CCW codebook',
      });
    }
    lines.push({
      lineNumber,
      hcpcsCode,
      renderingNpi,
      taxId,
      diagnosisCode,
      paymentAmountCents,
      allowedAmountCents,
      deductibleAmountCents,
      coinsuranceAmountCents,
      primaryPayerPaidAmountCents,
      processingIndicatorCode,
      processingCategory,
    });
  }

  return {
    schemaVersion: 1,
    eventId: derivedEventId('claims.normalized', input.rawEventId),
    eventType: 'adjudicated',
    occurredAt: serviceThroughDate,
    claimId,
    rawEventId: input.rawEventId,
    layout: 'desynpuf.carrier',
    lineage: input.lineage,
    publishedAt: input.publishedAt,
    claim: {
      claimType: 'professional',
      patientToken: tokenizePatientId(memberId ?? `missing:${claimId}`, options.patientTokenKey),
      payer: 'MEDICARE',
      serviceFromDate,
      serviceThroughDate,
      diagnoses,
      lines,
      totals: {
        paymentAmountCents: lines.reduce((sum, line) => sum + line.paymentAmountCents, 0),
        allowedAmountCents: lines.reduce((sum, line) => sum + line.allowedAmountCents, 0),
      },
    },
    dataQuality,
  };
}
