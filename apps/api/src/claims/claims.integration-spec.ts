import { API_ROLES, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import { DENIAL_SOURCES } from '@claims/kpi';
import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { rebuildCountersFromClaims, seedFoldedKpis } from '../__tests__/kpi-fixture';
import type { ClaimDetail, ClaimLineage, DenialClaimsResponse } from './claims.service';
import type { PaymentClaimsResponse } from './payment-claims.service';

const tokens = Object.fromEntries(
  API_ROLES.map((role) => [role, `${role}-${randomBytes(18).toString('hex')}`]),
) as Record<ApiRole, string>;

const BILLING_FILE = 'b'.repeat(64);
const LATER_FILE = 'f'.repeat(64);
const PATIENT_TOKEN = 'ptk_claim_detail_spec_41c2';
/**
 * PQ-2024-000102 of data/pended/pended-queue-2024-03-15.csv (made up), its
 * episode with the adjudicators' comments as the fold stores them
 * (apps/metrics pend-comments-fold spec holds the fold to this row).
 */
const PENDED_QUEUE_CLAIM = 'PQ-2024-000102';
const PEND_COMMENTS = 'Member called 3/1, confirmed coverage through employer plan; retro-term reversed.';
/** Each grouping of the denial and payment figures, and the drill-down parameter its cells are opened with. */
const GROUPINGS = [
  ['payer', 'payer'],
  ['claim_type', 'claimType'],
  ['month', 'month'],
  ['provider_group', 'providerGroup'],
] as const;

/** A figure's measures, by the name its cells give them, each as one drill-down item's share of it. */
type Measures<Item> = Readonly<Record<string, (item: Item) => number>>;
/** Each measure summed over a drill-down's items: what the cell they were opened from should say. */
const sumsOf = <Item>(items: readonly Item[], measures: Measures<Item>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(measures).map(([name, share]) => [name, items.reduce((total, item) => total + share(item), 0)]),
  );
/** The cell's own value of each measure. */
const measuresOf = <Item>(cell: object, measures: Measures<Item>): Record<string, unknown> =>
  Object.fromEntries(Object.keys(measures).map((name) => [name, (cell as Record<string, unknown>)[name]]));

/** One processed_event row as the fold writes it (apps/metrics claim-history-fold spec holds the fold to this shape). */
interface HistoryRow {
  eventId: string;
  claimId: string;
  eventType: string;
  occurredAt: string;
  layout: string;
  source: string;
  fileId: string;
  recordNumber: number;
  refusedCode?: string;
}

/**
 * Claim detail, lineage and the denial drill-down over the KPI fixture
 * (claim state, lines and counters as the fold leaves them) plus the
 * history the fold keeps per event. Billing claim B1 has three events: its
 * first record (file b, record 1), a later adjudication (file f, record 7)
 * folded before it, and a third record (file f, record 8) that Postgres
 * refused, dead-lettered at the metrics stage; record 9 of file f, another
 * claim's, was dead-lettered by the normalizer.
 */
describe('claim detail and lineage routes against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let dataSource: DataSource;

  const history: Record<'first' | 'adjudicated' | 'refused' | 'pended', HistoryRow> = {
    first: {
      eventId: randomUUID(),
      claimId: 'B1',
      eventType: 'submitted',
      occurredAt: '2024-03-01',
      layout: 'billing.claim-export',
      source: 'billing.csv',
      fileId: BILLING_FILE,
      recordNumber: 1,
    },
    adjudicated: {
      eventId: randomUUID(),
      claimId: 'B1',
      eventType: 'adjudicated',
      occurredAt: '2024-03-04',
      layout: 'billing.claim-export',
      source: 'billing-late.csv',
      fileId: LATER_FILE,
      recordNumber: 7,
    },
    refused: {
      eventId: randomUUID(),
      claimId: 'B1',
      eventType: 'adjudicated',
      occurredAt: '2024-03-09',
      layout: 'billing.claim-export',
      source: 'billing-late.csv',
      fileId: LATER_FILE,
      recordNumber: 8,
      refusedCode: 'DATA_REFUSED',
    },
    pended: {
      eventId: randomUUID(),
      claimId: 'PCN-77',
      eventType: 'pended',
      occurredAt: '2024-03-02',
      layout: 'x12.837p',
      source: 'claims.837',
      fileId: 'c'.repeat(64),
      recordNumber: 1,
    },
  };
  const sha256Of = (row: HistoryRow): string => `${row.recordNumber}`.padStart(64, '0');

  const get = async <Body>(path: string, role: ApiRole | null = 'manager') => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: role === null ? {} : { authorization: `Bearer ${tokens[role]}` },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Body,
    };
  };

  async function insertHistory(row: HistoryRow): Promise<void> {
    await dataSource.query(
      `INSERT INTO processed_event (event_id, claim_id, published_at, event_type, occurred_at, layout, lineage_source,
         lineage_file_id, lineage_record_number, lineage_record_count, lineage_record_sha256, refused_code)
       VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, 1, $9, $10)`,
      [
        row.eventId,
        row.claimId,
        row.eventType,
        row.refusedCode === undefined ? row.occurredAt : null,
        row.layout,
        row.source,
        row.fileId,
        row.recordNumber,
        sha256Of(row),
        row.refusedCode ?? null,
      ],
    );
  }

  beforeAll(async () => {
    const { brokers } = testInfrastructure();
    database = await createIsolatedDatabase('claims_api');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers,
      apiTokens: API_ROLES.map((role) => `${role}=${tokens[role]}`).join(','),
    }));
    dataSource = app.get(DataSource);
    await seedFoldedKpis(database.url);
    // Folded out of event order: the adjudication first.
    for (const row of [history.adjudicated, history.first, history.refused, history.pended]) await insertHistory(row);
    await dataSource.query(
      `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
       VALUES ($1, 1, 'folded', NULL, NULL), ($2, 7, 'folded', NULL, NULL),
              ($2, 8, 'dead_lettered', 'metrics', 'DATA_REFUSED'), ($2, 9, 'dead_lettered', 'normalizer', 'AMOUNT_INVALID')`,
      [BILLING_FILE, LATER_FILE],
    );
    await dataSource.query(
      `INSERT INTO dead_letter (dead_letter_id, stage, error_code, reason, failed_at, file_id, record_number, source,
         dlq_partition, dlq_offset)
       VALUES ('metrics:claims.enriched.v1:0:41', 'metrics', 'DATA_REFUSED', 'Postgres refused a value of the record',
               '2024-03-10T08:00:00Z', $1, 8, 'billing-late.csv', 0, 3),
              ('normalizer:claims.raw.v1:0:12', 'normalizer', 'AMOUNT_INVALID', 'claim.totals: not an amount',
               '2024-03-10T07:00:00Z', $1, 9, 'billing-late.csv', 0, 2)`,
      [LATER_FILE],
    );
    await dataSource.query(`
      INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
        service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
        lineage_record_number, kafka_partition, layout, provider_group, state)
      VALUES ('PCN-77', '${history.pended.eventId}', 'pended', 'professional', 'ACME', '2024-03-02', '2024-02-28',
              '2024-02-28', 0, 0, 0, 'claims.837', repeat('c', 64), 1, 0, 'x12.837p', 'TIN-9', 'MD')`);
    await dataSource.query(`
      INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                              rendering_npi, state, amount_cents, kafka_partition)
      VALUES ('PCN-77', '2024-03-02', NULL, 'provider-data', '{PROVIDER_NOT_FOUND,NPI_INVALID}', 'professional',
              'ACME', 'TIN-9', '1234567893', 'MD', 4500, 0)`);
    await dataSource.query(
      `INSERT INTO x12_claim_part (claim_id, event_id, part_kind, occurred_at, event, kafka_partition)
       VALUES ('PCN-77', $1, 'submission', '2024-03-02', $2::jsonb, 0)`,
      [history.pended.eventId, JSON.stringify({ claim: { patientToken: PATIENT_TOKEN } })],
    );
    await dataSource.query(
      `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
         service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source, lineage_file_id,
         lineage_record_number, kafka_partition, layout, provider_group, state, billed_amount_cents)
       VALUES ($1, gen_random_uuid(), 'pended', 'professional', 'Aetna', '2024-02-21', '2024-02-14', '2024-02-14', 0, 0,
               0, 'pended-queue-2024-03-15.csv', repeat('d', 64), 2, 0, 'billing.pended-queue-export',
               'Riverside Cardiology', 'OH', 148000)`,
      [PENDED_QUEUE_CLAIM],
    );
    await dataSource.query(
      `INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                              rendering_npi, state, amount_cents, kafka_partition, comments)
       VALUES ($1, '2024-02-21', NULL, 'Eligibility', '{MEMBER_NOT_ELIGIBLE}', 'professional', 'Aetna',
               'Riverside Cardiology', '1345678902', 'OH', 148000, 0, $2)`,
      [PENDED_QUEUE_CLAIM, PEND_COMMENTS],
    );
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(['analyst', 'ingest'] as const)(
    'refuses claim detail and lineage to %s with PERMISSION_DENIED',
    async (role) => {
      for (const path of ['/v1/claims/B1', '/v1/claims/B1/lineage']) {
        const { status, body } = await get<{ code: string; required: string }>(path, role);
        expect({ path, status, code: body.code }).toEqual({ path, status: 403, code: 'PERMISSION_DENIED' });
      }
    },
  );

  it.each(['manager', 'admin'] as const)('serves claim detail and lineage to %s', async (role) => {
    expect((await get('/v1/claims/B1', role)).status).toBe(200);
    expect((await get('/v1/claims/B1/lineage', role)).status).toBe(200);
  });

  it("gives a claim's state and lines, and its timeline of folded events oldest first, without the refused one", async () => {
    const { status, body } = await get<ClaimDetail>('/v1/claims/B1');
    expect(status).toBe(200);
    expect(body.state).toMatchObject({
      payer: 'Aetna',
      adjudicationStatus: 'denied',
      layout: 'billing.claim-export',
      sourceFile: { source: 'billing.csv', fileId: BILLING_FILE, recordNumber: 1 },
    });
    expect(body.state?.lines.map((line) => [line.lineNumber, line.chargeAmountCents])).toEqual([
      [1, 18500],
      [2, 4800],
    ]);
    expect(body.pend).toBeNull();
    expect(body.member).toEqual({ patientTokens: [] });
    expect(
      body.timeline.map((event) => ({ eventId: event.eventId, eventType: event.eventType, date: event.occurredAt })),
    ).toEqual(
      [history.first, history.adjudicated].map((row) => ({
        eventId: row.eventId,
        eventType: row.eventType,
        date: row.occurredAt,
      })),
    );
    expect(body.timeline[1]).toMatchObject({
      layout: 'billing.claim-export',
      sourceFile: { source: 'billing-late.csv', fileId: LATER_FILE, recordNumber: 7 },
    });
  });

  it("gives a pended claim's episode (reasons, queue, dates) and the patient token stored with it", async () => {
    const { status, body } = await get<ClaimDetail>('/v1/claims/PCN-77');
    expect(status).toBe(200);
    expect(body.pend).toEqual({
      open: true,
      pendedOn: '2024-03-02',
      clearedOn: null,
      queue: 'provider-data',
      reasons: ['PROVIDER_NOT_FOUND', 'NPI_INVALID'],
      amountCents: 4500,
      comments: null,
    });
    expect(body.member).toEqual({ patientTokens: [PATIENT_TOKEN] });
  });

  it.each(['manager', 'admin'] as const)(
    "shows %s the adjudicators' comments kept with a pended-queue claim's episode",
    async (role) => {
      const { status, body } = await get<ClaimDetail>(`/v1/claims/${PENDED_QUEUE_CLAIM}`, role);
      expect(status).toBe(200);
      expect(body.pend).toEqual({
        open: true,
        pendedOn: '2024-02-21',
        clearedOn: null,
        queue: 'Eligibility',
        reasons: ['MEMBER_NOT_ELIGIBLE'],
        amountCents: 148000,
        comments: PEND_COMMENTS,
      });
    },
  );

  it('refuses the commented claim to an analyst, and no answer an analyst gets carries the comments', async () => {
    const refused = await fetch(`${baseUrl}/v1/claims/${PENDED_QUEUE_CLAIM}`, {
      headers: { authorization: `Bearer ${tokens.analyst}` },
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('retro-term');
    const workQueue = await fetch(`${baseUrl}/v1/kpis/pended-queue/work-queue?limit=500`, {
      headers: { authorization: `Bearer ${tokens.analyst}` },
    });
    const listed = await workQueue.text();
    expect(workQueue.status).toBe(200);
    // The claim is in the analyst's queue, by its id; its comments are not.
    expect(listed).toContain(PENDED_QUEUE_CLAIM);
    expect(listed).not.toContain('retro-term');
    for (const path of [
      '/v1/kpis/pended-queue?groupBy=queue',
      '/v1/kpis/claim-lifecycle/overdue/export.csv',
      '/v1/ingestions/export.csv',
      '/v1/dead-letters/export.csv',
      '/v1/reports/kpis.pdf',
    ]) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${tokens.analyst}` } });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect({ path, leaks: Buffer.from(await response.arrayBuffer()).includes('retro-term') }).toEqual({
        path,
        leaks: false,
      });
    }
  });

  it('names every row of a claim whose rows sit apart in its file, and finds a dead letter of any of them', async () => {
    const file = 'e'.repeat(64);
    const eventId = randomUUID();
    await dataSource.query(
      `INSERT INTO processed_event (event_id, claim_id, published_at, event_type, occurred_at, layout, lineage_source,
         lineage_file_id, lineage_record_number, lineage_record_count, lineage_record_sha256, lineage_record_numbers)
       VALUES ($1, 'OP-APART', now(), 'adjudicated', '2009-11-21', 'desynpuf.outpatient', 'outpatient.csv', $2, 11,
               2, repeat('a', 64), '{11,35}')`,
      [eventId, file],
    );
    await dataSource.query(
      `INSERT INTO ingest_record (file_id, record_number, outcome) VALUES ($1, 11, 'folded'), ($1, 35, 'folded')`,
      [file],
    );
    // An earlier attempt's dead letter of row 35, and one of row 12 (another claim's row, between the two).
    await dataSource.query(
      `INSERT INTO dead_letter (dead_letter_id, stage, error_code, reason, failed_at, file_id, record_number, source,
         dlq_partition, dlq_offset)
       VALUES ('normalizer:claims.raw.v1:1:5', 'normalizer', 'GROUP_FIRST_ROW_MISSING', 'no row with SEGMENT 1',
               '2024-03-10T06:00:00Z', $1, 35, 'outpatient.csv', 1, 5),
              ('normalizer:claims.raw.v1:1:6', 'normalizer', 'DATE_INVALID', 'CLM_FROM_DT is not a date',
               '2024-03-10T06:00:01Z', $1, 12, 'outpatient.csv', 1, 6)`,
      [file],
    );
    const { status, body } = await get<ClaimLineage>('/v1/claims/OP-APART/lineage');
    expect(status).toBe(200);
    expect(body.records).toEqual([
      expect.objectContaining({ recordNumber: 11, recordCount: 2, recordNumbers: [11, 35], fileId: file }),
    ]);
    expect(body.deadLetters.map((deadLetter) => [deadLetter.recordNumber, deadLetter.errorCode])).toEqual([
      [35, 'GROUP_FIRST_ROW_MISSING'],
    ]);
  });

  it("traces a claim to every source record, the events each produced, and its records' dead letters only", async () => {
    const { status, body } = await get<ClaimLineage>('/v1/claims/B1/lineage');
    expect(status).toBe(200);
    const record = (row: HistoryRow, ingest: ClaimLineage['records'][number]['ingest']) => ({
      fileId: row.fileId,
      source: row.source,
      recordNumber: row.recordNumber,
      recordCount: 1,
      recordSha256: sha256Of(row),
      layout: row.layout,
      ingest,
      events: [
        {
          eventId: row.eventId,
          eventType: row.eventType,
          occurredAt: row.refusedCode === undefined ? row.occurredAt : null,
          refusedCode: row.refusedCode ?? null,
        },
      ],
    });
    const folded = { outcome: 'folded', stage: null, errorCode: null };
    expect(body.records).toEqual([
      record(history.adjudicated, folded),
      record(history.first, folded),
      record(history.refused, { outcome: 'dead_lettered', stage: 'metrics', errorCode: 'DATA_REFUSED' }),
    ]);
    expect(body.deadLetters).toEqual([
      {
        deadLetterId: 'metrics:claims.enriched.v1:0:41',
        fileId: LATER_FILE,
        recordNumber: 8,
        stage: 'metrics',
        errorCode: 'DATA_REFUSED',
        reason: 'Postgres refused a value of the record',
        failedAt: '2024-03-10T08:00:00.000Z',
      },
    ]);
  });

  it.each([
    ['detail', ''],
    ['lineage', '/lineage'],
  ])('answers 404 CLAIM_NOT_FOUND to the %s of a claim never folded', async (_, suffix) => {
    const { status, type, body } = await get<{ code: string }>(`/v1/claims/NO-SUCH-CLAIM${suffix}`);
    expect({ status, code: body.code }).toEqual({ status: 404, code: 'CLAIM_NOT_FOUND' });
    expect(type).toMatch(/^application\/problem\+json/);
  });

  it('answers 400 naming claimId for a claim id holding NUL, which no stored claim id can', async () => {
    for (const suffix of ['', '/lineage']) {
      const { status, type, body } = await get<{ code: string; fields: string[] }>(`/v1/claims/C1%00${suffix}`);
      expect({ status, code: body.code, fields: body.fields }).toEqual({
        status: 400,
        code: 'REQUEST_INVALID',
        fields: ['claimId'],
      });
      expect(type).toMatch(/^application\/problem\+json/);
    }
  });

  describe('GET /v1/kpis/denials/claims', () => {
    interface DenialRow {
      value: string;
      adjudicated: number;
      denied: number;
      adjudicatedAmountCents: number;
      deniedAmountCents: number;
    }

    const MEASURES: Measures<DenialClaimsResponse['items'][number]> = {
      adjudicated: (item) => item.adjudicatedUnits,
      denied: (item) => item.deniedUnits,
      adjudicatedAmountCents: (item) => item.adjudicatedAmountCents,
      deniedAmountCents: (item) => item.deniedAmountCents,
    };
    const totalsOf = (items: DenialClaimsResponse['items']) => sumsOf(items, MEASURES);
    const cellTotals = (cell: DenialRow) => measuresOf(cell, MEASURES);

    it.each(DENIAL_SOURCES)(
      'lists under %s the claims that add up to each payer cell of the denial rates',
      async (source) => {
        const rates = await get<{ rows: DenialRow[] }>(`/v1/kpis/denials?source=${source}&groupBy=payer`, 'analyst');
        expect(rates.status).toBe(200);
        expect(rates.body.rows.length).toBeGreaterThan(0);
        for (const cell of rates.body.rows) {
          const query = `source=${source}&payer=${encodeURIComponent(cell.value)}`;
          const { status, body } = await get<DenialClaimsResponse>(`/v1/kpis/denials/claims?${query}`, 'analyst');
          expect(status).toBe(200);
          expect({ value: cell.value, ...totalsOf(body.items) }).toEqual({ value: cell.value, ...cellTotals(cell) });
          const denied = await get<DenialClaimsResponse>(`/v1/kpis/denials/claims?${query}&denied=true`, 'analyst');
          expect(denied.body.items.map((item) => item.claimId)).toEqual(
            body.items.filter((item) => item.deniedUnits > 0).map((item) => item.claimId),
          );
        }
      },
    );

    it('pages through a cell by claim id with the cursor it hands out, each claim once', async () => {
      const all = await get<DenialClaimsResponse>('/v1/kpis/denials/claims?source=billing_export', 'analyst');
      expect(all.body.items.length).toBeGreaterThan(1);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: DenialClaimsResponse } = await get<DenialClaimsResponse>(
          `/v1/kpis/denials/claims?source=billing_export&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          'analyst',
        );
        expect(page.status).toBe(200);
        paged.push(...page.body.items.map((item) => item.claimId));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(paged).toEqual(all.body.items.map((item) => item.claimId));
    });

    /**
     * Claim filters, each narrowing some source's cells: Maryland (B1, B2),
     * the carrier claim's provider group, and a professional service-date
     * range that keeps B2 and R1 but not B1 (serviced the day before).
     */
    const FILTERS = [
      'state=MD',
      'providerGroup=TIN-1',
      'claimType=professional&serviceFrom=2024-03-05&serviceTo=2024-05-31',
    ];

    it.each(DENIAL_SOURCES)(
      'lists under %s the claims that add up to each cell of the filtered denial figures, echoing the filter',
      async (source) => {
        let compared = 0;
        for (const filter of FILTERS) {
          for (const [groupBy, field] of GROUPINGS) {
            const figures = await get<{ rows: DenialRow[] }>(
              `/v1/kpis/denials?source=${source}&groupBy=${groupBy}&${filter}`,
              'analyst',
            );
            expect(figures.status).toBe(200);
            for (const cell of figures.body.rows) {
              // A cell of a grouping the filter already names is that filter's value: set, not repeated.
              const parameters = new URLSearchParams(`source=${source}&${filter}&limit=500`);
              parameters.set(field, cell.value);
              const query = parameters.toString();
              const drill = await get<DenialClaimsResponse>(`/v1/kpis/denials/claims?${query}`, 'analyst');
              expect({ query, status: drill.status, nextCursor: drill.body.nextCursor }).toEqual({
                query,
                status: 200,
                nextCursor: null,
              });
              expect({ query, ...totalsOf(drill.body.items) }).toEqual({ query, ...cellTotals(cell) });
              const echoed = Object.fromEntries(new URLSearchParams(filter));
              expect(drill.body.filter).toEqual(field === 'month' ? echoed : { ...echoed, [field]: cell.value });
              expect(drill.body.month).toBe(field === 'month' ? cell.value : null);
              compared += 1;
            }
          }
        }
        expect(compared).toBeGreaterThan(0);
      },
    );

    it('leaves out of a filtered cell the claims the filter drops', async () => {
      const all = await get<DenialClaimsResponse>(
        '/v1/kpis/denials/claims?source=billing_export&payer=Aetna',
        'analyst',
      );
      const filtered = await get<DenialClaimsResponse>(
        `/v1/kpis/denials/claims?source=billing_export&payer=Aetna&${FILTERS[2]}`,
        'analyst',
      );
      expect(all.body.items.map((item) => item.claimId)).toEqual(['B1', 'B2']);
      expect(filtered.body.items.map((item) => item.claimId)).toEqual(['B2']);
    });

    it('answers 400 naming the field for a missing source, a bad month or a bad filter value, and 403 to ingest', async () => {
      for (const [query, fields] of [
        ['', ['source']],
        ['source=remittance&month=2024-3', ['month']],
        ['source=remittance&state=', ['state']],
        ['source=remittance&payer=Aetna&payer=Cigna', ['payer']],
        [`source=remittance&providerGroup=${'x'.repeat(129)}`, ['providerGroup']],
        ['source=remittance&serviceFrom=2024-02-30', ['serviceFrom']],
        ['source=remittance&serviceFrom=2024-03-02&serviceTo=2024-03-01', ['serviceTo']],
        ['source=remittance&reason=NPI_INVALID', ['reason']],
      ] as const) {
        const { status, body } = await get<{ fields: string[] }>(`/v1/kpis/denials/claims?${query}`, 'analyst');
        expect({ query, status, fields: body.fields }).toEqual({ query, status: 400, fields });
      }
      expect((await get('/v1/kpis/denials/claims?source=remittance', 'ingest')).status).toBe(403);
    });

    it('answers SQL-injection strings in every filter with no claim or a 400, leaving the tables intact', async () => {
      const countRows = async () =>
        (await dataSource.query(
          `SELECT (SELECT count(*) FROM claim_state)::int AS claims, (SELECT count(*) FROM claim_line_state)::int AS lines`,
        )) as unknown;
      const before = await countRows();
      for (const injection of ["' OR '1'='1", "x'); DROP TABLE claim_state; --", '1) OR (1=1']) {
        for (const source of DENIAL_SOURCES) {
          for (const field of ['payer', 'providerGroup', 'renderingProvider', 'state', 'claimType']) {
            const query = `source=${source}&${field}=${encodeURIComponent(injection)}`;
            const { status, body } = await get<DenialClaimsResponse>(`/v1/kpis/denials/claims?${query}`, 'analyst');
            expect({ query, status, items: body.items }).toEqual({ query, status: 200, items: [] });
          }
          // The dates and the month are refused by their shape before any SQL.
          for (const field of ['serviceFrom', 'serviceTo', 'month']) {
            const query = `source=${source}&${field}=${encodeURIComponent(injection)}`;
            const { status, body } = await get<{ fields: string[] }>(`/v1/kpis/denials/claims?${query}`, 'analyst');
            expect({ query, status, fields: body.fields }).toEqual({ query, status: 400, fields: [field] });
          }
        }
      }
      expect(await countRows()).toEqual(before);
      const unfiltered = await get<DenialClaimsResponse>('/v1/kpis/denials/claims?source=billing_export', 'analyst');
      expect(unfiltered.body.items.length).toBeGreaterThan(0);
    });
  });

  describe('GET /v1/kpis/payments/claims', () => {
    beforeAll(async () => {
      // The claims this spec added to the fixture, counted as the fold would count them.
      await dataSource.query('DELETE FROM kpi_dimension_counter');
      await dataSource.query('DELETE FROM kpi_counter');
      await rebuildCountersFromClaims(dataSource);
    });

    interface PaymentRow {
      value: string | null;
      claims: number;
      billedAmountCents: number;
      allowedAmountCents: number;
      paidAmountCents: number;
      patientResponsibilityAmountCents: number;
    }

    const MEASURES: Measures<PaymentClaimsResponse['items'][number]> = {
      claims: () => 1,
      billedAmountCents: (item) => item.billedAmountCents,
      allowedAmountCents: (item) => item.allowedAmountCents,
      paidAmountCents: (item) => item.paidAmountCents,
      patientResponsibilityAmountCents: (item) => item.patientResponsibilityAmountCents,
    };
    const totalsOf = (items: PaymentClaimsResponse['items']) => sumsOf(items, MEASURES);
    const cellTotals = (cell: PaymentRow) => measuresOf(cell, MEASURES);

    it.each(GROUPINGS)(
      'lists the claims that add up to each %s cell of the payment figures',
      async (groupBy, field) => {
        const figures = await get<{ rows: PaymentRow[] }>(`/v1/kpis/payments?groupBy=${groupBy}`);
        const cells = figures.body.rows.filter((cell) => cell.value !== null);
        expect(cells.length).toBeGreaterThan(0);
        for (const cell of cells) {
          const drill = await get<PaymentClaimsResponse>(
            `/v1/kpis/payments/claims?${field}=${encodeURIComponent(cell.value ?? '')}&limit=500`,
          );
          expect(drill.status).toBe(200);
          expect(drill.body.nextCursor).toBeNull();
          expect({ value: cell.value, ...totalsOf(drill.body.items) }).toEqual({
            value: cell.value,
            ...cellTotals(cell),
          });
        }
      },
    );

    it("adds up to a filtered figure's cells and to the volume figure's lines by state", async () => {
      const payers = await get<{ rows: PaymentRow[] }>('/v1/kpis/payments?groupBy=payer&state=MD');
      expect(payers.body.rows.length).toBeGreaterThan(0);
      for (const cell of payers.body.rows) {
        const drill = await get<PaymentClaimsResponse>(
          `/v1/kpis/payments/claims?state=MD&payer=${encodeURIComponent(cell.value ?? '')}&limit=500`,
        );
        expect(drill.body.filter).toEqual({ payer: cell.value, state: 'MD' });
        expect({ value: cell.value, ...totalsOf(drill.body.items) }).toEqual({
          value: cell.value,
          ...cellTotals(cell),
        });
      }
      const volume = await get<{ rows: Array<{ value: string; claims: number; lines: number }> }>(
        '/v1/kpis/volume?groupBy=state',
      );
      for (const cell of volume.body.rows) {
        const drill = await get<PaymentClaimsResponse>(
          `/v1/kpis/payments/claims?state=${encodeURIComponent(cell.value)}&limit=500`,
        );
        expect({
          value: cell.value,
          claims: drill.body.items.length,
          lines: drill.body.items.reduce((total, item) => total + item.lines, 0),
        }).toEqual({ value: cell.value, claims: cell.claims, lines: cell.lines });
      }
    });

    it('pages through a cell by claim id with the cursor it hands out, and refuses it under another cell', async () => {
      const all = await get<PaymentClaimsResponse>('/v1/kpis/payments/claims?limit=500');
      expect(all.body.items.length).toBeGreaterThan(2);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: PaymentClaimsResponse } = await get<PaymentClaimsResponse>(
          `/v1/kpis/payments/claims?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        paged.push(...page.body.items.map((item) => item.claimId));
        cursor = page.body.nextCursor;
        if (cursor !== null && paged.length === 2) {
          const elsewhere = await get<{ fields: string[] }>(
            `/v1/kpis/payments/claims?limit=2&payer=x&cursor=${cursor}`,
          );
          expect({ status: elsewhere.status, fields: elsewhere.body.fields }).toEqual({
            status: 400,
            fields: ['cursor'],
          });
        }
      } while (cursor !== null);
      expect(paged).toEqual(all.body.items.map((item) => item.claimId));
    });

    it('answers 400 naming a bad month, an unknown filter or a backwards range, and 403 to ingest', async () => {
      for (const [query, fields] of [
        ['month=2024-3', ['month']],
        ['reason=NPI_INVALID', ['reason']],
        ['serviceFrom=2024-03-02&serviceTo=2024-03-01', ['serviceTo']],
        ['limit=501', ['limit']],
      ] as const) {
        const { status, body } = await get<{ fields: string[] }>(`/v1/kpis/payments/claims?${query}`, 'analyst');
        expect({ query, status, fields: body.fields }).toEqual({ query, status: 400, fields });
      }
      expect((await get('/v1/kpis/payments/claims', 'ingest')).status).toBe(403);
    });

    it('answers SQL-injection strings as filter values with no claim, leaving claim_state intact', async () => {
      for (const injection of ["' OR '1'='1", "x'); DROP TABLE claim_state; --"]) {
        for (const field of ['payer', 'providerGroup', 'renderingProvider', 'state', 'claimType']) {
          const { status, body } = await get<PaymentClaimsResponse>(
            `/v1/kpis/payments/claims?${field}=${encodeURIComponent(injection)}`,
          );
          expect({ field, status, items: body.items }).toEqual({ field, status: 200, items: [] });
        }
      }
      expect((await get<PaymentClaimsResponse>('/v1/kpis/payments/claims')).body.items.length).toBeGreaterThan(0);
    });
  });
});
