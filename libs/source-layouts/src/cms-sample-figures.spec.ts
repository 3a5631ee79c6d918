import type { ClaimEvent } from '@claims/contracts';
import { loadCodeLists } from './code-lists';
import { normalizeCarrierRecord } from './desynpuf-carrier';
import { loadSourceLayouts, shippedFolder } from './layout-files';
import { normalizeMappedRecord } from './mapped-record';
import { SourceRecordError } from './source-record.errors';
import { carrierInput } from './__fixtures__/desynpuf-carrier-sample';
import { mappedLayoutOf, rawEventsOf, readVendoredFile } from './__fixtures__/vendored-file';

/**
 * The figures an outside checker computes straight from each vendored CMS
 * claim file, by the CMS data dictionaries, written down here as numbers
 * (worked out once with a script of their own, not with this code): the
 * mapping is held to them, so a change in what a column means shows as a
 * changed figure, not as a test that agrees with itself.
 *
 * claims: distinct CLM_ID (PDE_ID). lines: used carrier line slots (any of a
 * slot's ten fields filled), RIF rows, DE-SynPUF institutional HCPCS_CD_n
 * codes, one per Part D event. paid: DE-SynPUF carrier Σ LINE_NCH_PMT_AMT;
 * institutional and RIF CLM_PMT_AMT once per claim (a DE-SynPUF claim's
 * segment 1); RIF Part D CVRD_D_PLAN_PD_AMT; DE-SynPUF Part D states none.
 * allowed: the lines' Σ LINE_ALOWD_CHRG_AMT, carrier and DME (docs/kpis:
 * "the lines' allowed amounts"; RIF NCH_CARR_CLM_ALOWD_AMT, which should be
 * that sum, is not: 11,216,591 in rif-synthea/carrier.csv). billed: RIF NCH_CARR_CLM_SBMTD_CHRG_AMT or
 * CLM_TOT_CHRG_AMT, Part D TOT_RX_CST_AMT. patient: carrier Σ
 * LINE_BENE_PTB_DDCTBL_AMT + LINE_COINSRNC_AMT, RIF outpatient Σ REV_CNTR_CASH_DDCTBL_AMT +
 * REV_CNTR_COINSRNC_WGE_ADJSTD_C, Part D PTNT_PAY_AMT.
 */
const FIGURES: Array<{
  file: string;
  claims: number;
  lines: number;
  paid: number;
  allowed: number;
  billed: number;
  patient: number;
}> = [
  {
    file: 'desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv',
    claims: 200,
    lines: 407,
    paid: 2_282_000,
    allowed: 2_894_000,
    billed: 0,
    patient: 657_000,
  },
  {
    file: 'desynpuf/sample2/DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv',
    claims: 100,
    lines: 0,
    paid: 102_100_000,
    allowed: 0,
    billed: 0,
    patient: 0,
  },
  {
    // 100 rows, three claims of two segments; Σ CLM_PMT_AMT over every row is 1,709,000 (see the layout).
    file: 'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
    claims: 97,
    lines: 547,
    paid: 1_699_000,
    allowed: 0,
    billed: 0,
    patient: 0,
  },
  {
    file: 'desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv',
    claims: 100,
    lines: 100,
    paid: 0,
    allowed: 0,
    billed: 438_000,
    patient: 95_000,
  },
  {
    file: 'rif/rif-synthea/carrier.csv',
    claims: 37,
    lines: 221,
    paid: 11_216_591,
    allowed: 14_555_431,
    billed: 14_555_431,
    patient: 11_216_591,
  },
  {
    file: 'rif/rif-static-samples/sample-a-bcarrier-multiple-lines.txt',
    claims: 1,
    lines: 7,
    paid: 19_999,
    allowed: 33_488,
    billed: 24_504,
    patient: 6_699,
  },
  {
    file: 'rif/rif-synthea/inpatient.csv',
    claims: 16,
    lines: 16,
    paid: 3_638_646,
    allowed: 0,
    billed: 3_638_646,
    patient: 0,
  },
  {
    file: 'rif/rif-synthea/outpatient.csv',
    claims: 19,
    lines: 19,
    paid: 13_205_609,
    allowed: 0,
    billed: 13_205_609,
    patient: 2_624_501,
  },
  { file: 'rif/rif-synthea/snf.csv', claims: 1, lines: 67, paid: 3_205_284, allowed: 0, billed: 4_010_602, patient: 0 },
  { file: 'rif/rif-synthea/hha.csv', claims: 14, lines: 15, paid: 728_959, allowed: 0, billed: 967_206, patient: 0 },
  { file: 'rif/rif-synthea/hospice.csv', claims: 1, lines: 8, paid: 531_433, allowed: 0, billed: 531_433, patient: 0 },
  { file: 'rif/rif-synthea/dme.csv', claims: 1, lines: 1, paid: 0, allowed: 5_479, billed: 5_479, patient: 0 },
  { file: 'rif/rif-synthea/pde.csv', claims: 18, lines: 18, paid: 3_413, allowed: 0, billed: 40_079, patient: 50_225 },
];

const layouts = loadSourceLayouts();
const options = {
  patientTokenKey: 'unit-test-key-0123456789',
  codeLists: loadCodeLists(shippedFolder('data', 'codes', 'tuva')),
};

/** Every claim event the file maps to; a refused record fails the test, none of these files has one. */
function claimEventsOf(relative: string): ClaimEvent[] {
  const file = readVendoredFile(relative);
  if (relative.includes('Carrier_Claims')) {
    return file.rows.map((record) => normalizeCarrierRecord(carrierInput(record), options));
  }
  const layout = mappedLayoutOf(layouts, file);
  return rawEventsOf(file, layout).flatMap((raw) => {
    const normalized = normalizeMappedRecord(layout, raw, options);
    return normalized.kind === 'claim' ? [normalized.event] : [];
  });
}

describe('the vendored CMS claim files, mapped', () => {
  it.each(FIGURES)(
    'give the claims, lines and dollars a checker computes from the raw columns of $file',
    ({ file, ...expected }) => {
      const events = claimEventsOf(file);
      const lines = events.flatMap((event) => event.claim.lines);
      expect({
        claims: new Set(events.map((event) => event.claimId)).size,
        lines: lines.length,
        paid: events.reduce((sum, event) => sum + event.claim.totals.paymentAmountCents, 0),
        allowed: events.reduce((sum, event) => sum + event.claim.totals.allowedAmountCents, 0),
        billed: events.reduce(
          (sum, event) =>
            sum +
            (event.claim.billedAmountCents ??
              event.claim.lines.reduce((charges, line) => charges + (line.chargeAmountCents ?? 0), 0)),
          0,
        ),
        patient: lines.reduce((sum, line) => sum + line.deductibleAmountCents + line.coinsuranceAmountCents, 0),
      }).toEqual(expected);
      // One event per claim: no file here repeats a claim id, so no figure depends on which version a fold keeps.
      expect(events).toHaveLength(expected.claims);
    },
  );

  it('refuse no record of these files', () => {
    for (const { file } of FIGURES) expect(() => claimEventsOf(file)).not.toThrow(SourceRecordError);
  });
});
