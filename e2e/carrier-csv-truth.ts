import { readFileSync } from 'node:fs';

/**
 * KPI figures computed straight from a DE-SynPUF carrier CSV, independently
 * of the product's parser and mapping: the e2e tests hold the pipeline to them.
 */
export interface CarrierCsvTruth {
  claims: number;
  lines: number;
  linesAllowed: number;
  paymentCents: number;
  allowedCents: number;
  linesByIndicator: Record<string, number>;
  /** Claims and lines by the claim's through date (YYYY-MM-DD, its event date): the volume at the end of any day. */
  byThroughDate: Record<string, { claims: number; lines: number }>;
}

const LINE_FIELDS = [
  'PRF_PHYSN_NPI',
  'TAX_NUM',
  'HCPCS_CD',
  'LINE_NCH_PMT_AMT',
  'LINE_BENE_PTB_DDCTBL_AMT',
  'LINE_BENE_PRMRY_PYR_PD_AMT',
  'LINE_COINSRNC_AMT',
  'LINE_ALOWD_CHRG_AMT',
  'LINE_PRCSG_IND_CD',
  'LINE_ICD9_DGNS_CD',
];
const cents = (value: string): number => Math.round(Number(value || '0') * 100);

export function carrierCsvTruth(path: string): CarrierCsvTruth {
  const [headerLine, ...rows] = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = (headerLine ?? '').split(',').map((name) => name.replace(/"/g, ''));
  const truth: CarrierCsvTruth = {
    claims: 0,
    lines: 0,
    linesAllowed: 0,
    paymentCents: 0,
    allowedCents: 0,
    linesByIndicator: {},
    byThroughDate: {},
  };
  for (const row of rows) {
    const fields = row.split(',');
    const value = (name: string): string => fields[header.indexOf(name)] ?? '';
    truth.claims += 1;
    const throughDate = value('CLM_THRU_DT').replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
    const onThatDay = (truth.byThroughDate[throughDate] ??= { claims: 0, lines: 0 });
    onThatDay.claims += 1;
    for (let line = 1; line <= 13; line += 1) {
      const present = LINE_FIELDS.some((field) => {
        const raw = value(`${field}_${line}`).trim();
        return raw !== '' && !/^0+(\.0+)?$/.test(raw);
      });
      if (!present) continue;
      const indicator = value(`LINE_PRCSG_IND_CD_${line}`).trim() || '(blank)';
      truth.lines += 1;
      onThatDay.lines += 1;
      truth.linesByIndicator[indicator] = (truth.linesByIndicator[indicator] ?? 0) + 1;
      if (indicator === 'A') truth.linesAllowed += 1;
      truth.paymentCents += cents(value(`LINE_NCH_PMT_AMT_${line}`));
      truth.allowedCents += cents(value(`LINE_ALOWD_CHRG_AMT_${line}`));
    }
  }
  return truth;
}

/** The claims and lines of the file dated on or before `day`: the volume KPIs as of the end of it. */
export function carrierVolumeAsOf(truth: CarrierCsvTruth, day: string): { claims: number; lines: number } {
  const volume = { claims: 0, lines: 0 };
  for (const [date, counts] of Object.entries(truth.byThroughDate)) {
    if (date > day) continue;
    volume.claims += counts.claims;
    volume.lines += counts.lines;
  }
  return volume;
}
