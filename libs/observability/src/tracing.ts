import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  propagation,
  trace,
  type Attributes,
  type Link,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  forceFlush: () => Promise<void>;
  shutdown: () => Promise<void>;
}

/**
 * Registers the process's tracer provider. Spans leave the process only when
 * an OTLP endpoint is configured (or a test passes an exporter); without one
 * the provider still parses and propagates W3C trace context.
 */
export function startTracing(options: { service: string; otlpEndpoint?: string; exporter?: SpanExporter }): Tracing {
  const exporter =
    options.exporter ??
    (options.otlpEndpoint
      ? new OTLPTraceExporter({ url: new URL('/v1/traces', options.otlpEndpoint).toString() })
      : null);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: `claims-${options.service}` }),
    spanProcessors: exporter ? [new BatchSpanProcessor(exporter)] : [],
  });
  provider.register();
  return { forceFlush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

/** At most this many links per batch span: enough to follow records, bounded for large batches. */
const MAX_LINKS_PER_BATCH = 128;

function linksFromTraceParents(traceParents: ReadonlyArray<string | undefined>): Link[] {
  const links: Link[] = [];
  for (const traceparent of traceParents) {
    if (!traceparent || links.length >= MAX_LINKS_PER_BATCH) continue;
    const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}

/**
 * Runs a batch's work in one consumer span linked to the trace of each record
 * in it — the OpenTelemetry messaging convention for batch processing, since a
 * batch has many parents. A failure is recorded on the span and rethrown.
 */
export async function withBatchSpan<T>(
  name: string,
  attributes: Attributes,
  traceParents: ReadonlyArray<string | undefined>,
  work: () => Promise<T>,
): Promise<T> {
  const span = trace.getTracer('claims-pipeline').startSpan(name, {
    kind: SpanKind.CONSUMER,
    attributes,
    links: linksFromTraceParents(traceParents),
  });
  try {
    return await work();
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
