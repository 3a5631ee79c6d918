import type { BillingClaimStatus, ExpectedCarrierKpis, ExpectedInstitutionalKpis } from '../expected-kpis';
import type { ExpectedFiguresByLayout, GeneratedLayout } from '../generated-layouts';
import { amountCents, columnReader, recordKeyRuns, type FileReadBack } from './read-generated-file';

/**
 * The figures of each layout computed from a file's bytes alone, the way the
 * pipeline would count them: the specs hold the generator's manifest to these.
 */
type FiguresReaders = { [Layout in GeneratedLayout]: (file: FileReadBack) => ExpectedFiguresByLayout[Layout] };

const DESYNPUF_CARRIER_LINE_SLOTS = 13;

function carrierLineFigures(
  lines: Array<{ indicator: string; paymentCents: number; allowedCents: number }>,
  claims: number,
): ExpectedCarrierKpis {
  const figures: ExpectedCarrierKpis = {
    claims,
    lines: lines.length,
    linesAllowed: 0,
    linesByProcessingIndicator: {},
    paymentAmountCents: 0,
    allowedAmountCents: 0,
  };
  for (const line of lines) {
    const dimension = line.indicator === '' ? '(blank)' : line.indicator;
    figures.linesByProcessingIndicator[dimension] = (figures.linesByProcessingIndicator[dimension] ?? 0) + 1;
    if (line.indicator === 'A') figures.linesAllowed += 1;
    figures.paymentAmountCents += line.paymentCents;
    figures.allowedAmountCents += line.allowedCents;
  }
  return figures;
}

function claimPaymentFigures(file: FileReadBack, keyColumns: readonly string[]): ExpectedInstitutionalKpis {
  const read = columnReader(file);
  // The claim payment is stated once per claim and repeated on its other rows: count it once.
  const { firstRows } = recordKeyRuns(file, keyColumns);
  return {
    claims: firstRows.length,
    claimPaymentAmountCents: firstRows.reduce((total, row) => total + amountCents(read(row, 'CLM_PMT_AMT')), 0),
  };
}

export const FIGURES_READ_BACK: FiguresReaders = {
  carrier: (file) => {
    const read = columnReader(file);
    // A slot holds a line when it names a performing NPI, which every generated line does.
    const lines = file.rows.flatMap((row) =>
      Array.from({ length: DESYNPUF_CARRIER_LINE_SLOTS }, (_, index) => index + 1)
        .filter((slot) => read(row, `PRF_PHYSN_NPI_${slot}`) !== '')
        .map((slot) => ({
          indicator: read(row, `LINE_PRCSG_IND_CD_${slot}`),
          paymentCents: amountCents(read(row, `LINE_NCH_PMT_AMT_${slot}`)),
          allowedCents: amountCents(read(row, `LINE_ALOWD_CHRG_AMT_${slot}`)),
        })),
    );
    return carrierLineFigures(lines, file.rows.length);
  },
  inpatient: (file) => claimPaymentFigures(file, ['CLM_ID']),
  outpatient: (file) => claimPaymentFigures(file, ['CLM_ID']),
  'prescription-drug-events': (file) => {
    const read = columnReader(file);
    return {
      claims: recordKeyRuns(file, ['PDE_ID']).distinctKeys,
      totalDrugCostCents: file.rows.reduce((total, row) => total + amountCents(read(row, 'TOT_RX_CST_AMT')), 0),
      patientPayAmountCents: file.rows.reduce((total, row) => total + amountCents(read(row, 'PTNT_PAY_AMT')), 0),
    };
  },
  'beneficiary-summary': (file) => {
    const read = columnReader(file);
    return {
      members: recordKeyRuns(file, ['DESYNPUF_ID']).distinctKeys,
      deceasedMembers: file.rows.filter((row) => read(row, 'BENE_DEATH_DT') !== '').length,
    };
  },
  'rif-carrier': (file) => {
    const read = columnReader(file);
    const lines = file.rows.map((row) => ({
      indicator: read(row, 'LINE_PRCSG_IND_CD'),
      paymentCents: amountCents(read(row, 'LINE_NCH_PMT_AMT')),
      allowedCents: amountCents(read(row, 'LINE_ALOWD_CHRG_AMT')),
    }));
    return carrierLineFigures(lines, recordKeyRuns(file, ['CLM_ID', 'DML_IND']).distinctKeys);
  },
  'rif-inpatient': (file) => claimPaymentFigures(file, ['CLM_ID', 'DML_IND']),
  'billing-export': (file) => {
    const read = columnReader(file);
    const { firstRows } = recordKeyRuns(file, ['Claim_ID']);
    const statusOf = (row: readonly string[]): BillingClaimStatus =>
      read(row, 'claim_status').toLowerCase() as BillingClaimStatus;
    const claimsByStatus: Record<BillingClaimStatus, number> = { paid: 0, denied: 0, pending: 0, rejected: 0 };
    for (const row of firstRows) claimsByStatus[statusOf(row)] += 1;
    return {
      claims: firstRows.length,
      lines: file.rows.length,
      claimsByStatus,
      linesAllowed: file.rows.filter((row) => statusOf(row) === 'paid').length,
      chargeAmountCents: file.rows.reduce((total, row) => total + amountCents(read(row, 'Claim_amnt')), 0),
      paidAmountCents: file.rows.reduce((total, row) => total + amountCents(read(row, 'Paid_amnt')), 0),
    };
  },
  'pended-queue': (file) => {
    const read = columnReader(file);
    const claimsByPendReason: Record<string, number> = {};
    for (const row of file.rows) {
      const reason = read(row, 'Pend Reason');
      claimsByPendReason[reason] = (claimsByPendReason[reason] ?? 0) + 1;
    }
    const waiting = file.rows.filter((row) => read(row, 'Clear Date') === '').length;
    return {
      claims: recordKeyRuns(file, ['Claim Number']).distinctKeys,
      claimsWaiting: waiting,
      claimsCleared: file.rows.length - waiting,
      claimsByPendReason,
      billedAmountCents: file.rows.reduce((total, row) => total + amountCents(read(row, 'Billed Amount')), 0),
    };
  },
};
