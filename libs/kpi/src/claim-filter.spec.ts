import { claimFilterEntries, claimFilterSql, claimIdFilterSql, hasClaimFilter } from './claim-filter';
import { DIMENSION_COUNTER_BATCH_SQL, dimensionCounterBatchSql, filteredDimensionCellsSql } from './denial-cost-sql';

const INJECTION = "x'); DROP TABLE claim_state; --";

describe('claimFilterSql', () => {
  it('writes nothing without a filter', () => {
    expect(claimFilterSql({}, 3)).toEqual({ sql: '', parameters: [] });
    expect(hasClaimFilter({})).toBe(false);
    expect(hasClaimFilter({ payer: undefined })).toBe(false);
  });

  it('ANDs one predicate per filter over claim_state in the one field order, each value a placeholder', () => {
    const { sql, parameters } = claimFilterSql(
      {
        serviceTo: '2024-12-31',
        claimType: 'professional',
        payer: 'Aetna',
        serviceFrom: '2024-01-01',
        state: 'MD',
        renderingProvider: '1234567893',
        providerGroup: 'GRP-1',
      },
      3,
    );
    expect(sql).toBe(
      ' AND payer = $3 AND provider_group = $4' +
        ' AND claim_id IN (SELECT rendering_line.claim_id FROM claim_line_state rendering_line' +
        ' WHERE rendering_line.rendering_npi = $5) AND state = $6 AND claim_type = $7' +
        ' AND service_through_date >= $8::date AND service_through_date <= $9::date',
    );
    expect(parameters).toEqual(['Aetna', 'GRP-1', '1234567893', 'MD', 'professional', '2024-01-01', '2024-12-31']);
  });

  it('never writes a value or a key outside the allow-list into the SQL text', () => {
    const filter = { payer: INJECTION, state: INJECTION, [INJECTION]: 'x' } as Record<string, string>;
    const { sql, parameters } = claimFilterSql(filter, 1);
    expect(sql).not.toContain('DROP');
    expect(parameters).toEqual([INJECTION, INJECTION]);
    expect(claimFilterEntries(filter).map(([field]) => field)).toEqual(['payer', 'state']);
  });
});

describe('claimIdFilterSql', () => {
  it('writes nothing without a filter', () => {
    expect(claimIdFilterSql('c.claim_id', {}, 2)).toEqual({ sql: '', parameters: [] });
  });

  it('keeps the ids of the claims the filters keep, the predicates unqualified inside claim_state alone', () => {
    expect(claimIdFilterSql('l.patient_control_number', { state: 'MD', claimType: 'professional' }, 4)).toEqual({
      sql: ' AND l.patient_control_number IN (SELECT claim_id FROM claim_state WHERE true AND state = $4 AND claim_type = $5)',
      parameters: ['MD', 'professional'],
    });
  });

  it('never writes a value into the SQL text', () => {
    const { sql, parameters } = claimIdFilterSql('c.claim_id', { providerGroup: INJECTION }, 1);
    expect(sql).not.toContain('DROP');
    expect(parameters).toEqual([INJECTION]);
  });
});

describe('the filtered batch SQL', () => {
  it('is the batch SQL itself without a filter', () => {
    expect(dimensionCounterBatchSql('')).toBe(DIMENSION_COUNTER_BATCH_SQL);
  });

  it('keeps the filtered claims before anything is summed, lines included', () => {
    const { sql } = claimFilterSql({ payer: 'Aetna' }, 3);
    const batch = dimensionCounterBatchSql(sql);
    expect(batch).toContain('WHERE c.layout IS NOT NULL AND payer = $3');
    expect(batch).toContain(
      'FROM claim_line_state WHERE claim_id IN (SELECT claim_id FROM claim_state WHERE layout IS NOT NULL AND payer = $3)',
    );
    expect(filteredDimensionCellsSql(sql)).toContain(batch);
  });
});
