import 'reflect-metadata';
import { signApiToken, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, waitFor, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { claimIdDigest } from './audit-policy';
import type { AuditEventView, AuditPage } from './audit.controller';

const secret = randomBytes(32).toString('base64url');
const staticAdminToken = randomBytes(24).toString('base64url');
/** A DE-SynPUF-shaped claim id: what must never reach an audit row as it is. */
const CLAIM_ID = '887213386563288';

describe('the audit log against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const token = (role: ApiRole, sub = `audit-spec-${role}`): string =>
    signApiToken({ sub, role, ttlSeconds: 600, nowSeconds: Math.floor(Date.now() / 1000) }, secret);

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, requestId: response.headers.get('x-request-id'), text };
  };

  /** Every audit row, oldest first, read through GET /v1/audit page by page. */
  const allEvents = async (limit = 3): Promise<AuditEventView[]> => {
    const events: AuditEventView[] = [];
    let cursor: string | null = null;
    do {
      const query = `?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const response = await fetch(`${baseUrl}/v1/audit${query}`, {
        headers: { authorization: `Bearer ${staticAdminToken}` },
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as AuditPage;
      events.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return events.reverse();
  };

  const eventOf = async (requestId: string): Promise<AuditEventView> => {
    const events = await waitFor(
      `the audit row of request ${requestId}`,
      () => allEvents(50),
      (read) => read.some((event) => event.requestId === requestId),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const found = events.find((event) => event.requestId === requestId);
    if (found === undefined) throw new Error('unreachable');
    return found;
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_audit');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `admin=${staticAdminToken}`,
      apiTokenSecret: secret,
    }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('records a claim detail read with who, the route template, the claim id hashed, the outcome and the request id', async () => {
    const read = await call('GET', `/v1/claims/${CLAIM_ID}`, {
      authorization: `Bearer ${token('manager', 'max.manager')}`,
      'x-request-id': 'audit-spec-claim-read',
    });
    expect(read).toMatchObject({ status: 404, requestId: 'audit-spec-claim-read' });

    expect(await eventOf('audit-spec-claim-read')).toMatchObject({
      principal: { subject: 'max.manager', role: 'manager', via: 'signed-token' },
      method: 'GET',
      route: '/v1/claims/:claimId',
      target: { kind: 'claim', id: claimIdDigest(CLAIM_ID) },
      status: 404,
    });
  });

  it('records a refused PHI read (403) with the role that was refused, and an unauthenticated one (401) with nobody', async () => {
    const refused = await call('GET', `/v1/claims/${CLAIM_ID}/lineage`, {
      authorization: `Bearer ${token('analyst', 'ana.analyst')}`,
    });
    expect(refused.status).toBe(403);
    expect(await eventOf(refused.requestId ?? '')).toMatchObject({
      principal: { subject: 'ana.analyst', role: 'analyst' },
      route: '/v1/claims/:claimId/lineage',
      status: 403,
    });

    const anonymous = await call('GET', `/v1/claims/${CLAIM_ID}`, {});
    expect(anonymous.status).toBe(401);
    expect(await eventOf(anonymous.requestId ?? '')).toMatchObject({ principal: null, status: 401 });
  });

  it('records API key changes, reference fixes and uploads, and no plain KPI or report read', async () => {
    const created = await call(
      'POST',
      '/v1/api-keys',
      { authorization: `Bearer ${staticAdminToken}` },
      {
        role: 'ingest',
        label: 'audit spec',
      },
    );
    expect(created.status).toBe(201);
    const keyId = (JSON.parse(created.text) as { keyId: string }).keyId;
    const revoked = await call('DELETE', `/v1/api-keys/${keyId}`, { authorization: `Bearer ${staticAdminToken}` });
    const fix = await call(
      'POST',
      '/v1/reference/providers',
      { authorization: `Bearer ${token('admin', 'ada.admin')}` },
      {},
    );
    const upload = await call('POST', '/v1/ingestions?name=a.csv', { authorization: `Bearer ${token('analyst')}` }, {});
    const kpis = await call('GET', '/v1/kpis/summary', { authorization: `Bearer ${token('analyst')}` });
    expect(kpis.status).toBe(200);

    expect(await eventOf(created.requestId ?? '')).toMatchObject({
      principal: { subject: 'static', role: 'admin', via: 'static-token' },
      method: 'POST',
      route: '/v1/api-keys',
      target: null,
      status: 201,
    });
    expect(await eventOf(revoked.requestId ?? '')).toMatchObject({
      method: 'DELETE',
      route: '/v1/api-keys/:keyId',
      target: { kind: 'api-key', id: keyId },
    });
    expect(await eventOf(fix.requestId ?? '')).toMatchObject({
      principal: { subject: 'ada.admin' },
      route: '/v1/reference/:kind',
      target: { kind: 'reference-kind', id: 'providers' },
      status: 400,
    });
    expect(await eventOf(upload.requestId ?? '')).toMatchObject({
      principal: { role: 'analyst' },
      route: '/v1/ingestions',
      status: 403,
    });
    const events = await allEvents();
    expect(events.some((event) => event.requestId === kpis.requestId)).toBe(false);
  });

  it('records each export, a CSV file or the PDF report, with who took it and from which route', async () => {
    const csv = await call('GET', '/v1/dead-letters/export.csv', { authorization: `Bearer ${staticAdminToken}` });
    expect(csv.status).toBe(200);
    const pdf = await call('GET', '/v1/reports/kpis.pdf', {
      authorization: `Bearer ${token('analyst', 'ana.analyst')}`,
    });
    expect(pdf.status).toBe(200);
    expect(await eventOf(csv.requestId ?? '')).toMatchObject({
      principal: { subject: 'static', role: 'admin' },
      method: 'GET',
      route: '/v1/dead-letters/export.csv',
      status: 200,
    });
    expect(await eventOf(pdf.requestId ?? '')).toMatchObject({
      principal: { subject: 'ana.analyst', role: 'analyst' },
      method: 'GET',
      route: '/v1/reports/kpis.pdf',
      status: 200,
    });
  });

  it('pages newest first with an opaque cursor, each row once, and refuses a forged cursor naming the field', async () => {
    const pages = await allEvents(2);
    const ids = pages.map((event) => BigInt(event.auditId));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.length).toBeGreaterThanOrEqual(6);

    const forged = await call('GET', `/v1/audit?cursor=${randomUUID()}`, {
      authorization: `Bearer ${staticAdminToken}`,
    });
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.text)).toMatchObject({ code: 'REQUEST_INVALID', fields: ['cursor'] });
  });

  it('lets only admins read the audit log', async () => {
    for (const role of ['analyst', 'manager', 'ingest'] as const) {
      expect((await call('GET', '/v1/audit', { authorization: `Bearer ${token(role)}` })).status).toBe(403);
    }
  });

  it('keeps no claim id, query string or body in any row', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ row: string }>(
        'SELECT row_to_json(audit_event)::text AS row FROM audit_event',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { row } of rows) {
        expect(row).not.toContain(CLAIM_ID);
        expect(row).not.toContain('name=a.csv');
        expect(row).not.toContain('audit spec');
      }
    } finally {
      await client.end();
    }
  });
});
