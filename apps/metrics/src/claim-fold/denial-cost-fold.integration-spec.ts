import { derivedEventId, sha256Hex, type ClaimEvent, type EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import {
  CLAIMS_RECEIVED_BATCH_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  DIMENSION_COUNTER_CELLS_SQL,
  STREAMED_COUNTERS_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  topDimensionCellsSql,
  type DimensionCounterCellRow,
} from '@claims/kpi';
import { loadSourceLayouts, normalizeRawRecord, rawRecordEvent } from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

/**
 * The denial-and-payment and volume-and-cost families folded from two vendored
 * files, against a real Postgres. The expected figures are read straight from
 * the files' columns below, without the product's mapping or KPI code:
 * - data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv
 *   (CMS DE-SynPUF, 200 carrier claims; LINE_PRCSG_IND_CD_n, LINE_ALOWD_CHRG_AMT_n,
 *   LINE_NCH_PMT_AMT_n, LINE_BENE_PTB_DDCTBL_AMT_n, LINE_COINSRNC_AMT_n, HCPCS_CD_n, TAX_NUM_n);
 * - data/billing/billing-export-2024-03.csv (hand-written; see data/billing/README.md);
 * - data/desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv (CMS DE-SynPUF,
 *   100 Part D events; PROD_SRVC_ID, DAYS_SUPLY_NUM, TOT_RX_CST_AMT, PTNT_PAY_AMT).
 */
const ROOT = join(__dirname, '../../../..');
const CARRIER_FILE = join(ROOT, 'data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const BILLING_FILE = join(ROOT, 'data/billing/billing-export-2024-03.csv');
const PDE_FILE = join(ROOT, 'data/desynpuf/sample2/DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv');
const PUBLISHED_AT = '2026-01-01T00:00:00.000Z';
const patientTokenKey = 'denial-cost-spec';

// ---- the files read on their own: a CSV split (quotes honoured), amounts to cents, dates to months ----

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

function readCsv(path: string): { header: string; lines: string[]; rows: Array<Record<string, string>> } {
  const [header = '', ...lines] = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const names = csvCells(header);
  const rows = lines.map((line) => {
    const values = csvCells(line);
    return Object.fromEntries(names.map((name, index) => [name, (values[index] ?? '').trim()]));
  });
  return { header, lines, rows };
}

/** "$1,250.00", "-$25.00", "210.00", "" → cents. */
function cents(text: string): number {
  const cleaned = text.replace(/[$,]/g, '');
  if (cleaned === '') return 0;
  const negative = cleaned.startsWith('-');
  const [whole = '0', fraction = ''] = cleaned.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

/** 20090314 | 03/04/2024 | 3/7/2024 | 2024-03-05 → YYYY-MM. */
function monthOf(date: string): string {
  if (/^\d{8}$/.test(date)) return `${date.slice(0, 4)}-${date.slice(4, 6)}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date.slice(0, 7);
  const [month = '', , year = ''] = date.split('/');
  return `${year}-${month.padStart(2, '0')}`;
}

/** CMS CCW codebook, LINE_PRCSG_IND_CD: A allowed; these are the not-allowed (denied) codes. */
const DENIED_INDICATORS = new Set(['B', 'C', 'D', 'I', 'L', 'M', 'N', 'O', 'P', 'Z']);

type Figures = Map<string, Record<string, number>>;
function addTo(figures: Figures, key: string, measures: Record<string, number>): void {
  const row = figures.get(key) ?? {};
  for (const [name, value] of Object.entries(measures)) row[name] = (row[name] ?? 0) + value;
  figures.set(key, row);
}

interface CarrierTruth {
  denialsByMonth: Figures;
  denialsByPayer: Figures;
  denialsByGroup: Figures;
  claimsByMonth: Figures;
  linesByHcpcs: Figures;
  claimsByDiagnosis: Figures;
}

/** The carrier file's figures, from its columns: a line slot is a line when any of its codes or amounts is set. */
function carrierTruth(rows: ReadonlyArray<Record<string, string>>): CarrierTruth {
  const truth: CarrierTruth = {
    denialsByMonth: new Map(),
    denialsByPayer: new Map(),
    denialsByGroup: new Map(),
    claimsByMonth: new Map(),
    linesByHcpcs: new Map(),
    claimsByDiagnosis: new Map(),
  };
  for (const row of rows) {
    const month = monthOf(row['CLM_THRU_DT'] ?? '');
    const denial = { adjudicated: 0, denied: 0, adjudicatedCents: 0, deniedCents: 0 };
    const claim = { claims: 1, lines: 0, allowedCents: 0, paidCents: 0, patientCents: 0 };
    let group: string | null = null;
    for (let n = 1; n <= 13; n += 1) {
      const field = (name: string): string => row[`${name}_${n}`] ?? '';
      const indicator = field('LINE_PRCSG_IND_CD');
      const hcpcs = field('HCPCS_CD');
      const allowed = cents(field('LINE_ALOWD_CHRG_AMT'));
      const paid = cents(field('LINE_NCH_PMT_AMT'));
      const patient = cents(field('LINE_BENE_PTB_DDCTBL_AMT')) + cents(field('LINE_COINSRNC_AMT'));
      const present =
        indicator !== '' ||
        hcpcs !== '' ||
        field('PRF_PHYSN_NPI') !== '' ||
        allowed !== 0 ||
        paid !== 0 ||
        patient !== 0 ||
        cents(field('LINE_BENE_PRMRY_PYR_PD_AMT')) !== 0;
      if (!present) continue;
      group ??= field('TAX_NUM') || null;
      claim.lines += 1;
      claim.allowedCents += allowed;
      claim.paidCents += paid;
      claim.patientCents += patient;
      if (hcpcs !== '') addTo(truth.linesByHcpcs, hcpcs, { lines: 1, paidCents: paid });
      if (indicator === 'A' || DENIED_INDICATORS.has(indicator)) {
        denial.adjudicated += 1;
        denial.adjudicatedCents += allowed;
        if (indicator !== 'A') {
          denial.denied += 1;
          denial.deniedCents += allowed;
        }
      }
    }
    if (denial.adjudicated > 0) {
      addTo(truth.denialsByMonth, month, denial);
      addTo(truth.denialsByPayer, 'MEDICARE', denial);
      addTo(truth.denialsByGroup, group ?? '(unknown)', denial);
    }
    addTo(truth.claimsByMonth, month, claim);
    const diagnosis = Array.from({ length: 8 }, (_, index) => row[`ICD9_DGNS_CD_${index + 1}`] ?? '').find(Boolean);
    if (diagnosis) addTo(truth.claimsByDiagnosis, diagnosis, { claims: 1, paidCents: claim.paidCents });
  }
  return truth;
}

/** The billing export's figures: rows grouped by Claim_ID; status from claim_status in any case. */
function billingTruth(rows: ReadonlyArray<Record<string, string>>): {
  denialsByPayer: Figures;
  claimsByPayer: Figures;
  linesByHcpcs: Figures;
} {
  const claims = new Map<string, Array<Record<string, string>>>();
  for (const row of rows) claims.set(row['Claim_ID'] ?? '', [...(claims.get(row['Claim_ID'] ?? '') ?? []), row]);
  const denialsByPayer: Figures = new Map();
  const claimsByPayer: Figures = new Map();
  const linesByHcpcs: Figures = new Map();
  for (const row of rows) {
    addTo(linesByHcpcs, row['Procedure_code'] ?? '', { lines: 1, paidCents: cents(row['Paid_amnt'] ?? '') });
  }
  for (const claimRows of claims.values()) {
    const first = claimRows[0] ?? {};
    const payer = first['Payer'] ?? '';
    const status = (first['claim_status'] ?? '').toLowerCase();
    const billed = claimRows.reduce((sum, row) => sum + cents(row['Claim_amnt'] ?? ''), 0);
    const paid = claimRows.reduce((sum, row) => sum + cents(row['Paid_amnt'] ?? ''), 0);
    addTo(claimsByPayer, payer, { claims: 1, billedCents: billed, paidCents: paid });
    if (status === 'paid' || status === 'denied') {
      const denied = status === 'denied';
      addTo(denialsByPayer, payer, {
        adjudicated: 1,
        denied: denied ? 1 : 0,
        adjudicatedCents: billed,
        deniedCents: denied ? billed : 0,
      });
    }
  }
  return { denialsByPayer, claimsByPayer, linesByHcpcs };
}

/** The Part D file's fills by NDC (count, total drug cost, days supply) and its claims by month. */
function pdeTruth(rows: ReadonlyArray<Record<string, string>>): { byNdc: Figures; claimsByMonth: Figures } {
  const byNdc: Figures = new Map();
  const claimsByMonth: Figures = new Map();
  for (const row of rows) {
    // One line per event; Part D events carry no allowed or plan-paid amount; the member paid PTNT_PAY_AMT.
    addTo(claimsByMonth, monthOf(row['SRVC_DT'] ?? ''), {
      claims: 1,
      lines: 1,
      allowedCents: 0,
      paidCents: 0,
      patientCents: cents(row['PTNT_PAY_AMT'] ?? ''),
    });
    addTo(byNdc, row['PROD_SRVC_ID'] ?? '', {
      fills: 1,
      costCents: cents(row['TOT_RX_CST_AMT'] ?? ''),
      daysSupply: Number(row['DAYS_SUPLY_NUM'] ?? '0'),
    });
  }
  return { byNdc, claimsByMonth };
}

// ---- the events, built as the ingestor, normalizer and enricher would ----

function enriched(event: ClaimEvent, providerGroup: string | null = null): EnrichedClaimEvent {
  return {
    ...event,
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment: {
      renderingProviders: [],
      ...(providerGroup ? { providerGroup: { groupKey: providerGroup, name: null, found: true } } : {}),
    },
  };
}

function carrierEvents(lines: readonly string[], fileId: string): EnrichedClaimEvent[] {
  return lines.map((record, index) =>
    enriched(
      normalizeRawRecord(
        rawRecordEvent({
          layout: 'desynpuf.carrier',
          record,
          recordNumber: index + 1,
          source: basename(CARRIER_FILE),
          fileId,
          publishedAt: PUBLISHED_AT,
        }),
        { patientTokenKey },
      ),
    ),
  );
}

/** The export's adjacent rows of a claim as one record; each claim's group is named after its rendering NPI. */
function billingEvents(header: string, lines: readonly string[], fileId: string): EnrichedClaimEvent[] {
  const layouts = loadSourceLayouts();
  const groups: Array<{ claimId: string; first: number; rows: string[] }> = [];
  lines.forEach((line, index) => {
    const claimId = csvCells(line)[0] ?? '';
    const last = groups[groups.length - 1];
    if (last && last.claimId === claimId) last.rows.push(line);
    else groups.push({ claimId, first: index + 1, rows: [line] });
  });
  return groups.map((group) => {
    const event = normalizeRawRecord(
      rawRecordEvent({
        layout: 'billing.claim-export',
        record: group.rows.join('\n'),
        recordNumber: group.first,
        recordCount: group.rows.length,
        source: basename(BILLING_FILE),
        fileId,
        publishedAt: PUBLISHED_AT,
        claimId: group.claimId,
        header,
      }),
      { patientTokenKey, layouts },
    );
    return enriched(event, `NPI-${csvCells(group.rows[0] ?? '')[1] ?? ''}`);
  });
}

/** One event per Part D row; each member's state as the enricher would find it (a fixed state per spec). */
function pdeEvents(header: string, lines: readonly string[], fileId: string): EnrichedClaimEvent[] {
  const layouts = loadSourceLayouts();
  return lines.map((record, index) => {
    const event = enriched(
      normalizeRawRecord(
        rawRecordEvent({
          layout: 'desynpuf.prescription-drug-events',
          record,
          recordNumber: index + 1,
          source: basename(PDE_FILE),
          fileId,
          publishedAt: PUBLISHED_AT,
          claimId: null,
          header,
        }),
        { patientTokenKey, layouts },
      ),
    );
    const member = {
      found: true,
      ageAtService: null,
      sex: null,
      ssaStateCode: null,
      stateName: 'Maryland',
      ssaCountyCode: null,
      coveredInServiceMonth: null,
    };
    return { ...event, enrichment: { ...event.enrichment, member } };
  });
}

/** An earlier, different version of a claim: a new event id, the same source record. */
function earlierVersion(
  event: EnrichedClaimEvent,
  change: (claim: EnrichedClaimEvent['claim']) => EnrichedClaimEvent['claim'],
) {
  // An earlier version comes from an earlier file: one record (file and record number) is one version.
  return {
    ...event,
    eventId: derivedEventId('spec.earlier-version', event.eventId),
    lineage: { ...event.lineage, fileId: sha256Hex(`earlier export of ${event.lineage.fileId}`) },
    claim: change(event.claim),
  };
}

describe('the denial-and-payment and volume-and-cost KPIs folded from the carrier, billing-export and Part D files', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;
  const nextOffset = new Map<number, number>();

  const batch = (partition: number, events: EnrichedClaimEvent[], firstOffset?: number): PartitionBatch => {
    const start = firstOffset ?? nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, Math.max(nextOffset.get(partition) ?? 0, start + events.length));
    return {
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition,
      messages: events.map((event, index) => ({ offset: String(start + index), event })),
    };
  };

  const carrier = readCsv(CARRIER_FILE);
  const billing = readCsv(BILLING_FILE);
  const carrierClaims = carrierEvents(carrier.lines, sha256Hex(readFileSync(CARRIER_FILE)));
  const billingClaims = billingEvents(billing.header, billing.lines, sha256Hex(readFileSync(BILLING_FILE)));
  const pde = readCsv(PDE_FILE);
  const pdeClaims = pdeEvents(pde.header, pde.lines, sha256Hex(readFileSync(PDE_FILE)));

  const cells = async (family: string, dimension: string): Promise<Figures> => {
    const rows: DimensionCounterCellRow[] = await dataSource.query(DIMENSION_COUNTER_CELLS_SQL, [family, dimension]);
    return new Map(rows.map((row) => [row.dimension_value, asFigures(row)]));
  };
  const asFigures = (row: DimensionCounterCellRow): Record<string, number> => ({
    adjudicated: Number(row.adjudicated_count),
    denied: Number(row.denied_count),
    adjudicatedCents: Number(row.adjudicated_amount_cents),
    deniedCents: Number(row.denied_amount_cents),
    claims: Number(row.claims),
    lines: Number(row.lines),
    billedCents: Number(row.billed_amount_cents),
    allowedCents: Number(row.allowed_amount_cents),
    paidCents: Number(row.paid_amount_cents),
    patientCents: Number(row.patient_responsibility_amount_cents),
    fills: Number(row.claims),
    costCents: Number(row.billed_amount_cents),
    daysSupply: Number(row.days_supply),
  });
  /** Only the measures the expected figures name. */
  const pick = (figures: Figures, expected: Figures): Figures =>
    new Map(
      [...figures].map(([key, row]) => [
        key,
        Object.fromEntries(Object.keys([...expected.values()][0] ?? {}).map((name) => [name, row[name] ?? 0])),
      ]),
    );
  const sorted = (figures: Figures) => [...figures].sort(([left], [right]) => left.localeCompare(right));
  const only = (figures: Figures, keys: readonly string[]): Figures =>
    new Map([...figures].map(([key, row]) => [key, Object.fromEntries(keys.map((name) => [name, row[name] ?? 0]))]));
  const denialKeys = ['adjudicated', 'denied', 'adjudicatedCents', 'deniedCents'];

  async function expectStreamedToEqualBatchSql(): Promise<void> {
    const asText = (rows: Array<{ kpi: string; dimension: string; value: string }>) =>
      rows.map((row) => `${row.kpi}|${row.dimension}|${row.value}`).sort();
    const streamed = asText(await dataSource.query(STREAMED_DIMENSION_COUNTERS_SQL));
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed).toEqual(asText(await dataSource.query(DIMENSION_COUNTER_BATCH_SQL)));
    expect(asText(await dataSource.query(STREAMED_COUNTERS_SQL))).toEqual(
      asText(await dataSource.query(CLAIMS_RECEIVED_BATCH_SQL)),
    );
  }

  beforeAll(async () => {
    database = await createIsolatedDatabase('denial_cost_fold');
    dataSource = createDataSource({ url: database.url, applicationName: 'denial-cost-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new ClaimFoldRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('reads every claim of the three files', () => {
    expect(carrierClaims).toHaveLength(200);
    expect(billingClaims.map((event) => event.claimId)).toHaveLength(10);
    expect(pdeClaims).toHaveLength(100);
  });

  it('folds the files in batches over two partitions, a redelivered batch and replaced versions included', async () => {
    const partitionOf = (event: EnrichedClaimEvent): number => event.claimId.charCodeAt(event.claimId.length - 1) % 2;
    const [carrierA, carrierB] = [0, 1].map((p) => carrierClaims.filter((event) => partitionOf(event) === p));
    // A carrier claim first arrives with every line allowed and paid more, then as the file has it.
    const corrected = carrierA?.[5];
    const billingDenied = billingClaims.find((event) => event.claimId === 'BX-240301-0002');
    if (!carrierA || !carrierB || !corrected || !billingDenied) throw new Error('fixture files changed');
    const early = earlierVersion(corrected, (claim) => ({
      ...claim,
      lines: claim.lines.map((line) => ({
        ...line,
        processingCategory: 'allowed',
        processingIndicatorCode: 'A',
        paymentAmountCents: line.paymentAmountCents + 1000,
      })),
      totals: { ...claim.totals, paymentAmountCents: claim.totals.paymentAmountCents + 1000 * claim.lines.length },
    }));
    // A billing claim first exported as paid, then denied.
    const billingPaid = earlierVersion(billingDenied, (claim) => ({
      ...claim,
      adjudication: { sourceStatus: 'paid', status: 'paid', paidAmountCents: null, paidDate: null },
    }));

    await repository.foldPartitionBatch(batch(0, [early, ...carrierA.slice(0, 40)]));
    const second = batch(0, carrierA.slice(40, 80));
    await repository.foldPartitionBatch(second);
    // Redelivered (a rebalance): below the stored offset, nothing moves.
    expect(await repository.foldPartitionBatch(second)).toMatchObject({ folded: 0, alreadyCommitted: 40 });
    await repository.foldPartitionBatch(batch(1, [billingPaid, ...carrierB.slice(0, 60)]));
    await expectStreamedToEqualBatchSql();
    await repository.foldPartitionBatch(batch(0, carrierA.slice(80)));
    await repository.foldPartitionBatch(batch(1, [...carrierB.slice(60), ...billingClaims]));
    await repository.foldPartitionBatch(batch(0, pdeClaims));
    // A replayed file at new offsets: every event id known, nothing moves.
    expect(await repository.foldPartitionBatch(batch(1, carrierB.slice(0, 30)))).toMatchObject({
      folded: 0,
      duplicates: 30,
    });
    await expectStreamedToEqualBatchSql();
  });

  it('denies carrier lines by processing indicator as the file counts them, by month, payer and group, to the cent', async () => {
    const truth = carrierTruth(carrier.rows);
    const denials = async (dimension: string) =>
      sorted(only(await cells('denials:carrier_lines', dimension), denialKeys));
    expect(await denials('month')).toEqual(sorted(truth.denialsByMonth));
    expect(await denials('payer')).toEqual(sorted(truth.denialsByPayer));
    expect(await denials('provider_group')).toEqual(sorted(truth.denialsByGroup));
    // The sample's own numbers: 341 lines A, 55 not allowed (36 O, 13 C, 5 M, 1 N); 10 MSP/COB and 1 R left out.
    expect(truth.denialsByPayer.get('MEDICARE')).toEqual({
      adjudicated: 396,
      denied: 55,
      adjudicatedCents: 2_836_000,
      deniedCents: 264_000,
    });
  });

  it('counts claims, lines, allowed, paid and patient responsibility by month as the carrier and Part D files have them', async () => {
    // Carrier claims and Part D events share months (2008-2010): their claims add up.
    const truth: Figures = new Map();
    for (const figures of [carrierTruth(carrier.rows).claimsByMonth, pdeTruth(pde.rows).claimsByMonth]) {
      for (const [month, row] of figures) addTo(truth, month, row);
    }
    const allMonths = await cells('claims', 'month');
    const months = new Map([...allMonths].filter(([month]) => month !== '2024-03'));
    expect(sorted(pick(months, truth))).toEqual(sorted(truth));
    // 2024-03 is the billing export's month alone.
    expect(allMonths.get('2024-03')?.claims).toBe(10);
  });

  it('ranks HCPCS codes by lines and paid line amount, and diagnoses by paid claim amount, as the files do', async () => {
    const truth = carrierTruth(carrier.rows);
    // Both files bill some of the same codes (99213, J1100, …): their lines add up.
    const hcpcsTruth: Figures = new Map();
    for (const figures of [truth.linesByHcpcs, billingTruth(billing.rows).linesByHcpcs]) {
      for (const [code, row] of figures) addTo(hcpcsTruth, code, row);
    }
    expect(sorted(pick(await cells('lines', 'hcpcs'), hcpcsTruth))).toEqual(sorted(hcpcsTruth));
    const diagnoses = await cells('claims', 'diagnosis');
    const carrierDiagnoses = new Map([...diagnoses].filter(([code]) => truth.claimsByDiagnosis.has(code)));
    expect(sorted(pick(carrierDiagnoses, truth.claimsByDiagnosis))).toEqual(sorted(truth.claimsByDiagnosis));

    const topFive = (measure: string) =>
      [...hcpcsTruth]
        .sort(
          ([leftCode, left], [rightCode, right]) =>
            (right[measure] ?? 0) - (left[measure] ?? 0) || (leftCode < rightCode ? -1 : 1),
        )
        .slice(0, 5)
        .map(([code, row]) => [code, row[measure]]);
    const top = async (measure: 'paid_amount_cents' | 'lines') =>
      ((await dataSource.query(topDimensionCellsSql(measure), ['lines', 'hcpcs', 5])) as DimensionCounterCellRow[]).map(
        (row) => [row.dimension_value, Number(row[measure])],
      );
    expect(await top('paid_amount_cents')).toEqual(topFive('paidCents'));
    expect(await top('lines')).toEqual(topFive('lines'));
  });

  it('denies billing-export claims by status (pending and rejected out) and sums billed and paid by payer', async () => {
    const truth = billingTruth(billing.rows);
    expect(sorted(only(await cells('denials:billing_export', 'payer'), denialKeys))).toEqual(
      sorted(truth.denialsByPayer),
    );
    const payers = await cells('claims', 'payer');
    const billingPayers = new Map([...payers].filter(([payer]) => truth.claimsByPayer.has(payer)));
    expect(sorted(only(billingPayers, ['claims', 'billedCents', 'paidCents']))).toEqual(sorted(truth.claimsByPayer));
    // By hand: paid 0001 ($245.00), 0005 ($155.00), 0006 ($310.00), 0007 ($185.00), 0010 ($240.00); denied 0002
    // ($1,460.00) and 0009 ($180.00); 0003 and 0008 pending, 0004 rejected: 2 of 7 denied, $1,640.00 of $2,775.00.
    const total = only(
      new Map([
        [
          'all',
          [...truth.denialsByPayer.values()].reduce((sum, row) => {
            for (const name of denialKeys) sum[name] = (sum[name] ?? 0) + (row[name] ?? 0);
            return sum;
          }, {}),
        ],
      ]),
      denialKeys,
    ).get('all');
    expect(total).toEqual({ adjudicated: 7, denied: 2, adjudicatedCents: 277_500, deniedCents: 164_000 });
  });

  it('ranks Part D drugs by total cost and by fills, with days supply, as the Part D file does', async () => {
    const truth = pdeTruth(pde.rows).byNdc;
    const keys = ['fills', 'costCents', 'daysSupply'];
    expect(sorted(only(await cells('drug_fills', 'ndc'), keys))).toEqual(sorted(truth));
    const topFive = (measure: string) =>
      [...truth]
        .sort(
          ([leftCode, left], [rightCode, right]) =>
            (right[measure] ?? 0) - (left[measure] ?? 0) || (leftCode < rightCode ? -1 : 1),
        )
        .slice(0, 5)
        .map(([code, row]) => [code, row[measure]]);
    const top = async (measure: 'billed_amount_cents' | 'claims') =>
      (
        (await dataSource.query(topDimensionCellsSql(measure), ['drug_fills', 'ndc', 5])) as DimensionCounterCellRow[]
      ).map((row) => [row.dimension_value, Number(row[measure])]);
    expect(await top('billed_amount_cents')).toEqual(topFive('costCents'));
    expect(await top('claims')).toEqual(topFive('fills'));
    // Days supply in all, and the members' state (from enrichment) as the state of every fill.
    const totalDays = [...truth.values()].reduce((sum, row) => sum + (row['daysSupply'] ?? 0), 0);
    const fills = await cells('drug_fills', 'ndc');
    expect([...fills.values()].reduce((sum, row) => sum + (row['daysSupply'] ?? 0), 0)).toBe(totalDays);
    const states = await cells('claims', 'state');
    expect(states.get('Maryland')).toMatchObject({
      claims: 100,
      patientCents: pde.rows.reduce((sum, row) => sum + cents(row['PTNT_PAY_AMT'] ?? ''), 0),
    });
    expect(states.get('(unknown)')?.claims).toBe(210);
  });
});
