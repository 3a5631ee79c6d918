import type { DataSource } from 'typeorm';
import { startKpisApiUnderTest, type KpisApiUnderTest } from './__tests__/kpis-api-under-test';

const analystToken = 'analyst-token-for-the-volume-cost-spec';
const MEMBER_1 = 'ptk_volume_cost_member_1';
const MEMBER_2 = 'ptk_volume_cost_member_2';

/**
 * The PMPM, chronic-condition and outlier-provider routes over a migrated
 * database seeded with rows as the member and claim folds write them: the
 * HTTP edge, validation, auth and hand-checked figures (the folds and the
 * SQL are held to the DE-SynPUF files in
 * apps/metrics/src/member-reference/member-cost-fold.integration-spec.ts).
 */
describe('GET /v1/kpis/pmpm, chronic-conditions and outlier-providers against a real Postgres', () => {
  let api: KpisApiUnderTest;
  let dataSource: DataSource;
  const get = (path: string, token?: string | null) => api.get(path, token);

  beforeAll(async () => {
    api = await startKpisApiUnderTest({ label: 'volume_cost_api', analystToken });
    dataSource = api.dataSource;
    // 2009: member 1 covered all year by Parts A, B and D, with diabetes; member 2 six months of A, four of B,
    // no Part D. 2010: member 1 only.
    await dataSource.query(
      `INSERT INTO reference_member (patient_token, reference_period, coverage_months_part_a, coverage_months_part_b,
         coverage_months_hmo, coverage_months_part_d, chronic_conditions, layout, event_id, lineage_file_id,
         lineage_record_number)
       VALUES ($1, '2009', 12, 12, 0, 12, '{"diabetes": true, "heart_failure": false}', 'desynpuf.beneficiary-summary',
               gen_random_uuid(), 'f', 1),
              ($2, '2009', 6, 4, 0, 0, '{"diabetes": false, "heart_failure": false}', 'desynpuf.beneficiary-summary',
               gen_random_uuid(), 'f', 2),
              ($1, '2010', 12, 12, 0, 12, '{"diabetes": true}', 'desynpuf.beneficiary-summary', gen_random_uuid(),
               'f', 3)`,
      [MEMBER_1, MEMBER_2],
    );
    const claim = (id: string, type: string, patient: string | null, through: string, paid: number, layout = 'l') =>
      dataSource.query(
        `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
           service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source,
           lineage_file_id, lineage_record_number, kafka_partition, layout, patient_token)
         VALUES ($1, gen_random_uuid(), 'adjudicated', $2, 'MEDICARE', $4, $4, $4, 1, $5, 0, 's', 'f', 1, 0, $6, $3)`,
        [id, type, patient, through, paid, layout],
      );
    await claim('C-1', 'professional', MEMBER_1, '2009-01-15', 12_000);
    await claim('P-1', 'pharmacy', MEMBER_1, '2009-01-20', 0);
    await claim('C-2', 'institutional_inpatient', MEMBER_1, '2009-02-03', 600_000);
    await claim('C-3', 'institutional_outpatient', MEMBER_2, '2009-02-20', 30_000);
    await claim('C-4', 'professional', 'ptk_not_a_member', '2009-03-01', 999);
    await claim('C-5', 'professional', MEMBER_1, '2010-05-01', 5_000);
    // Folded before the KPIs existed (no layout): in no figure.
    await dataSource.query(`UPDATE claim_state SET layout = NULL WHERE claim_id = 'C-5'`);
    await claim('C-6', 'professional', MEMBER_1, '2010-06-01', 7_000);

    // Providers, one line per claim: cardiology N01-N04 10 claims each and N05 30 (volume mean 14, stddev 8);
    // N06 only 5 claims; dermatology D1-D3 paid 10.00 per claim and D4 50.00 (cost mean 20.00, stddev 17.32);
    // X1 12 claims without a specialty.
    await dataSource.query(`
      WITH providers (npi, specialty, claims, paid_per_claim) AS (
        VALUES ('N01', 'Cardiology', 10, 1000), ('N02', 'Cardiology', 10, 1000), ('N03', 'Cardiology', 10, 1000),
               ('N04', 'Cardiology', 10, 1000), ('N05', 'Cardiology', 30, 1000), ('N06', 'Cardiology', 5, 90000),
               ('D1', 'Dermatology', 10, 1000), ('D2', 'Dermatology', 10, 1000), ('D3', 'Dermatology', 10, 1000),
               ('D4', 'Dermatology', 10, 5000), ('X1', NULL, 12, 1000)
      ), claims AS (
        INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
          service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source,
          lineage_file_id, lineage_record_number, kafka_partition, layout)
        SELECT 'OC-' || npi || '-' || n, gen_random_uuid(), 'adjudicated', 'professional', 'MEDICARE', '2008-01-01',
               '2008-01-01', '2008-01-01', 1, paid_per_claim, 0, 's', 'f', 1, 0, 'desynpuf.carrier'
          FROM providers, generate_series(1, claims) AS n
        RETURNING claim_id
      )
      INSERT INTO claim_line_state (claim_id, line_number, rendering_npi, rendering_specialty, processing_category,
                                    payment_amount_cents, allowed_amount_cents)
      SELECT 'OC-' || npi || '-' || n, 1, npi, specialty, 'allowed', paid_per_claim, 0
        FROM providers, generate_series(1, claims) AS n`);
    // For the claim filters: member 1's first two 2009 claims in one provider group and state; D4 billed elsewhere.
    await dataSource.query(
      `UPDATE claim_state SET provider_group = 'GRP-A', state = 'MD' WHERE claim_id IN ('C-1', 'C-2')`,
    );
    await dataSource.query(`UPDATE claim_state SET payer = 'OTHER' WHERE claim_id LIKE 'OC-D4-%'`);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('refuses a request without a token', async () => {
    expect((await get('/v1/kpis/pmpm', null)).status).toBe(401);
    expect((await get('/v1/kpis/chronic-conditions', null)).status).toBe(401);
    expect((await get('/v1/kpis/outlier-providers', null)).status).toBe(401);
  });

  it('answers 400 naming the field it cannot read', async () => {
    for (const [path, fields] of [
      ['/v1/kpis/pmpm?year=09', ['year']],
      ['/v1/kpis/pmpm?groupBy=member', ['groupBy']],
      ['/v1/kpis/chronic-conditions?member=x', ['member']],
      ['/v1/kpis/outlier-providers?by=paid&limit=0', ['by', 'limit']],
    ] as const) {
      const { status, body } = await get(path);
      expect({ path, status, fields: body['fields'] }).toEqual({ path, status: 400, fields });
    }
  });

  it('gives 2009 PMPM by claim type over the benefit months, leaving out the claim of an unknown member', async () => {
    const { status, body } = await get('/v1/kpis/pmpm?year=2009');
    expect(status).toBe(200);
    // Medical months: 12 + max(6, 4) = 18; Part D months 12. Medical paid 120.00 + 6,000.00 + 300.00.
    expect(body).toEqual({
      year: 2009,
      groupBy: 'claim_type',
      filter: {},
      members: 2,
      totals: [
        { benefit: 'medical', claims: 3, paidAmountCents: 642_000, memberMonths: 18, pmpmCents: 35_667 },
        { benefit: 'pharmacy', claims: 1, paidAmountCents: 0, memberMonths: 12, pmpmCents: 0 },
      ],
      rows: [
        {
          key: 'institutional_inpatient',
          benefit: 'medical',
          claims: 1,
          paidAmountCents: 600_000,
          memberMonths: 18,
          pmpmCents: 33_333,
        },
        {
          key: 'institutional_outpatient',
          benefit: 'medical',
          claims: 1,
          paidAmountCents: 30_000,
          memberMonths: 18,
          pmpmCents: 1_667,
        },
        { key: 'pharmacy', benefit: 'pharmacy', claims: 1, paidAmountCents: 0, memberMonths: 12, pmpmCents: 0 },
        {
          key: 'professional',
          benefit: 'medical',
          claims: 1,
          paidAmountCents: 12_000,
          memberMonths: 18,
          pmpmCents: 667,
        },
      ],
      unmatched: { claims: 1, paidAmountCents: 999 },
    });
  });

  it('gives PMPM by month over a twelfth of the year months, and the latest member year by default', async () => {
    const byMonth = await get('/v1/kpis/pmpm?year=2009&groupBy=month');
    expect(byMonth.body['rows']).toEqual([
      { key: '2009-01', benefit: 'medical', claims: 1, paidAmountCents: 12_000, memberMonths: 1.5, pmpmCents: 8_000 },
      { key: '2009-01', benefit: 'pharmacy', claims: 1, paidAmountCents: 0, memberMonths: 1, pmpmCents: 0 },
      {
        key: '2009-02',
        benefit: 'medical',
        claims: 2,
        paidAmountCents: 630_000,
        memberMonths: 1.5,
        pmpmCents: 420_000,
      },
      // March has only the claim of an unknown member: its members cost nothing that month.
      { key: '2009-03', benefit: 'medical', claims: 0, paidAmountCents: 0, memberMonths: 1.5, pmpmCents: 0 },
    ]);
    const latest = await get('/v1/kpis/pmpm');
    expect(latest.body).toMatchObject({
      year: 2010,
      members: 1,
      totals: [
        { benefit: 'medical', claims: 1, paidAmountCents: 7_000, memberMonths: 12, pmpmCents: 583 },
        { benefit: 'pharmacy', claims: 0, paidAmountCents: 0, memberMonths: 12, pmpmCents: 0 },
      ],
      unmatched: { claims: 0, paidAmountCents: 0 },
    });
  });

  it('gives chronic-condition prevalence and paid per member with and without each condition', async () => {
    const { status, body } = await get('/v1/kpis/chronic-conditions?year=2009');
    expect(status).toBe(200);
    expect(body).toEqual({
      year: 2009,
      filter: {},
      members: 2,
      conditions: [
        {
          condition: 'diabetes',
          members: 2,
          membersWithCondition: 1,
          prevalence: 0.5,
          paidWithConditionCents: 612_000,
          paidWithoutConditionCents: 30_000,
          paidPerMemberWithConditionCents: 612_000,
          paidPerMemberWithoutConditionCents: 30_000,
        },
        {
          condition: 'heart_failure',
          members: 2,
          membersWithCondition: 0,
          prevalence: 0,
          paidWithConditionCents: 0,
          paidWithoutConditionCents: 642_000,
          paidPerMemberWithConditionCents: null,
          paidPerMemberWithoutConditionCents: 321_000,
        },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('ptk_');
  });

  describe('with claim filters', () => {
    it('counts only the claims kept over the year member months, a slice of the PMPM', async () => {
      const { status, body } = await get('/v1/kpis/pmpm?year=2009&providerGroup=GRP-A');
      expect(status).toBe(200);
      // Medical 120.00 + 6,000.00 over the same 18 months; C-4 (unknown member) is in another group.
      expect(body).toMatchObject({
        filter: { providerGroup: 'GRP-A' },
        members: 2,
        totals: [
          { benefit: 'medical', claims: 2, paidAmountCents: 612_000, memberMonths: 18, pmpmCents: 34_000 },
          { benefit: 'pharmacy', claims: 0, paidAmountCents: 0, memberMonths: 12, pmpmCents: 0 },
        ],
        unmatched: { claims: 0, paidAmountCents: 0 },
      });
      const professional = await get('/v1/kpis/pmpm?year=2009&claimType=professional');
      expect(professional.body).toMatchObject({
        rows: [{ key: 'professional', claims: 1, paidAmountCents: 12_000, pmpmCents: 667 }],
        unmatched: { claims: 1, paidAmountCents: 999 },
      });
    });

    it('narrows the paid cents per condition, never the members', async () => {
      const { body } = await get('/v1/kpis/chronic-conditions?year=2009&state=MD');
      expect(body).toMatchObject({
        filter: { state: 'MD' },
        members: 2,
        conditions: [
          {
            condition: 'diabetes',
            members: 2,
            membersWithCondition: 1,
            paidWithConditionCents: 612_000,
            paidWithoutConditionCents: 0,
            paidPerMemberWithoutConditionCents: 0,
          },
          {
            condition: 'heart_failure',
            paidWithoutConditionCents: 612_000,
            paidPerMemberWithoutConditionCents: 306_000,
          },
        ],
      });
    });

    it('scores providers against their peers over the same claims', async () => {
      // Without D4's claims dermatology has no spread left to score against.
      const medicare = await get('/v1/kpis/outlier-providers?by=cost&threshold=1.5&payer=MEDICARE');
      expect(medicare.body).toMatchObject({
        filter: { payer: 'MEDICARE' },
        providersScored: 0,
        specialtiesScored: 0,
        providersWithoutSpecialty: 1,
        rows: [],
      });
      const before = await get('/v1/kpis/outlier-providers?by=volume&serviceTo=2007-12-31');
      expect(before.body).toMatchObject({ providersScored: 0, providersWithoutSpecialty: 0, rows: [] });
      const n05 = await get('/v1/kpis/outlier-providers?by=volume&renderingProvider=N05');
      expect(n05.body).toMatchObject({ providersScored: 0, specialtiesScored: 0, rows: [] });
    });

    it('answers SQL-injection strings as every claim field with empty figures, leaving claim_state intact', async () => {
      const fields = ['payer', 'providerGroup', 'renderingProvider', 'state', 'claimType'];
      for (const injection of ["' OR '1'='1", "x'); DROP TABLE claim_state; --", '1) OR (1=1']) {
        for (const field of fields) {
          const value = encodeURIComponent(injection);
          const pmpm = await get(`/v1/kpis/pmpm?year=2009&${field}=${value}`);
          expect({ field, status: pmpm.status, totals: pmpm.body['totals'] }).toMatchObject({
            field,
            status: 200,
            totals: [{ claims: 0 }, { claims: 0 }],
          });
          const chronic = await get(`/v1/kpis/chronic-conditions?year=2009&${field}=${value}`);
          expect({ field, status: chronic.status, conditions: chronic.body['conditions'] }).toMatchObject({
            field,
            status: 200,
            conditions: [{ paidWithConditionCents: 0, paidWithoutConditionCents: 0 }, { paidWithoutConditionCents: 0 }],
          });
          const outliers = await get(`/v1/kpis/outlier-providers?minClaims=1&${field}=${value}`);
          expect({ field, status: outliers.status, rows: outliers.body['rows'] }).toEqual({
            field,
            status: 200,
            rows: [],
          });
        }
      }
      const [{ claims }] = await dataSource.query(`SELECT count(*)::integer AS claims FROM claim_state`);
      expect(claims).toBeGreaterThan(100);
    });

    it('answers 400 for a service-date range on the member KPIs, whose range is the year', async () => {
      for (const path of ['/v1/kpis/pmpm?serviceFrom=2009-01-01', '/v1/kpis/chronic-conditions?serviceTo=2009-12-31']) {
        expect((await get(path)).status).toBe(400);
      }
    });
  });

  it('names the provider whose claims lie two standard deviations above its specialty', async () => {
    const { status, body } = await get('/v1/kpis/outlier-providers?by=volume');
    expect(status).toBe(200);
    expect(body).toEqual({
      by: 'volume',
      minClaims: 10,
      threshold: 2,
      limit: 20,
      filter: {},
      providersScored: 5,
      specialtiesScored: 1,
      providersWithoutSpecialty: 1,
      rows: [
        {
          npi: 'N05',
          specialty: 'Cardiology',
          claims: 30,
          lines: 30,
          paidAmountCents: 30_000,
          value: 30,
          specialtyMean: 14,
          specialtyStddev: 8,
          specialtyProviders: 5,
          zScore: 2,
        },
      ],
    });
  });

  it('scores cost per claim, counts a provider with few claims only when minClaims lets it in', async () => {
    const cost = await get('/v1/kpis/outlier-providers?by=cost&threshold=1.5');
    expect(cost.body).toMatchObject({ providersScored: 4, specialtiesScored: 1 });
    expect(cost.body['rows']).toEqual([
      {
        npi: 'D4',
        specialty: 'Dermatology',
        claims: 10,
        lines: 10,
        paidAmountCents: 50_000,
        value: 5_000,
        specialtyMean: 2_000,
        specialtyStddev: 1_732.05,
        specialtyProviders: 4,
        zScore: 1.732,
      },
    ]);
    // With 5 claims N06 (900.00 a claim) joins cardiology and stands out by cost.
    const lower = await get('/v1/kpis/outlier-providers?by=cost&minClaims=5&threshold=1.5&limit=1');
    expect((lower.body['rows'] as Array<Record<string, unknown>>).map((row) => [row['npi'], row['zScore']])).toEqual([
      ['N06', 2.236],
    ]);
  });
});
