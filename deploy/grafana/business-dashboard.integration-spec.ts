import {
  derivedEventId,
  sha256Hex,
  type ClaimEvent,
  type EnrichedClaimEvent,
  type PendDecision,
} from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, type IsolatedDatabase } from '@claims/harness';
import { seedCarcRootCauses, shippedCarcRootCauses } from '@claims/kpi';
import { loadSourceLayouts, normalizeRawRecord, rawRecordEvent } from '@claims/source-layouts';
import {
  normalizeX12Record,
  transactionSetText,
  x12LayoutOf,
  x12RecordContextOf,
  x12TokensOf,
  x12TransactionSetsOf,
  type X12TransactionSet,
} from '@claims/x12';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository } from '../../apps/metrics/src/claim-fold/claim-fold.repository';
import { DASHBOARDS_DIRECTORY, dashboardSqlQueries, type DashboardSqlQuery } from './dashboard-queries';

/**
 * Every SQL panel of the business dashboard, run as Grafana would run it
 * against a database migrated to the current schema and seeded through the
 * real fold (ClaimFoldRepository), so a panel naming a table, a column or a
 * family the fold does not write fails here rather than in front of an analyst.
 * Seed (provenance in data/README.md):
 * - the first 40 claims of data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv (CMS DE-SynPUF);
 * - data/billing/billing-export-2024-03.csv (hand-written billing export, March 2024);
 * - data/x12/pyx12/835_mult_loops.txt (an 835 with a CLP02 4 denial and line-level CAS);
 * - four hand-made pend verdicts in early 2024: three open, one cleared after 19 days.
 */
const ROOT = join(__dirname, '..', '..');
const CARRIER_FILE = join(ROOT, 'data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv');
const BILLING_FILE = join(ROOT, 'data/billing/billing-export-2024-03.csv');
const REMITTANCE_FILE = join(ROOT, 'data/x12/pyx12/835_mult_loops.txt');
const PUBLISHED_AT = '2026-01-01T00:00:00.000Z';
const patientTokenKey = 'business-dashboard-spec';

/** The columns each panel's visualisation reads, by panel title. */
const PANEL_COLUMNS: Record<string, string[]> = {
  'Event-time watermark': ['watermark'],
  'Open pended claims and dollars': ['open_claims', 'open_dollars'],
  'Days to clear (p50, p90)': ['p50_days', 'p90_days', 'cleared_claims'],
  'Open pended claims by age bucket': ['age_bucket', 'claims', 'dollars'],
  'Open pended claims by reason': ['reason', 'claims', 'dollars', 'oldest_age_days'],
  'Daily inflow and outflow, last 90 event days': ['day', 'inflow_claims', 'outflow_claims', 'open_claims'],
  'Initial denial rate by source': ['source', 'adjudicated', 'denied', 'denial_rate', 'denial_rate_dollars'],
  'Top denial CARCs': ['source', 'carc', 'category', 'denied', 'withheld_dollars'],
  'Initial denial rate by payer': ['source', 'payer', 'adjudicated', 'denied', 'denial_rate', 'denial_rate_dollars'],
  'Payments by payer': [
    'payer',
    'claims',
    'billed_dollars',
    'allowed_dollars',
    'paid_dollars',
    'patient_responsibility_dollars',
  ],
  'Payments by month': ['month', 'paid_dollars', 'allowed_dollars'],
};

/** What the panels' options name as fields: each must be a column the query returns. */
interface PanelFieldReferences {
  title: string;
  datasource?: { type?: string };
  options?: { xField?: string; reduceOptions?: { fields?: string } };
  fieldConfig?: { overrides?: Array<{ matcher: { id: string; options: string } }> };
}

function businessPanels(): PanelFieldReferences[] {
  const dashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIRECTORY, 'business.json'), 'utf8')) as {
    panels: PanelFieldReferences[];
  };
  return dashboard.panels.filter((panel) => panel.datasource?.type === 'grafana-postgresql-datasource');
}

function referencedFields(panel: PanelFieldReferences): string[] {
  const fields = [
    ...(panel.options?.xField ? [panel.options.xField] : []),
    ...(panel.fieldConfig?.overrides ?? [])
      .filter((override) => override.matcher.id === 'byName')
      .map((override) => override.matcher.options),
  ];
  const reduced = /^\/\^(\w+)\$\/$/.exec(panel.options?.reduceOptions?.fields ?? '');
  return reduced?.[1] ? [...fields, reduced[1]] : fields;
}

/**
 * The SQL as Grafana sends it. The panels use no macro or template variable
 * (every figure is as of the event-time watermark, not the time picker); one
 * added later must be expanded here, or this refuses the panel.
 */
function expandGrafanaMacros(query: DashboardSqlQuery): string {
  const unexpanded = /\$(__\w+|\{?\w+)/.exec(query.sql);
  if (unexpanded) throw new Error(`${query.panel}: the spec does not expand ${unexpanded[0]}`);
  return query.sql;
}

// ---- the seed, as the ingestor, normalizer and enricher would make it ----

function enriched(event: ClaimEvent): EnrichedClaimEvent {
  return {
    ...event,
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment: { renderingProviders: [] },
  };
}

function csvLines(path: string): { header: string; lines: string[] } {
  const [header = '', ...lines] = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  return { header, lines };
}

function carrierEvents(): EnrichedClaimEvent[] {
  const fileId = sha256Hex(readFileSync(CARRIER_FILE));
  return csvLines(CARRIER_FILE)
    .lines.slice(0, 40)
    .map((record, index) =>
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

/** The export's adjacent rows of one claim make one record. */
function billingEvents(): EnrichedClaimEvent[] {
  const { header, lines } = csvLines(BILLING_FILE);
  const fileId = sha256Hex(readFileSync(BILLING_FILE));
  const layouts = loadSourceLayouts();
  const groups: Array<{ claimId: string; first: number; rows: string[] }> = [];
  lines.forEach((line, index) => {
    const claimId = line.split(',')[0] ?? '';
    const last = groups[groups.length - 1];
    if (last && last.claimId === claimId) last.rows.push(line);
    else groups.push({ claimId, first: index + 1, rows: [line] });
  });
  return groups.map((group) =>
    enriched(
      normalizeRawRecord(
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
      ),
    ),
  );
}

async function remittanceEvents(): Promise<EnrichedClaimEvent[]> {
  async function* once(): AsyncGenerator<string> {
    yield readFileSync(REMITTANCE_FILE, 'utf8');
  }
  const sets: X12TransactionSet[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once()))) {
    if (item.kind !== 'transaction') throw new Error(`${REMITTANCE_FILE}: ${item.failure.error.message}`);
    sets.push(item.transaction);
  }
  return sets.flatMap((transaction) =>
    normalizeX12Record(
      rawRecordEvent({
        layout: x12LayoutOf(transaction),
        record: transactionSetText(transaction),
        recordNumber: transaction.recordNumber,
        source: basename(REMITTANCE_FILE),
        fileId: sha256Hex(readFileSync(REMITTANCE_FILE)),
        publishedAt: PUBLISHED_AT,
        claimId: null,
        header: JSON.stringify(x12RecordContextOf(transaction)),
      }),
      { patientTokenKey },
    ).map(enriched),
  );
}

/** A claim judged pended on `pendedOn` for `reasons`, and, when `clearedOn` is given, its clearing. */
function pendedEvents(claimId: string, pendedOn: string, reasons: string[], clearedOn?: string): EnrichedClaimEvent[] {
  const base = fixtureEnrichedEvent(claimId, [
    { indicator: 'A', category: 'allowed', paymentCents: 0, allowedCents: 25_000 },
  ]);
  const decision: PendDecision = {
    ruleSetVersion: 'business-dashboard-spec',
    status: 'pended',
    reasons: reasons.map((code) => ({
      code,
      description: code,
      queue: 'provider-data',
      severity: 'medium',
      waitsOn: [],
      classifiedBy: null,
    })),
    queue: 'provider-data',
    pendedOn,
    clearedOn: null,
    clearedBy: null,
  };
  const pended: EnrichedClaimEvent = {
    ...base,
    eventType: 'pended',
    occurredAt: pendedOn,
    claim: { ...base.claim, billedAmountCents: 25_000 },
    pendDecision: decision,
  };
  if (clearedOn === undefined) return [pended];
  return [
    pended,
    {
      ...pended,
      eventId: derivedEventId('spec.cleared', pended.eventId),
      eventType: 'cleared',
      occurredAt: clearedOn,
      pendDecision: { ...decision, status: 'cleared', clearedOn, clearedBy: 'reference' },
    },
  ];
}

describe('the business dashboard SQL panels against a migrated database holding folded claims', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase('business_dashboard');
    dataSource = createDataSource({ url: database.url, applicationName: 'business-dashboard-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    await dataSource.transaction((manager) => seedCarcRootCauses(manager, shippedCarcRootCauses()));
    const events = [
      ...carrierEvents(),
      ...billingEvents(),
      ...(await remittanceEvents()),
      ...pendedEvents('PEND-OPEN-OLD', '2024-01-10', ['PROVIDER_NOT_FOUND']),
      ...pendedEvents('PEND-OPEN-NEW', '2024-03-01', ['MEMBER_NOT_COVERED', 'PROVIDER_NOT_FOUND']),
      ...pendedEvents('PEND-OPEN-LATE', '2024-03-04', ['AMOUNT_OVER_REVIEW']),
      ...pendedEvents('PEND-CLEARED', '2024-02-01', ['NPI_INVALID'], '2024-02-20'),
    ];
    const repository = new ClaimFoldRepository(dataSource);
    // One batch per partition, as the fold commits them; a claim's events share its partition.
    const partitions = [0, 1, 2].map((partition) =>
      events.filter((event) => event.claimId.charCodeAt(event.claimId.length - 1) % 3 === partition),
    );
    for (const [partition, partitionEvents] of partitions.entries()) {
      await repository.foldPartitionBatch({
        groupId: 'claims-metrics',
        topic: 'claims.enriched.v1',
        partition,
        messages: partitionEvents.map((event, offset) => ({ offset: String(offset), event })),
      });
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('names the columns of every SQL panel of the dashboard, and no panel it does not have', () => {
    const panels = dashboardSqlQueries()
      .filter((query) => query.dashboard === 'Claims business KPIs')
      .map((query) => query.panel);
    expect([...panels].sort()).toEqual(Object.keys(PANEL_COLUMNS).sort());
  });

  it.each(
    dashboardSqlQueries()
      .filter((query) => query.dashboard === 'Claims business KPIs')
      .map((query) => [query.panel, query] as const),
  )('answers the panel "%s" with rows holding the columns it shows, and figures', async (title, query) => {
    expect(query.format).toBe('table');
    const rows = (await dataSource.query(expandGrafanaMacros(query))) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0] ?? {})).toEqual(PANEL_COLUMNS[title]);
    // Some cell is a figure other than zero: the query reads the tables the fold wrote, not an empty slice.
    const hasFigures = rows.some((row) =>
      Object.values(row).some((value) => value !== null && value !== '' && Number(value) !== 0),
    );
    expect(hasFigures).toBe(true);
    const panel = businessPanels().find((candidate) => candidate.title === title);
    expect(
      referencedFields(panel ?? { title }).filter((field) => !(PANEL_COLUMNS[title] ?? []).includes(field)),
    ).toEqual([]);
  });

  it('would fail a panel whose SQL names a column the schema does not have', async () => {
    const query = dashboardSqlQueries().find((candidate) => candidate.panel === 'Payments by payer');
    if (!query) throw new Error('the dashboard lost its payments panel');
    const broken = query.sql.replace('sum(paid_amount_cents)', 'sum(paid_cents)');
    expect(broken).not.toBe(query.sql);
    await expect(dataSource.query(broken)).rejects.toThrow(/paid_cents/);
  });

  it('refuses a panel holding a Grafana macro the spec does not expand', () => {
    expect(() =>
      expandGrafanaMacros({
        dashboard: 'Claims business KPIs',
        panel: 'a panel',
        refId: 'A',
        format: 'table',
        sql: 'SELECT 1 WHERE $__timeFilter(committed_at)',
      }),
    ).toThrow('a panel: the spec does not expand $__timeFilter');
  });
});
