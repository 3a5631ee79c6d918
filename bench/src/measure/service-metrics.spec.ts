import {
  foldStepCosts,
  foldStepSecondsOf,
  foldWriteSecondsOf,
  gcPauseSecondsOf,
  kafkaRequestsOf,
  kafkaRequestsPer1000Between,
  serviceCountersBetween,
  stageBatchStatsOf,
  stageBatchesBetween,
} from './service-metrics';

describe('stageBatchesBetween', () => {
  it('gives the count, mean size and mean time of the batches handled between two readings', () => {
    const before = { batches: 10, recordsPerBatch: 100, secondsPerBatch: 0.5 };
    const after = { batches: 30, recordsPerBatch: 40, secondsPerBatch: 0.2 };
    const between = stageBatchesBetween(before, after);
    // 1,200 records in 6 s over 30 batches, less 1,000 in 5 s over 10: 200 records in 1 s over 20 batches.
    expect(between?.batches).toBe(20);
    expect(between?.recordsPerBatch).toBeCloseTo(10);
    expect(between?.secondsPerBatch).toBeCloseTo(0.05);
  });

  it('counts from zero when the first reading found no batches', () => {
    expect(stageBatchesBetween(null, { batches: 4, recordsPerBatch: 25, secondsPerBatch: 0.1 })).toEqual({
      batches: 4,
      recordsPerBatch: 25,
      secondsPerBatch: 0.1,
    });
  });

  it('is null when no batch was handled in between, or the second reading failed', () => {
    const reading = { batches: 4, recordsPerBatch: 25, secondsPerBatch: 0.1 };
    expect(stageBatchesBetween(reading, reading)).toBeNull();
    expect(stageBatchesBetween(reading, null)).toBeNull();
  });
});

describe('serviceCountersBetween', () => {
  it("gives each stage's batches, GC pauses and each fold step's and write table's seconds spent between two readings", () => {
    const between = serviceCountersBetween(
      {
        batches: { enricher: { batches: 2, recordsPerBatch: 10, secondsPerBatch: 1 } },
        gcPauseSeconds: { enricher: 1.25, metrics: 3 },
        foldStepSeconds: { fold: 1.5 },
        foldWriteSeconds: { claim_state: 0.5 },
      },
      {
        batches: { enricher: { batches: 4, recordsPerBatch: 20, secondsPerBatch: 1 } },
        gcPauseSeconds: { enricher: 4, metrics: null },
        foldStepSeconds: { fold: 2, offsets: 0.25 },
        foldWriteSeconds: { claim_state: 1.25, kpi_counter_day: 0.5 },
      },
    );
    expect(between).toEqual({
      batches: { enricher: { batches: 2, recordsPerBatch: 30, secondsPerBatch: 1 } },
      gcPauseSeconds: { enricher: 2.75, metrics: null },
      foldStepSeconds: { fold: 0.5, offsets: 0.25 },
      foldWriteSeconds: { claim_state: 0.75, kpi_counter_day: 0.5 },
    });
  });

  it('counts GC pauses from zero when the first reading had none', () => {
    expect(
      serviceCountersBetween(
        { batches: {}, gcPauseSeconds: { normalizer: null }, foldStepSeconds: null, foldWriteSeconds: null },
        { batches: {}, gcPauseSeconds: { normalizer: 0.5 }, foldStepSeconds: null, foldWriteSeconds: null },
      ).gcPauseSeconds,
    ).toEqual({ normalizer: 0.5 });
  });

  it('has no fold steps or write tables when the second reading has none', () => {
    expect(
      serviceCountersBetween(
        { batches: {}, gcPauseSeconds: {}, foldStepSeconds: { fold: 1 }, foldWriteSeconds: { claim_state: 1 } },
        { batches: {}, gcPauseSeconds: {}, foldStepSeconds: null, foldWriteSeconds: null },
      ),
    ).toEqual({ batches: {}, gcPauseSeconds: {}, foldStepSeconds: null, foldWriteSeconds: null });
  });
});

describe("reading a service's /metrics text", () => {
  const text = [
    '# HELP claims_process_nodejs_gc_duration_seconds Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    '# TYPE claims_process_nodejs_gc_duration_seconds histogram',
    'claims_process_nodejs_gc_duration_seconds_bucket{le="0.001",service="enricher",kind="minor"} 3',
    'claims_process_nodejs_gc_duration_seconds_sum{service="enricher",kind="minor"} 10.5',
    'claims_process_nodejs_gc_duration_seconds_count{service="enricher",kind="minor"} 361',
    'claims_process_nodejs_gc_duration_seconds_sum{service="enricher",kind="major"} 0.25',
    'claims_process_nodejs_gc_duration_seconds_sum{service="enricher",kind="incremental"} 0.125',
    'claims_stage_batch_duration_seconds_sum{service="enricher",stage="enricher"} 30',
    'claims_stage_batch_duration_seconds_count{service="enricher",stage="enricher"} 60',
    'claims_stage_records_total{service="enricher",stage="enricher",outcome="emitted"} 200000',
    'claims_stage_records_total{service="enricher",stage="enricher",outcome="dead_lettered"} 40',
  ].join('\n');

  it("sums the main thread's GC pauses of every kind", () => {
    expect(gcPauseSecondsOf(text)).toBeCloseTo(10.875);
  });

  it('has no GC pauses when the service exports none', () => {
    expect(gcPauseSecondsOf('claims_stage_records_total{stage="enricher",outcome="emitted"} 5')).toBeNull();
  });

  it("gives a stage's batch count, mean size and mean time, and none for a stage with no batches", () => {
    expect(stageBatchStatsOf(text, 'enricher')).toEqual({
      batches: 60,
      recordsPerBatch: 200040 / 60,
      secondsPerBatch: 0.5,
    });
    expect(stageBatchStatsOf(text, 'metrics')).toBeNull();
  });
});

describe('foldStepCosts', () => {
  it('gives each step its milliseconds per 1,000 folded records and its share, largest first', () => {
    expect(foldStepCosts({ claim_state: 1.5, day_counters: 6, fold: 0.5, x12: 0 }, 20_000)).toEqual([
      { step: 'day_counters', msPer1000: 300, share: 0.75 },
      { step: 'claim_state', msPer1000: 75, share: 0.1875 },
      { step: 'fold', msPer1000: 25, share: 0.0625 },
      { step: 'x12', msPer1000: 0, share: 0 },
    ]);
  });

  it('gives every share as zero when no step took any time', () => {
    expect(foldStepCosts({ fold: 0 }, 10)).toEqual([{ step: 'fold', msPer1000: 0, share: 0 }]);
  });
});

describe('foldStepSecondsOf', () => {
  it("reads each step's summed seconds whatever other labels the registry adds", () => {
    const text = [
      '# HELP claims_fold_step_duration_seconds Time of one step of a fold transaction.',
      '# TYPE claims_fold_step_duration_seconds histogram',
      'claims_fold_step_duration_seconds_bucket{le="0.001",step="fold",service="claims-metrics"} 3',
      'claims_fold_step_duration_seconds_sum{step="fold",service="claims-metrics"} 0.25',
      'claims_fold_step_duration_seconds_count{step="fold",service="claims-metrics"} 4',
      'claims_fold_step_duration_seconds_sum{service="claims-metrics",step="day_counters"} 1.5',
      'claims_fold_transaction_duration_seconds_sum{service="claims-metrics"} 9',
    ].join('\n');

    expect(foldStepSecondsOf(text)).toEqual({ fold: 0.25, day_counters: 1.5 });
  });

  it('is null for a service that reports no fold steps', () => {
    expect(foldStepSecondsOf('claims_stage_records_total{stage="enricher"} 10')).toBeNull();
  });
});

describe('foldWriteSecondsOf', () => {
  it("reads each table's summed statement seconds whatever other labels the registry adds", () => {
    const text = [
      '# TYPE claims_fold_write_duration_seconds histogram',
      'claims_fold_write_duration_seconds_bucket{le="0.001",table="claim_state",service="claims-metrics"} 3',
      'claims_fold_write_duration_seconds_sum{table="claim_state",service="claims-metrics"} 0.5',
      'claims_fold_write_duration_seconds_sum{service="claims-metrics",table="one_statement"} 2',
      'claims_fold_step_duration_seconds_sum{step="writes",service="claims-metrics"} 9',
    ].join('\n');

    expect(foldWriteSecondsOf(text)).toEqual({ claim_state: 0.5, one_statement: 2 });
  });

  it('is null for a service that reports no fold writes', () => {
    expect(foldWriteSecondsOf('claims_fold_step_duration_seconds_sum{step="fold"} 1')).toBeNull();
  });
});

describe('kafka requests', () => {
  const exposition = [
    '# HELP claims_kafka_requests_total Requests the service sent the broker, by API.',
    '# TYPE claims_kafka_requests_total counter',
    'claims_kafka_requests_total{api="Fetch",service="normalizer"} 120',
    'claims_kafka_requests_total{service="normalizer",api="Produce"} 40',
    'claims_kafka_requests_total{api="Heartbeat",service="normalizer"} 3',
    'claims_kafka_requests_total_created{api="Fetch",service="normalizer"} 1765000000',
  ].join('\n');

  it("reads a service's requests by API from its exposition, wherever the api label sits", () => {
    expect(kafkaRequestsOf(exposition)).toEqual({ Fetch: 120, Produce: 40, Heartbeat: 3 });
  });

  it('gives the requests per 1,000 records between two readings, largest first, leaving out APIs not sent', () => {
    expect(
      kafkaRequestsPer1000Between({ Fetch: 20, Produce: 15, Heartbeat: 3 }, kafkaRequestsOf(exposition), 2000),
    ).toEqual([
      { api: 'Fetch', per1000: 50 },
      { api: 'Produce', per1000: 12.5 },
    ]);
    expect(kafkaRequestsPer1000Between({}, { OffsetCommit: 4 }, 0)).toEqual([]);
  });
});
