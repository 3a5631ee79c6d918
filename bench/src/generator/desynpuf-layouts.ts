import { DESYNPUF_CARRIER_COLUMNS } from '@claims/source-layouts';

export type DesynpufLayout = 'carrier' | 'inpatient' | 'outpatient';

export const DESYNPUF_LAYOUTS: readonly DesynpufLayout[] = ['carrier', 'inpatient', 'outpatient'];

const numbered = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}_${index + 1}`);

/**
 * DE-SynPUF Inpatient Claims, official column order (CMS "DE-SynPUF Codebook";
 * the same header as shared/data/desynpuf/sample2's inpatient file): 81 columns.
 */
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

/** DE-SynPUF Outpatient Claims, official column order: 76 columns. */
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

export const COLUMNS_BY_LAYOUT: Readonly<Record<DesynpufLayout, readonly string[]>> = {
  carrier: DESYNPUF_CARRIER_COLUMNS,
  inpatient: DESYNPUF_INPATIENT_COLUMNS,
  outpatient: DESYNPUF_OUTPATIENT_COLUMNS,
};

/** The official files quote every header name and no data field. */
export function headerRow(layout: DesynpufLayout): string {
  return COLUMNS_BY_LAYOUT[layout].map((name) => `"${name}"`).join(',');
}
