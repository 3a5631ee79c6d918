import { countCarrierLine, type ExpectedCarrierKpis, type ExpectedInstitutionalKpis } from './expected-kpis';
import type { RecordGenerator } from './record-generator';
import { RIF_CARRIER_COLUMNS, RIF_INPATIENT_COLUMNS } from './rif-columns';
import { RowTemplate } from './row-template';
import { SeededRandom, WeightedChoice } from './seeded-random';
import { calendarDays, formatCents, formatRifDate, npiPool } from './value-formats';

/**
 * Record generators for the CMS RIF carrier and inpatient layouts as the BFD
 * synthetic extracts write them (data/rif/rif-synthea): pipe-delimited, one
 * row per claim line, the claim-level columns repeated on every line, the
 * rows of a claim adjacent. Ids are negative, the BFD convention that marks
 * a synthetic beneficiary or claim.
 */

/** Service days 2015–2021, the years of the BFD synthetic samples. */
const SERVICE_DAY_COUNT = calendarDays('2015-01-01', '2021-12-31').length;
/** A month more than the service days, for discharge and weekly processing dates after the last one. */
const RIF_DAYS = calendarDays('2015-01-01', '2022-01-31');
const RIF_DATES: readonly string[] = RIF_DAYS.map(formatRifDate);
const FRIDAY = 5;

function rifDate(dayIndex: number): string {
  return RIF_DATES[dayIndex] ?? '';
}

/** NCH_WKLY_PROC_DT: the Friday after the claim's last day, when the weekly NCH batch processed it. */
function weeklyProcessingDay(throughDay: number): number {
  const weekday = RIF_DAYS[throughDay]?.getUTCDay() ?? FRIDAY;
  return throughDay + ((FRIDAY - weekday + 7) % 7 || 7);
}

/** ICD-10-CM codes as RIF writes them (no dot), among those of the carrier and inpatient samples. */
const ICD10_DIAGNOSES = [
  'I4891',
  'O039',
  'G479',
  'E034',
  'K635',
  'E669',
  'E1121',
  'D649',
  'N181',
  'I10',
  'F329',
  'J329',
  'E785',
  'G4733',
  'N390',
  'I2510',
  'M810',
  'E1129',
  'N1830',
  'Z720',
];
/** HCPCS level II codes present in the CMS list (data/codes/tuva) and CPT codes common on carrier claims. */
const HCPCS_CODES = ['G0444', 'G0008', 'J1100', 'A0425', 'G0439', '99213', '99214', '99232', '93000', '36415', '85025'];
/** ICD-10-PCS procedure codes (seven characters). */
const ICD10_PROCEDURES = ['0DTJ4ZZ', '02703ZZ', '0SRC0J9', '5A1955Z', '0FT44ZZ', '30233N1', 'B2111ZZ'];
/** Revenue centers (UB-04 FL 42, in data/codes/tuva's NUBC list) of an inpatient stay's detail lines. */
const REVENUE_CENTERS = ['0110', '0120', '0250', '0270', '0300', '0320', '0360', '0450', '0636', '0730'];
/** Revenue center 0001 is the claim's total-charges line, always its last. */
const TOTAL_CHARGES_REVENUE_CENTER = '0001';

/** LINE_PRCSG_IND_CD frequencies of the DE-SynPUF carrier sample (the same CCW codebook values), blanks aside. */
const PROCESSING_INDICATORS = new WeightedChoice<string>([
  ['A', 8400],
  ['O', 800],
  ['C', 300],
  ['S', 180],
  ['M', 110],
  ['N', 30],
  ['R', 30],
  ['X', 25],
  ['@', 20],
  ['<', 15],
  ['D', 15],
]);
/** Lines per carrier claim: mostly one, with the long claims the synthea sample holds (up to 21 lines). */
const CARRIER_LINE_COUNTS = new WeightedChoice<number>([
  [1, 550],
  [2, 150],
  [3, 80],
  [4, 50],
  [5, 35],
  [6, 25],
  [7, 20],
  [9, 15],
  [12, 12],
  [16, 8],
  [19, 6],
  [21, 4],
]);
const PLACES_OF_SERVICE = new WeightedChoice<string>([
  ['11', 80],
  ['22', 6],
  ['23', 4],
  ['21', 4],
  ['20', 4],
  ['81', 2],
]);
/** CLM_MDCR_NON_PMT_RSN_CD: blank when Medicare paid; a reason for the claims it did not pay (CCW NOPAY_CD). */
const NON_PAYMENT_REASONS = new WeightedChoice<string>([
  [' ', 930],
  ['A', 15],
  ['B', 15],
  ['N', 10],
  ['R', 5],
  ['E', 15],
  ['Q', 10],
]);
/** The Part A inpatient deductible of each year (CMS annual announcements). */
const PART_A_DEDUCTIBLE_CENTS_BY_YEAR: Readonly<Record<string, number>> = {
  '2015': 126_000,
  '2016': 128_800,
  '2017': 131_600,
  '2018': 134_000,
  '2019': 136_400,
  '2020': 140_800,
  '2021': 148_400,
};

/** ICD version columns: '0' (ICD-10) beside a code, blank beside no code. */
const versionOf = (code: string): string => (code === '' ? '' : '0');

/** Codes for `slots` numbered columns: the first `count` filled, the rest blank. */
function codeSlots(random: SeededRandom, codes: readonly string[], count: number, slots: number): string[] {
  return Array.from({ length: slots }, (_, index) => (index < count ? random.pick(codes) : ''));
}

/** Identifiers drawn once per file, so members and providers recur across claims as they do in an extract. */
class RifIdentifierPools {
  readonly members: string[];
  readonly npis: string[];
  readonly organizationNpis: string[];
  readonly taxNumbers: string[];
  readonly providerPins: string[];
  readonly facilityCcns: string[];

  constructor(random: SeededRandom) {
    this.members = Array.from({ length: 20_000 }, () => `-${random.intBetween(10_000_000, 99_999_999)}`);
    this.npis = npiPool(random, 4_000, 0.02);
    this.organizationNpis = npiPool(random, 1_500, 0.02);
    this.taxNumbers = Array.from({ length: 1_500 }, () => random.digits(9));
    this.providerPins = Array.from({ length: 4_000 }, () => `PCP${random.digits(6)}`);
    // A CMS Certification Number: two-digit state code, four-digit facility number (0001–0879: short-term hospitals).
    this.facilityCcns = Array.from(
      { length: 600 },
      () => `${String(random.intBetween(1, 54)).padStart(2, '0')}${String(random.intBetween(1, 879)).padStart(4, '0')}`,
    );
  }
}

const CARRIER_ROW = new RowTemplate(RIF_CARRIER_COLUMNS, {
  DML_IND: 'INSERT',
  FINAL_ACTION: 'F',
  NCH_NEAR_LINE_REC_IDENT_CD: 'O',
  // 71: local carrier non-DME claim.
  NCH_CLM_TYPE_CD: '71',
  CARR_CLM_ENTRY_CD: '1',
  CLM_DISP_CD: '1',
  CARR_CLM_PRMRY_PYR_PD_AMT: '0',
  CARR_CLM_PRVDR_ASGNMT_IND_SW: 'A',
  NCH_CLM_BENE_PMT_AMT: '0',
  CARR_CLM_HCPCS_YR_CD: '1',
  CARR_LINE_PRVDR_TYPE_CD: '0',
  PRVDR_SPCLTY: '01',
  CARR_LINE_RDCD_PMT_PHYS_ASTN_C: '0',
  LINE_CMS_TYPE_SRVC_CD: '1',
  CARR_LINE_PRCNG_LCLTY_CD: '40',
  LINE_BENE_PMT_AMT: '0',
  LINE_BENE_PRMRY_PYR_CD: ' ',
  CARR_LINE_MTUS_CNT: '1',
  LINE_ICD_DGNS_VRSN_CD: '0',
  HPSA_SCRCTY_IND_CD: ' ',
  LINE_HCT_HGB_RSLT_NUM: '0.0',
  LINE_HCT_HGB_TYPE_CD: 'R1',
  CARR_LINE_ANSTHSA_UNIT_CNT: '0',
});

interface CarrierLine {
  code: string;
  hcpcs: string;
  submittedCents: number;
  allowedCents: number;
  paymentCents: number;
  deductibleCents: number;
  coinsuranceCents: number;
  primaryPayerPaidCents: number;
}

/** RIF carrier (Part B professional) claims: 100 columns, one row per line. */
export class RifCarrierRecordGenerator implements RecordGenerator<ExpectedCarrierKpis> {
  private readonly pools: RifIdentifierPools;

  constructor(private readonly random: SeededRandom) {
    this.pools = new RifIdentifierPools(random);
  }

  private nextLine(): CarrierLine {
    const random = this.random;
    const code = PROCESSING_INDICATORS.pick(random);
    const submittedCents = random.intBetween(2_000, 60_000);
    // Only an allowed line has an allowed amount; Medicare pays 80 % of it after the deductible.
    const allowedCents = code === 'A' ? Math.floor((submittedCents * random.intBetween(55, 90)) / 100) : 0;
    const deductibleCents = code === 'A' && random.chance(0.05) ? Math.min(allowedCents, 18_300) : 0;
    const paymentCents = Math.floor(((allowedCents - deductibleCents) * 4) / 5);
    return {
      code,
      hcpcs: random.pick(HCPCS_CODES),
      submittedCents,
      allowedCents,
      paymentCents,
      deductibleCents,
      coinsuranceCents: allowedCents - deductibleCents - paymentCents,
      // 'S' and the MSP codes: another payer was primary and paid part of the charge.
      primaryPayerPaidCents: code === 'S' ? Math.floor(submittedCents / 2) : 0,
    };
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedCarrierKpis): void {
    const random = this.random;
    const pools = this.pools;
    const fromDay = random.intBetween(0, SERVICE_DAY_COUNT - 1);
    const throughDay = fromDay + (random.chance(0.85) ? 0 : random.intBetween(1, 5));
    const diagnoses = codeSlots(random, ICD10_DIAGNOSES, random.intBetween(1, 12), 12);
    const lines = Array.from({ length: CARRIER_LINE_COUNTS.pick(random) }, () => this.nextLine());
    const sum = (amount: (line: CarrierLine) => number): number =>
      lines.reduce((total, line) => total + amount(line), 0);
    const paymentCents = sum((line) => line.paymentCents);
    const referringNpi = random.pick(pools.npis);
    const performingIndex = random.intBetween(0, pools.npis.length - 1);
    const claim = CARRIER_ROW.row({
      BENE_ID: random.pick(pools.members),
      CLM_ID: `-${claimNumber}`,
      CLM_GRP_ID: `-${claimNumber}`,
      CLM_FROM_DT: rifDate(fromDay),
      CLM_THRU_DT: rifDate(throughDay),
      NCH_WKLY_PROC_DT: rifDate(weeklyProcessingDay(throughDay)),
      CARR_NUM: random.pick(['31143', '00882', '04412', '05535']),
      // CARR_CLM_PMT_DNL_CD (CCW): 0 denied; 1 paid to the physician or supplier.
      CARR_CLM_PMT_DNL_CD: paymentCents > 0 ? '1' : '0',
      CLM_PMT_AMT: formatCents(paymentCents),
      RFR_PHYSN_NPI: referringNpi,
      NCH_CLM_PRVDR_PMT_AMT: formatCents(paymentCents),
      NCH_CARR_CLM_SBMTD_CHRG_AMT: formatCents(sum((line) => line.submittedCents)),
      NCH_CARR_CLM_ALOWD_AMT: formatCents(sum((line) => line.allowedCents)),
      CARR_CLM_CASH_DDCTBL_APLD_AMT: formatCents(sum((line) => line.deductibleCents)),
      CARR_CLM_RFRNG_PIN_NUM: random.pick(pools.providerPins),
      PRNCPAL_DGNS_CD: diagnoses[0] ?? '',
      PRNCPAL_DGNS_VRSN_CD: '0',
      ...Object.fromEntries(
        diagnoses.flatMap((code, index) => [
          [`ICD_DGNS_CD${index + 1}`, code],
          [`ICD_DGNS_VRSN_CD${index + 1}`, versionOf(code)],
        ]),
      ),
      CARR_CLM_CNTL_NUM: `-${claimNumber}`,
      CARR_CLM_BLG_NPI_NUM: random.chance(0.3) ? random.pick(pools.organizationNpis) : '',
    });
    const organizationNpi = random.pick(pools.organizationNpis);
    const taxNumber = random.pick(pools.taxNumbers);
    const placeOfService = PLACES_OF_SERVICE.pick(random);

    lines.forEach((line, index) => {
      const serviceDate = rifDate(random.intBetween(fromDay, throughDay));
      const lineDiagnosis = random.chance(0.5) ? (diagnoses[0] ?? '') : '';
      rows.push(
        CARRIER_ROW.extend(claim, {
          LINE_NUM: String(index + 1),
          CARR_PRFRNG_PIN_NUM: pools.providerPins[performingIndex] ?? '',
          PRF_PHYSN_NPI: pools.npis[performingIndex] ?? '',
          ORG_NPI_NUM: organizationNpi,
          TAX_NUM: taxNumber,
          PRTCPTNG_IND_CD: random.pick(['1', '2', '4', '6']),
          LINE_SRVC_CNT: String(random.chance(0.8) ? 1 : random.intBetween(2, 20)),
          LINE_PLACE_OF_SRVC_CD: placeOfService,
          LINE_1ST_EXPNS_DT: serviceDate,
          LINE_LAST_EXPNS_DT: serviceDate,
          HCPCS_CD: line.hcpcs,
          LINE_NCH_PMT_AMT: formatCents(line.paymentCents),
          LINE_PRVDR_PMT_AMT: formatCents(line.paymentCents),
          LINE_BENE_PTB_DDCTBL_AMT: formatCents(line.deductibleCents),
          LINE_BENE_PRMRY_PYR_PD_AMT: formatCents(line.primaryPayerPaidCents),
          LINE_COINSRNC_AMT: formatCents(line.coinsuranceCents),
          LINE_SBMTD_CHRG_AMT: formatCents(line.submittedCents),
          LINE_ALOWD_CHRG_AMT: formatCents(line.allowedCents),
          LINE_PRCSG_IND_CD: line.code,
          LINE_ICD_DGNS_CD: lineDiagnosis,
          LINE_ICD_DGNS_VRSN_CD: versionOf(lineDiagnosis),
          CARR_LINE_CLIA_LAB_NUM: line.hcpcs === '36415' || line.hcpcs === '85025' ? `00A${random.digits(7)}` : '',
        }).join('|'),
      );
      countCarrierLine(expected, line.code, line.paymentCents, line.allowedCents);
    });
    expected.claims += 1;
  }
}

const INPATIENT_ROW = new RowTemplate(RIF_INPATIENT_COLUMNS, {
  DML_IND: 'INSERT',
  FINAL_ACTION: 'F',
  NCH_NEAR_LINE_REC_IDENT_CD: 'V',
  // 60: inpatient claim.
  NCH_CLM_TYPE_CD: '60',
  CLAIM_QUERY_CODE: '3',
  // Type of bill 111: hospital inpatient, admit through discharge.
  CLM_FAC_TYPE_CD: '1',
  CLM_SRVC_CLSFCTN_TYPE_CD: '1',
  CLM_FREQ_CD: '1',
  NCH_PRMRY_PYR_CD: ' ',
  AT_PHYSN_UPIN: ' ',
  OP_PHYSN_UPIN: ' ',
  OT_PHYSN_UPIN: ' ',
  CLM_MCO_PD_SW: '0',
  CLM_PPS_IND_CD: '2',
  NCH_PTNT_STATUS_IND_CD: 'A',
  CLM_PASS_THRU_PER_DIEM_AMT: '0',
  NCH_BENE_PTA_COINSRNC_LBLTY_AM: '0.00',
  NCH_BENE_BLOOD_DDCTBL_LBLTY_AM: '0',
  NCH_PROFNL_CMPNT_CHRG_AMT: '0',
  NCH_IP_NCVRD_CHRG_AMT: '0.00',
  CLM_TOT_PPS_CPTL_AMT: '0',
  CLM_PPS_CPTL_FSP_AMT: '0',
  CLM_PPS_CPTL_OUTLIER_AMT: '0',
  CLM_PPS_CPTL_DSPRPRTNT_SHR_AMT: '0',
  CLM_PPS_CPTL_IME_AMT: '0',
  CLM_PPS_CPTL_EXCPTN_AMT: '0',
  CLM_PPS_OLD_CPTL_HLD_HRMLS_AMT: '0',
  CLM_PPS_CPTL_DRG_WT_NUM: '0',
  BENE_TOT_COINSRNC_DAYS_CNT: '0',
  BENE_LRD_USED_CNT: '0',
  CLM_NON_UTLZTN_DAYS_CNT: '0',
  NCH_BLOOD_PNTS_FRNSHD_QTY: '0',
  CLM_DRG_OUTLIER_STAY_CD: '0',
  NCH_DRG_OUTLIER_APRVD_PMT_AMT: '0',
  IME_OP_CLM_VAL_AMT: '0',
  DSH_OP_CLM_VAL_AMT: '0',
  REV_CNTR_NCVRD_CHRG_AMT: '0.00',
  RNDRNG_PHYSN_UPIN: ' ',
});

/** RIF inpatient claims: 275 columns, one row per revenue-center line, the total-charges line last. */
export class RifInpatientRecordGenerator implements RecordGenerator<ExpectedInstitutionalKpis> {
  private readonly pools: RifIdentifierPools;

  constructor(private readonly random: SeededRandom) {
    this.pools = new RifIdentifierPools(random);
  }

  appendRecord(claimNumber: number, rows: string[], expected: ExpectedInstitutionalKpis): void {
    const random = this.random;
    const pools = this.pools;
    const fromDay = random.intBetween(0, SERVICE_DAY_COUNT - 1);
    const stayDays = random.chance(0.1) ? 0 : random.intBetween(1, 14);
    const throughDay = fromDay + stayDays;
    const fromDate = rifDate(fromDay);
    const detailCharges = Array.from({ length: random.intBetween(1, 8) }, () => random.intBetween(5_000, 900_000));
    const totalChargeCents = detailCharges.reduce((total, cents) => total + cents, 0);
    const nonPaymentReason = NON_PAYMENT_REASONS.pick(random);
    // Medicare pays a DRG rate, a fraction of the charges, unless it gave a reason not to pay.
    const paymentCents =
      nonPaymentReason === ' ' ? Math.floor((totalChargeCents * random.intBetween(20, 60)) / 100) : 0;
    const deductibleCents = random.chance(0.3) ? (PART_A_DEDUCTIBLE_CENTS_BY_YEAR[fromDate.slice(-4)] ?? 0) : 0;
    const diagnoses = codeSlots(random, ICD10_DIAGNOSES, random.intBetween(3, 25), 25);
    const procedures = codeSlots(random, ICD10_PROCEDURES, random.intBetween(0, 3), 25);
    const attendingNpi = random.pick(pools.npis);
    const admittingDiagnosis = diagnoses[0] ?? '';
    const claim = INPATIENT_ROW.row({
      BENE_ID: random.pick(pools.members),
      CLM_ID: `-${claimNumber}`,
      CLM_GRP_ID: `-${claimNumber}`,
      CLM_FROM_DT: fromDate,
      CLM_THRU_DT: rifDate(throughDay),
      NCH_WKLY_PROC_DT: rifDate(weeklyProcessingDay(throughDay)),
      PRVDR_NUM: random.pick(pools.facilityCcns),
      CLM_MDCR_NON_PMT_RSN_CD: nonPaymentReason,
      CLM_PMT_AMT: formatCents(paymentCents),
      // MSP codes (E, Q): another payer was primary and paid.
      NCH_PRMRY_PYR_CLM_PD_AMT: formatCents(
        nonPaymentReason === 'E' || nonPaymentReason === 'Q' ? Math.floor(totalChargeCents / 2) : 0,
      ),
      PRVDR_STATE_CD: String(random.intBetween(1, 54)).padStart(2, '0'),
      ORG_NPI_NUM: random.pick(pools.organizationNpis),
      AT_PHYSN_NPI: attendingNpi,
      OP_PHYSN_NPI: random.chance(0.6) ? attendingNpi : random.pick(pools.npis),
      PTNT_DSCHRG_STUS_CD: random.pick(['1', '1', '1', '1', '6', '3', '20']),
      CLM_TOT_CHRG_AMT: formatCents(totalChargeCents),
      CLM_ADMSN_DT: fromDate,
      CLM_IP_ADMSN_TYPE_CD: random.pick(['1', '1', '2', '3']),
      CLM_SRC_IP_ADMSN_CD: String(random.intBetween(1, 9)),
      NCH_BENE_IP_DDCTBL_AMT: formatCents(deductibleCents),
      NCH_IP_TOT_DDCTN_AMT: formatCents(deductibleCents),
      CLM_UTLZTN_DAY_CNT: String(stayDays),
      NCH_BENE_DSCHRG_DT: rifDate(throughDay),
      CLM_DRG_CD: String(random.intBetween(1, 999)).padStart(3, '0'),
      ADMTG_DGNS_CD: admittingDiagnosis,
      ADMTG_DGNS_VRSN_CD: '0',
      PRNCPAL_DGNS_CD: admittingDiagnosis,
      PRNCPAL_DGNS_VRSN_CD: '0',
      ...Object.fromEntries(
        diagnoses.flatMap((code, index) => [
          [`ICD_DGNS_CD${index + 1}`, code],
          [`ICD_DGNS_VRSN_CD${index + 1}`, versionOf(code)],
          // Present on admission: Y or N beside a code.
          [`CLM_POA_IND_SW${index + 1}`, code === '' ? '' : random.chance(0.75) ? 'Y' : 'N'],
        ]),
      ),
      ...Object.fromEntries(
        procedures.flatMap((code, index) => [
          [`ICD_PRCDR_CD${index + 1}`, code],
          [`ICD_PRCDR_VRSN_CD${index + 1}`, versionOf(code)],
          [`PRCDR_DT${index + 1}`, code === '' ? '' : rifDate(random.intBetween(fromDay, throughDay))],
        ]),
      ),
      FI_DOC_CLM_CNTL_NUM: `-${claimNumber}`,
    });
    expected.claims += 1;
    expected.claimPaymentAmountCents += paymentCents;

    const line = (lineNumber: number, values: Readonly<Record<string, string>>): void => {
      rows.push(
        INPATIENT_ROW.extend(claim, {
          CLM_LINE_NUM: String(lineNumber),
          RNDRNG_PHYSN_NPI: attendingNpi,
          ...values,
        }).join('|'),
      );
    };
    detailCharges.forEach((chargeCents, index) => {
      const units = random.intBetween(1, 5);
      line(index + 1, {
        REV_CNTR: random.pick(REVENUE_CENTERS),
        HCPCS_CD: random.chance(0.4) ? random.pick(HCPCS_CODES) : '',
        REV_CNTR_UNIT_CNT: String(units),
        REV_CNTR_RATE_AMT: formatCents(Math.floor(chargeCents / units)),
        REV_CNTR_TOT_CHRG_AMT: formatCents(chargeCents),
      });
    });
    line(detailCharges.length + 1, {
      REV_CNTR: TOTAL_CHARGES_REVENUE_CENTER,
      REV_CNTR_UNIT_CNT: '0',
      REV_CNTR_RATE_AMT: '0.00',
      REV_CNTR_TOT_CHRG_AMT: formatCents(totalChargeCents),
    });
  }
}
