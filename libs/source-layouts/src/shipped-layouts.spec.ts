import { ClaimEventSchema, type ClaimEvent, type MemberReferenceEvent } from '@claims/contracts';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadCodeLists } from './code-lists';
import { loadSourceLayouts, shippedFolder } from './layout-files';
import { normalizeMappedRecord, type NormalizedSourceRecord } from './mapped-record';
import { SourceRecordError } from './source-record.errors';
import {
  DATA_ROOT,
  mappedLayoutOf,
  rawEventsOf,
  readVendoredFile,
  type VendoredFile,
} from './__fixtures__/vendored-file';

const layouts = loadSourceLayouts();
const options = {
  patientTokenKey: 'unit-test-key-0123456789',
  codeLists: loadCodeLists(shippedFolder('data', 'codes', 'tuva')),
};

function filesUnder(folder: string): string[] {
  return readdirSync(path.join(DATA_ROOT, folder))
    .sort()
    .flatMap((name) => {
      const relative = path.join(folder, name);
      if (statSync(path.join(DATA_ROOT, relative)).isDirectory()) return filesUnder(relative);
      return /\.(csv|txt)$/.test(name) ? [relative] : [];
    });
}

/** The layout each vendored file is in, by its name (the file names follow the sources' own conventions). */
function expectedLayout(file: string): string {
  const name = path.basename(file);
  const rules: Array<[RegExp, string]> = [
    [/Carrier_Claims/, 'desynpuf.carrier'],
    [/Inpatient_Claims/, 'desynpuf.inpatient'],
    [/Outpatient_Claims/, 'desynpuf.outpatient'],
    [/Prescription_Drug_Events/, 'desynpuf.prescription-drug-events'],
    [/Beneficiary_Summary/, 'desynpuf.beneficiary-summary'],
    [/beneficiaryhistory|beneficiary_history/, 'rif.beneficiary-history'],
    [/beneficiar|with-[89]-months|same-bene/, 'rif.beneficiary'],
    [/carrier/, 'rif.carrier'],
    [/inpatient/, 'rif.inpatient'],
    [/outpatient/, 'rif.outpatient'],
    [/snf/, 'rif.snf'],
    [/hha/, 'rif.hha'],
    [/hospice/, 'rif.hospice'],
    [/dme/, 'rif.dme'],
    [/pde/, 'rif.pde'],
    [/^billing-export/, 'billing.claim-export'],
    [/^pended-queue/, 'billing.pended-queue-export'],
  ];
  return rules.find(([pattern]) => pattern.test(name))?.[1] ?? 'none';
}

const VENDORED = [
  ...filesUnder('desynpuf'),
  ...filesUnder('rif'),
  ...filesUnder('billing'),
  ...filesUnder('pended'),
].filter((file) => !file.endsWith('export_summary.csv'));

/** Each row of a file as column → value. */
function recordsOf(file: VendoredFile, delimiter: string): Array<Record<string, string>> {
  const names = file.header.split(delimiter).map((name) => name.replace(/"/g, '').trim());
  return file.rows.map((row) =>
    Object.fromEntries(row.split(delimiter).map((value, index) => [names[index] ?? '', value])),
  );
}

function normalizeFile(relative: string): {
  file: VendoredFile;
  outcomes: Array<NormalizedSourceRecord | SourceRecordError>;
} {
  const file = readVendoredFile(relative);
  const layout = mappedLayoutOf(layouts, file);
  const outcomes = rawEventsOf(file, layout).map((raw) => {
    try {
      return normalizeMappedRecord(layout, raw, options);
    } catch (error) {
      if (error instanceof SourceRecordError) return error;
      throw error;
    }
  });
  return { file, outcomes };
}
const claimsOf = (outcomes: Array<NormalizedSourceRecord | SourceRecordError>): ClaimEvent[] =>
  outcomes.flatMap((outcome) =>
    !(outcome instanceof SourceRecordError) && outcome.kind === 'claim' ? [outcome.event] : [],
  );
const membersOf = (outcomes: Array<NormalizedSourceRecord | SourceRecordError>): MemberReferenceEvent[] =>
  outcomes.flatMap((outcome) =>
    !(outcome instanceof SourceRecordError) && outcome.kind === 'member_reference' ? [outcome.event] : [],
  );
const cents = (amount: string | undefined): number => Math.round(Number(amount) * 100);
const iso = (compact: string | undefined): string =>
  `${compact?.slice(0, 4)}-${compact?.slice(4, 6)}-${compact?.slice(6, 8)}`;

describe('the shipped layouts', () => {
  it('list the hand-coded carrier layout among the known layouts', () => {
    expect(layouts.knownLayoutNames()).toEqual(
      expect.arrayContaining(['desynpuf.carrier', 'rif.carrier', 'billing.claim-export']),
    );
  });

  it.each(VENDORED)('recognise %s by its header', (file) => {
    expect(layouts.detect(readVendoredFile(file).header).name).toBe(expectedLayout(file));
  });

  it.each(VENDORED.filter((file) => expectedLayout(file) !== 'desynpuf.carrier'))(
    'normalize every row of %s: each row ends in exactly one event or one refusal',
    (relative) => {
      const { file, outcomes } = normalizeFile(relative);
      const rows = outcomes.reduce(
        (total, outcome) =>
          total + (outcome instanceof SourceRecordError ? 0 : (outcome.event.lineage.recordCount ?? 1)),
        0,
      );
      const refusedRows = file.rows.length - rows;
      expect(refusedRows).toBeGreaterThanOrEqual(0);
      const refusals = outcomes.filter((outcome) => outcome instanceof SourceRecordError);
      // Refusals are the known bad rows only: orphan DE-SynPUF segments, BFD's junk reference years, and the error fixture.
      for (const refusal of refusals) {
        expect([
          'GROUP_FIRST_ROW_MISSING',
          'MAPPED_VALUE_INVALID',
          'DATE_INVALID',
          'AMOUNT_INVALID',
          'CLAIM_ID_MISSING',
          'CODE_UNTRANSLATED',
        ]).toContain(refusal.code);
      }
    },
  );

  it.each(
    VENDORED.filter(
      (file) => expectedLayout(file) !== 'desynpuf.carrier' && layouts.mapped(expectedLayout(file))?.kind === 'claim',
    ),
  )(
    'check every claim of %s against the contract where it is mapped, so that the normalizer need not check it again',
    (relative) => {
      const claims = normalizeFile(relative).outcomes.filter(
        (outcome): outcome is Extract<NormalizedSourceRecord, { kind: 'claim' }> =>
          !(outcome instanceof SourceRecordError) && outcome.kind === 'claim',
      );
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) expect(ClaimEventSchema.safeParse(claim.event).success).toBe(true);
    },
  );
});

describe('DE-SynPUF layouts on the real sample files', () => {
  it('map an inpatient stay: dates, DRG, facility, claim payment, diagnoses and one line per HCPCS code', () => {
    const { file, outcomes } = normalizeFile('desynpuf/sample2/DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv');
    const [row] = recordsOf(file, ',');
    const [event] = claimsOf(outcomes);
    expect(event?.claimId).toBe(row?.['CLM_ID']);
    expect(event?.claim).toMatchObject({
      claimType: 'institutional_inpatient',
      serviceFromDate: iso(row?.['CLM_FROM_DT']),
      admissionDate: iso(row?.['CLM_ADMSN_DT']),
      dischargeDate: iso(row?.['NCH_BENE_DSCHRG_DT']),
      drgCode: row?.['CLM_DRG_CD'],
      facilityCcn: row?.['PRVDR_NUM'],
      totals: { paymentAmountCents: cents(row?.['CLM_PMT_AMT']) },
    });
    const hcpcs = Array.from({ length: 45 }, (_, index) => row?.[`HCPCS_CD_${index + 1}`] ?? '').filter(Boolean);
    expect(event?.claim.lines.map((line) => line.hcpcsCode)).toEqual(hcpcs);
    const diagnoses = new Set(
      [...Array.from({ length: 10 }, (_, index) => `ICD9_DGNS_CD_${index + 1}`), 'ADMTNG_ICD9_DGNS_CD']
        .map((column) => row?.[column] ?? '')
        .filter(Boolean),
    );
    expect(event?.claim.diagnoses.map((diagnosis) => diagnosis.code)).toEqual([...diagnoses]);
  });

  it.each([
    'desynpuf/sample2/DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv',
    'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
  ])(
    "list each claim's principal diagnosis (ICD9_DGNS_CD_1) first, the admitting one after the claim's codes: %s",
    (path) => {
      const { file, outcomes } = normalizeFile(path);
      const firstSegments = new Map(
        recordsOf(file, ',')
          .filter((row) => row['SEGMENT'] === '1')
          .map((row) => [row['CLM_ID'] ?? '', row]),
      );
      const claims = claimsOf(outcomes);
      expect(claims.length).toBeGreaterThan(90);
      for (const event of claims) {
        const row = firstSegments.get(event?.claimId ?? '');
        const principal = row?.['ICD9_DGNS_CD_1'] ?? '';
        if (principal === '') continue;
        expect({ claimId: event?.claimId, first: event?.claim.diagnoses[0]?.code }).toEqual({
          claimId: event?.claimId,
          first: principal,
        });
      }
    },
  );

  it('assemble an outpatient claim whose segments are adjacent (segment 2 first) into one claim', () => {
    const { file, outcomes } = normalizeFile(
      'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
    );
    const records = recordsOf(file, ',');
    const claims = claimsOf(outcomes);
    const multiSegment = claims.find(
      (event) => (event.lineage.recordCount ?? 1) > 1 && event.lineage.recordNumbers === undefined,
    );
    const rows = records.filter((record) => record['CLM_ID'] === multiSegment?.claimId);
    expect(rows.map((record) => record['SEGMENT'])).toEqual(['2', '1']);
    const hcpcs = [...rows]
      .reverse()
      .flatMap((record) =>
        Array.from({ length: 45 }, (_, index) => record[`HCPCS_CD_${index + 1}`] ?? '').filter(Boolean),
      );
    expect(multiSegment?.claim.lines.map((line) => line.hcpcsCode)).toEqual(hcpcs);
    expect(multiSegment?.claim.serviceFromDate).toBe(iso(rows[1]?.['CLM_FROM_DT']));
  });

  it("assemble a claim whose segments sit apart among its member's rows into one claim naming both rows", () => {
    const { file, outcomes } = normalizeFile(
      'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
    );
    const records = recordsOf(file, ',');
    const claims = claimsOf(outcomes);
    // The file's own rows: CLM_ID 391952254123037 has segment 2 at data row 11 and segment 1 at row 35.
    const rowsOf = (claimId: string) =>
      records.flatMap((record, index) => (record['CLM_ID'] === claimId ? [{ record, recordNumber: index + 1 }] : []));
    const apart = rowsOf('391952254123037');
    expect(apart.map(({ record, recordNumber }) => [recordNumber, record['SEGMENT']])).toEqual([
      [11, '2'],
      [35, '1'],
    ]);
    const claim = claims.find((event) => event.claimId === '391952254123037');
    expect(claim?.lineage).toMatchObject({ recordNumber: 11, recordCount: 2, recordNumbers: [11, 35] });
    expect(claim?.schemaVersion).toBe(3);
    const hcpcsOf = (record: Record<string, string> | undefined) =>
      Array.from({ length: 45 }, (_, index) => record?.[`HCPCS_CD_${index + 1}`] ?? '').filter(Boolean);
    // Segment 1 first (orderBy SEGMENT), and the claim-level fields from segment 1.
    expect(claim?.claim.lines.map((line) => line.hcpcsCode)).toEqual([
      ...hcpcsOf(apart[1]?.record),
      ...hcpcsOf(apart[0]?.record),
    ]);
    expect(claim?.claim.totals.paymentAmountCents).toBe(cents(apart[1]?.record['CLM_PMT_AMT']));
  });

  it('turn every row of the outpatient sample into exactly one claim per claim id, refusing none', () => {
    const { file, outcomes } = normalizeFile(
      'desynpuf/sample2/DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv',
    );
    const records = recordsOf(file, ',');
    expect(outcomes.filter((outcome) => outcome instanceof SourceRecordError)).toEqual([]);
    const claims = claimsOf(outcomes);
    expect(claims.map((event) => event.claimId).sort()).toEqual(
      [...new Set(records.map((record) => record['CLM_ID']))].sort(),
    );
    const hcpcsInFile = records.flatMap((record) =>
      Array.from({ length: 45 }, (_, index) => record[`HCPCS_CD_${index + 1}`] ?? '').filter(Boolean),
    );
    expect(claims.flatMap((event) => event.claim.lines).length).toBe(hcpcsInFile.length);
  });

  it('map a prescription drug event to a pharmacy claim with its NDC, quantity and days supply', () => {
    const { file, outcomes } = normalizeFile(
      'desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv',
    );
    const [row] = recordsOf(file, ',');
    expect(claimsOf(outcomes)[0]?.claim).toMatchObject({
      claimType: 'pharmacy',
      drug: {
        ndcCode: row?.['PROD_SRVC_ID'],
        quantityDispensed: Number(row?.['QTY_DSPNSD_NUM']),
        daysSupply: Number(row?.['DAYS_SUPLY_NUM']),
      },
      billedAmountCents: cents(row?.['TOT_RX_CST_AMT']),
    });
  });

  it('map a beneficiary summary row to a member reference of the file-name year, with its chronic conditions', () => {
    const { file, outcomes } = normalizeFile('desynpuf/sample2/DE1_0_2009_Beneficiary_Summary_File_Sample_2.csv');
    const [row] = recordsOf(file, ',');
    const [member] = membersOf(outcomes);
    expect(member?.member).toMatchObject({
      referenceYear: 2009,
      birthDate: iso(row?.['BENE_BIRTH_DT']),
      sex: row?.['BENE_SEX_IDENT_CD'] === '1' ? 'male' : 'female',
      ssaStateCode: row?.['SP_STATE_CODE'],
      coverageMonths: { partA: Number(row?.['BENE_HI_CVRAGE_TOT_MONS']), partD: Number(row?.['PLAN_CVRG_MOS_NUM']) },
    });
    const flagged = ['SP_ALZHDMTA', 'SP_CHF', 'SP_CHRNKIDN', 'SP_CNCR', 'SP_COPD', 'SP_DEPRESSN', 'SP_DIABETES'];
    const yes = flagged.filter((column) => row?.[column] === '1').length;
    expect(Object.values(member?.member.chronicConditions ?? {}).filter(Boolean).length).toBeGreaterThanOrEqual(yes);
  });
});

describe('CMS RIF layouts on the BFD sample files', () => {
  it('assemble the adjacent rows of a carrier claim into one claim with a line per row', () => {
    const { file, outcomes } = normalizeFile('rif/rif-synthea/carrier.csv');
    const records = recordsOf(file, '|');
    for (const event of claimsOf(outcomes)) {
      const rows = records.filter((record) => record['CLM_ID'] === event.claimId);
      expect(event.claim.lines.map((line) => line.lineNumber).sort((a, b) => a - b)).toEqual(
        rows.map((record) => Number(record['LINE_NUM'])).sort((a, b) => a - b),
      );
      expect(event.claim.totals.paymentAmountCents).toBe(cents(rows[0]?.['CLM_PMT_AMT']));
    }
  });

  it('mark an UPDATE row as a replacement of its claim', () => {
    const [event] = claimsOf(normalizeFile('rif/rif-static-samples/sample-u-bcarrier.txt').outcomes);
    expect(event?.claim.sourceOperation).toBe('update');
  });

  it('compose the type of bill from its three parts and keep a four-character DRG', () => {
    const { file, outcomes } = normalizeFile(
      'rif/rif-static-samples/sample-a-inpatient-with-four-character-drg-code.txt',
    );
    const [row] = recordsOf(file, '|');
    expect(claimsOf(outcomes)[0]?.claim).toMatchObject({
      billType: `${row?.['CLM_FAC_TYPE_CD']}${row?.['CLM_SRVC_CLSFCTN_TYPE_CD']}${row?.['CLM_FREQ_CD']}`,
      drgCode: row?.['CLM_DRG_CD'],
      facilityCcn: row?.['PRVDR_NUM'],
    });
  });

  it.each(['snf', 'hha', 'hospice', 'outpatient', 'inpatient'])(
    'give every %s line a revenue code and a processing category',
    (type) => {
      const { outcomes } = normalizeFile(`rif/rif-synthea/${type}.csv`);
      const lines = claimsOf(outcomes).flatMap((event) => event.claim.lines);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((line) => line.revenueCode !== null && line.processingCategory !== undefined)).toBe(true);
    },
  );

  it.each(['outpatient', 'inpatient', 'snf', 'hha', 'hospice', 'carrier'])(
    "flag a %s claim whose claim payment is blank, its payment then read as its lines' sum",
    (type) => {
      const file = readVendoredFile(`rif/rif-synthea/${type}.csv`);
      const column = file.header.split('|').indexOf('CLM_PMT_AMT');
      const blanked = file.rows.map((row) =>
        row
          .split('|')
          .map((value, index) => (index === column ? '' : value))
          .join('|'),
      );
      const layout = mappedLayoutOf(layouts, file);
      const events = rawEventsOf({ ...file, rows: blanked }, layout).map((raw) => {
        const outcome = normalizeMappedRecord(layout, raw, options);
        if (outcome.kind !== 'claim') throw new Error('expected a claim');
        return outcome.event;
      });
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        expect(event.dataQuality).toContainEqual({
          code: 'FIELD_MISSING',
          field: 'CLM_PMT_AMT',
          message: 'CLM_PMT_AMT is blank',
        });
        const linesPaid = event.claim.lines.reduce((total, line) => total + line.paymentAmountCents, 0);
        expect(event.claim.totals.paymentAmountCents).toBe(linesPaid);
      }
    },
  );

  it('map a Part D event with the plan payment as its total', () => {
    const { file, outcomes } = normalizeFile('rif/rif-synthea/pde.csv');
    const [row] = recordsOf(file, '|');
    expect(claimsOf(outcomes)[0]?.claim).toMatchObject({
      claimType: 'pharmacy',
      totals: { paymentAmountCents: cents(row?.['CVRD_D_PLAN_PD_AMT']) },
      drug: { ndcCode: row?.['PROD_SRVC_ID'], daysSupply: Number(row?.['DAYS_SUPLY_NUM']) },
    });
  });
});

describe('CMS RIF code translations, per the CCW data dictionary', () => {
  /** A vendored RIF file with some columns of every row replaced (the file itself is left as it is). */
  function withColumns(relative: string, replacements: Record<string, string>): VendoredFile {
    const file = readVendoredFile(relative);
    const names = file.header.split('|');
    const rows = file.rows.map((row) => {
      const fields = row.split('|');
      for (const [name, value] of Object.entries(replacements)) {
        const index = names.indexOf(name);
        if (index === -1) throw new Error(`${relative} has no column ${name}`);
        fields[index] = value;
      }
      return fields.join('|');
    });
    return { ...file, rows };
  }
  const claimsOfFile = (file: VendoredFile): ClaimEvent[] => {
    const layout = mappedLayoutOf(layouts, file);
    return claimsOf(rawEventsOf(file, layout).map((raw) => normalizeMappedRecord(layout, raw, options)));
  };

  // LINE_PRCSG_IND_CD is two bytes in the RIF: since NCH version J the one-byte symbols (! @ # ...) were
  // converted to the two-digit MSP cost-avoided codes, which must read as cost avoided, not as unknown.
  it.each(
    ['rif/rif-static-samples/sample-a-bcarrier.txt', 'rif/rif-static-samples/sample-a-dme.txt'].flatMap((file) =>
      ['00', '12', '13', '14', '15', '16', '17', '18', '21', '22', '25', '26'].map((code) => [file, code]),
    ),
  )('group a line of %s with the two-digit MSP cost-avoided LINE_PRCSG_IND_CD %s as msp_cob', (relative, code) => {
    const lines = claimsOfFile(withColumns(relative, { LINE_PRCSG_IND_CD: code })).flatMap(
      (event) => event.claim.lines,
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatchObject({ processingIndicatorCode: code, processingCategory: 'msp_cob' });
  });

  // CLM_MDCR_NON_PMT_RSN_CD (NOPAY_CD): 21 and 22 MSP cost avoided - MIR group / non-group health plan,
  // 25 and 26 MSP cost avoided - Recovery Audit Contractor California / Florida.
  it.each(
    ['inpatient', 'outpatient', 'snf', 'hha', 'hospice'].flatMap((type) =>
      ['21', '22', '25', '26'].map((code) => [`rif/rif-static-samples/sample-a-${type}.txt`, code]),
    ),
  )('group the lines of a %s claim with MSP cost-avoided CLM_MDCR_NON_PMT_RSN_CD %s as msp_cob', (relative, code) => {
    const [event] = claimsOfFile(withColumns(relative, { CLM_MDCR_NON_PMT_RSN_CD: code }));
    expect(event?.claim.lines.length).toBeGreaterThan(0);
    expect(new Set(event?.claim.lines.map((line) => line.processingCategory))).toEqual(new Set(['msp_cob']));
  });

  // CARR_CLM_PMT_DNL_CD: D denied due to demonstration involvement, P physician ownership denial.
  it.each(
    ['rif/rif-static-samples/sample-a-bcarrier.txt', 'rif/rif-static-samples/sample-a-dme.txt'].flatMap((file) =>
      ['D', 'P'].map((code) => [file, code]),
    ),
  )('read a claim of %s with CARR_CLM_PMT_DNL_CD %s as denied', (relative, code) => {
    const [event] = claimsOfFile(withColumns(relative, { CARR_CLM_PMT_DNL_CD: code }));
    expect(event?.claim.adjudication).toMatchObject({ sourceStatus: code, status: 'denied' });
    expect(event?.dataQuality.filter((finding) => finding.code === 'CODE_UNTRANSLATED')).toEqual([]);
  });
});
