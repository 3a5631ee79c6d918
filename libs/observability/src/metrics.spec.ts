import { promtool } from '@claims/harness';
import { createHttpRequestMetrics } from './http-request-metrics';
import { createMetricsRegistry, createStageMetrics, kafkaRequestsCounter } from './metrics';

describe('kafkaRequestsCounter', () => {
  it('is one counter per registry, however many clients of the service count into it', async () => {
    const registry = createMetricsRegistry('unit');
    kafkaRequestsCounter(registry).inc({ api: 'Fetch' });
    kafkaRequestsCounter(registry).inc({ api: 'Fetch' }, 2);
    expect(await registry.metrics()).toMatch(/^claims_kafka_requests_total\{api="Fetch",service="unit"\} 3$/m);
    expect(kafkaRequestsCounter(createMetricsRegistry('other'))).not.toBe(kafkaRequestsCounter(registry));
  });
});

describe('createMetricsRegistry', () => {
  it('names no gauge with the `_total` suffix Prometheus reserves for counters', async () => {
    const registry = createMetricsRegistry('unit');
    createStageMetrics(registry);
    const misnamed = (await registry.getMetricsAsJSON())
      .filter((metric) => metric.name.endsWith('_total') && String(metric.type) !== 'counter')
      .map((metric) => metric.name);
    expect(misnamed).toEqual([]);
  });

  it('keeps the by-type gauges of what holds the event loop open', async () => {
    const names = (await createMetricsRegistry('unit').getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining(['claims_process_nodejs_active_handles', 'claims_process_nodejs_active_resources']),
    );
  });

  it('exposes every metric with the `claims_` prefix and a service label', async () => {
    const registry = createMetricsRegistry('unit');
    createStageMetrics(registry);
    for (const metric of await registry.getMetricsAsJSON()) expect(metric.name).toMatch(/^claims_/);
    expect(await registry.metrics()).toMatch(/service="unit"/);
  });

  it('writes an exposition that `promtool check metrics` accepts', async () => {
    const registry = createMetricsRegistry('unit');
    const stage = createStageMetrics(registry);
    stage.recordsTotal.inc({ stage: 'normalizer', outcome: 'emitted' }, 3);
    stage.deadLettersTotal.inc({ stage: 'normalizer', error_code: 'AMOUNT_INVALID' });
    stage.batchDurationSeconds.observe({ stage: 'normalizer' }, 0.02);
    stage.consumerLagRecords.set({ stage: 'normalizer', topic: 'claims.raw.v1', partition: '0' }, 12);
    stage.consumerStalled.set({ stage: 'normalizer' }, 0);
    createHttpRequestMetrics(registry).observe({ method: 'GET', route: '/v1/kpis/summary', status_code: '200' }, 0.01);
    kafkaRequestsCounter(registry).inc({ api: 'Produce' });
    // promtool exits non-zero and names the metric on any lint problem.
    const exposition = await registry.metrics();
    expect(promtool(['check', 'metrics'], { input: exposition })).toEqual({ status: 0, output: '' });
  });
});
