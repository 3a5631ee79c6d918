import 'reflect-metadata';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';

const adminToken = randomBytes(24).toString('base64url');

describe('API keys through /v1/api-keys against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const request = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const asAdmin = { authorization: `Bearer ${adminToken}` };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_keys');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `admin=${adminToken}`,
    }));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('shows a new key once, stores only its SHA-256, lists it without the key, and stops it at once when revoked', async () => {
    const created = await request('POST', '/v1/api-keys', asAdmin, { role: 'analyst', label: 'Power BI refresh' });
    expect(created.status).toBe(201);
    const key = created.body['key'] as string;
    const keyId = created.body['keyId'] as string;
    expect(key).toMatch(/^ck_/);
    expect(created.body).toMatchObject({ role: 'analyst', label: 'Power BI refresh', revokedAt: null });

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ key_hash: string }>('SELECT key_hash FROM api_key WHERE key_id = $1', [
        keyId,
      ]);
      expect(rows[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
      const stored = JSON.stringify((await client.query('SELECT * FROM api_key')).rows);
      expect(stored).not.toContain(key);
      expect(stored).not.toContain(key.slice(3));
    } finally {
      await client.end();
    }

    const listed = await fetch(`${baseUrl}/v1/api-keys`, { headers: asAdmin });
    const listing = await listed.text();
    expect(listed.status).toBe(200);
    expect(listing).toContain(keyId);
    expect(listing).not.toContain(key.slice(3));

    expect((await request('GET', '/v1/ingestions', { 'x-api-key': key })).status).toBe(200);
    const revoked = await request('DELETE', `/v1/api-keys/${keyId}`, asAdmin);
    expect(revoked.status).toBe(200);
    expect(revoked.body['revokedAt']).toEqual(expect.any(String));
    expect(await request('GET', '/v1/ingestions', { 'x-api-key': key })).toEqual({
      status: 401,
      body: expect.objectContaining({ code: 'API_KEY_INVALID' }),
    });
  });

  it('answers 400 naming the field for an unknown role or a missing label, and 404 for an unknown key', async () => {
    expect(await request('POST', '/v1/api-keys', asAdmin, { role: 'root', label: 'x' })).toEqual({
      status: 400,
      body: expect.objectContaining({ code: 'REQUEST_INVALID', fields: ['role'] }),
    });
    expect((await request('POST', '/v1/api-keys', asAdmin, { role: 'ingest' })).body['fields']).toEqual(['label']);
    expect((await request('DELETE', '/v1/api-keys/not-a-uuid', asAdmin)).status).toBe(404);
  });
});
