import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  linkedTraceIds: string[];
  linkedSpanIds: string[];
  /** Each attribute's value as OTLP/JSON carries it (`{ stringValue: … }`, `{ intValue: … }`). */
  attributes: Record<string, unknown>;
}

interface OtlpJsonSpan {
  name: string;
  kind?: number;
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  links?: Array<{ traceId: string; spanId?: string }>;
  attributes?: Array<{ key: string; value?: unknown }>;
}

interface OtlpJsonExport {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value?: { stringValue?: string } }> };
    scopeSpans?: Array<{ spans?: OtlpJsonSpan[] }>;
  }>;
}

/**
 * An OTLP/HTTP endpoint on loopback that keeps what the services export
 * (JSON encoding, `POST /v1/traces`), so a test can read the spans the real
 * exporters sent.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/v1/traces')
          this.collect(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private collect(body: string): void {
    const payload = JSON.parse(body) as OtlpJsonExport;
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const service =
        resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value?.stringValue ??
        '';
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            name: span.name,
            kind: span.kind ?? 0,
            traceId: span.traceId,
            spanId: span.spanId ?? '',
            parentSpanId: span.parentSpanId ?? '',
            linkedTraceIds: (span.links ?? []).map((link) => link.traceId),
            linkedSpanIds: (span.links ?? []).map((link) => link.spanId ?? ''),
            attributes: Object.fromEntries(
              (span.attributes ?? []).map((attribute) => [attribute.key, attribute.value]),
            ),
          });
        }
      }
    }
  }
}
