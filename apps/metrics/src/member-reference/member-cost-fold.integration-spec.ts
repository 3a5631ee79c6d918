import {
  derivedEventId,
  sha256Hex,
  type ClaimEvent,
  type EnrichedClaimEvent,
  type EnrichedProvider,
  type MemberReferenceEvent,
} from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import {
  CHRONIC_CONDITIONS_SQL,
  CLAIMS_RECEIVED_BATCH_SQL,
  DAILY_COUNTER_DIFFERENCES_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  MEMBER_CLAIMS_BY_MONTH_SQL,
  MEMBER_MONTHS_SQL,
  PROVIDER_VOLUME_COST_SQL,
  STREAMED_COUNTERS_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  chronicConditionRows,
  pmpmSummary,
  scoreProviderOutliers,
  type ChronicConditionSqlRow,
  type MemberClaimsSqlRow,
  type MemberMonthsSqlRow,
  type ProviderVolumeCostSqlRow,
} from '@claims/kpi';
import { loadSourceLayouts, normalizeSourceRecord, rawRecordEvent } from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository } from '../claim-fold/claim-fold.repository';
import { MemberReferenceRepository } from './member-reference.repository';

/**
 * Cost per member per month, chronic-condition cost and outlier providers
 * over the vendored CMS DE-SynPUF Sample 2 files, folded through the real
 * member and claim folds into a real Postgres. The expected figures are read
 * straight from the files' columns below, without the product's mapping or
 * KPI code:
 * - data/desynpuf/sample2/DE1_0_{2008,2009,2010}_Beneficiary_Summary_File_Sample_2.csv (200 members each;
 *   BENE_HI_CVRAGE_TOT_MONS, BENE_SMI_CVRAGE_TOT_MONS, PLAN_CVRG_MOS_NUM, SP_* flags 1 yes / 2 no);
 * - …Inpatient_Claims_Sample_2_part1.csv and …Outpatient_Claims_Sample_2_part1.csv (CLM_THRU_DT, CLM_PMT_AMT;
 *   the outpatient continuation rows, SEGMENT 2, are left out: the claim payment is segment 1's CLM_PMT_AMT,
 *   a continuation row's own (60.00 and 40.00 on two of the three here) not added, per
 *   layouts/desynpuf-outpatient.yaml, and the ingestor's grouping of segments is tested with the ingestor);
 * - …Prescription_Drug_Events_Sample_2_part1.csv (SRVC_DT; Part D events carry no plan-paid amount);
 * - …Carrier_Claims_Sample_2B.csv (PRF_PHYSN_NPI_n, LINE_NCH_PMT_AMT_n): its three members are not in the
 *   beneficiary samples, so its claims are all unmatched; their rendering NPIs are the providers scored,
 *   each given a specialty below as a provider directory would.
 */
const SAMPLE = join(__dirname, '../../../../data/desynpuf/sample2');
const YEARS = [2008, 2009, 2010] as const;
const BENEFICIARY_FILE = (year: number) => join(SAMPLE, `DE1_0_${year}_Beneficiary_Summary_File_Sample_2.csv`);
const INPATIENT_FILE = join(SAMPLE, 'DE1_0_2008_to_2010_Inpatient_Claims_Sample_2_part1.csv');
const OUTPATIENT_FILE = join(SAMPLE, 'DE1_0_2008_to_2010_Outpatient_Claims_Sample_2_part1.csv');
const PDE_FILE = join(SAMPLE, 'DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_2_part1.csv');
const CARRIER_FILE = join(SAMPLE, 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const PUBLISHED_AT = '2026-01-01T00:00:00.000Z';
const patientTokenKey = 'member-cost-spec';
const layouts = loadSourceLayouts();

/** The layout's names for the CMS CCW flags (layouts/desynpuf-beneficiary-summary.yaml). */
const CONDITION_COLUMNS: Record<string, string> = {
  alzheimers_dementia: 'SP_ALZHDMTA',
  heart_failure: 'SP_CHF',
  chronic_kidney_disease: 'SP_CHRNKIDN',
  cancer: 'SP_CNCR',
  copd: 'SP_COPD',
  depression: 'SP_DEPRESSN',
  diabetes: 'SP_DIABETES',
  ischemic_heart_disease: 'SP_ISCHMCHT',
  osteoporosis: 'SP_OSTEOPRS',
  rheumatoid_osteoarthritis: 'SP_RA_OA',
  stroke_tia: 'SP_STRKETIA',
};

// ---- the files read on their own (DE-SynPUF: a quoted header, unquoted data rows, CRLF in places) ----

interface CsvFile {
  header: string;
  lines: string[];
  rows: Array<Record<string, string>>;
}

function readCsv(path: string): CsvFile {
  const [header = '', ...lines] = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const names = header.split(',').map((name) => name.replace(/"/g, ''));
  const rows = lines.map((line) => {
    const values = line.split(',');
    return Object.fromEntries(names.map((name, index) => [name, (values[index] ?? '').trim()]));
  });
  return { header, lines, rows };
}

/** "81000.00", "-10.00", "" → cents. */
function cents(text: string): number {
  if (text === '') return 0;
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -value : value;
}

/** The directory this spec stands in for: NPIs starting with 0 are unknown; the rest split by their last digit. */
function specialtyOfNpi(npi: string): string | null {
  if (npi.startsWith('0')) return null;
  return Number(npi.slice(-1)) < 5 ? 'Internal Medicine' : 'Family Medicine';
}

// ---- the events, built as the ingestor, normalizer and enricher would ----

function normalized(path: string, layout: string, header: string, record: string, recordNumber: number) {
  return normalizeSourceRecord(
    rawRecordEvent({
      layout,
      record,
      recordNumber,
      source: basename(path),
      fileId: sha256Hex(basename(path)),
      publishedAt: PUBLISHED_AT,
      claimId: null,
      header,
    }),
    { patientTokenKey, layouts },
  );
}

function memberEvents(year: number): MemberReferenceEvent[] {
  const file = readCsv(BENEFICIARY_FILE(year));
  return file.lines.map((line, index) => {
    const outcome = normalized(BENEFICIARY_FILE(year), 'desynpuf.beneficiary-summary', file.header, line, index + 1);
    if (outcome.kind !== 'member_reference') throw new Error('a beneficiary row did not map to a member');
    return outcome.event;
  });
}

function enriched(event: ClaimEvent): EnrichedClaimEvent {
  const npis = [...new Set(event.claim.lines.flatMap((line) => (line.renderingNpi ? [line.renderingNpi] : [])))];
  const providers: EnrichedProvider[] = npis.map((npi) => ({
    role: 'rendering',
    npi,
    found: specialtyOfNpi(npi) !== null,
    name: null,
    credential: null,
    taxonomyCode: null,
    specialty: specialtyOfNpi(npi),
    groupKey: null,
    groupName: null,
  }));
  return {
    ...event,
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment: { renderingProviders: [], providers },
  };
}

function claimEvents(path: string, layout: string, keep: (row: Record<string, string>) => boolean) {
  const file = readCsv(path);
  return file.lines.flatMap((line, index) => {
    if (!keep(file.rows[index] ?? {})) return [];
    const outcome = normalized(path, layout, file.header, line, index + 1);
    if (outcome.kind !== 'claim') throw new Error('a claim row did not map to a claim');
    return [enriched(outcome.event)];
  });
}

// ---- the expected figures, from the columns ----

interface ClaimTruth {
  member: string;
  year: number;
  claimType: string;
  paidCents: number;
}

function claimTruths(): ClaimTruth[] {
  const institutional = (path: string, claimType: string) =>
    readCsv(path)
      .rows.filter((row) => row['SEGMENT'] === '1')
      .map((row) => ({
        member: row['DESYNPUF_ID'] ?? '',
        year: Number((row['CLM_THRU_DT'] ?? '').slice(0, 4)),
        claimType,
        paidCents: cents(row['CLM_PMT_AMT'] ?? ''),
      }));
  const pharmacy = readCsv(PDE_FILE).rows.map((row) => ({
    member: row['DESYNPUF_ID'] ?? '',
    year: Number((row['SRVC_DT'] ?? '').slice(0, 4)),
    claimType: 'pharmacy',
    paidCents: 0,
  }));
  const carrier = readCsv(CARRIER_FILE).rows.map((row) => ({
    member: row['DESYNPUF_ID'] ?? '',
    year: Number((row['CLM_THRU_DT'] ?? '').slice(0, 4)),
    claimType: 'professional',
    paidCents: Array.from({ length: 13 }, (_, n) => cents(row[`LINE_NCH_PMT_AMT_${n + 1}`] ?? '')).reduce(
      (sum, value) => sum + value,
      0,
    ),
  }));
  return [
    ...institutional(INPATIENT_FILE, 'institutional_inpatient'),
    ...institutional(OUTPATIENT_FILE, 'institutional_outpatient'),
    ...pharmacy,
    ...carrier,
  ];
}

function beneficiaries(year: number): Map<string, Record<string, string>> {
  return new Map(readCsv(BENEFICIARY_FILE(year)).rows.map((row) => [row['DESYNPUF_ID'] ?? '', row]));
}

describe('member and provider cost KPIs over the DE-SynPUF samples, folded by the real member and claim folds', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  const truths = claimTruths();

  beforeAll(async () => {
    database = await createIsolatedDatabase('member_cost_fold');
    dataSource = createDataSource({ url: database.url, applicationName: 'member-cost-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    const members = new MemberReferenceRepository(dataSource);
    const claims = new ClaimFoldRepository(dataSource);
    let memberOffset = 0;
    for (const year of YEARS) {
      const events = memberEvents(year);
      await members.foldPartitionBatch({
        groupId: 'claims-metrics.member-references',
        topic: 'reference.members.v1',
        partition: 0,
        messages: events.map((event, index) => ({ offset: String(memberOffset + index), event })),
      });
      memberOffset += events.length;
    }
    const claimBatch = [
      ...claimEvents(INPATIENT_FILE, 'desynpuf.inpatient', () => true),
      ...claimEvents(OUTPATIENT_FILE, 'desynpuf.outpatient', (row) => row['SEGMENT'] === '1'),
      ...claimEvents(PDE_FILE, 'desynpuf.prescription-drug-events', () => true),
      ...claimEvents(CARRIER_FILE, 'desynpuf.carrier', () => true),
    ];
    expect(claimBatch).toHaveLength(truths.length);
    await claims.foldPartitionBatch({
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition: 0,
      messages: claimBatch.map((event, index) => ({ offset: String(index), event })),
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it.each(YEARS)(
    'gives %i PMPM per benefit and claim type from the coverage months and claims of the files',
    async (year) => {
      const members = beneficiaries(year);
      const months = (column: string) =>
        [...members.values()].reduce((sum, row) => sum + Number(row[column] ?? '0'), 0);
      const medicalMonths = [...members.values()].reduce(
        (sum, row) =>
          sum + Math.max(Number(row['BENE_HI_CVRAGE_TOT_MONS'] ?? '0'), Number(row['BENE_SMI_CVRAGE_TOT_MONS'] ?? '0')),
        0,
      );
      const pharmacyMonths = months('PLAN_CVRG_MOS_NUM');
      const ofYear = truths.filter((claim) => claim.year === year);
      const known = ofYear.filter((claim) => members.has(claim.member));
      const unmatched = ofYear.filter((claim) => !members.has(claim.member));
      expect(known.length).toBeGreaterThan(0);
      expect(unmatched.length).toBeGreaterThan(0);
      const sum = (claims: readonly ClaimTruth[]) => claims.reduce((total, claim) => total + claim.paidCents, 0);
      const medical = known.filter((claim) => claim.claimType !== 'pharmacy');
      const pharmacy = known.filter((claim) => claim.claimType === 'pharmacy');

      const memberMonths: MemberMonthsSqlRow[] = await dataSource.query(MEMBER_MONTHS_SQL, [year]);
      const claimRows: MemberClaimsSqlRow[] = await dataSource.query(MEMBER_CLAIMS_BY_MONTH_SQL, [year]);
      const summary = pmpmSummary('claim_type', memberMonths[0] ?? assertNever(), claimRows);

      expect(summary.members).toBe(members.size);
      expect(summary.totals).toEqual([
        {
          benefit: 'medical',
          claims: medical.length,
          paidAmountCents: sum(medical),
          memberMonths: medicalMonths,
          pmpmCents: Math.round(sum(medical) / medicalMonths),
        },
        {
          benefit: 'pharmacy',
          claims: pharmacy.length,
          paidAmountCents: 0,
          memberMonths: pharmacyMonths,
          pmpmCents: pharmacyMonths === 0 ? null : 0,
        },
      ]);
      expect(summary.unmatched).toEqual({ claims: unmatched.length, paidAmountCents: sum(unmatched) });
      const inpatient = known.filter((claim) => claim.claimType === 'institutional_inpatient');
      expect(summary.rows.find((row) => row.key === 'institutional_inpatient')).toEqual({
        key: 'institutional_inpatient',
        benefit: 'medical',
        claims: inpatient.length,
        paidAmountCents: sum(inpatient),
        memberMonths: medicalMonths,
        pmpmCents: Math.round(sum(inpatient) / medicalMonths),
      });
      // By month, each benefit's months add up to the year's.
      const byMonth = pmpmSummary('month', memberMonths[0] ?? assertNever(), claimRows);
      const monthlyMedical = byMonth.rows.filter((row) => row.benefit === 'medical');
      expect(monthlyMedical.reduce((total, row) => total + row.paidAmountCents, 0)).toBe(sum(medical));
    },
  );

  it.each(YEARS)('gives %i chronic-condition prevalence and paid per member from the SP_* flags', async (year) => {
    const members = beneficiaries(year);
    const paidByMember = new Map<string, number>();
    for (const claim of truths) {
      if (claim.year === year) paidByMember.set(claim.member, (paidByMember.get(claim.member) ?? 0) + claim.paidCents);
    }
    const expected = Object.entries(CONDITION_COLUMNS)
      .map(([condition, column]) => {
        const stated = [...members].filter(([, row]) => row[column] === '1' || row[column] === '2');
        const flagged = stated.filter(([, row]) => row[column] === '1');
        const paid = (side: typeof stated) => side.reduce((total, [id]) => total + (paidByMember.get(id) ?? 0), 0);
        const per = (side: typeof stated) => (side.length === 0 ? null : Math.round(paid(side) / side.length));
        const unflagged = stated.filter(([, row]) => row[column] === '2');
        return {
          condition,
          members: stated.length,
          membersWithCondition: flagged.length,
          prevalence: stated.length === 0 ? null : Math.round((flagged.length / stated.length) * 10_000) / 10_000,
          paidWithConditionCents: paid(flagged),
          paidWithoutConditionCents: paid(unflagged),
          paidPerMemberWithConditionCents: per(flagged),
          paidPerMemberWithoutConditionCents: per(unflagged),
        };
      })
      .sort((a, b) => (a.condition < b.condition ? -1 : 1));
    const rows: ChronicConditionSqlRow[] = await dataSource.query(CHRONIC_CONDITIONS_SQL, [year]);
    expect(chronicConditionRows(rows)).toEqual(expected);
    expect(expected.some((row) => row.paidWithConditionCents > 0)).toBe(true);
  });

  it('keeps the patient token with the claim and the rendering specialty with each carrier line', async () => {
    const [row] = await dataSource.query(
      `SELECT count(*)::integer AS claims, count(patient_token)::integer AS with_token FROM claim_state`,
    );
    expect(row).toEqual({ claims: truths.length, with_token: truths.length });
    const stored: Array<{ rendering_npi: string; rendering_specialty: string | null }> = await dataSource.query(
      `SELECT DISTINCT rendering_npi, rendering_specialty FROM claim_line_state WHERE rendering_npi IS NOT NULL`,
    );
    expect(stored.length).toBeGreaterThan(100);
    for (const line of stored) expect(line.rendering_specialty).toBe(specialtyOfNpi(line.rendering_npi));
  });

  it('folds the claim counters the volume, top and first-family routes read equal to their batch SQL', async () => {
    // Each counter as kpi → value; the batch SQL leaves zeros out as the streamed reads do.
    const counters = async (...sqls: string[]) => {
      const rows: Array<{ kpi: string; dimension: string; value: string }> = [];
      for (const sql of sqls) rows.push(...(await dataSource.query(sql)));
      return Object.fromEntries(rows.map((row) => [`${row.kpi} ${row.dimension}`, String(row.value)]));
    };
    const streamed = await counters(STREAMED_COUNTERS_SQL, STREAMED_DIMENSION_COUNTERS_SQL);
    const batch = await counters(CLAIMS_RECEIVED_BATCH_SQL, DIMENSION_COUNTER_BATCH_SQL);
    expect(Object.keys(streamed).length).toBeGreaterThan(1_000);
    expect(streamed).toEqual(batch);
    expect(streamed['claims.claims claim_type=institutional_inpatient']).toBe(
      String(truths.filter((claim) => claim.claimType === 'institutional_inpatient').length),
    );
    expect(await dataSource.query(DAILY_COUNTER_DIFFERENCES_SQL, [10])).toEqual([]);
  });

  it.each([
    ['cost', 1, 2],
    ['volume', 1, 2],
    ['cost', 2, 1],
  ] as const)(
    'scores rendering providers by %s within specialty (at least %i claims, |z| ≥ %d) as the carrier lines say',
    async (by, minClaims, threshold) => {
      // Per NPI: distinct claims with a line it rendered, and those lines' paid cents.
      const providers = new Map<string, { claims: Set<string>; paid: number }>();
      for (const row of readCsv(CARRIER_FILE).rows) {
        for (let n = 1; n <= 13; n += 1) {
          const npi = row[`PRF_PHYSN_NPI_${n}`] ?? '';
          if (npi === '') continue;
          const provider = providers.get(npi) ?? { claims: new Set<string>(), paid: 0 };
          provider.claims.add(row['CLM_ID'] ?? '');
          provider.paid += cents(row[`LINE_NCH_PMT_AMT_${n}`] ?? '');
          providers.set(npi, provider);
        }
      }
      const eligible = [...providers].filter(([, provider]) => provider.claims.size >= minClaims);
      const expected: Array<{ npi: string; zScore: number }> = [];
      for (const specialty of ['Internal Medicine', 'Family Medicine']) {
        const peers = eligible.filter(([npi]) => specialtyOfNpi(npi) === specialty);
        const values = peers.map(([, p]) => (by === 'volume' ? p.claims.size : p.paid / p.claims.size));
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const stddev = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
        peers.forEach(([npi], index) => {
          const z = ((values[index] ?? 0) - mean) / stddev;
          if (Math.abs(z) >= threshold) expected.push({ npi, zScore: Math.round(z * 1000) / 1000 });
        });
      }
      expected.sort((a, b) => Math.abs(b.zScore) - Math.abs(a.zScore) || a.npi.localeCompare(b.npi));
      expect(expected.length).toBeGreaterThan(0);

      const rows: ProviderVolumeCostSqlRow[] = await dataSource.query(PROVIDER_VOLUME_COST_SQL, [minClaims]);
      const result = scoreProviderOutliers(rows, { by, threshold, limit: 500 });
      expect(result.providersWithoutSpecialty).toBe(eligible.filter(([npi]) => specialtyOfNpi(npi) === null).length);
      expect(result.providersScored).toBe(eligible.filter(([npi]) => specialtyOfNpi(npi) !== null).length);
      expect(result.rows.map((row) => ({ npi: row.npi, zScore: row.zScore }))).toEqual(expected);
    },
  );
});

function assertNever(): never {
  throw new Error('the member months query returned no row');
}
