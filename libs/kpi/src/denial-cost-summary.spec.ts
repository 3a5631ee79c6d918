import { DIMENSION_COUNTER_MEASURES } from './denial-cost-contribution';
import type { DimensionCounterCellRow } from './denial-cost-sql';
import { parseCarcRootCauses } from './carc-root-cause';
import { denialRates, denialRootCauses, paymentRows, ratio, topRows, volumeRows } from './denial-cost-summary';

function cell(value: string, measures: Partial<Record<(typeof DIMENSION_COUNTER_MEASURES)[number], number>>) {
  return {
    dimension_value: value,
    ...Object.fromEntries(DIMENSION_COUNTER_MEASURES.map((measure) => [measure, String(measures[measure] ?? 0)])),
  } as DimensionCounterCellRow;
}

describe('ratio', () => {
  it('rounds to 4 decimals and has no value over nothing', () => {
    expect(ratio(55, 396)).toBe(0.1389);
    expect(ratio(0, 0)).toBeNull();
  });

  it('rounds a half up exactly as the documented SQL round(denied::numeric / adjudicated, 4) does', () => {
    // 57 / 800 = 0.07125 exactly: Postgres' numeric round gives 0.0713. As a double it is 0.0712499…,
    // so rounding the float quotient gave 0.0712: the served rate differed from its batch SQL.
    expect(ratio(57, 800)).toBe(0.0713);
    expect(ratio(69, 800)).toBe(0.0863);
    expect(ratio(1, 8)).toBe(0.125);
    expect(ratio(-57, 800)).toBe(-0.0713);
  });
});

describe('denialRates', () => {
  it('serves the denial rates of docs/kpis/denials-and-payment.md exactly on a half (57 of 800 lines denied)', () => {
    const rates = denialRates('carrier_lines', 'payer', [
      cell('Medicare', {
        adjudicated_count: 800,
        denied_count: 57,
        adjudicated_amount_cents: 1_600_000,
        denied_amount_cents: 114_000,
      }),
    ]);
    expect(rates.rows[0]).toMatchObject({ denialRateByCount: 0.0713, denialRateByAmount: 0.0713 });
    expect(rates.total).toMatchObject({ denialRateByCount: 0.0713, denialRateByAmount: 0.0713 });
  });

  it('computes the rate by count and by dollars per value and in total, in the source rule’s unit', () => {
    const rates = denialRates('carrier_lines', 'month', [
      cell('2009-01', {
        adjudicated_count: 4,
        denied_count: 1,
        adjudicated_amount_cents: 10000,
        denied_amount_cents: 500,
      }),
      cell('2009-02', { adjudicated_count: 1, denied_count: 0, adjudicated_amount_cents: 2500 }),
    ]);
    expect(rates).toMatchObject({
      source: 'carrier_lines',
      groupBy: 'month',
      unit: 'line',
      total: {
        adjudicated: 5,
        denied: 1,
        denialRateByCount: 0.2,
        adjudicatedAmountCents: 12500,
        deniedAmountCents: 500,
        denialRateByAmount: 0.04,
      },
    });
    expect(rates.rows.map((row) => [row.value, row.denialRateByCount, row.denialRateByAmount])).toEqual([
      ['2009-01', 0.25, 0.05],
      ['2009-02', 0, 0],
    ]);
    expect(denialRates('billing_export', 'payer', []).unit).toBe('claim');
  });
});

describe('paymentRows, volumeRows and topRows', () => {
  const row = cell('GRP-1', {
    claims: 2,
    lines: 3,
    billed_amount_cents: 33300,
    allowed_amount_cents: 100,
    paid_amount_cents: 8000,
    patient_responsibility_amount_cents: 2000,
    days_supply: 60,
  });

  it('label each measure by what it counts', () => {
    expect(paymentRows([row])).toEqual([
      {
        value: 'GRP-1',
        claims: 2,
        billedAmountCents: 33300,
        allowedAmountCents: 100,
        paidAmountCents: 8000,
        patientResponsibilityAmountCents: 2000,
      },
    ]);
    expect(volumeRows([row])).toEqual([{ value: 'GRP-1', claims: 2, lines: 3, paidAmountCents: 8000 }]);
  });

  it('count lines for a HCPCS code, claims for a diagnosis and fills with days supply for an NDC', () => {
    expect(topRows('hcpcs', [row])[0]).toEqual({
      value: 'GRP-1',
      count: 3,
      paidAmountCents: 8000,
      billedAmountCents: 33300,
    });
    expect(topRows('diagnosis', [row])[0]?.count).toBe(2);
    expect(topRows('ndc', [row])[0]).toMatchObject({ count: 2, daysSupply: 60 });
  });
});

describe('denialRootCauses', () => {
  const rootCauses = parseCarcRootCauses(
    'carc,scenario,category,label,source\n16,missing_claim_data,missing_information,lacks information,test',
  );

  it('reads denied units, CAS triplets and withheld cents per value, and names the CARCs the mapping lacks', () => {
    const byCategory = [
      cell('missing_information', { denied_count: 2, adjustments: 3, adjustment_amount_cents: 9000 }),
      cell('other', { denied_count: 1, adjustments: 1, adjustment_amount_cents: 400 }),
    ];
    const byCarc = [
      cell('(none)', { denied_count: 1 }),
      cell('16', { denied_count: 2, adjustments: 3, adjustment_amount_cents: 9000 }),
      cell('ZZ9', { denied_count: 1, adjustments: 1, adjustment_amount_cents: 400 }),
    ];
    expect(denialRootCauses('remittance_lines', 'category', byCategory, byCarc, rootCauses)).toMatchObject({
      source: 'remittance_lines',
      groupBy: 'category',
      unit: 'line',
      rows: [
        { value: 'missing_information', denied: 2, adjustments: 3, deniedAmountCents: 9000 },
        { value: 'other', denied: 1, adjustments: 1, deniedAmountCents: 400 },
      ],
      unknownCarcs: [{ carc: 'ZZ9', denied: 1, deniedAmountCents: 400 }],
    });
  });
});
