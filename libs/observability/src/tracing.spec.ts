import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  activeTraceParent,
  batchTraceContext,
  fileTraceId,
  hashForSpan,
  parseTraceParent,
  redactUrlForSpan,
  redactTextForSpan,
  startTracing,
  useRouteTemplateOnSpan,
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

  describe('what leaves the process', () => {
    /** A value Postgres refused, as node-postgres raises it: the message quotes the value, the code is the SQLSTATE. */
    const refusedDate = () =>
      Object.assign(new Error('date/time field value out of range: "1931-02-30"'), { name: 'error', code: '22008' });

    it("records a failed batch's exception with its SQLSTATE and message, without the value Postgres quoted", async () => {
      await expect(
        withBatchSpan('metrics process', {}, [FIRST], async () => {
          throw refusedDate();
        }),
      ).rejects.toThrow('1931-02-30');
      await tracing.forceFlush();
      const [span] = exporter.getFinishedSpans();
      const exported = JSON.stringify({ events: span?.events, status: span?.status });
      expect(exported).not.toContain('1931-02-30');
      expect(span?.events[0]?.attributes).toMatchObject({
        'exception.type': '22008',
        'exception.message': 'date/time field value out of range: "…"',
      });
    });

    it("exports an instrumentation's span without a refused value, a query string, SQL values or a Kafka key in clear", async () => {
      // What the pg, http and kafkajs instrumentations set: status from err.message, URLs, values, the message key.
      const span = trace.getTracer('@opentelemetry/instrumentation-pg').startSpan('pg.query:INSERT claims', {
        attributes: {
          'db.statement': 'INSERT INTO claim (claim_id, service_date) SELECT * FROM unnest($1::text[], $2::date[])',
          'db.postgresql.values': '["542192281063886","1931-02-30"]',
          'http.url': 'http://127.0.0.1:3001/v1/ingestions/542192281063886?source=smith.csv',
          'url.query': 'memberId=00013D2EFD8E45D1',
          'messaging.kafka.message.key': '542192281063886',
          'http.error_message': 'Unexpected token \'J\', "John Smith" is not valid JSON',
        },
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: refusedDate().message });
      span.addEvent('exception', { 'exception.message': 'Key (claim_id)=(542192281063886) already exists.' });
      span.end();
      await tracing.forceFlush();
      const [exported] = exporter.getFinishedSpans();
      const text = JSON.stringify({
        attributes: exported?.attributes,
        events: exported?.events,
        status: exported?.status,
      });
      for (const value of ['542192281063886', '1931-02-30', 'smith', 'John Smith', '00013D2EFD8E45D1']) {
        expect(text).not.toContain(value);
      }
      expect(exported?.attributes).toMatchObject({
        'db.statement': expect.stringContaining('unnest($1::text[], $2::date[])'),
        'http.url': 'http://127.0.0.1:3001/v1/ingestions/:id',
        'messaging.kafka.message.key': hashForSpan('542192281063886'),
      });
      expect(exported?.status.message).toBe('date/time field value out of range: "…"');
      expect(exported?.events[0]?.attributes?.['exception.message']).toBe('Key (claim_id)=(…) already exists.');
      expect(exported?.spanContext().spanId).toBe(span.spanContext().spanId);
    });

    it("names a routed request's span and URL after its route template, even when the claim id is made of words", async () => {
      // An X12 patient control number such as `smith-john` looks like a route word to redactUrlForSpan.
      const span = trace.getTracer('@opentelemetry/instrumentation-http').startSpan('GET', {
        kind: SpanKind.SERVER,
        attributes: { 'http.target': '/v1/claims/smith-john/lineage', 'url.path': '/v1/claims/smith-john/lineage' },
      });
      useRouteTemplateOnSpan(span, { method: 'GET', baseUrl: '', route: { path: '/v1/claims/:claimId/lineage' } });
      span.end();
      await tracing.forceFlush();
      const [exported] = exporter.getFinishedSpans();
      expect(JSON.stringify(exported?.attributes)).not.toContain('smith');
      expect(exported?.name).toBe('GET /v1/claims/:claimId/lineage');
      expect(exported?.attributes).toMatchObject({
        'http.target': '/v1/claims/:id/lineage',
        'url.path': '/v1/claims/:id/lineage',
        'http.route': '/v1/claims/:claimId/lineage',
      });
    });

    it('ends and exports a server span whose client-chosen request target or Host is not a URL, ids redacted', async () => {
      // Node's HTTP server accepts `GET //[542192281063886` and `Host: [`; the instrumentation ends the span
      // from the response's 'close' listener, where a throw is an uncaught exception.
      const span = trace.getTracer('@opentelemetry/instrumentation-http').startSpan('GET', {
        kind: SpanKind.SERVER,
        attributes: {
          'http.target': '//[542192281063886/lineage?memberId=00013D2EFD8E45D1',
          'http.url': 'http://[/v1/claims/542192281063886',
        },
      });
      useRouteTemplateOnSpan(span, { method: 'GET', baseUrl: '', route: { path: '/v1/claims/:claimId' } });
      expect(() => span.end()).not.toThrow();
      await tracing.forceFlush();
      const [exported] = exporter.getFinishedSpans();
      const text = JSON.stringify(exported?.attributes);
      for (const value of ['542192281063886', '00013D2EFD8E45D1']) expect(text).not.toContain(value);
      expect(exported?.attributes['http.target']).toBe('/v1/claims/:id');
    });

    it('leaves the URL of a request no route matched to the identifier heuristic', async () => {
      const span = trace.getTracer('@opentelemetry/instrumentation-http').startSpan('GET', {
        attributes: { 'url.path': '/v1/claims/542192281063886' },
      });
      useRouteTemplateOnSpan(span, { method: 'GET', baseUrl: '' });
      span.end();
      await tracing.forceFlush();
      const [exported] = exporter.getFinishedSpans();
      expect(exported?.name).toBe('GET');
      expect(exported?.attributes['url.path']).toBe('/v1/claims/:id');
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

describe('redactTextForSpan', () => {
  it('keeps the words of a message and drops the values it quotes', () => {
    expect(redactTextForSpan('invalid input syntax for type integer: "A123"')).toBe(
      'invalid input syntax for type integer: "…"',
    );
    expect(redactTextForSpan('invalid byte sequence for encoding "UTF8": 0xe9 0x20')).toBe(
      'invalid byte sequence for encoding "…": 0x…',
    );
    expect(redactTextForSpan('connect ECONNREFUSED 127.0.0.1:5432')).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(redactTextForSpan('GET http://api:3000/v1/claims/542192281063886?x=1 failed')).toBe(
      'GET http://api:3000/v1/claims/:id failed',
    );
  });
});

describe('redactUrlForSpan', () => {
  it('replaces identifiers in the path and drops the query', () => {
    expect(redactUrlForSpan('/v1/claims/542192281063886/lineage')).toBe('/v1/claims/:id/lineage');
    expect(redactUrlForSpan('/v1/kpis/pended-queue?memberId=00013D2EFD8E45D1')).toBe('/v1/kpis/pended-queue');
    expect(redactUrlForSpan('http://127.0.0.1:3000/v1/claims/ABC123X?x=1')).toBe('http://127.0.0.1:3000/v1/claims/:id');
    expect(redactUrlForSpan('/v1/uploads')).toBe('/v1/uploads');
  });

  it('redacts a target that does not parse as a URL segment by segment instead of throwing', () => {
    expect(redactUrlForSpan('//[542192281063886/lineage?memberId=00013D2EFD8E45D1')).toBe('//:id/lineage');
    expect(redactUrlForSpan('http://[::1/v1/claims/542192281063886')).not.toContain('542192281063886');
  });
});
