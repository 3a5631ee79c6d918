import 'reflect-metadata';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFoldedKpis } from '../__tests__/kpi-fixture';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { PERMISSION_ROLES } from '../auth/permissions';
import { apiRouteTable } from '../auth/route-table';

const tokens = {
  analyst: randomBytes(24).toString('base64url'),
  manager: randomBytes(24).toString('base64url'),
} as const;
type Role = keyof typeof tokens;

interface PendRow {
  value: string;
  claims: number | null;
  amountCents: number | null;
  averageAgeDays: number | null;
  suppressed?: string[];
}

/**
 * The small-cell policy over the whole API as main.ts wires it, threshold 11,
 * on the dashboard fixture (kpi-fixture.ts): 32 claims open at the watermark
 * (PQ-1 and PQ-3 in the provider-data queue, WQ-01..WQ-30 in eligibility),
 * and a handful of adjudicated claims, one or two per payer.
 */
describe('small-cell suppression for analysts against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const folder = mkdtempSync(join(tmpdir(), 'small-cells-spec-'));

  const get = async (path: string, role: Role) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${tokens[role]}` } });
    const text = await response.text();
    expect({ path, role, status: response.status }).toEqual({ path, role, status: 200 });
    return { text, etag: response.headers.get('etag') };
  };
  const json = async <Body>(path: string, role: Role): Promise<Body> =>
    JSON.parse((await get(path, role)).text) as Body;

  /** The PDF report as `role` downloads it, as Poppler's pdftotext reads it. */
  const reportText = async (role: Role): Promise<string> => {
    const response = await fetch(`${baseUrl}/v1/reports/kpis.pdf`, {
      headers: { authorization: `Bearer ${tokens[role]}` },
    });
    expect(response.status).toBe(200);
    const file = join(folder, `${role}.pdf`);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('small_cells');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `analyst=${tokens.analyst},manager=${tokens.manager}`,
      env: { API_SMALL_CELL_THRESHOLD: '11' },
    }));
    await seedFoldedKpis(database.url);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('withholds the 1- and 2-claim reasons from the analyst, with their dollars, and shows the manager every figure', async () => {
    const byValue = (rows: PendRow[]) => Object.fromEntries(rows.map((row) => [row.value, row]));
    const analyst = await json<{ open: { claims: number }; byDimension: PendRow[] }>(
      '/v1/kpis/pended-queue?groupBy=reason',
      'analyst',
    );
    const manager = await json<{ open: { claims: number }; byDimension: PendRow[] }>(
      '/v1/kpis/pended-queue?groupBy=reason',
      'manager',
    );
    expect(analyst.open.claims).toBe(32);
    expect(byValue(analyst.byDimension)).toEqual({
      MEMBER_NOT_COVERED: expect.objectContaining({ claims: 30, amountCents: 1234 * 465 }),
      NPI_INVALID: expect.objectContaining({
        claims: null,
        amountCents: null,
        averageAgeDays: null,
        suppressed: ['amountCents', 'averageAgeDays', 'claims', 'oldestAgeDays'],
      }),
      PROVIDER_NOT_FOUND: expect.objectContaining({ claims: null, amountCents: null }),
    });
    expect(analyst.byDimension.flatMap((row) => row.suppressed ?? [])).not.toContain('value');
    expect(byValue(manager.byDimension)).toEqual({
      MEMBER_NOT_COVERED: expect.objectContaining({ claims: 30 }),
      NPI_INVALID: expect.objectContaining({ claims: 1, amountCents: 10000 }),
      PROVIDER_NOT_FOUND: expect.objectContaining({ claims: 2, amountCents: 10500 }),
    });
    expect(JSON.stringify(manager)).not.toContain('suppressed');
  });

  it('withholds the next smallest queue too when only one is small, so the total gives neither back', async () => {
    const analyst = await json<{ open: { claims: number }; byDimension: PendRow[] }>(
      '/v1/kpis/pended-queue?groupBy=queue',
      'analyst',
    );
    // provider-data (2) is small; eligibility (30) would be 32 − 30 = 2 away from it.
    expect(analyst.open.claims).toBe(32);
    expect(analyst.byDimension.map((row) => [row.value, row.claims])).toEqual([
      ['eligibility', null],
      ['provider-data', null],
    ]);
  });

  it('tags the analyst answer with the ETag of what was sent, and documents it in the OpenAPI schema', async () => {
    const { text, etag } = await get('/v1/kpis/pended-queue?groupBy=reason', 'analyst');
    expect(etag).toBe(`"${createHash('sha256').update(text, 'utf8').digest('base64url')}"`);
    const manager = await get('/v1/kpis/pended-queue?groupBy=reason', 'manager');
    expect(manager.etag).not.toBe(etag);

    const document = (await (await fetch(`${baseUrl}/v1/openapi.json`)).json()) as {
      components: { schemas: Record<string, object> };
    };
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(
      document.components.schemas['PendedQueueResponse'] ?? {},
    );
    expect({ valid: validate(JSON.parse(text)), errors: validate.errors ?? null }).toEqual({
      valid: true,
      errors: null,
    });
  });

  it('withholds every payer of 1 or 2 claims from the analyst, dollars included', async () => {
    interface PaymentRows {
      rows: Array<{ value: string; claims: number | null; paidAmountCents: number | null; suppressed?: string[] }>;
    }
    const analyst = await json<PaymentRows>('/v1/kpis/payments?groupBy=payer', 'analyst');
    const manager = await json<PaymentRows>('/v1/kpis/payments?groupBy=payer', 'manager');
    expect(analyst.rows.length).toBeGreaterThan(0);
    expect(analyst.rows.map((row) => row.value)).toEqual(manager.rows.map((row) => row.value));
    for (const row of analyst.rows) expect(row).toMatchObject({ claims: null, paidAmountCents: null });
    expect(manager.rows.find((row) => row.value === 'Aetna')).toMatchObject({ claims: 2, paidAmountCents: 8000 });
  });

  it("prints no small-cell figure in the analyst's PDF report, and every one in the manager's", async () => {
    const [analyst, manager] = [await reportText('analyst'), await reportText('manager')];
    // PROVIDER_NOT_FOUND: 2 open claims, $105.00; Aetna's payments: $80.00 paid on 2 claims.
    expect(manager).toMatch(/PROVIDER_NOT_FOUND 2 \$105\.00/);
    expect(manager).toMatch(/Aetna 2 /);
    expect(analyst).toMatch(/PROVIDER_NOT_FOUND \* \*/);
    expect(analyst).not.toContain('$105.00');
    expect(analyst).toMatch(/Aetna \* \* \* \* \*/);
    expect(analyst).toContain('withheld (small-cell suppression)');
    expect(manager).not.toContain('small-cell suppression');
  });

  it("holds no small cell in an analyst's CSV export: each lists records or files, and none declares cells", () => {
    const exports = apiRouteTable(app).filter(
      (route) =>
        route.path.endsWith('.csv') &&
        route.permission !== null &&
        PERMISSION_ROLES[route.permission].includes('analyst'),
    );
    expect(exports.map((route) => route.path).sort()).toEqual([
      '/v1/dead-letters/export.csv',
      '/v1/ingestions/export.csv',
      '/v1/kpis/claim-lifecycle/overdue/export.csv',
    ]);
    for (const route of exports)
      expect({ path: route.path, kind: route.smallCells?.kind }).toEqual({ path: route.path, kind: 'none' });
  });
});
