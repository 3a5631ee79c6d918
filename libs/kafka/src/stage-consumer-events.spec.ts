import { createStageMetrics } from '@claims/observability';
import { Registry } from 'prom-client';
import { partitionLagRecords } from './batch-consumer';
import { stageConsumerEvents } from './stage-consumer-events';

async function lagSeries(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('claims_consumer_lag_records')?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((value) => [`${value.labels['topic']}/${value.labels['partition']}`, value.value]),
  );
}

describe('partitionLagRecords', () => {
  it('counts the records between the last handled offset and the end of the partition', () => {
    expect(partitionLagRecords('1000', '899')).toBe(100);
  });

  it('is zero when the batch reached the end of the partition', () => {
    expect(partitionLagRecords('900', '899')).toBe(0);
  });

  it('is never negative, whatever the end offset fetched with an older batch said', () => {
    expect(partitionLagRecords('10', '42')).toBe(0);
  });
});

describe('stageConsumerEvents', () => {
  it('reports the lag of each partition after each handled batch', async () => {
    const registry = new Registry();
    const events = stageConsumerEvents('normalizer', createStageMetrics(registry));
    events.onBatchHandled({ topic: 'claims.raw.v1', partition: 0, lagRecords: 120 });
    events.onBatchHandled({ topic: 'claims.raw.v1', partition: 1, lagRecords: 7 });
    events.onBatchHandled({ topic: 'claims.raw.v1', partition: 0, lagRecords: 0 });
    expect(await lagSeries(registry)).toEqual({ 'claims.raw.v1/0': 0, 'claims.raw.v1/1': 7 });
  });

  it('drops the lag of partitions a rebalance gave to another instance, and keeps those of other topics', async () => {
    const registry = new Registry();
    const metrics = createStageMetrics(registry);
    const deadLetters = stageConsumerEvents('metrics', metrics);
    const ingestReports = stageConsumerEvents('metrics', metrics);
    deadLetters.onBatchHandled({ topic: 'claims.dlq.v1', partition: 0, lagRecords: 3 });
    deadLetters.onBatchHandled({ topic: 'claims.dlq.v1', partition: 2, lagRecords: 5 });
    ingestReports.onBatchHandled({ topic: 'claims.ingest-reports.v1', partition: 0, lagRecords: 1 });

    deadLetters.onPartitionsAssigned('claims.dlq.v1', [2]);

    expect(await lagSeries(registry)).toEqual({ 'claims.dlq.v1/2': 5, 'claims.ingest-reports.v1/0': 1 });
  });

  it('exposes the stage as not stalled, never restarted, rebalanced or retried before anything happened', async () => {
    const registry = new Registry();
    stageConsumerEvents('enricher', createStageMetrics(registry));
    const values = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values;
    for (const name of [
      'claims_consumer_stalled',
      'claims_consumer_restarts_total',
      'claims_consumer_rebalances_total',
      'claims_consumer_batch_retries_total',
    ]) {
      expect(await values(name)).toEqual([{ labels: { stage: 'enricher' }, value: 0 }]);
    }
  });

  it('leaves a stall another consumer of the same stage reported when a new consumer starts', async () => {
    const registry = new Registry();
    const metrics = createStageMetrics(registry);
    stageConsumerEvents('metrics', metrics).onBatchRetry(1, 250, new Error('database down'));
    stageConsumerEvents('metrics', metrics);
    expect((await registry.getSingleMetric('claims_consumer_stalled')?.get())?.values[0]?.value).toBe(1);
  });

  it('marks the stage stalled while a batch is retried and moving again once it went through', async () => {
    const registry = new Registry();
    const events = stageConsumerEvents('enricher', createStageMetrics(registry));
    const stalled = async () => (await registry.getSingleMetric('claims_consumer_stalled')?.get())?.values[0]?.value;
    events.onBatchRetry(1, 250, new Error('database down'));
    expect(await stalled()).toBe(1);
    events.onBatchRecovered(2);
    expect(await stalled()).toBe(0);
  });

  it('marks the stage moving again when a consumer handles a batch after one it retried was given up unrecovered', async () => {
    const registry = new Registry();
    const events = stageConsumerEvents('enricher', createStageMetrics(registry));
    const stalled = async () => (await registry.getSingleMetric('claims_consumer_stalled')?.get())?.values[0]?.value;
    events.onBatchRetry(1, 250, new Error('database down'));
    // Membership lost mid-retry: the batch is given up, never recovered; the next one goes through.
    events.onBatchHandled({ topic: 'claims.normalized.v1', partition: 0, lagRecords: 0 });
    expect(await stalled()).toBe(0);
  });

  it('keeps the stage stalled while one consumer retries, whatever another consumer of the stage handles', async () => {
    const registry = new Registry();
    const metrics = createStageMetrics(registry);
    const retrying = stageConsumerEvents('metrics', metrics);
    const moving = stageConsumerEvents('metrics', metrics);
    const stalled = async () => (await registry.getSingleMetric('claims_consumer_stalled')?.get())?.values[0]?.value;
    retrying.onBatchRetry(1, 250, new Error('database down'));
    moving.onBatchHandled({ topic: 'claims.dlq.v1', partition: 0, lagRecords: 0 });
    moving.onBatchRecovered(2);
    expect(await stalled()).toBe(1);
    retrying.onBatchRecovered(2);
    expect(await stalled()).toBe(0);
  });

  it('counts every group join of the stage, the first at start and one per rebalance after it', async () => {
    const registry = new Registry();
    const metrics = createStageMetrics(registry);
    const folding = stageConsumerEvents('metrics', metrics);
    const accounting = stageConsumerEvents('metrics', metrics);
    folding.onGroupJoined();
    accounting.onGroupJoined();
    folding.onGroupJoined();
    expect((await registry.getSingleMetric('claims_consumer_rebalances_total')?.get())?.values).toEqual([
      { labels: { stage: 'metrics' }, value: 3 },
    ]);
  });
});
