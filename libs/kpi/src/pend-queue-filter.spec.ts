import { hasPendQueueFilter, pendQueueFilterEntries, pendQueueFilterSql } from './pend-queue-filter';
import {
  PEND_DAILY_FLOW_SQL,
  PEND_DAYS_TO_CLEAR_SQL,
  PEND_OPEN_BY_DIMENSION_SQL,
  PEND_WORK_QUEUE_SQL,
  pendDailyFlowQuery,
  pendDaysToClearQuery,
  pendOpenByDimensionQuery,
  pendWorkQueueQuery,
} from './pend-queue-sql';

const INJECTION = "x'); DROP TABLE claim_pend; --";

describe('pendQueueFilterSql', () => {
  it('writes nothing without a filter', () => {
    expect(pendQueueFilterSql({}, 3)).toEqual({ sql: '', parameters: [] });
    expect(hasPendQueueFilter({})).toBe(false);
    expect(hasPendQueueFilter({ payer: undefined })).toBe(false);
  });

  it('ANDs one predicate per filter in the one field order, each value a placeholder from the first given', () => {
    const { sql, parameters } = pendQueueFilterSql(
      { queue: 'q', payer: 'P', renderingProvider: '1234567893', providerGroup: 'G', state: 'MD', claimType: 'dme' },
      4,
    );
    expect(sql).toBe(
      ' AND payer = $4 AND provider_group = $5 AND rendering_npi = $6 AND state = $7 AND claim_type = $8 AND queue = $9',
    );
    expect(parameters).toEqual(['P', 'G', '1234567893', 'MD', 'dme', 'q']);
  });

  it('matches a reason the claim lists, and (none) for a claim listing none, as the histogram counts it', () => {
    expect(pendQueueFilterSql({ reason: 'NPI_INVALID' }, 2)).toEqual({
      sql: " AND (reasons @> ARRAY[$2::text] OR (cardinality(reasons) = 0 AND $2::text = '(none)'))",
      parameters: ['NPI_INVALID'],
    });
  });

  it('never writes a value or a key outside the allow-list into the SQL text', () => {
    const hostile = { payer: INJECTION, state: "' OR 1=1 --", '1=1; --': 'x' } as Record<string, string>;
    const { sql, parameters } = pendQueueFilterSql(hostile, 1);
    expect(sql).toBe(' AND payer = $1 AND state = $2');
    expect(parameters).toEqual([INJECTION, "' OR 1=1 --"]);
    expect(pendQueueFilterEntries(hostile).map(([field]) => field)).toEqual(['payer', 'state']);
  });
});

describe('the pended-queue queries', () => {
  it('read the day histogram, unchanged, when no filter is given', () => {
    expect(pendOpenByDimensionQuery('2024-03-31', 'payer', 10, {})).toEqual({
      text: PEND_OPEN_BY_DIMENSION_SQL,
      parameters: ['2024-03-31', 'payer', 10],
    });
    expect(pendDaysToClearQuery('2024-03-31', {})).toEqual({
      text: PEND_DAYS_TO_CLEAR_SQL,
      parameters: ['2024-03-31'],
    });
    expect(pendDailyFlowQuery('2024-03-01', '2024-03-31', {})).toEqual({
      text: PEND_DAILY_FLOW_SQL,
      parameters: ['2024-03-01', '2024-03-31'],
    });
    expect(pendWorkQueueQuery({ asOf: '2024-03-31', sort: 'age', filter: {}, after: null, limit: 51 })).toEqual({
      text: PEND_WORK_QUEUE_SQL,
      parameters: ['2024-03-31', '-infinity', '', 51],
    });
  });

  it('read claim_pend when filtered, the filter values after the positional parameters', () => {
    const filter = { payer: INJECTION, reason: 'R' };
    const open = pendOpenByDimensionQuery('2024-03-31', 'reason', 10, filter);
    expect(open.text).toContain('FROM claim_pend p');
    expect(open.text).not.toContain('pend_day_histogram');
    expect(open.text).toContain('AND payer = $3 AND (reasons @> ARRAY[$4::text]');
    expect(open.parameters).toEqual(['2024-03-31', 10, INJECTION, 'R']);
    expect(pendDaysToClearQuery('2024-03-31', filter).parameters).toEqual(['2024-03-31', INJECTION, 'R']);
    const flow = pendDailyFlowQuery('2024-03-01', '2024-03-31', filter);
    expect(flow.text).not.toContain('pend_day_histogram');
    expect(flow.parameters).toEqual(['2024-03-01', '2024-03-31', INJECTION, 'R']);
    for (const text of [open.text, flow.text, pendDaysToClearQuery('2024-03-31', filter).text]) {
      expect(text).not.toContain(INJECTION);
    }
  });

  it('page the work queue by amount, largest first, from before the largest amount', () => {
    const first = pendWorkQueueQuery({
      asOf: '2024-03-31',
      sort: 'amount',
      filter: { state: 'MD' },
      after: null,
      limit: 3,
    });
    expect(first.text).toContain('ORDER BY amount_cents DESC, claim_id');
    expect(first.text).toContain('ORDER BY open_at_as_of.amount_cents DESC, open_at_as_of.claim_id');
    expect(first.text).toContain('AND state = $5');
    expect(first.parameters).toEqual(['2024-03-31', '9223372036854775807', '', 3, 'MD']);
    const next = pendWorkQueueQuery({
      asOf: '2024-03-31',
      sort: 'amount',
      filter: {},
      after: { key: '500', claimId: 'Z' },
      limit: 3,
    });
    expect(next.parameters).toEqual(['2024-03-31', '500', 'Z', 3]);
  });
});
