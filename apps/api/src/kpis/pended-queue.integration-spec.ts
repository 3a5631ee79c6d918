import { PEND_HISTOGRAM_BATCH_SQL } from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { IngestionsModule } from '../ingestions/ingestions.module';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-pended-queue-spec';
const FILE_ID = 'f'.repeat(64);

/**
 * The pended-queue routes over a migrated database seeded with claim_pend
 * rows, the histogram rebuilt from them by the batch SQL (what the fold
 * keeps equal to it): the HTTP edge, validation, auth and verification.
 */
describe('GET /v1/kpis/pended-queue against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const get = (path: string, token?: string | null) => api.get(path, token);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'pend_api', analystToken, extraModules: [IngestionsModule] });
    dataSource = api.dataSource;
    // Three claims: X open since 01-01 ($100, two reasons), Y pended 01-10 and cleared 01-20, Z open since 03-01.
    await dataSource.query(`
      INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                              rendering_npi, state, amount_cents, kafka_partition)
      VALUES ('X', '2024-01-01', NULL, 'provider-data', '{NPI_INVALID,PROVIDER_NOT_FOUND}', 'professional',
              'MEDICARE', 'TIN-1', '1234567893', 'MD', 10000, 0),
             ('Y', '2024-01-10', '2024-01-20', 'eligibility', '{MEMBER_NOT_COVERED}', 'professional',
              'MEDICARE', 'TIN-2', '(unknown)', 'VA', 2000, 0),
             ('Z', '2024-03-01', NULL, 'provider-data', '{PROVIDER_NOT_FOUND}', 'dme',
              'ACME', 'TIN-1', '1234567893', 'MD', 500, 1)`);
    await dataSource.query(
      `INSERT INTO pend_day_histogram (dimension, dimension_value, pended_on, cleared_on, kafka_partition, claims,
                                       amount_cents)
       SELECT dimension, dimension_value, pended_on::date, cleared_on::date, 0, claims, amount_cents
         FROM (${PEND_HISTOGRAM_BATCH_SQL}) AS truth`,
    );
    await dataSource.query(
      `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at) VALUES (0, '2024-03-31', now())`,
    );
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a request without a token', async () => {
    expect((await get('/v1/kpis/pended-queue', null)).status).toBe(401);
  });

  it('answers the queue as of the watermark by default, grouped by reason', async () => {
    const { status, body } = await get('/v1/kpis/pended-queue');
    expect(status).toBe(200);
    // As of 03-31: X is 90 days old, Z 30; Y cleared after 10 days.
    expect(body).toMatchObject({
      asOf: '2024-03-31',
      watermark: '2024-03-31',
      groupBy: 'reason',
      open: { claims: 2, amountCents: 10500 },
      averageAgeDays: 60,
      oldestAgeDays: 90,
      daysToClear: { p50: 10, p90: 10, clearedClaims: 1 },
      clearedWithinSla: { slaDays: 30, share: 1 },
    });
    expect((body['ageBuckets'] as Array<{ bucket: string; claims: number }>).map((b) => [b.bucket, b.claims])).toEqual([
      ['0-30', 1],
      ['31-60', 0],
      ['61-90', 1],
      ['90+', 0],
    ]);
    expect(
      (body['byDimension'] as Array<{ value: string; claims: number }>).map((row) => [row.value, row.claims]),
    ).toEqual([
      ['PROVIDER_NOT_FOUND', 2],
      ['NPI_INVALID', 1],
    ]);
  });

  it('answers as of an explicit date, grouped by another dimension', async () => {
    const { body } = await get('/v1/kpis/pended-queue?asOf=2024-01-15&groupBy=state');
    expect(body).toMatchObject({ asOf: '2024-01-15', open: { claims: 2, amountCents: 12000 }, oldestAgeDays: 14 });
    expect((body['byDimension'] as Array<{ value: string }>).map((row) => row.value).sort()).toEqual(['MD', 'VA']);
  });

  it('answers 400 naming the parameter for a bad date, dimension or parameter', async () => {
    for (const [query, field] of [
      ['asOf=2024-02-30', 'asOf'],
      ['groupBy=member', 'groupBy'],
      ['colour=blue', 'colour'],
    ] as const) {
      const { status, body } = await get(`/v1/kpis/pended-queue?${query}`);
      expect(status).toBe(400);
      expect(body).toMatchObject({ code: 'REQUEST_INVALID', fields: [field] });
    }
    expect((await get('/v1/kpis/pended-queue/flow?from=2024-02-01&to=2024-01-01')).status).toBe(400);
    expect((await get('/v1/kpis/pended-queue/work-queue?cursor=xyz')).status).toBe(400);
  });

  it('answers the daily flow over a range', async () => {
    const { body } = await get('/v1/kpis/pended-queue/flow?from=2024-01-09&to=2024-01-20');
    const days = body['days'] as Array<{
      day: string;
      inflowClaims: number;
      outflowClaims: number;
      openClaims: number;
    }>;
    expect(days).toHaveLength(12);
    expect(days[0]).toMatchObject({ day: '2024-01-09', inflowClaims: 0, openClaims: 1 });
    expect(days[1]).toMatchObject({ day: '2024-01-10', inflowClaims: 1, openClaims: 2 });
    expect(days[11]).toMatchObject({ day: '2024-01-20', outflowClaims: 1, openClaims: 1 });
    expect(body['totals']).toEqual({ inflowClaims: 1, outflowClaims: 1, netClaims: 0, netAmountCents: 0 });
  });

  it('answers a flow starting after the watermark, its end left out, as that one day, never a range ending before it starts', async () => {
    const { status, body } = await get('/v1/kpis/pended-queue/flow?from=2024-04-05');
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2024-04-05', to: '2024-04-05', watermark: '2024-03-31' });
    expect(body['days']).toEqual([
      {
        day: '2024-04-05',
        inflowClaims: 0,
        inflowAmountCents: 0,
        outflowClaims: 0,
        outflowAmountCents: 0,
        netClaims: 0,
        netAmountCents: 0,
        openClaims: 2,
        openAmountCents: 10500,
      },
    ]);
  });

  it('pages the work queue oldest first with a cursor', async () => {
    const first = await get('/v1/kpis/pended-queue/work-queue?limit=1');
    expect((first.body['items'] as Array<{ claimId: string }>).map((item) => item.claimId)).toEqual(['X']);
    const cursor = first.body['nextCursor'] as string;
    const second = await get(`/v1/kpis/pended-queue/work-queue?limit=1&cursor=${cursor}`);
    expect(second.body).toMatchObject({ asOf: '2024-03-31', nextCursor: null, items: [{ claimId: 'Z', ageDays: 30 }] });
  });

  it('verifies the pend histogram against its batch SQL, naming the dimension of a difference', async () => {
    const consistent = await get('/v1/kpis/verification');
    expect(consistent.body).toMatchObject({ pendHistogramConsistent: true, pendHistogramMismatches: [] });
    await dataSource.query(
      `UPDATE pend_day_histogram SET claims = claims + 1 WHERE dimension = 'state' AND dimension_value = 'VA'`,
    );
    try {
      const differing = await get('/v1/kpis/verification');
      expect(differing.body).toMatchObject({
        consistent: false,
        pendHistogramConsistent: false,
        pendHistogramDifferences: 1,
        pendHistogramMismatches: [
          {
            dimension: 'state',
            dimensionValue: 'VA',
            pendedOn: '2024-01-10',
            clearedOn: '2024-01-20',
            streamed: { claims: '2', amountCents: '2000' },
            batch: { claims: '1', amountCents: '2000' },
          },
        ],
      });
    } finally {
      await dataSource.query(
        `UPDATE pend_day_histogram SET claims = claims - 1 WHERE dimension = 'state' AND dimension_value = 'VA'`,
      );
    }
  });

  it("shows a file's lookup misses and pend reasons with their share of its folded claims", async () => {
    await dataSource.query(
      `INSERT INTO ingest_file (file_id, source, layout, records_read, records_published, records_dead_lettered,
                                blank_lines_skipped, duration_seconds, completed_at)
       VALUES ($1, 'pended.csv', 'billing.pended-queue', 4, 4, 0, 0, 0.1, now())`,
      [FILE_ID],
    );
    await dataSource.query(
      `INSERT INTO ingest_record (file_id, record_number, outcome) SELECT $1, n, 'folded' FROM generate_series(1, 4) n`,
      [FILE_ID],
    );
    await dataSource.query(
      // The fold tallies per partition; the report sums them (provider:not_found is 2 + 1).
      `INSERT INTO ingest_file_quality (file_id, kind, name, count, kafka_partition)
       VALUES ($1, 'claims', 'tallied', 4, 0), ($1, 'lookup_miss', 'provider:not_found', 2, 0),
              ($1, 'lookup_miss', 'provider:not_found', 1, 2), ($1, 'lookup_miss', 'member:not_found', 1, 1),
              ($1, 'pend_reason', 'PROVIDER_NOT_FOUND', 2, 1)`,
      [FILE_ID],
    );
    const { status, body } = await get(`/v1/ingestions/${FILE_ID}`);
    expect(status).toBe(200);
    expect(body['lookupMissesByKind']).toEqual({
      'provider:not_found': { claims: 3, shareOfFoldedClaims: 0.75 },
      'member:not_found': { claims: 1, shareOfFoldedClaims: 0.25 },
    });
    expect(body['pendReasonsByCode']).toEqual({ PROVIDER_NOT_FOUND: { claims: 2, shareOfFoldedClaims: 0.5 } });
  });
});
