import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { startTracing, withBatchSpan } from './tracing';

describe('withBatchSpan', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ service: 'unit', exporter });

  afterEach(() => exporter.reset());
  afterAll(() => tracing.shutdown());

  it('records one consumer span linked to the trace of every record in the batch', async () => {
    const first = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const second = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const result = await withBatchSpan(
      'normalizer process',
      { 'messaging.batch.message_count': 3 },
      [first, undefined, second],
      async () => 42,
    );
    await tracing.forceFlush();

    expect(result).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('normalizer process');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes['messaging.batch.message_count']).toBe(3);
    expect(span?.links.map((link) => link.context.traceId)).toEqual([
      '0af7651916cd43dd8448eb211c80319c',
      '4bf92f3577b34da6a3ce929d0e0e4736',
    ]);
    expect(span?.resource.attributes['service.name']).toBe('claims-unit');
  });

  it('marks the span as failed and rethrows when the batch fails', async () => {
    await expect(
      withBatchSpan('metrics fold', {}, [], async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    await tracing.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('ignores a malformed traceparent instead of failing the batch', async () => {
    await withBatchSpan('enricher process', {}, ['not-a-traceparent'], async () => undefined);
    await tracing.forceFlush();
    expect(exporter.getFinishedSpans()[0]?.links).toEqual([]);
  });
});
