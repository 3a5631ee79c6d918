import type { DataSource } from 'typeorm';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-claim-lifecycle-spec';

/**
 * The claim lifecycle route over a migrated database seeded with lifecycle
 * rows and 999 verdicts as the fold writes them: the HTTP edge, validation,
 * auth and the figures (the fold itself is held to them in
 * apps/metrics/src/claim-fold/claim-lifecycle-fold.integration-spec.ts).
 */
describe('GET /v1/kpis/claim-lifecycle against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const get = (path: string, token?: string | null) => api.get(path, token);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'lifecycle_api', analystToken });
    dataSource = api.dataSource;
    // A: clean, paid 10 days after submission. B: paid after a resubmission, 30 days. C: its set rejected by a
    // 999, then denied. D: an 835 for a claim never submitted here.
    await dataSource.query(`
      INSERT INTO x12_claim_lifecycle (patient_control_number, billing_npi, payer, submitted, first_submitted_on,
        submission_count, resubmitted, first_set_sender_id, first_set_group_control_number,
        first_set_transaction_control_number, pended, acknowledgement_count, latest_acknowledgement_status,
        ever_rejected_by_acknowledgement, adjudication_count, first_adjudicated_on, first_adjudication_status,
        first_paid_on, paid_amount_cents, reversal_count, kafka_partition)
      VALUES ('A', '1234567893', 'ACME', true, '2024-01-01', 1, false, 'S', '1', '0001', false, 1, 'accepted', false,
              1, '2024-01-11', 'paid', '2024-01-11', 10000, 0, 0),
             ('B', '1234567893', 'ACME', true, '2024-01-05', 2, true, 'S', '1', '0001', false, 1, 'accepted', false,
              1, '2024-02-04', 'paid', '2024-02-04', 5000, 0, 1),
             ('C', '1234567893', 'OTHER', true, '2024-02-01', 1, false, 'S', '2', '0002', false, 1, 'rejected', true,
              1, '2024-02-20', 'denied', NULL, 0, 0, 2),
             ('D', '', 'ACME', false, NULL, 0, false, NULL, NULL, NULL, false, 0, NULL, false,
              1, '2024-01-20', 'paid', '2024-01-20', 700, 0, 0)`);
    await dataSource.query(`
      INSERT INTO x12_transaction_set_verdict (event_id, sender_id, group_control_number, transaction_control_number,
        status, acknowledged_on, kafka_partition)
      VALUES ('00000000-0000-4000-8000-000000000001', 'S', '1', '0001', 'accepted', '2024-01-02', 0),
             ('00000000-0000-4000-8000-000000000002', 'S', '2', '0002', 'rejected', '2024-02-02', 1)`);

    // The claims' states, as their events left them: an 837's claim id is its patient control number.
    await dataSource.query(`
      INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
        service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source,
        lineage_file_id, lineage_record_number, kafka_partition, layout, provider_group, state)
      SELECT claim_id, gen_random_uuid(), 'adjudicated', claim_type, payer, through, through, through, 1, 0, 0, 's',
             'f', 1, 0, 'x12.837p', provider_group, state
        FROM (VALUES ('A', 'professional', 'ACME', '2023-12-20'::date, 'GRP-A', 'MD'),
                     ('B', 'professional', 'ACME', '2023-12-28'::date, 'GRP-B', 'VA'),
                     ('C', 'institutional_outpatient', 'OTHER', '2024-01-25'::date, 'GRP-A', 'MD'),
                     ('D', 'professional', 'ACME', '2024-01-10'::date, 'GRP-A', 'MD'))
             AS c(claim_id, claim_type, payer, through, provider_group, state)`);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a request without a token', async () => {
    expect((await get('/v1/kpis/claim-lifecycle', null)).status).toBe(401);
  });

  it('serves the first-pass clean claim rate, both rejection rates, payer lag and unmatched answers', async () => {
    const { status, body } = await get('/v1/kpis/claim-lifecycle');
    expect(status).toBe(200);
    expect(body).toEqual({
      from: null,
      to: null,
      payer: null,
      filter: {},
      firstPassCleanClaimRate: { numerator: 1, denominator: 3, rate: 1 / 3 },
      functionalAcknowledgementRejectionRate: { numerator: 1, denominator: 2, rate: 1 / 2 },
      claimAcknowledgementRejectionRate: { numerator: 1, denominator: 3, rate: 1 / 3 },
      payerLag: [{ payer: 'ACME', paidClaims: 2, p50Days: 10, p90Days: 30 }],
      unmatched: { adjudications: 1, acknowledgements: 0 },
    });
  });

  it('narrows by first submission date and payer', async () => {
    const { body } = await get('/v1/kpis/claim-lifecycle?from=2024-01-02&payer=ACME');
    expect(body).toMatchObject({
      from: '2024-01-02',
      payer: 'ACME',
      firstPassCleanClaimRate: { numerator: 0, denominator: 1, rate: 0 },
      payerLag: [{ payer: 'ACME', paidClaims: 1, p50Days: 30, p90Days: 30 }],
    });
  });

  it('keeps the claims the claim filters name, in every figure but the 999 rate, which answers sets', async () => {
    const { status, body } = await get('/v1/kpis/claim-lifecycle?providerGroup=GRP-A&state=MD');
    expect(status).toBe(200);
    expect(body).toEqual({
      from: null,
      to: null,
      payer: null,
      filter: { providerGroup: 'GRP-A', state: 'MD' },
      firstPassCleanClaimRate: { numerator: 1, denominator: 2, rate: 1 / 2 },
      functionalAcknowledgementRejectionRate: { numerator: 1, denominator: 2, rate: 1 / 2 },
      claimAcknowledgementRejectionRate: { numerator: 1, denominator: 2, rate: 1 / 2 },
      payerLag: [{ payer: 'ACME', paidClaims: 1, p50Days: 10, p90Days: 10 }],
      unmatched: { adjudications: 1, acknowledgements: 0 },
    });
    const outpatient = await get('/v1/kpis/claim-lifecycle?claimType=institutional_outpatient&serviceFrom=2024-01-01');
    expect(outpatient.body).toMatchObject({
      firstPassCleanClaimRate: { numerator: 0, denominator: 1 },
      payerLag: [],
      unmatched: { adjudications: 0, acknowledgements: 0 },
    });
    const nobody = await get('/v1/kpis/claim-lifecycle?renderingProvider=1234567893');
    expect(nobody.body).toMatchObject({ firstPassCleanClaimRate: { numerator: 0, denominator: 0, rate: null } });
  });

  it('answers SQL-injection strings as every claim filter with empty figures, leaving its tables intact', async () => {
    for (const injection of ["' OR '1'='1", "x'); DROP TABLE claim_state; --", '1) OR (1=1']) {
      for (const field of ['payer', 'providerGroup', 'renderingProvider', 'state', 'claimType']) {
        const { status, body } = await get(`/v1/kpis/claim-lifecycle?${field}=${encodeURIComponent(injection)}`);
        expect({ field, status, firstPass: body['firstPassCleanClaimRate'], lag: body['payerLag'] }).toEqual({
          field,
          status: 200,
          firstPass: { numerator: 0, denominator: 0, rate: null },
          lag: [],
        });
      }
    }
    const [{ claims }] = await dataSource.query(
      `SELECT (SELECT count(*) FROM claim_state)::integer + (SELECT count(*) FROM x12_claim_lifecycle)::integer AS claims`,
    );
    expect(claims).toBe(8);
  });

  it('answers 400 naming a bad filter', async () => {
    expect(await get('/v1/kpis/claim-lifecycle?to=2024-13-01')).toMatchObject({
      status: 400,
      body: { code: 'REQUEST_INVALID', fields: ['to'] },
    });
    expect(await get('/v1/kpis/claim-lifecycle?queue=COB')).toMatchObject({
      status: 400,
      body: { code: 'REQUEST_INVALID', fields: ['queue'] },
    });
  });
});
