import { claimFilterSql } from './claim-filter';
import type { DimensionCounterMeasure } from './denial-cost-contribution';
import {
  DIMENSION_COUNTER_BATCH_SQL,
  DIMENSION_COUNTER_FAMILIES,
  cellsOfEachDimension,
  dimensionCounterBatchSql,
  filteredDimensionCellsSql,
  filteredTopDimensionCellsSql,
  topDimensionCellsSql,
  type FilteredDimensionCellRow,
} from './denial-cost-sql';

const { sql: AETNA } = claimFilterSql({ payer: 'Aetna' }, 3);

describe('dimensionCounterBatchSql', () => {
  it('computes every family, in one order, whether the families are left out or listed in any order', () => {
    expect(dimensionCounterBatchSql('', [...DIMENSION_COUNTER_FAMILIES].reverse())).toBe(DIMENSION_COUNTER_BATCH_SQL);
    expect(DIMENSION_COUNTER_FAMILIES).toEqual([
      'claims',
      'denials:carrier_lines',
      'denials:billing_export',
      'denials:remittance',
      'denials:remittance_lines',
      'lines',
      'drug_fills',
      'adjustments',
    ]);
  });

  it('leaves the CTEs and branches of the families not asked for out of the text', () => {
    const lines = dimensionCounterBatchSql('', ['lines']);
    expect(lines).toContain("SELECT 'lines', 'hcpcs', l.hcpcs_code");
    for (const absent of ['claim_dimension', 'denial_unit', 'remit_adjustment', 'root_cause', 'adjustment AS']) {
      expect([absent, lines.includes(absent)]).toEqual([absent, false]);
    }
    for (const branch of ["SELECT 'claims'", "SELECT 'denials:'", "SELECT 'drug_fills'", "SELECT 'adjustments'"]) {
      expect([branch, lines.includes(branch)]).toEqual([branch, false]);
    }
  });

  it('computes a denial source without the other sources’ units, and the root causes only for an 835 source', () => {
    const carrier = dimensionCounterBatchSql('', ['denials:carrier_lines']);
    expect(carrier).toContain("SELECT c.claim_id, 'carrier_lines', NULL::integer");
    expect(carrier).not.toContain("'billing_export', NULL");
    expect(carrier).not.toContain('remit_adjustment');
    expect(carrier).not.toContain('root_cause');
    const remittance = dimensionCounterBatchSql('', ['denials:remittance']);
    expect(remittance).toContain("SELECT c.claim_id, 'remittance', NULL::integer");
    expect(remittance).toContain('FROM root_cause rc');
    expect(remittance).not.toContain("'remittance_lines', l.position");
    expect(remittance).not.toContain("'carrier_lines', NULL");
  });

  it('keeps the filtered claims before anything is summed, lines included, whatever the families', () => {
    for (const families of [['lines'], ['denials:remittance_lines'], ['adjustments']]) {
      const batch = dimensionCounterBatchSql(AETNA, families);
      expect(batch).toContain('WHERE c.layout IS NOT NULL AND payer = $3');
      expect(batch).toContain(
        'FROM claim_line_state WHERE claim_id IN (SELECT claim_id FROM claim_state WHERE layout IS NOT NULL AND payer = $3)',
      );
    }
  });

  it('refuses a family it does not know, and an empty list of families', () => {
    expect(() => dimensionCounterBatchSql('', ['denials:claims'])).toThrow('no family denials:claims');
    expect(() => dimensionCounterBatchSql('', ["claims' OR true --"])).toThrow('no family');
    expect(() => dimensionCounterBatchSql('', [])).toThrow('no family to compute');
  });
});

describe('filteredDimensionCellsSql', () => {
  it('computes the batch SQL of the families asked for alone, every family when none is named', () => {
    expect(filteredDimensionCellsSql(AETNA, ['drug_fills'])).toContain(dimensionCounterBatchSql(AETNA, ['drug_fills']));
    expect(filteredDimensionCellsSql(AETNA)).toContain(dimensionCounterBatchSql(AETNA));
  });

  it('picks the family and the dimensions from its values, $1 and $2, never from its text', () => {
    const sql = filteredDimensionCellsSql(AETNA, ['claims']);
    const picking = sql.slice(sql.lastIndexOf(') AS b'));
    expect(picking).toContain("left(b.kpi, length($1) + 1) = $1 || '.'");
    expect(picking).toContain("split_part(b.dimension, '=', 1) = ANY($2::text[])");
    expect(picking).not.toContain("'claims'");
  });
});

describe('cellsOfEachDimension', () => {
  const cell = (dimension: string, value: string, deniedCount: string): FilteredDimensionCellRow =>
    ({ dimension, dimension_value: value, denied_count: deniedCount }) as FilteredDimensionCellRow;

  it('answers one list of cells per dimension asked for, in that order, without the dimension column', () => {
    const rows = [cell('carc', '16', '1'), cell('carc', 'ZZ9', '1'), cell('root_cause_category', 'other', '2')];
    expect(cellsOfEachDimension(rows, ['root_cause_category', 'carc'])).toEqual([
      [{ dimension_value: 'other', denied_count: '2' }],
      [
        { dimension_value: '16', denied_count: '1' },
        { dimension_value: 'ZZ9', denied_count: '1' },
      ],
    ]);
  });

  it('answers a dimension asked for twice twice, and one without a row with no cells', () => {
    const rows = [cell('carc', '16', '1')];
    expect(cellsOfEachDimension(rows, ['carc', 'carc', 'root_cause_scenario'])).toEqual([
      [{ dimension_value: '16', denied_count: '1' }],
      [{ dimension_value: '16', denied_count: '1' }],
      [],
    ]);
  });
});

describe('the top lists', () => {
  /** What follows the cells a top list ranks: its filter, order and limit. */
  const rankingOf = (sql: string): string => sql.slice(sql.lastIndexOf(') AS cell'));

  it('rank the counters and the filtered claims by one ORDER BY and LIMIT', () => {
    const counters = topDimensionCellsSql('paid_amount_cents');
    const filtered = filteredTopDimensionCellsSql('paid_amount_cents', claimFilterSql({ payer: 'Aetna' }, 4).sql, [
      'lines',
    ]);
    expect(rankingOf(filtered)).toBe(rankingOf(counters));
    expect(rankingOf(counters)).toContain('ORDER BY cell.paid_amount_cents::numeric DESC, cell.dimension_value');
    expect(rankingOf(counters)).toContain('LIMIT $3');
    expect(filtered).toContain(filteredDimensionCellsSql(claimFilterSql({ payer: 'Aetna' }, 4).sql, ['lines']));
  });

  it('refuse a measure they do not know', () => {
    const unknown = 'paid_amount_cents DESC; --' as DimensionCounterMeasure;
    expect(() => topDimensionCellsSql(unknown)).toThrow('no measure');
    expect(() => filteredTopDimensionCellsSql(unknown, AETNA, ['lines'])).toThrow('no measure');
  });
});
