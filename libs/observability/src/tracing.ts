import { createHash, randomBytes } from 'node:crypto';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  isSpanContextValid,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
// The SDK's own reading of OTEL_TRACES_EXPORTER and friends, so those exporters too sit behind PhiSafeSpanProcessor.
import { getSpanProcessorsFromEnv } from '@opentelemetry/sdk-node/build/src/utils';
import {
  BatchSpanProcessor,
  RandomIdGenerator,
  type IdGenerator,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
  type TimedEvent,
} from '@opentelemetry/sdk-trace-base';
import { withoutQuotedValues } from './quoted-values';
import { tracingSettingsFromEnv, type TraceExport } from './tracing-settings';

export interface Tracing {
  forceFlush: () => Promise<void>;
  shutdown: () => Promise<void>;
}

/**
 * Root spans take a random trace id, except a file's ingestion span, whose id
 * is derived from the file (see `fileTraceId`). The tracer asks for the id
 * synchronously inside `startSpan`, so a field set just before is never seen
 * by another span.
 */
class FileTraceIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  next: string | undefined;

  generateTraceId = (): string => {
    const id = this.next ?? this.random.generateTraceId();
    this.next = undefined;
    return id;
  };

  generateSpanId = (): string => this.random.generateSpanId();
}

const fileTraceIds = new FileTraceIdGenerator();
let started: Tracing | undefined;

/** Probes and scrapes are not requests anyone traces; they would drown the traces that matter. */
function isOperationalPath(url: string): boolean {
  return /^\/(health(?:[/?]|$)|metrics(?:\?|$))/.test(url);
}

/** Path segments kept as they are: route words (`claims`, `dead-letters`) and versions (`v1`); not identifiers. */
const ROUTE_SEGMENT = /^(?:v\d+|[a-z]+(?:[-_][a-z]+)*)$/;

/**
 * A URL or path with every identifier-like segment replaced by `:id` and the
 * query dropped: `/v1/claims/123456/lineage` becomes `/v1/claims/:id/lineage`,
 * so an http span never carries a claim id, a member id or a search term.
 */
export function redactUrlForSpan(url: string): string {
  const absolute = isAbsoluteUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    // The request target and the Host header are the client's to choose, and Node's server takes
    // `//[…` or `Host: [`; the span ends in a listener, where a throw would crash the service.
    const path = redactPathSegments((absolute ? url.replace(/^[^:]+:\/\/[^/?#]*/, '') : url).split(/[?#]/)[0] ?? '');
    return absolute ? `<unparsable-origin>${path}` : path;
  }
  const path = redactPathSegments(parsed.pathname);
  return absolute ? `${parsed.origin}${path}` : path;
}

function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

function redactPathSegments(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment === '' || ROUTE_SEGMENT.test(segment) ? segment : ':id'))
    .join('/');
}

/** The origin of an absolute URL, as redactUrlForSpan keeps it, or a placeholder when it does not parse. */
function originForSpan(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '<unparsable-origin>';
  }
}

/** Both generations of the http semantic conventions; only the ones the instrumentation set are rewritten. */
const URL_ATTRIBUTES = ['http.target', 'http.url', 'url.path', 'url.full'] as const;

function redactUrlAttributes(span: Span): void {
  const attributes = (span as Partial<ReadableSpan>).attributes ?? {};
  for (const key of URL_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value === 'string') span.setAttribute(key, redactUrlForSpan(value));
  }
  if (typeof attributes['url.query'] === 'string') span.setAttribute('url.query', '');
}

/** What an http server span's request is once Express has routed it (the same object, routed). */
interface RoutedRequest {
  method?: string;
  baseUrl?: unknown;
  route?: { path?: unknown };
}

/**
 * Once a request was routed, its span's URL is the route's template
 * (`/v1/claims/:claimId`) and the span is named after it: the identifier
 * heuristic of `redactUrlForSpan` cannot tell a claim id made of words
 * (`smith-john`, an X12 patient control number) from a route word, the
 * template can. A request no route matched keeps the heuristic's path.
 */
export function useRouteTemplateOnSpan(span: Span, request: object): void {
  const routed = request as RoutedRequest;
  const template = routed.route?.path;
  if (typeof template !== 'string') return;
  const route = `${typeof routed.baseUrl === 'string' ? routed.baseUrl : ''}${template}`;
  // URLs keep the form redactUrlForSpan gives them (`/v1/claims/:id`); `http.route` names the parameter.
  const path = route.replace(/:[^/]+/g, ':id');
  const attributes = (span as Partial<ReadableSpan>).attributes ?? {};
  for (const key of URL_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value !== 'string') continue;
    span.setAttribute(key, isAbsoluteUrl(value) ? `${originForSpan(value)}${path}` : path);
  }
  span.setAttribute('http.route', route);
  span.updateName(`${routed.method ?? 'GET'} ${route}`);
}

/**
 * Free text a library writes on a span (an error's message and stack, a
 * status description) without the values it may quote. Postgres quotes the
 * value it refused (`invalid input syntax for type date: "1931-02-30"`,
 * `Key (claim_id)=(…)`), JSON.parse the text it could not read; the
 * SQLSTATE stays in `exception.type`, the statement in `db.statement`.
 */
export function redactTextForSpan(text: string): string {
  return withoutQuotedValues(
    text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => {
      try {
        return redactUrlForSpan(url);
      } catch {
        return '<url>';
      }
    }),
  );
}

/** Attributes whose whole value is free text from an error. */
const FREE_TEXT_ATTRIBUTES = ['exception.message', 'exception.stacktrace', 'http.error_message'] as const;
/** Attributes never exported: a query string, a statement's parameter values (enhanced database reporting). */
const DROPPED_ATTRIBUTES = ['url.query', 'db.postgresql.values'] as const;
/** Attributes that hold a claim id (a Kafka message key): exported hashed, as `hashForSpan`. */
const HASHED_ATTRIBUTES = ['messaging.kafka.message.key', 'messaging.kafka.message_key'] as const;

function phiSafeAttributes(attributes: Attributes): Attributes {
  const safe: Attributes = { ...attributes };
  for (const key of URL_ATTRIBUTES) {
    const value = safe[key];
    if (typeof value === 'string') safe[key] = redactUrlForSpan(value);
  }
  for (const key of FREE_TEXT_ATTRIBUTES) {
    const value = safe[key];
    if (typeof value === 'string') safe[key] = redactTextForSpan(value);
  }
  for (const key of DROPPED_ATTRIBUTES) delete safe[key];
  for (const key of HASHED_ATTRIBUTES) {
    const value = safe[key];
    if (value !== undefined) safe[key] = hashForSpan(String(value));
  }
  return safe;
}

/**
 * The span as it is exported: the same span with its attributes, its events'
 * attributes and its status description made PHI-safe. Whatever set them
 * (our spans, the http and pg instrumentations, one added later), nothing
 * leaves the process with a URL's ids or query, a refused value Postgres
 * quoted, or a Kafka key in clear.
 */
export function phiSafeSpan(span: ReadableSpan): ReadableSpan {
  const events: TimedEvent[] = span.events.map((event) =>
    event.attributes ? { ...event, attributes: phiSafeAttributes(event.attributes) } : event,
  );
  const status =
    span.status.message === undefined
      ? span.status
      : { ...span.status, message: redactTextForSpan(span.status.message) };
  // A view over the ended span: its methods (spanContext()) and its other fields read through to it.
  return Object.create(span, {
    attributes: { value: phiSafeAttributes(span.attributes), enumerable: true },
    events: { value: events, enumerable: true },
    status: { value: status, enumerable: true },
  }) as ReadableSpan;
}

/** Hands every ended span to the exporting processors as `phiSafeSpan` makes it. */
export class PhiSafeSpanProcessor implements SpanProcessor {
  constructor(private readonly exporting: readonly SpanProcessor[]) {}

  onStart(span: Parameters<SpanProcessor['onStart']>[0], parentContext: Context): void {
    for (const processor of this.exporting) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const safe = phiSafeSpan(span);
    for (const processor of this.exporting) processor.onEnd(safe);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.exporting.map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.exporting.map((processor) => processor.shutdown()));
  }
}

function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => isOperationalPath(request.url ?? ''),
      requestHook: (span) => redactUrlAttributes(span),
      applyCustomAttributesOnSpan: (span, request) => useRouteTemplateOnSpan(span, request),
    }),
    // Only queries made inside a span (a batch, a request): pool housekeeping and
    // health probes would otherwise each start a trace of their own. Parameter
    // values are never recorded (enhancedDatabaseReporting stays off): they hold PHI.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    // No KafkaJS instrumentation: it starts a span per message on the hot path, sends
    // the claim id (the message key) unhashed as an attribute, and overwrites each
    // record's traceparent with its own send span. Records carry their trace in a
    // header we set, and each consumed batch gets one span (`withBatchSpan`).
  ];
}

function exportingProcessorsFor(traceExport: TraceExport): SpanProcessor[] {
  switch (traceExport.kind) {
    case 'none':
      return [];
    case 'otlp-json':
      return [new BatchSpanProcessor(new OTLPTraceExporter(traceExport.url ? { url: traceExport.url } : {}))];
    case 'from-env':
      return getSpanProcessorsFromEnv();
  }
}

/** The exporting processors behind the PHI net, or none (then no tracer provider is registered). */
function spanProcessorsFor(exporting: SpanProcessor[]): SpanProcessor[] {
  return exporting.length === 0 ? [] : [new PhiSafeSpanProcessor(exporting)];
}

/** The registered provider's flush, when there is one (none is registered without an exporter). */
async function flushRegisteredProvider(): Promise<void> {
  const provider: unknown = trace.getTracerProvider();
  const delegate: unknown =
    provider && typeof (provider as { getDelegate?: unknown }).getDelegate === 'function'
      ? (provider as { getDelegate: () => unknown }).getDelegate()
      : provider;
  if (delegate && typeof (delegate as { forceFlush?: unknown }).forceFlush === 'function') {
    await (delegate as { forceFlush: () => Promise<void> }).forceFlush();
  }
}

/**
 * Starts the OpenTelemetry Node SDK for this process, configured by the
 * standard `OTEL_*` variables (see `tracingSettingsFromEnv`), with the http and
 * pg instrumentations. Call it before anything requires `http`, `express` or
 * `pg` (each app's `instrumentation.ts`, imported first by its `main.ts`);
 * later calls return the tracing already started. Without an exporter no
 * tracer provider is registered, and the W3C propagator still carries
 * incoming trace context on.
 */
export function startTracing(options: {
  service: string;
  /** The app config's endpoint; the standard variables win over it. */
  otlpEndpoint?: string | undefined;
  /** A test's exporter, replacing whatever the environment says. */
  exporter?: SpanExporter;
  /** False in unit tests: they patch no modules. */
  instrument?: boolean;
  env?: Record<string, string | undefined>;
}): Tracing {
  if (started) return started;
  const settings = tracingSettingsFromEnv(options.env ?? process.env, options);
  const spanProcessors = spanProcessorsFor(
    options.exporter ? [new BatchSpanProcessor(options.exporter)] : exportingProcessorsFor(settings.export),
  );
  const sdk = new NodeSDK({
    ...(settings.serviceName ? { serviceName: settings.serviceName } : {}),
    spanProcessors,
    idGenerator: fileTraceIds,
    // Logs go through pino; without this the SDK would set up an OTLP log exporter nobody feeds.
    logRecordProcessors: [],
    // An instrumentation patches its module as soon as it is constructed: none when tracing is off.
    instrumentations: options.instrument === false || settings.disabled ? [] : instrumentations(),
  });
  if (!settings.disabled || options.exporter) sdk.start();
  const tracing: Tracing = {
    forceFlush: flushRegisteredProvider,
    shutdown: async () => {
      await sdk.shutdown();
    },
  };
  started = tracing;
  return tracing;
}

const tracer = () => trace.getTracer('claims-pipeline');

/** A span context from a W3C `traceparent` (version 00, as every stage writes it), or null. */
export function parseTraceParent(traceParent: string): SpanContext | null {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceParent.trim());
  if (!match) return null;
  const spanContext: SpanContext = {
    traceId: match[1] as string,
    spanId: match[2] as string,
    traceFlags: parseInt(match[3] as string, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : null;
}

export function formatTraceParent(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-0${spanContext.traceFlags & TraceFlags.SAMPLED}`;
}

let lastActive: { spanContext: SpanContext; traceParent: string } | undefined;

/**
 * The `traceparent` of the active span, for a record produced inside it. The
 * ingestor calls this per record, all inside one file's span: the string is
 * built once per span.
 */
export function activeTraceParent(): string | undefined {
  const spanContext = trace.getSpanContext(context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  if (lastActive?.spanContext !== spanContext)
    lastActive = { spanContext, traceParent: formatTraceParent(spanContext) };
  return lastActive.traceParent;
}

/** The first 16 hex digits of a value's SHA-256: how a claim id appears on a span, never in clear. */
export function hashForSpan(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/**
 * The trace id of a file's ingestion, derived from its file id (the SHA-256
 * of its bytes). Every record of the file travels in this trace, and the
 * claim history keeps each event's file id, so the API can link a claim's
 * read to the traces of its records without storing a trace id anywhere. A
 * replay of the same file joins the same trace, as its records join the same
 * claims.
 */
export function fileTraceId(fileId: string): string {
  return createHash('sha256').update(`claims-file-trace:${fileId}`).digest('hex').slice(0, 32);
}

async function runInSpan<T>(span: Span, parent: Context, work: () => Promise<T>): Promise<T> {
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs a file's ingestion in the root span of the file's trace (see
 * `fileTraceId`), linked to the request or job that started it; records
 * produced inside take their `traceparent` from it (`activeTraceParent`).
 * Without a registered tracer the context still carries the file's trace id.
 */
export function withFileTrace<T>(fileId: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const requester = trace.getSpanContext(context.active());
  const traceId = fileTraceId(fileId);
  let span: Span;
  fileTraceIds.next = traceId;
  try {
    span = tracer().startSpan('ingestor ingest file', {
      kind: SpanKind.PRODUCER,
      root: true,
      attributes: { ...attributes, 'claims.file.id': fileId },
      links: requester && isSpanContextValid(requester) ? [{ context: requester }] : [],
    });
  } finally {
    fileTraceIds.next = undefined;
  }
  if (!isSpanContextValid(span.spanContext())) {
    span = trace.wrapSpanContext({
      traceId,
      spanId: randomBytes(8).toString('hex'),
      traceFlags: TraceFlags.SAMPLED,
    });
  }
  return runInSpan(span, context.active(), work);
}

/** At most this many links per batch span: enough to follow records, bounded for large batches. */
const MAX_LINKS_PER_BATCH = 128;

/**
 * Where a consumed batch's span sits: a child of its first record's context,
 * so each hop of a file's records is in the file's trace, and linked to every
 * distinct record context in the batch (the OpenTelemetry messaging
 * convention for a batch, which has many parents). Records of one file share
 * one traceparent, so a batch usually costs one parse and one link.
 */
export function batchTraceContext(traceParents: ReadonlyArray<string | undefined>): {
  parent: SpanContext | undefined;
  links: Link[];
} {
  let parent: SpanContext | undefined;
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const traceParent of traceParents) {
    if (!traceParent || seen.has(traceParent)) continue;
    seen.add(traceParent);
    const spanContext = parseTraceParent(traceParent);
    if (!spanContext) continue;
    parent ??= spanContext;
    links.push({ context: spanContext });
    if (links.length >= MAX_LINKS_PER_BATCH) break;
  }
  return { parent, links };
}

/**
 * Runs a batch's work in one consumer span (see `batchTraceContext`), active
 * while the work runs so its queries are its children. A failure is recorded
 * on the span and rethrown.
 */
export function withBatchSpan<T>(
  name: string,
  attributes: Attributes,
  traceParents: ReadonlyArray<string | undefined>,
  work: () => Promise<T>,
): Promise<T> {
  const { parent, links } = batchTraceContext(traceParents);
  const parentContext = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  const span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes, links }, parentContext);
  return runInSpan(span, parentContext, work);
}

/**
 * Runs the read of one claim in a span of the request's trace, with the
 * claim id hashed, then links it to the traces of the files the claim's
 * events came from (`fileTraceId`): the read is reachable from the records.
 */
export function withClaimReadSpan<T>(
  name: string,
  claimId: string,
  read: () => Promise<T>,
  sourceFileIds: (result: T) => ReadonlyArray<string | null | undefined>,
): Promise<T> {
  const span = tracer().startSpan(name, {
    kind: SpanKind.INTERNAL,
    attributes: { 'claims.claim_id.sha256_prefix': hashForSpan(claimId) },
  });
  return runInSpan(span, context.active(), async () => {
    const result = await read();
    if (span.isRecording()) {
      const fileIds = new Set(sourceFileIds(result).filter((fileId): fileId is string => Boolean(fileId)));
      span.addLinks(
        [...fileIds].slice(0, MAX_LINKS_PER_BATCH).map((fileId) => ({
          // The read knows the file, not which ingestion run: the link names the trace, with a placeholder span.
          context: { traceId: fileTraceId(fileId), spanId: '0000000000000001', traceFlags: TraceFlags.SAMPLED },
          attributes: { 'claims.file.id': fileId },
        })),
      );
    }
    return result;
  });
}
