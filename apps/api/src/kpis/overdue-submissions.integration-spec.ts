import { createIsolatedDatabase, testInfrastructure, type IsolatedDatabase } from '@claims/harness';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { startApiUnderTest } from '../__tests__/api-under-test';

const analystToken = 'analyst-token-for-the-overdue-submissions-spec';
const ingestToken = 'ingest-token-for-the-overdue-submissions-spec';

/**
 * GET /v1/kpis/claim-lifecycle/overdue over the whole API (its config read
 * from the environment as the process reads it: ACK_SLA_HOURS_BY_PAYER
 * acme=48, the default 24) and a migrated database seeded with lifecycle
 * rows, 999 verdicts and answer parts as the fold writes them (the fold and
 * the gauges are held to real X12 files in
 * apps/metrics/src/domain-gauges/acknowledgement-gauges.integration-spec.ts).
 *
 * The event-time watermark is 2024-03-10, the latest submission 2024-03-09:
 * the clock is 2024-03-10. Sender SUB1, billing NPI 1234567893 throughout.
 * - A  ACME 03-01, set G1/0001, nothing came back: 216 h old, 168 h past 48 h;
 * - B  ACME 03-09, set G1/0002 accepted by a 999: 24 h old, within 48 h;
 * - C  ACME 03-05, set G1/0003 accepted by a 999 on 03-06: 120 h, awaits its 277CA;
 * - D  BETA 03-09, nothing back: 24 h, just past the default 24 h;
 * - E  BETA 03-02, set G2/0001 rejected by a 999 on 03-03: no 277CA will come;
 * - F  BETA 03-02, a 277CA on 03-08: answered (but not yet as of 03-07);
 * - H  an 835 whose 837 never came: never listed.
 */
describe('GET /v1/kpis/claim-lifecycle/overdue against a real Postgres', () => {
  let database: IsolatedDatabase;
  let app: INestApplication;
  let baseUrl: string;

  const get = async (path: string, token: string | null = analystToken) => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      body: (response.headers.get('content-type') ?? '').includes('json')
        ? (JSON.parse(text) as Record<string, unknown>)
        : {},
    };
  };

  beforeAll(async () => {
    database = await createIsolatedDatabase('overdue_submissions');
    ({ app, baseUrl } = await startApiUnderTest({
      databaseUrl: database.url,
      brokers: testInfrastructure().brokers,
      apiTokens: `analyst=${analystToken},ingest=${ingestToken}`,
      env: { ACK_SLA_HOURS_BY_PAYER: 'acme=48' },
    }));
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at)
         VALUES (0, '2024-03-10', '2024-03-10T12:00:00Z')`,
      );
      await client.query(`
        INSERT INTO x12_claim_lifecycle (patient_control_number, billing_npi, payer, submitted, first_submitted_on,
          submission_count, resubmitted, first_set_sender_id, first_set_group_control_number,
          first_set_transaction_control_number, pended, acknowledgement_count, latest_acknowledgement_status,
          latest_acknowledged_on, ever_rejected_by_acknowledgement, adjudication_count, paid_amount_cents,
          reversal_count, kafka_partition)
        VALUES ('A', '1234567893', 'ACME', true, '2024-03-01', 1, false, 'SUB1', 'G1', '0001', false, 0, NULL, NULL, false, 0, 0, 0, 0),
               ('B', '1234567893', 'ACME', true, '2024-03-09', 1, false, 'SUB1', 'G1', '0002', false, 0, NULL, NULL, false, 0, 0, 0, 0),
               ('C', '1234567893', 'ACME', true, '2024-03-05', 1, false, 'SUB1', 'G1', '0003', false, 0, NULL, NULL, false, 0, 0, 0, 1),
               ('D', '1234567893', 'BETA', true, '2024-03-09', 1, false, 'SUB1', 'G2', '0002', false, 0, NULL, NULL, false, 0, 0, 0, 1),
               ('E', '1234567893', 'BETA', true, '2024-03-02', 1, false, 'SUB1', 'G2', '0001', false, 0, NULL, NULL, false, 0, 0, 0, 2),
               ('F', '1234567893', 'BETA', true, '2024-03-02', 1, false, 'SUB1', 'G2', '0003', false, 1, 'accepted', '2024-03-08', false, 0, 0, 0, 2),
               ('H', '', 'BETA', false, NULL, 0, false, NULL, NULL, NULL, false, 0, NULL, NULL, false, 1, 700, 0, 0)`);
      await client.query(`
        INSERT INTO x12_transaction_set_verdict (event_id, sender_id, group_control_number, transaction_control_number,
          status, acknowledged_on, kafka_partition)
        VALUES ('00000000-0000-4000-8000-000000000002', 'SUB1', 'G1', '0002', 'accepted', '2024-03-09', 0),
               ('00000000-0000-4000-8000-000000000003', 'SUB1', 'G1', '0003', 'accepted', '2024-03-06', 0),
               ('00000000-0000-4000-8000-000000000004', 'SUB1', 'G2', '0001', 'rejected', '2024-03-03', 0)`);
      await client.query(`
        INSERT INTO x12_claim_part (claim_id, event_id, part_kind, occurred_at, event, kafka_partition)
        VALUES ('F', '00000000-0000-4000-8000-0000000000f1', 'acknowledgement', '2024-03-08', '{}', 2)`);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const submission = (
    pcn: string,
    payer: string,
    groupControlNumber: string,
    transactionControlNumber: string,
    submittedOn: string,
    ageHours: number,
    slaHours: number,
    awaiting: string[],
  ) => ({
    payer,
    patientControlNumber: pcn,
    billingNpi: '1234567893',
    senderId: 'SUB1',
    groupControlNumber,
    transactionControlNumber,
    submittedOn,
    ageHours,
    slaHours,
    hoursOverdue: ageHours - slaHours,
    awaiting,
  });
  const A = submission('A', 'ACME', 'G1', '0001', '2024-03-01', 216, 48, ['999', '277ca']);
  const C = submission('C', 'ACME', 'G1', '0003', '2024-03-05', 120, 48, ['277ca']);
  const D = submission('D', 'BETA', 'G2', '0002', '2024-03-09', 24, 24, ['999', '277ca']);

  it('refuses a request without a token, and an ingest token', async () => {
    expect((await get('/v1/kpis/claim-lifecycle/overdue', null)).status).toBe(401);
    expect((await get('/v1/kpis/claim-lifecycle/overdue', ingestToken)).status).toBe(403);
  });

  it('lists the submissions past their payer SLA at the clock, oldest first, with what has not come back', async () => {
    const { status, body } = await get('/v1/kpis/claim-lifecycle/overdue');
    expect(status).toBe(200);
    expect(body).toEqual({
      asOf: '2024-03-10',
      clock: '2024-03-10',
      payer: null,
      slaHours: { default: 24, byPayer: { ACME: 48 } },
      items: [A, C, D],
      nextCursor: null,
    });
  });

  it('narrows to one payer and pages with a cursor that keeps its filter', async () => {
    const first = await get('/v1/kpis/claim-lifecycle/overdue?payer=ACME&limit=1');
    expect(first.body).toMatchObject({ payer: 'ACME', items: [A] });
    const cursor = String(first.body['nextCursor']);
    const second = await get(`/v1/kpis/claim-lifecycle/overdue?payer=ACME&limit=1&cursor=${cursor}`);
    expect(second.body).toMatchObject({ items: [C], nextCursor: null });
    expect(await get(`/v1/kpis/claim-lifecycle/overdue?payer=BETA&cursor=${cursor}`)).toMatchObject({
      status: 400,
      body: { code: 'REQUEST_INVALID', fields: ['cursor', 'payer'] },
    });
  });

  it('as of an earlier date, ages to that date and counts only the answers dated by then', async () => {
    const { body } = await get('/v1/kpis/claim-lifecycle/overdue?asOf=2024-03-07');
    expect(body).toMatchObject({
      asOf: '2024-03-07',
      clock: '2024-03-10',
      items: [
        submission('A', 'ACME', 'G1', '0001', '2024-03-01', 144, 48, ['999', '277ca']),
        // Its 277CA came on 03-08.
        submission('F', 'BETA', 'G2', '0003', '2024-03-02', 120, 24, ['999', '277ca']),
        submission('C', 'ACME', 'G1', '0003', '2024-03-05', 48, 48, ['277ca']),
      ],
    });
  });

  it('exports the list as CSV, text quoted', async () => {
    const { status, contentType, text } = await get('/v1/kpis/claim-lifecycle/overdue/export.csv?payer=BETA');
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/csv/);
    expect(text.split('\r\n')).toEqual([
      '"payer","patient_control_number","billing_npi","sender_id","group_control_number","transaction_control_number","submitted_on","age_hours","sla_hours","hours_overdue","awaiting_999","awaiting_277ca"',
      '"BETA","D","1234567893","SUB1","G2","0002","2024-03-09",24,24,0,true,true',
      '',
    ]);
  });

  it('answers 400 naming a bad filter', async () => {
    expect(await get('/v1/kpis/claim-lifecycle/overdue?asOf=2024-02-30&limit=0')).toMatchObject({
      status: 400,
      body: { code: 'REQUEST_INVALID', fields: ['asOf', 'limit'] },
    });
  });
});
