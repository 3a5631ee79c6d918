/**
 * DE-SynPUF column layouts, in the official order of the CMS "DE-SynPUF
 * Codebook" and of the public Sample 2 files (data/desynpuf/sample2, whose
 * header lines the specs compare with byte for byte). They are written out
 * here rather than taken from the parsers in libs/source-layouts: a generated
 * file is the parsers' test input, so it must not inherit their mistakes.
 */

const numbered = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}_${index + 1}`);

/** Carrier Claims: 142 columns, 13 line slots per row. */
export const DESYNPUF_CARRIER_COLUMNS: readonly string[] = [
  'DESYNPUF_ID',
  'CLM_ID',
  'CLM_FROM_DT',
  'CLM_THRU_DT',
  ...numbered('ICD9_DGNS_CD', 8),
  ...numbered('PRF_PHYSN_NPI', 13),
  ...numbered('TAX_NUM', 13),
  ...numbered('HCPCS_CD', 13),
  ...numbered('LINE_NCH_PMT_AMT', 13),
  ...numbered('LINE_BENE_PTB_DDCTBL_AMT', 13),
  ...numbered('LINE_BENE_PRMRY_PYR_PD_AMT', 13),
  ...numbered('LINE_COINSRNC_AMT', 13),
  ...numbered('LINE_ALOWD_CHRG_AMT', 13),
  ...numbered('LINE_PRCSG_IND_CD', 13),
  ...numbered('LINE_ICD9_DGNS_CD', 13),
];

/** Inpatient Claims: 81 columns. */
export const DESYNPUF_INPATIENT_COLUMNS: readonly string[] = [
  'DESYNPUF_ID',
  'CLM_ID',
  'SEGMENT',
  'CLM_FROM_DT',
  'CLM_THRU_DT',
  'PRVDR_NUM',
  'CLM_PMT_AMT',
  'NCH_PRMRY_PYR_CLM_PD_AMT',
  'AT_PHYSN_NPI',
  'OP_PHYSN_NPI',
  'OT_PHYSN_NPI',
  'CLM_ADMSN_DT',
  'ADMTNG_ICD9_DGNS_CD',
  'CLM_PASS_THRU_PER_DIEM_AMT',
  'NCH_BENE_IP_DDCTBL_AMT',
  'NCH_BENE_PTA_COINSRNC_LBLTY_AM',
  'NCH_BENE_BLOOD_DDCTBL_LBLTY_AM',
  'CLM_UTLZTN_DAY_CNT',
  'NCH_BENE_DSCHRG_DT',
  'CLM_DRG_CD',
  ...numbered('ICD9_DGNS_CD', 10),
  ...numbered('ICD9_PRCDR_CD', 6),
  ...numbered('HCPCS_CD', 45),
];

/** Outpatient Claims: 76 columns. */
export const DESYNPUF_OUTPATIENT_COLUMNS: readonly string[] = [
  'DESYNPUF_ID',
  'CLM_ID',
  'SEGMENT',
  'CLM_FROM_DT',
  'CLM_THRU_DT',
  'PRVDR_NUM',
  'CLM_PMT_AMT',
  'NCH_PRMRY_PYR_CLM_PD_AMT',
  'AT_PHYSN_NPI',
  'OP_PHYSN_NPI',
  'OT_PHYSN_NPI',
  'NCH_BENE_BLOOD_DDCTBL_LBLTY_AM',
  ...numbered('ICD9_DGNS_CD', 10),
  ...numbered('ICD9_PRCDR_CD', 6),
  'NCH_BENE_PTB_DDCTBL_AMT',
  'NCH_BENE_PTB_COINSRNC_AMT',
  'ADMTNG_ICD9_DGNS_CD',
  ...numbered('HCPCS_CD', 45),
];

/** Prescription Drug Events (Part D): 8 columns. */
export const DESYNPUF_DRUG_EVENT_COLUMNS: readonly string[] = [
  'DESYNPUF_ID',
  'PDE_ID',
  'SRVC_DT',
  'PROD_SRVC_ID',
  'QTY_DSPNSD_NUM',
  'DAYS_SUPLY_NUM',
  'PTNT_PAY_AMT',
  'TOT_RX_CST_AMT',
];

/** The 11 chronic-condition flags of the Beneficiary Summary, in file order. */
export const DESYNPUF_CHRONIC_CONDITION_COLUMNS: readonly string[] = [
  'SP_ALZHDMTA',
  'SP_CHF',
  'SP_CHRNKIDN',
  'SP_CNCR',
  'SP_COPD',
  'SP_DEPRESSN',
  'SP_DIABETES',
  'SP_ISCHMCHT',
  'SP_OSTEOPRS',
  'SP_RA_OA',
  'SP_STRKETIA',
];

/** Beneficiary Summary: 32 columns, one member-year per row (the year is in the file name only). */
export const DESYNPUF_BENEFICIARY_COLUMNS: readonly string[] = [
  'DESYNPUF_ID',
  'BENE_BIRTH_DT',
  'BENE_DEATH_DT',
  'BENE_SEX_IDENT_CD',
  'BENE_RACE_CD',
  'BENE_ESRD_IND',
  'SP_STATE_CODE',
  'BENE_COUNTY_CD',
  'BENE_HI_CVRAGE_TOT_MONS',
  'BENE_SMI_CVRAGE_TOT_MONS',
  'BENE_HMO_CVRAGE_TOT_MONS',
  'PLAN_CVRG_MOS_NUM',
  ...DESYNPUF_CHRONIC_CONDITION_COLUMNS,
  'MEDREIMB_IP',
  'BENRES_IP',
  'PPPYMT_IP',
  'MEDREIMB_OP',
  'BENRES_OP',
  'PPPYMT_OP',
  'MEDREIMB_CAR',
  'BENRES_CAR',
  'PPPYMT_CAR',
];
