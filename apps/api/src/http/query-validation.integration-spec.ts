import 'reflect-metadata';
import { signApiToken, type ApiRole } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { seedFoldedKpis } from '../__tests__/kpi-fixture';

const secret = randomBytes(32).toString('base64url');
const adminToken = randomBytes(24).toString('base64url');

const token = (role: ApiRole): string =>
  signApiToken({ sub: `validation-${role}`, role, ttlSeconds: 600, nowSeconds: Date.now() / 1000 }, secret);

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * Input that can name nothing the API stores is refused as the client's
 * mistake, a 400 problem naming the parameter, never let through to
 * Postgres to fail there as a 500: a date in year zero (Postgres has no
 * year 0), a NUL character (no text column can hold one), a cursor's number
 * past what a bigint holds, a path segment that names an Object member.
 */
describe('query validation: what names nothing stored is a 400, never a 500', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const call = async (path: string, credential: string, init: RequestInit = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${credential}`, ...(init.headers as Record<string, string> | undefined) },
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  };

  /** Each path answered 400 REQUEST_INVALID as a problem naming `field`. */
  const expectRefused = async (cases: ReadonlyArray<readonly [string, string]>, credential: string) => {
    for (const [path, field] of cases) {
      const { status, contentType, text } = await call(path, credential);
      expect({ path, status }).toEqual({ path, status: 400 });
      expect(contentType).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(text) as { code: string; fields: string[] };
      expect({ path, code: problem.code }).toEqual({ path, code: 'REQUEST_INVALID' });
      expect({ path, fields: problem.fields }).toEqual({ path, fields: expect.arrayContaining([field]) });
    }
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_query_validation');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `admin=${adminToken}`,
      apiTokenSecret: secret,
      env: { API_RATE_LIMIT_PER_MINUTE: '0' },
    }));
    await seedFoldedKpis(database.url);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('refuses a date in year zero, which Postgres cannot read, on every route that takes a date', async () => {
    await expectRefused(
      [
        ['/v1/kpis/summary?asOf=0000-01-01', 'asOf'],
        ['/v1/kpis/pended-queue?asOf=0000-01-01', 'asOf'],
        ['/v1/kpis/pended-queue/flow?from=0000-01-01&to=0000-01-05', 'from'],
        ['/v1/kpis/pended-queue/work-queue?asOf=0000-02-29', 'asOf'],
        ['/v1/kpis/payments?serviceFrom=0000-01-01', 'serviceFrom'],
        ['/v1/kpis/denials?source=remittance&asOf=0000-01-01', 'asOf'],
        ['/v1/kpis/claim-lifecycle?from=0000-01-01', 'from'],
        ['/v1/kpis/claim-lifecycle/overdue?asOf=0000-01-01', 'asOf'],
        ['/v1/kpis/provider-adjustments?to=0000-12-31', 'to'],
        ['/v1/reports/kpis.pdf?asOf=0000-01-01', 'asOf'],
      ],
      token('analyst'),
    );
    // The first year Postgres reads is still a date.
    expect((await call('/v1/kpis/summary?asOf=0001-01-01', token('analyst'))).status).toBe(200);
  });

  it('starts a flow whose start is defaulted no earlier than year 1, in the route and in the PDF report', async () => {
    const flow = await call('/v1/kpis/pended-queue/flow?to=0001-01-05', token('analyst'));
    expect(flow.status).toBe(200);
    expect(JSON.parse(flow.text)).toMatchObject({ from: '0001-01-01', to: '0001-01-05' });
    const report = await call('/v1/reports/kpis.pdf?to=0001-01-05', token('analyst'));
    expect(report.status).toBe(200);
    expect(report.contentType).toBe('application/pdf');
  });

  it('refuses a NUL character in a text filter, which no stored value holds', async () => {
    await expectRefused(
      [
        ['/v1/kpis/payments?payer=a%00b', 'payer'],
        ['/v1/kpis/pended-queue?payer=%00', 'payer'],
        ['/v1/kpis/pended-queue/work-queue?reason=%00', 'reason'],
        ['/v1/kpis/denials/claims?source=remittance&state=%00', 'state'],
        ['/v1/kpis/top?kind=hcpcs&claimType=%00', 'claimType'],
        ['/v1/kpis/pmpm?providerGroup=%00', 'providerGroup'],
        ['/v1/kpis/outlier-providers?renderingProvider=%00', 'renderingProvider'],
        ['/v1/kpis/claim-lifecycle?payer=%00', 'payer'],
        ['/v1/kpis/claim-lifecycle/overdue?payer=%00', 'payer'],
        ['/v1/dead-letters?file=%00', 'file'],
      ],
      token('analyst'),
    );
  });

  it('refuses a work-queue or overdue cursor whose key cannot be read back: an amount past a bigint, a NUL', async () => {
    const amountCursor = base64url({
      asOf: '2024-03-31',
      sort: 'amount',
      filter: {},
      after: { key: '9999999999999999999', claimId: 'WQ-01' },
    });
    const nulClaimCursor = base64url({
      asOf: '2024-03-31',
      sort: 'age',
      filter: {},
      after: { key: '2024-02-02', claimId: 'WQ\u000001' },
    });
    const nulOverdueCursor = base64url(['2024-03-31', null, '2024-03-01', 'PCN\u00001', '1234567893']);
    await expectRefused(
      [
        [`/v1/kpis/pended-queue/work-queue?sort=amount&cursor=${amountCursor}`, 'cursor'],
        [`/v1/kpis/pended-queue/work-queue?cursor=${nulClaimCursor}`, 'cursor'],
        [`/v1/kpis/claim-lifecycle/overdue?cursor=${nulOverdueCursor}`, 'cursor'],
      ],
      token('analyst'),
    );
    // The largest amount a bigint holds is still a cursor.
    const largest = base64url({
      asOf: '2024-03-31',
      sort: 'amount',
      filter: {},
      after: { key: '9223372036854775807', claimId: 'WQ-01' },
    });
    expect(
      (await call(`/v1/kpis/pended-queue/work-queue?sort=amount&cursor=${largest}`, token('analyst'))).status,
    ).toBe(200);
  });

  it('refuses an audit cursor past the largest audit id', async () => {
    const cursor = Buffer.from('a:9999999999999999999', 'utf8').toString('base64url');
    await expectRefused([[`/v1/audit?cursor=${cursor}`, 'cursor']], adminToken);
  });

  it('refuses unknown parameters of the dead-letter listing, its export and the replay plan, as every other route does', async () => {
    await expectRefused(
      [
        ['/v1/dead-letters?reasn=DATE_OUT_OF_RANGE', 'reasn'],
        ['/v1/dead-letters/export.csv?fle=claims.csv', 'fle'],
        ['/v1/dead-letters/replay-plan?reason=DATE_OUT_OF_RANGE&dryRun=true', 'dryRun'],
      ],
      adminToken,
    );
  });

  it('answers 400 REFERENCE_KIND_UNKNOWN to a kind that names an Object member, not a 500', async () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const { status, text } = await call(`/v1/reference/${kind}`, adminToken, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ effectiveDate: '2024-01-01', record: {} }),
      });
      expect({ kind, status }).toEqual({ kind, status: 400 });
      expect(JSON.parse(text)).toMatchObject({ code: 'REFERENCE_KIND_UNKNOWN' });
    }
  });

  it('refuses a reference fix dated on a day the calendar lacks, before it is published for the enrichers to clear claims on', async () => {
    const provider = {
      npi: '1234567893',
      entityType: 'individual',
      firstName: 'Ada',
      lastName: 'Lovelace',
      organizationName: null,
      credential: null,
      taxonomyCode: null,
      specialty: null,
      groupKey: null,
      locationKey: null,
      practiceAddress: null,
    };
    const location = (effectiveDate: string) => ({
      locationKey: 'LOC-1',
      ccn: null,
      name: null,
      address: { address1: null, city: null, state: null, zip: null },
      ssaStateCode: null,
      ssaCountyCode: null,
      countyName: null,
      effectiveDate,
    });
    const cases: Array<[kind: string, body: unknown, field: string]> = [
      ['providers', { effectiveDate: '2024-02-30', record: provider }, 'effectiveDate'],
      ['providers', { effectiveDate: '2024-13-01', record: provider }, 'effectiveDate'],
      ['providers', { effectiveDate: '0000-01-01', record: provider }, 'effectiveDate'],
      ['locations', { effectiveDate: '2024-01-01', record: location('2023-02-29') }, 'record.effectiveDate'],
    ];
    for (const [kind, body, field] of cases) {
      const { status, text } = await call(`/v1/reference/${kind}`, adminToken, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect({ kind, body, status }).toEqual({ kind, body, status: 400 });
      expect(JSON.parse(text)).toMatchObject({ code: 'REQUEST_INVALID', fields: [field] });
    }
  });

  it('refuses an API key label holding a NUL character with 400 naming the label', async () => {
    const { status, text } = await call('/v1/api-keys', adminToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'analyst', label: 'Power BI\u0000' }),
    });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'REQUEST_INVALID', fields: ['label'] });
  });
});
