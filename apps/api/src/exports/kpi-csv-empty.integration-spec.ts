import 'reflect-metadata';
import { API_ROLES, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { parseCsv } from '../__tests__/csv-document';
import { seedFoldedKpis } from '../__tests__/kpi-fixture';
import { KPI_TABLE_ROUTES } from '../__tests__/kpi-table-routes';

const tokens = Object.fromEntries(
  API_ROLES.map((role) => [role, `${role}-${randomBytes(18).toString('hex')}`]),
) as Record<ApiRole, string>;

/** Whether `part` is `whole` with some entries left out, the rest in the same order. */
function isSubsequence(part: readonly string[], whole: readonly string[]): boolean {
  let at = 0;
  for (const entry of part) {
    at = whole.indexOf(entry, at);
    if (at === -1) return false;
    at += 1;
  }
  return true;
}

/**
 * A KPI table with no rows, as CSV: the header alone, its columns those the
 * route declares, in the order a non-empty answer gives them, so a
 * spreadsheet or script loading the file finds its columns either way.
 */
describe('KPI tables with no rows as CSV against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const emptyHeaders = new Map<string, string[]>();

  const get = async (path: string, accept?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${tokens.analyst}`, ...(accept === undefined ? {} : { accept }) },
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_kpi_csv_empty');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: API_ROLES.map((role) => `${role}=${tokens[role]}`).join(','),
      env: { API_SMALL_CELL_THRESHOLD: '11' },
    }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(KPI_TABLE_ROUTES)('answers %s with no rows as its header line alone', async (path, field) => {
    const json = await get(path);
    expect({ path, status: json.status }).toEqual({ path, status: 200 });
    const rows = (JSON.parse(json.text) as Record<string, unknown[]>)[field] ?? [];
    const csv = await get(path, 'text/csv');
    const table = parseCsv(csv.text);
    const header = table[0] ?? [];
    expect({ path, nonEmptyHeader: header.length > 0 && header.every((column) => column !== '') }).toEqual({
      path,
      nonEmptyHeader: true,
    });
    expect({ path, distinct: new Set(header).size }).toEqual({ path, distinct: header.length });
    expect({ path, lines: table.length }).toEqual({ path, lines: rows.length + 1 });
    if (rows.length === 0) emptyHeaders.set(path, header);
  });

  it('heads the claim-lifecycle payer lag with its fields, and `suppressed` since it can withhold them', async () => {
    const csv = await get('/v1/kpis/claim-lifecycle', 'text/csv');
    expect(csv.text).toBe('"payer","paidClaims","p50Days","p90Days","suppressed"\r\n');
  });

  it('heads an empty table with the columns of a non-empty one, in the same order', async () => {
    expect(emptyHeaders.size).toBeGreaterThan(0);
    await seedFoldedKpis(database.url);
    let compared = 0;
    for (const [path, emptyHeader] of emptyHeaders) {
      const header = parseCsv((await get(path, 'text/csv')).text)[0] ?? [];
      if (header.length === 0 || header[0] === '') continue;
      compared += 1;
      // A `suppressed` list is first seen on whichever row withholds a cell, so where it lands depends on the rows.
      const isSuppressed = (column: string): boolean => column === 'suppressed' || column.endsWith('.suppressed');
      expect({
        path,
        header,
        emptyHeader,
        inEmptyHeaderOrder: isSubsequence(
          header.filter((column) => !isSuppressed(column)),
          emptyHeader,
        ),
        suppressedDeclared: header.filter(isSuppressed).every((column) => emptyHeader.includes(column)),
      }).toEqual({ path, header, emptyHeader, inEmptyHeaderOrder: true, suppressedDeclared: true });
    }
    expect(compared).toBeGreaterThan(0);
  });
});
