import { Client } from 'pg';
import { seedCarcRootCauses, shippedCarcRootCauses } from './carc-root-cause';
import { DIMENSION_COUNTER_MEASURES, denialCostCells, dimensionCounterDeltas } from './denial-cost-contribution';
import type { KpiAdjustment, KpiClaimFacts } from './denial-cost-facts';
import { claimDrillDownSql } from './claim-drill-down-sql';
import { DIMENSION_COUNTER_BATCH_SQL } from './denial-cost-sql';

/**
 * The batch SQL of the denial-and-payment families against the fold's own
 * cells (denialCostCells) for 835 claims whose CAS stand at claim level, in
 * a real Postgres: the same claim written to claim_state and
 * claim_line_state as the metrics service writes it must give the same
 * figures both ways, and the figures a payer's remittance states. A pure
 * util's spec may not use the migrations (@claims/database), so the session
 * holds temporary tables of the columns the batch SQL reads, typed as the
 * migrations type them (1763900000000, 1764700000000, 1764800000000); they
 * shadow any real ones and go with the session.
 */

const TEMPORARY_TABLES = [
  `CREATE TEMPORARY TABLE claim_state (
     claim_id text PRIMARY KEY, claim_type text NOT NULL, payer text NOT NULL, service_through_date date NOT NULL,
     payment_amount_cents bigint NOT NULL, allowed_amount_cents bigint NOT NULL, layout text,
     provider_group text NOT NULL DEFAULT '(unknown)', state text NOT NULL DEFAULT '(unknown)',
     billed_amount_cents bigint, adjudication_status text, first_diagnosis_code text, drug_ndc_code text,
     drug_days_supply integer, adjustments jsonb)`,
  `CREATE TEMPORARY TABLE claim_line_state (
     claim_id text NOT NULL REFERENCES claim_state (claim_id) ON DELETE CASCADE, line_number smallint NOT NULL,
     hcpcs_code text, processing_category text NOT NULL, payment_amount_cents bigint NOT NULL,
     allowed_amount_cents bigint NOT NULL, charge_amount_cents bigint,
     deductible_amount_cents bigint NOT NULL DEFAULT 0, coinsurance_amount_cents bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (claim_id, line_number))`,
  `CREATE TEMPORARY TABLE carc_root_cause (
     carc text PRIMARY KEY, scenario text NOT NULL, category text NOT NULL, denial boolean NOT NULL)`,
];

type Cas = [groupCode: string, carc: string, amountCents: number, lineNumber: number | null];

function remittanceFacts(options: {
  billedCents: number;
  paidCents: number;
  status: KpiClaimFacts['adjudicationStatus'];
  lines: Array<{ chargeCents: number; paidCents: number; deductibleCents: number; coinsuranceCents: number }>;
  cas: Cas[];
}): KpiClaimFacts {
  const rootCauses = shippedCarcRootCauses();
  const adjustments: KpiAdjustment[] = options.cas.map(([groupCode, carc, amountCents, lineNumber]) => {
    const { scenario, category } = rootCauses.classify(carc);
    return { lineNumber, groupCode, carc, amountCents, scenario, category };
  });
  return {
    layout: 'x12.835',
    claimType: 'institutional_inpatient',
    payer: 'MEDICARE PART A',
    serviceThroughDate: '2024-04-30',
    providerGroup: '(unknown)',
    state: '(unknown)',
    billedAmountCents: options.billedCents,
    paymentAmountCents: options.paidCents,
    allowedAmountCents: options.paidCents,
    adjudicationStatus: options.status,
    firstDiagnosisCode: null,
    drugNdcCode: null,
    drugDaysSupply: null,
    adjustments,
    lines: options.lines.map((line) => ({
      hcpcsCode: '99223',
      processingCategory: 'unknown',
      paymentAmountCents: line.paidCents,
      allowedAmountCents: line.paidCents + line.deductibleCents + line.coinsuranceCents,
      deductibleAmountCents: line.deductibleCents,
      coinsuranceAmountCents: line.coinsuranceCents,
      chargeAmountCents: line.chargeCents,
    })),
  };
}

const CLAIMS: Record<string, KpiClaimFacts> = {
  // CLP*IP-1*1*1000*631.40 with CAS*PR*1*340**2*23.60**3*5 at claim level and no SVC: owes 363.60 (PR-3 aside).
  'IP-1': remittanceFacts({
    billedCents: 100000,
    paidCents: 63140,
    status: 'partially_paid',
    lines: [],
    cas: [
      ['PR', '1', 34000, null],
      ['PR', '2', 2360, null],
      ['PR', '3', 500, null],
    ],
  }),
  // A claim-level PR-1 beside a line whose own PR-2 is its coinsurance: 10.00 + 30.00.
  'OP-2': remittanceFacts({
    billedCents: 10000,
    paidCents: 6000,
    status: 'partially_paid',
    lines: [{ chargeCents: 10000, paidCents: 7000, deductibleCents: 0, coinsuranceCents: 3000 }],
    cas: [
      ['PR', '1', 1000, null],
      ['PR', '2', 3000, 1],
    ],
  }),
  // Denied at claim level (CO-50), nothing owed by the member.
  'DN-3': remittanceFacts({
    billedCents: 25000,
    paidCents: 0,
    status: 'denied',
    lines: [],
    cas: [['CO', '50', 25000, null]],
  }),
};

describe('DIMENSION_COUNTER_BATCH_SQL on 835 claim-level adjustments', () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });

  beforeAll(async () => {
    await client.connect();
    for (const table of TEMPORARY_TABLES) await client.query(table);
    await seedCarcRootCauses(client, shippedCarcRootCauses());
    for (const [claimId, facts] of Object.entries(CLAIMS)) {
      await client.query(
        `INSERT INTO claim_state (claim_id, claim_type, payer, service_through_date, payment_amount_cents,
             allowed_amount_cents, layout, provider_group, state, billed_amount_cents, adjudication_status, adjustments)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)`,
        [
          claimId,
          facts.claimType,
          facts.payer,
          facts.serviceThroughDate,
          facts.paymentAmountCents,
          facts.allowedAmountCents,
          facts.layout,
          facts.providerGroup,
          facts.state,
          facts.billedAmountCents,
          facts.adjudicationStatus,
          JSON.stringify(facts.adjustments),
        ],
      );
      for (const [index, line] of facts.lines.entries()) {
        await client.query(
          `INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, processing_category, payment_amount_cents,
               allowed_amount_cents, charge_amount_cents, deductible_amount_cents, coinsurance_amount_cents)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            claimId,
            index + 1,
            line.hcpcsCode,
            line.processingCategory,
            line.paymentAmountCents,
            line.allowedAmountCents,
            line.chargeAmountCents,
            line.deductibleAmountCents,
            line.coinsuranceAmountCents,
          ],
        );
      }
    }
  });

  afterAll(() => client.end());

  /** The fold's cells of every claim, summed, in the batch SQL's (kpi, dimension, value) shape. */
  function foldedRows(): string[] {
    const cells = Object.values(CLAIMS).flatMap((facts) => denialCostCells(facts));
    return dimensionCounterDeltas(cells)
      .flatMap((cell) =>
        DIMENSION_COUNTER_MEASURES.flatMap((measure, index) =>
          cell.measures[index]
            ? [`${cell.family}.${measure} ${cell.dimension}=${cell.dimensionValue} ${cell.measures[index]}`]
            : [],
        ),
      )
      .sort();
  }

  it('equals the fold cell for cell, claim-level patient responsibility included', async () => {
    const { rows } = await client.query<{ kpi: string; dimension: string; value: string }>(DIMENSION_COUNTER_BATCH_SQL);
    expect(rows.map((row) => `${row.kpi} ${row.dimension} ${row.value}`).sort()).toEqual(foldedRows());
  });

  it("counts what the remittances say the member owes: claim-level PR-1 and PR-2 with the lines' own", async () => {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM (${DIMENSION_COUNTER_BATCH_SQL}) AS batch
        WHERE kpi = 'claims.patient_responsibility_amount_cents' AND dimension = 'payer=MEDICARE PART A'`,
    );
    // 340.00 + 23.60 (IP-1) + 10.00 + 30.00 (OP-2) + 0 (DN-3); PR-3 copay is outside the measure (docs/kpis).
    expect(rows.map((row) => Number(row.value))).toEqual([34000 + 2360 + 1000 + 3000]);
  });

  it("drills down to the claims of that cell with each claim's patient responsibility adding up to it", async () => {
    const { rows } = await client.query<{ claim_id: string; patient_responsibility_amount_cents: string }>(
      claimDrillDownSql(''),
      [null, '', 100],
    );
    expect(rows.map((row) => [row.claim_id, Number(row.patient_responsibility_amount_cents)])).toEqual([
      ['DN-3', 0],
      ['IP-1', 34000 + 2360],
      ['OP-2', 1000 + 3000],
    ]);
  });
});
