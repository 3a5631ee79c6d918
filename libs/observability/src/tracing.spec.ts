import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  activeTraceParent,
  batchTraceContext,
  fileTraceId,
  hashForSpan,
  parseTraceParent,
  redactUrlForSpan,
  startTracing,
  withBatchSpan,
  withClaimReadSpan,
  withFileTrace,
} from './tracing';

const FIRST = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const SECOND = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const FILE_ID = 'a'.repeat(64);

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ service: 'unit', exporter, instrument: false, env: {} });

  afterEach(() => exporter.reset());
  afterAll(() => tracing.shutdown());

  describe('withBatchSpan', () => {
    it('records one consumer span, child of the first record, linked to the trace of every record', async () => {
      const result = await withBatchSpan(
        'normalizer process',
        { 'messaging.batch.message_count': 3 },
        [FIRST, undefined, SECOND],
        async () => 42,
      );
      await tracing.forceFlush();

      expect(result).toBe(42);
      const [span] = exporter.getFinishedSpans();
      expect(span?.name).toBe('normalizer process');
      expect(span?.kind).toBe(SpanKind.CONSUMER);
      expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(span?.attributes['messaging.batch.message_count']).toBe(3);
      expect(span?.links.map((link) => link.context.traceId)).toEqual([
        '0af7651916cd43dd8448eb211c80319c',
        '4bf92f3577b34da6a3ce929d0e0e4736',
      ]);
      expect(span?.resource.attributes['service.name']).toBe('claims-unit');
    });

    it('makes the batch span active while the work runs, so its queries become its children', async () => {
      let inside: string | undefined;
      await withBatchSpan('metrics fold', {}, [FIRST], async () => {
        inside = activeTraceParent();
      });
      await tracing.forceFlush();
      const [span] = exporter.getFinishedSpans();
      expect(inside).toBe(`00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
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

  describe('batchTraceContext', () => {
    it('parses each distinct traceparent once: a batch of one file costs one link', () => {
      const { parent, links } = batchTraceContext(Array.from({ length: 500 }, () => FIRST));
      expect(parent?.spanId).toBe('b7ad6b7169203331');
      expect(links).toHaveLength(1);
    });

    it('bounds the links of a batch whose records come from many traces', () => {
      const traceParents = Array.from(
        { length: 300 },
        (_, index) => `00-${String(index + 1).padStart(32, '0')}-b7ad6b7169203331-01`,
      );
      expect(batchTraceContext(traceParents).links).toHaveLength(128);
    });
  });

  describe('withFileTrace', () => {
    it("starts the file's trace, with an id derived from the file, and gives its records that traceparent", async () => {
      const seen = await withFileTrace(FILE_ID, {}, async () => [activeTraceParent(), activeTraceParent()]);
      await tracing.forceFlush();

      const [span] = exporter.getFinishedSpans();
      expect(span?.name).toBe('ingestor ingest file');
      expect(span?.spanContext().traceId).toBe(fileTraceId(FILE_ID));
      expect(span?.parentSpanContext).toBeUndefined();
      expect(seen).toEqual([
        `00-${fileTraceId(FILE_ID)}-${span?.spanContext().spanId}-01`,
        `00-${fileTraceId(FILE_ID)}-${span?.spanContext().spanId}-01`,
      ]);
    });

    it('links the file span to the request that started the ingestion', async () => {
      await withBatchSpan('POST /v1/uploads', {}, [SECOND], () => withFileTrace(FILE_ID, {}, async () => undefined));
      await tracing.forceFlush();
      const fileSpan = exporter.getFinishedSpans().find((span) => span.name === 'ingestor ingest file');
      expect(fileSpan?.spanContext().traceId).toBe(fileTraceId(FILE_ID));
      expect(fileSpan?.links.map((link) => link.context.traceId)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736']);
    });

    it('gives a root span a random trace id again after a file span', async () => {
      await withFileTrace(FILE_ID, {}, async () => undefined);
      await withBatchSpan('unrelated', {}, [], async () => undefined);
      await tracing.forceFlush();
      const unrelated = exporter.getFinishedSpans().find((span) => span.name === 'unrelated');
      expect(unrelated?.spanContext().traceId).not.toBe(fileTraceId(FILE_ID));
    });
  });

  describe('withClaimReadSpan', () => {
    it('hashes the claim id and links the read to the traces of the claim source files', async () => {
      const otherFile = 'b'.repeat(64);
      await withClaimReadSpan(
        'api read claim',
        '542192281063886',
        async () => ({ files: [FILE_ID, null, FILE_ID, otherFile] }),
        (detail) => detail.files,
      );
      await tracing.forceFlush();
      const [span] = exporter.getFinishedSpans();
      expect(span?.attributes).toEqual({ 'claims.claim_id.sha256_prefix': hashForSpan('542192281063886') });
      expect(JSON.stringify(span?.attributes)).not.toContain('542192281063886');
      expect(span?.links.map((link) => link.context.traceId)).toEqual([fileTraceId(FILE_ID), fileTraceId(otherFile)]);
    });
  });
});

describe('hashForSpan', () => {
  it('is the first 16 hex digits of the SHA-256 of the value', () => {
    // printf %s 542192281063886 | sha256sum
    expect(hashForSpan('542192281063886')).toBe('e03994c52b0e776d');
  });
});

describe('parseTraceParent', () => {
  it('reads a version-00 traceparent and refuses malformed or all-zero ones', () => {
    expect(parseTraceParent(FIRST)).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseTraceParent('00-00000000000000000000000000000000-b7ad6b7169203331-01')).toBeNull();
    expect(parseTraceParent('01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra')).toBeNull();
    expect(parseTraceParent('')).toBeNull();
  });
});

describe('redactUrlForSpan', () => {
  it('replaces identifiers in the path and drops the query', () => {
    expect(redactUrlForSpan('/v1/claims/542192281063886/lineage')).toBe('/v1/claims/:id/lineage');
    expect(redactUrlForSpan('/v1/kpis/pended-queue?memberId=00013D2EFD8E45D1')).toBe('/v1/kpis/pended-queue');
    expect(redactUrlForSpan('http://127.0.0.1:3000/v1/claims/ABC123X?x=1')).toBe('http://127.0.0.1:3000/v1/claims/:id');
    expect(redactUrlForSpan('/v1/uploads')).toBe('/v1/uploads');
  });
});
