import { compareCounters } from './kpi-query.service';

describe('compareCounters', () => {
  it('reports consistent when every streamed counter equals its batch value, whatever the numeric type', () => {
    const streamed = [{ kpi: 'claims_received', dimension: '', value: '200' }];
    const batch = [{ kpi: 'claims_received', dimension: '', value: 200 }];
    expect(compareCounters(streamed, batch)).toEqual({ consistent: true, mismatches: [] });
  });

  it('names a counter whose streamed and batch values differ', () => {
    const result = compareCounters(
      [{ kpi: 'lines_received', dimension: '', value: '408' }],
      [{ kpi: 'lines_received', dimension: '', value: '407' }],
    );
    expect(result).toEqual({
      consistent: false,
      mismatches: [{ kpi: 'lines_received', dimension: '', streamed: '408', batch: '407' }],
    });
  });

  it('treats a counter present on one side only as a mismatch against zero', () => {
    const result = compareCounters([], [{ kpi: 'lines_by_processing_indicator', dimension: 'A', value: '341' }]);
    expect(result.mismatches).toEqual([
      { kpi: 'lines_by_processing_indicator', dimension: 'A', streamed: '0', batch: '341' },
    ]);
  });
});

describe('compareCounters over the denial and cost counters', () => {
  it('keeps a dimension value holding a bar whole when naming a difference', () => {
    const result = compareCounters(
      [{ kpi: 'claims.claims', dimension: 'provider_group=A|B', value: '2' }],
      [{ kpi: 'claims.claims', dimension: 'provider_group=A|B', value: '1' }],
    );
    expect(result.mismatches).toEqual([
      { kpi: 'claims.claims', dimension: 'provider_group=A|B', streamed: '2', batch: '1' },
    ]);
  });
});
