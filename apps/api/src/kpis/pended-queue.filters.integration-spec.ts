import {
  PEND_AGE_BUCKETS,
  PEND_HISTOGRAM_BATCH_SQL,
  PEND_QUEUE_FILTER_FIELDS,
  addDays,
  daysBetween,
  daysToClearFigures,
  type PendEpisode,
  type PendGroupByDimension,
  type PendQueueFilter,
  type PendQueueFilterField,
} from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-pended-queue-filters-spec';
const WATERMARK = '2024-03-31';
/** Before, between and at the end of the seeded clears: each sees other claims open, cleared and cleared later. */
const AS_OF_DATES = ['2024-01-15', '2024-02-20', WATERMARK];
const SLA_DAYS = 30;

/** One claim_pend row as the test writes it and reasons about it: a pend episode with its claim id, no comments. */
type SeedClaim = Omit<PendEpisode, 'comments'> & { claimId: string };

const pick = <T>(values: readonly T[], index: number): T => values[index % values.length] as T;

/**
 * 90 claims spread over every filter value (the `(unknown)`, `(unassigned)`
 * and no-reason ones included): pended from 2023-12-20 to 2024-03-24, a third
 * still open, the rest cleared 0 to 49 days later (some after the watermark,
 * so open at it), amounts with ties so claim id breaks them. Each dimension
 * steps with its own stride (none in step with the open third), so values
 * combine in many ways.
 */
function seedClaims(): SeedClaim[] {
  return Array.from({ length: 90 }, (_, n) => {
    const pendedOn = addDays('2023-12-20', (n * 7) % 96);
    return {
      claimId: `PC-${String(n).padStart(3, '0')}`,
      pendedOn,
      clearedOn: n % 3 === 0 ? null : addDays(pendedOn, (n * 11) % 50),
      queue: pick(['provider-data', 'eligibility', '(unassigned)'], Math.floor(n / 2) + 1),
      reasons: pick(
        [
          [],
          ['NPI_INVALID'],
          ['PROVIDER_NOT_FOUND'],
          ['NPI_INVALID', 'PROVIDER_NOT_FOUND'],
          ['MEMBER_NOT_COVERED'],
          ['AMOUNT_ABOVE_THRESHOLD', 'MEMBER_NOT_COVERED'],
          ['(none)'],
        ],
        n * 5,
      ),
      claimType: pick(['professional', 'institutional', 'dme'], Math.floor(n / 3) + n + 2),
      payer: pick(['MEDICARE', 'ACME', 'Aetna', "O'Brien Health"], n),
      providerGroup: pick(['TIN-1', 'TIN-2', '(unknown)'], Math.floor(n / 4) + n),
      renderingNpi: pick(['1234567893', '1003000126', '(unknown)'], Math.floor(n / 2)),
      state: pick(['MD', 'VA', 'Maryland', '(unknown)', 'CA'], n * 3),
      amountCents: ((n * 37) % 13) * 1000 + (n % 4) * 5,
    };
  });
}

/** The filter that picks a groupBy row's claims, for each dimension a filter can name. */
const FILTER_OF_DIMENSION: Record<PendGroupByDimension, PendQueueFilterField> = {
  payer: 'payer',
  provider_group: 'providerGroup',
  rendering_provider: 'renderingProvider',
  state: 'state',
  claim_type: 'claimType',
  reason: 'reason',
  queue: 'queue',
};

const openAt = (claim: SeedClaim, asOf: string): boolean =>
  claim.pendedOn <= asOf && (claim.clearedOn === null || claim.clearedOn > asOf);

const query = (parameters: Record<string, string>): string => new URLSearchParams(parameters).toString();

interface OpenFigures {
  claims: number;
  amountCents: number;
  ageBuckets: Array<{ bucket: string; claims: number; amountCents: number }>;
  averageAgeDays: number | null;
  oldestAgeDays: number | null;
}

const openFiguresOf = (body: OpenFigures): OpenFigures => ({
  claims: body.claims,
  amountCents: body.amountCents,
  ageBuckets: body.ageBuckets,
  averageAgeDays: body.averageAgeDays,
  oldestAgeDays: body.oldestAgeDays,
});

/**
 * The pended-queue filters over a migrated database seeded with claim_pend
 * rows and the histogram rebuilt from them by the batch SQL (what the fold
 * keeps equal to it): a filtered answer, read from claim_pend, equals the
 * histogram's answer for the same claims, and both equal what the rows say.
 */
describe('the pended-queue filters against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const claims = seedClaims();
  const get = (path: string) => api.get(path);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'pend_filters', analystToken });
    dataSource = api.dataSource;
    await dataSource.query(
      `INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                               rendering_npi, state, amount_cents, kafka_partition)
       SELECT claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group, rendering_npi, state,
              amount_cents, kafka_partition
         FROM jsonb_to_recordset($1::jsonb) AS seed(claim_id text, pended_on date, cleared_on date, queue text,
              reasons text[], claim_type text, payer text, provider_group text, rendering_npi text, state text,
              amount_cents bigint, kafka_partition integer)`,
      [
        JSON.stringify(
          claims.map((claim, n) => ({
            claim_id: claim.claimId,
            pended_on: claim.pendedOn,
            cleared_on: claim.clearedOn,
            queue: claim.queue,
            reasons: claim.reasons,
            claim_type: claim.claimType,
            payer: claim.payer,
            provider_group: claim.providerGroup,
            rendering_npi: claim.renderingNpi,
            state: claim.state,
            amount_cents: claim.amountCents,
            kafka_partition: n % 2,
          })),
        ),
      ],
    );
    await dataSource.query(
      `INSERT INTO pend_day_histogram (dimension, dimension_value, pended_on, cleared_on, kafka_partition, claims,
                                       amount_cents)
       SELECT dimension, dimension_value, pended_on::date, cleared_on::date, 0, claims, amount_cents
         FROM (${PEND_HISTOGRAM_BATCH_SQL}) AS truth`,
    );
    await dataSource.query(
      `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at) VALUES (0, $1, now())`,
      [WATERMARK],
    );
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('seeds claims open, cleared before and cleared after each as-of date', () => {
    for (const asOf of AS_OF_DATES) {
      expect(claims.some((claim) => openAt(claim, asOf))).toBe(true);
      expect(claims.some((claim) => claim.clearedOn !== null && claim.clearedOn <= asOf)).toBe(true);
      expect(claims.some((claim) => claim.pendedOn <= asOf && claim.clearedOn !== null && claim.clearedOn > asOf)).toBe(
        true,
      );
    }
  });

  it.each(Object.entries(FILTER_OF_DIMENSION))(
    'answers the summary filtered by one %s as the unfiltered groupBy row of that value, at several as-of dates',
    async (dimension, field) => {
      for (const asOf of AS_OF_DATES) {
        const grouped = await get(`/v1/kpis/pended-queue?${query({ asOf, groupBy: dimension, limit: '1000' })}`);
        expect(grouped.status).toBe(200);
        const rows = grouped.body['byDimension'] as Array<OpenFigures & { value: string }>;
        expect(rows.length).toBeGreaterThan(1);
        for (const row of rows) {
          const filtered = await get(`/v1/kpis/pended-queue?${query({ asOf, [field]: row.value })}`);
          expect(filtered.status).toBe(200);
          const body = filtered.body as unknown as OpenFigures & { open: { claims: number; amountCents: number } };
          expect({ asOf, value: row.value, ...openFiguresOf({ ...body, ...body.open }) }).toEqual({
            asOf,
            value: row.value,
            ...openFiguresOf(row),
          });
        }
      }
    },
  );

  it.each(Object.entries(FILTER_OF_DIMENSION))(
    'answers days to clear and the daily flow filtered by one %s as the histogram cells of that value',
    async (dimension, field) => {
      const values: Array<{ dimension_value: string }> = await dataSource.query(
        `SELECT DISTINCT dimension_value FROM pend_day_histogram WHERE dimension = $1 ORDER BY 1`,
        [dimension],
      );
      for (const { dimension_value: value } of values) {
        const cells: Array<{ pended_on: string; cleared_on: string; claims: string; amount_cents: string }> =
          await dataSource.query(
            `SELECT to_char(pended_on, 'YYYY-MM-DD') AS pended_on,
                    CASE WHEN isfinite(cleared_on) THEN to_char(cleared_on, 'YYYY-MM-DD') ELSE 'infinity' END
                      AS cleared_on, claims, amount_cents
               FROM pend_day_histogram WHERE dimension = $1 AND dimension_value = $2`,
            [dimension, value],
          );
        for (const asOf of AS_OF_DATES) {
          const cleared = cells.filter((cell) => cell.cleared_on !== 'infinity' && cell.cleared_on <= asOf);
          const expected = daysToClearFigures(
            cleared.map((cell) => ({ days: daysBetween(cell.pended_on, cell.cleared_on), claims: cell.claims })),
            SLA_DAYS,
          );
          const { body } = await get(`/v1/kpis/pended-queue?${query({ asOf, [field]: value })}`);
          expect({ asOf, value, daysToClear: body['daysToClear'], sla: body['clearedWithinSla'] }).toEqual({
            asOf,
            value,
            daysToClear: expected.daysToClear,
            sla: expected.clearedWithinSla,
          });
        }
        const from = '2024-01-10';
        const to = '2024-02-08';
        const flow = await get(`/v1/kpis/pended-queue/flow?${query({ from, to, [field]: value })}`);
        expect(flow.status).toBe(200);
        const sum = (rows: typeof cells, column: 'claims' | 'amount_cents'): number =>
          rows.reduce((total, cell) => total + Number(cell[column]), 0);
        const days = flow.body['days'] as Array<Record<string, number | string>>;
        expect(days).toHaveLength(30);
        for (const day of days) {
          const date = day['day'] as string;
          const inflow = cells.filter((cell) => cell.pended_on === date);
          const outflow = cells.filter((cell) => cell.cleared_on === date);
          const open = cells.filter((cell) => cell.pended_on <= date && cell.cleared_on > date);
          expect({ value, ...day }).toEqual({
            value,
            day: date,
            inflowClaims: sum(inflow, 'claims'),
            inflowAmountCents: sum(inflow, 'amount_cents'),
            outflowClaims: sum(outflow, 'claims'),
            outflowAmountCents: sum(outflow, 'amount_cents'),
            netClaims: sum(inflow, 'claims') - sum(outflow, 'claims'),
            netAmountCents: sum(inflow, 'amount_cents') - sum(outflow, 'amount_cents'),
            openClaims: sum(open, 'claims'),
            openAmountCents: sum(open, 'amount_cents'),
          });
        }
      }
    },
  );

  it('answers two filters combined (AND) with the figures computed straight from the rows inserted', async () => {
    const combinations: PendQueueFilter[] = [
      { payer: 'MEDICARE', state: 'MD' },
      { reason: 'NPI_INVALID', queue: 'provider-data' },
      { reason: '(none)', claimType: 'dme' },
      { providerGroup: '(unknown)', renderingProvider: '1234567893' },
    ];
    for (const filter of combinations) {
      const passes = (claim: SeedClaim): boolean =>
        (filter.payer === undefined || claim.payer === filter.payer) &&
        (filter.state === undefined || claim.state === filter.state) &&
        (filter.queue === undefined || claim.queue === filter.queue) &&
        (filter.claimType === undefined || claim.claimType === filter.claimType) &&
        (filter.providerGroup === undefined || claim.providerGroup === filter.providerGroup) &&
        (filter.renderingProvider === undefined || claim.renderingNpi === filter.renderingProvider) &&
        (filter.reason === undefined ||
          (claim.reasons.length === 0 ? ['(none)'] : claim.reasons).includes(filter.reason));
      for (const asOf of AS_OF_DATES) {
        const open = claims.filter((claim) => passes(claim) && openAt(claim, asOf));
        const ages = open.map((claim) => daysBetween(claim.pendedOn, asOf));
        const clearedDays = claims
          .filter((claim) => passes(claim) && claim.clearedOn !== null && claim.clearedOn <= asOf)
          .map((claim) => daysBetween(claim.pendedOn, claim.clearedOn as string))
          .sort((left, right) => left - right);
        const nearestRank = (percent: number): number | null =>
          clearedDays.length === 0 ? null : (clearedDays[Math.ceil((percent * clearedDays.length) / 100) - 1] ?? null);
        const { status, body } = await get(`/v1/kpis/pended-queue?${query({ asOf, ...filter })}`);
        expect(status).toBe(200);
        expect({ filter, asOf, ...body }).toMatchObject({
          filter,
          asOf,
          open: { claims: open.length, amountCents: open.reduce((total, claim) => total + claim.amountCents, 0) },
          oldestAgeDays: open.length === 0 ? null : Math.max(...ages),
          averageAgeDays:
            open.length === 0
              ? null
              : Math.round((ages.reduce((total, age) => total + age, 0) / open.length) * 10) / 10,
          ageBuckets: PEND_AGE_BUCKETS.map((bucket) => ({
            bucket: bucket.bucket,
            claims: ages.filter(
              (age) => age >= bucket.minAgeDays && (bucket.maxAgeDays === null || age <= bucket.maxAgeDays),
            ).length,
          })),
          daysToClear: { p50: nearestRank(50), p90: nearestRank(90), clearedClaims: clearedDays.length },
          clearedWithinSla: { clearedWithinSlaClaims: clearedDays.filter((days) => days <= SLA_DAYS).length },
        });
        // The open claims, as the work queue lists them under the same filters.
        const queue = await get(`/v1/kpis/pended-queue/work-queue?${query({ asOf, limit: '500', ...filter })}`);
        expect((queue.body['items'] as Array<{ claimId: string }>).map((item) => item.claimId).sort()).toEqual(
          open.map((claim) => claim.claimId).sort(),
        );
      }
      expect(claims.filter(passes).length).toBeGreaterThan(0);
    }
  });

  it('pages the work queue by amount through every open claim exactly once, largest first, then by claim id', async () => {
    for (const [asOf, filter] of [
      [WATERMARK, {}],
      ['2024-02-20', {}],
      ['2024-02-20', { payer: 'ACME' }],
    ] as Array<[string, PendQueueFilter]>) {
      const expected = claims
        .filter((claim) => openAt(claim, asOf) && (filter.payer === undefined || claim.payer === filter.payer))
        .sort((left, right) => right.amountCents - left.amountCents || (left.claimId < right.claimId ? -1 : 1))
        .map((claim) => [claim.claimId, claim.amountCents]);
      const seen: Array<[string, number]> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const parameters: Record<string, string> = { asOf, sort: 'amount', limit: '4', ...filter };
        if (cursor !== null) parameters['cursor'] = cursor;
        const { status, body } = await get(`/v1/kpis/pended-queue/work-queue?${query(parameters)}`);
        expect(status).toBe(200);
        const items = body['items'] as Array<{ claimId: string; amountCents: number }>;
        seen.push(...items.map((item): [string, number] => [item.claimId, item.amountCents]));
        cursor = body['nextCursor'] as string | null;
        pages += 1;
      } while (cursor !== null && pages < 100);
      expect(seen).toEqual(expected);
      expect(new Set(seen.map(([claimId]) => claimId)).size).toBe(seen.length);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 4)));
    }
  });

  it('pages the work queue oldest first under a filter, including claims cleared after the as-of date', async () => {
    const asOf = '2024-02-20';
    const expected = claims
      .filter((claim) => openAt(claim, asOf) && claim.queue === 'eligibility')
      .sort((left, right) =>
        left.pendedOn !== right.pendedOn
          ? left.pendedOn < right.pendedOn
            ? -1
            : 1
          : left.claimId < right.claimId
            ? -1
            : 1,
      );
    expect(expected.some((claim) => claim.clearedOn !== null)).toBe(true);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const parameters: Record<string, string> = { asOf, queue: 'eligibility', limit: '3' };
      if (cursor !== null) parameters['cursor'] = cursor;
      const { body } = await get(`/v1/kpis/pended-queue/work-queue?${query(parameters)}`);
      seen.push(...(body['items'] as Array<{ claimId: string }>).map((item) => item.claimId));
      cursor = body['nextCursor'] as string | null;
    } while (cursor !== null && seen.length <= claims.length);
    expect(seen).toEqual(expected.map((claim) => claim.claimId));
  });

  it('pages the work queue of one age range (an age bucket) through exactly the claims of that age at the as-of date', async () => {
    const asOf = '2024-02-20';
    const ageAt = (claim: SeedClaim): number => daysBetween(claim.pendedOn, asOf);
    for (const [minAgeDays, maxAgeDays] of [
      [0, 30],
      [31, 60],
      [61, null],
    ] as const) {
      const expected = claims
        .filter((claim) => openAt(claim, asOf) && ageAt(claim) >= minAgeDays)
        .filter((claim) => maxAgeDays === null || ageAt(claim) <= maxAgeDays)
        .map((claim) => claim.claimId)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const parameters: Record<string, string> = { asOf, minAgeDays: String(minAgeDays), limit: '2' };
        if (maxAgeDays !== null) parameters['maxAgeDays'] = String(maxAgeDays);
        if (cursor !== null) parameters['cursor'] = cursor;
        const { status, body } = await get(`/v1/kpis/pended-queue/work-queue?${query(parameters)}`);
        expect(status).toBe(200);
        const items = body['items'] as Array<{ claimId: string; ageDays: number }>;
        for (const item of items) {
          expect(item.ageDays).toBeGreaterThanOrEqual(minAgeDays);
          if (maxAgeDays !== null) expect(item.ageDays).toBeLessThanOrEqual(maxAgeDays);
        }
        seen.push(...items.map((item) => item.claimId));
        cursor = body['nextCursor'] as string | null;
      } while (cursor !== null && seen.length <= claims.length);
      expect(seen.sort()).toEqual(expected);
    }
  });

  it('answers 400 naming the cursor when it is used with another sort, other filters or another as-of date', async () => {
    const first = await get(`/v1/kpis/pended-queue/work-queue?${query({ sort: 'amount', payer: 'ACME', limit: '1' })}`);
    const cursor = first.body['nextCursor'] as string;
    expect(typeof cursor).toBe('string');
    const next = await get(`/v1/kpis/pended-queue/work-queue?${query({ sort: 'amount', payer: 'ACME', cursor })}`);
    expect(next.status).toBe(200);
    for (const [parameters, fields] of [
      [{ payer: 'ACME', cursor }, ['cursor', 'sort']],
      [{ sort: 'amount', payer: 'Aetna', cursor }, ['cursor', 'payer']],
      [{ sort: 'amount', cursor }, ['cursor', 'payer']],
      [{ sort: 'amount', payer: 'ACME', state: 'MD', cursor }, ['cursor', 'state']],
      [{ sort: 'amount', payer: 'ACME', asOf: '2024-03-30', cursor }, ['cursor', 'asOf']],
    ] as Array<[Record<string, string>, string[]]>) {
      const { status, body } = await get(`/v1/kpis/pended-queue/work-queue?${query(parameters)}`);
      expect({ parameters, status, body }).toEqual({
        parameters,
        status: 400,
        body: expect.objectContaining({ code: 'REQUEST_INVALID', fields }),
      });
    }
  });

  it('answers 400 naming a filter that is unknown, empty, repeated or too long, on every pended-queue route', async () => {
    for (const route of ['/v1/kpis/pended-queue', '/v1/kpis/pended-queue/flow', '/v1/kpis/pended-queue/work-queue']) {
      for (const [search, field] of [
        ['provider_group=TIN-1', 'provider_group'],
        ['payer=', 'payer'],
        ['state=MD&state=VA', 'state'],
        [`queue=${'q'.repeat(129)}`, 'queue'],
      ] as const) {
        const { status, body } = await get(`${route}?${search}`);
        expect({ route, search, status, body }).toEqual({
          route,
          search,
          status: 400,
          body: expect.objectContaining({ code: 'REQUEST_INVALID', fields: [field] }),
        });
      }
    }
  });

  it('answers SQL-injection strings as every filter value with an empty queue, leaving claim_pend intact', async () => {
    const rowsBefore: Array<{ rows: string }> = await dataSource.query(`SELECT count(*) AS rows FROM claim_pend`);
    for (const injection of ["' OR 1=1 --", "x'); DROP TABLE claim_pend; --", "MEDICARE' OR 'a'='a", '$1) OR (1=1']) {
      const every = Object.fromEntries(PEND_QUEUE_FILTER_FIELDS.map((field) => [field, injection]));
      for (const filter of [every, ...PEND_QUEUE_FILTER_FIELDS.map((field) => ({ [field]: injection }))]) {
        const summary = await get(`/v1/kpis/pended-queue?${query({ ...filter, groupBy: 'payer' })}`);
        expect({ filter, status: summary.status, body: summary.body }).toMatchObject({
          filter,
          status: 200,
          body: {
            open: { claims: 0, amountCents: 0 },
            byDimension: [],
            oldestAgeDays: null,
            daysToClear: { p50: null, p90: null, clearedClaims: 0 },
          },
        });
        const flow = await get(
          `/v1/kpis/pended-queue/flow?${query({ ...filter, from: '2024-01-01', to: '2024-03-31' })}`,
        );
        expect({ filter, status: flow.status, totals: flow.body['totals'] }).toEqual({
          filter,
          status: 200,
          totals: { inflowClaims: 0, outflowClaims: 0, netClaims: 0, netAmountCents: 0 },
        });
        for (const sort of ['age', 'amount']) {
          const queue = await get(`/v1/kpis/pended-queue/work-queue?${query({ ...filter, sort })}`);
          expect({ filter, status: queue.status, body: queue.body }).toMatchObject({
            filter,
            status: 200,
            body: { items: [], nextCursor: null },
          });
        }
      }
    }
    expect(await dataSource.query(`SELECT count(*) AS rows FROM claim_pend`)).toEqual(rowsBefore);
    expect(rowsBefore).toEqual([{ rows: String(claims.length) }]);
  });

  it('matches a value holding a quote exactly, as a parameter', async () => {
    const obrien = claims.filter((claim) => claim.payer === "O'Brien Health" && openAt(claim, WATERMARK));
    const { body } = await get(`/v1/kpis/pended-queue?${query({ payer: "O'Brien Health" })}`);
    expect(body['open']).toEqual({
      claims: obrien.length,
      amountCents: obrien.reduce((total, claim) => total + claim.amountCents, 0),
    });
    expect(obrien.length).toBeGreaterThan(0);
  });
});
