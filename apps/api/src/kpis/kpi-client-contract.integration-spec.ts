import 'reflect-metadata';
import { PEND_HISTOGRAM_BATCH_SQL } from '@claims/kpi';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';

const analystToken = randomBytes(24).toString('base64url');
const managerToken = randomBytes(24).toString('base64url');
const AS_OF = '2024-03-31';

/** A claim id as long as the default layout's field bound lets through (1,024 characters), and one past 512. */
const LONG_CLAIM_IDS = [`L-${'x'.repeat(1020)}`, `M-${'y'.repeat(600)}`];

interface SeedClaim {
  claimId: string;
  pendedOn: string;
  payer: string;
  amountCents: number;
}

/**
 * The KPI routes as a client pages and reads them, on the whole API (its
 * global interceptors: small cells, CSV, conditional GET) over Postgres only.
 */
describe('KPI routes as a client sees them: paging, parameters and small cells', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  let client: Client;

  const get = async (path: string, token = analystToken) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const insertClaims = async (claims: readonly SeedClaim[]): Promise<void> => {
    for (const claim of claims) {
      await client.query(
        `INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
                                 rendering_npi, state, amount_cents, kafka_partition)
         VALUES ($1, $2, NULL, 'eligibility', '{MEMBER_NOT_COVERED}', 'professional', $3, 'TIN-1', '1234567893',
                 'MD', $4, 0)`,
        [claim.claimId, claim.pendedOn, claim.payer, claim.amountCents],
      );
    }
  };

  /** The day histogram rebuilt from claim_pend, as the fold keeps it (the batch SQL it is held equal to). */
  const rebuildHistogram = async (): Promise<void> => {
    await client.query('DELETE FROM pend_day_histogram');
    await client.query(
      `INSERT INTO pend_day_histogram (dimension, dimension_value, pended_on, cleared_on, kafka_partition, claims,
                                       amount_cents)
       SELECT dimension, dimension_value, pended_on::date, cleared_on::date, 0, claims, amount_cents
         FROM (${PEND_HISTOGRAM_BATCH_SQL}) AS truth`,
    );
  };

  /** Every page of the work queue from the first, `limit` claims each, with `between` run after each page. */
  const pageThrough = async (
    parameters: Record<string, string>,
    between: (page: number) => Promise<void> = async () => undefined,
  ): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const query = new URLSearchParams({ ...parameters, ...(cursor === null ? {} : { cursor }) });
      const { status, body } = await get(`/v1/kpis/pended-queue/work-queue?${query.toString()}`);
      expect({ page, status }).toEqual({ page, status: 200 });
      seen.push(...(body['items'] as Array<{ claimId: string }>).map((item) => item.claimId));
      cursor = body['nextCursor'] as string | null;
      await between(page);
      page += 1;
    } while (cursor !== null && page < 200);
    return seen;
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_kpi_client_contract');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      // No broker is reached: nothing here publishes.
      brokers: '127.0.0.1:9',
      apiTokens: `analyst=${analystToken},manager=${managerToken}`,
      env: { API_RATE_LIMIT_PER_MINUTE: '0', API_SMALL_CELL_THRESHOLD: '11' },
    }));
    client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at) VALUES (0, $1, now())`,
      [AS_OF],
    );
  });

  afterEach(async () => {
    await client.query('DELETE FROM claim_pend');
    await client.query('DELETE FROM pend_day_histogram');
  });

  afterAll(async () => {
    await client?.end();
    await app?.close();
    await database?.drop();
  });

  it('pages past a claim whose id is longer than 512 characters, in either sort, listing every claim once', async () => {
    const claims: SeedClaim[] = [
      { claimId: 'A-1', pendedOn: '2024-01-05', payer: 'ACME', amountCents: 500 },
      { claimId: LONG_CLAIM_IDS[0] ?? '', pendedOn: '2024-01-05', payer: 'ACME', amountCents: 500 },
      { claimId: LONG_CLAIM_IDS[1] ?? '', pendedOn: '2024-01-06', payer: 'ACME', amountCents: 700 },
      { claimId: 'Z-9', pendedOn: '2024-01-07', payer: 'ACME', amountCents: 100 },
    ];
    await insertClaims(claims);
    for (const sort of ['age', 'amount']) {
      const seen = await pageThrough({ asOf: AS_OF, sort, limit: '1' });
      expect([...seen].sort()).toEqual(claims.map((claim) => claim.claimId).sort());
    }
  });

  it('neither skips nor repeats a claim of the list while new claims fold in between its pages', async () => {
    // Ties on the pend date everywhere: the claim id breaks them, so the order is total.
    const first: SeedClaim[] = Array.from({ length: 12 }, (_, n) => ({
      claimId: `W-${String(n).padStart(2, '0')}`,
      pendedOn: `2024-02-0${1 + (n % 3)}`,
      payer: 'ACME',
      amountCents: 1000 * (n % 4),
    }));
    await insertClaims(first);
    let arrivals = 0;
    const seen = await pageThrough({ asOf: AS_OF, limit: '5' }, async () => {
      // After each page, a claim sorting before the cursor and one after it arrive, and a listed one clears
      // after the as-of date (so it stays open as of it).
      arrivals += 1;
      await insertClaims([
        { claimId: `W-00-${arrivals}`, pendedOn: '2024-02-01', payer: 'ACME', amountCents: 1 },
        { claimId: `W-99-${arrivals}`, pendedOn: '2024-02-03', payer: 'ACME', amountCents: 1 },
      ]);
      await client.query(`UPDATE claim_pend SET cleared_on = '2024-04-15' WHERE claim_id = $1`, [
        `W-${String(arrivals * 2).padStart(2, '0')}`,
      ]);
    });
    expect(new Set(seen).size).toBe(seen.length);
    for (const claim of first) expect(seen).toContain(claim.claimId);
  });

  it('revalidates to 200 with a new tag once a fold changes the figures, and never answers one representation with another', async () => {
    const seedPayer = (payer: string, count: number): SeedClaim[] =>
      Array.from({ length: count }, (_, n) => ({
        claimId: `${payer}-${n}`,
        pendedOn: '2024-02-01',
        payer,
        amountCents: 100,
      }));
    await insertClaims(seedPayer('BIG', 40));
    await rebuildHistogram();
    const path = `/v1/kpis/pended-queue?asOf=${AS_OF}&groupBy=payer`;
    const fetchWith = (headers: Record<string, string>, token = analystToken) =>
      fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const json = await fetchWith({});
    const jsonTag = json.headers.get('etag') ?? '';
    expect(json.headers.get('vary')).toMatch(/Accept/);
    expect((await fetchWith({ 'if-none-match': jsonTag })).status).toBe(304);
    // The CSV of the same figures is another representation: another tag, and the JSON's tag does not match it.
    // HEAD carries the GET's tag, so a client can check freshness without the body.
    const head = await fetch(`${baseUrl}${path}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${analystToken}` },
    });
    expect(head.headers.get('etag')).toBe(jsonTag);
    const csv = await fetchWith({ accept: 'text/csv', 'if-none-match': jsonTag });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('etag')).not.toBe(jsonTag);
    expect(csv.headers.get('vary')).toMatch(/Accept/);
    // A manager's answer holds what an analyst's withholds: another tag once a small cell is in it.
    await insertClaims(seedPayer('FEW', 3));
    await rebuildHistogram();
    await client.query(`UPDATE kpi_watermark SET committed_at = now()`);
    const afterFold = await fetchWith({ 'if-none-match': jsonTag });
    expect(afterFold.status).toBe(200);
    const analystTag = afterFold.headers.get('etag');
    expect(analystTag).not.toBe(jsonTag);
    const manager = await fetchWith({ 'if-none-match': analystTag ?? '' }, managerToken);
    expect(manager.status).toBe(200);
    expect(manager.headers.get('etag')).not.toBe(analystTag);
  });

  it('refuses a parameter of the verification route, which takes none, instead of answering as if it applied', async () => {
    for (const query of ['asOf=2024-01-01', 'payer=ACME', 'bogus=1']) {
      const { status, body } = await get(`/v1/kpis/verification?${query}`);
      expect({ query, status }).toEqual({ query, status: 400 });
      expect(body).toMatchObject({ code: 'REQUEST_INVALID', fields: [query.split('=')[0]] });
    }
    expect((await get('/v1/kpis/verification')).status).toBe(200);
  });

  it('withholds a listed payer when the payers `limit` leaves out add up to a small count, for the analyst only', async () => {
    // 40, 30 and 5 open claims: the queue less the two largest would give the 5 back.
    const payers: Array<[string, number]> = [
      ['BIG', 40],
      ['MID', 30],
      ['SMALL', 5],
    ];
    await insertClaims(
      payers.flatMap(([payer, count]) =>
        Array.from({ length: count }, (_, n) => ({
          claimId: `${payer}-${n}`,
          pendedOn: '2024-02-01',
          payer,
          amountCents: 100,
        })),
      ),
    );
    await rebuildHistogram();
    const analyst = await get(`/v1/kpis/pended-queue?asOf=${AS_OF}&groupBy=payer&limit=2`);
    expect(analyst.status).toBe(200);
    expect(analyst.body['open']).toMatchObject({ claims: 75 });
    const listed = analyst.body['byDimension'] as Array<{ value: string; claims: number | null }>;
    expect(listed.map((row) => [row.value, row.claims])).toEqual([
      ['BIG', 40],
      ['MID', null],
    ]);
    const manager = await get(`/v1/kpis/pended-queue?asOf=${AS_OF}&groupBy=payer&limit=2`, managerToken);
    expect((manager.body['byDimension'] as Array<{ claims: number }>).map((row) => row.claims)).toEqual([40, 30]);
  });
});
