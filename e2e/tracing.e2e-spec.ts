import { waitFor } from '@claims/harness';
import { readFileSync } from 'node:fs';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { SAMPLE_CARRIER_PATH, startE2ePipeline, type E2ePipeline } from './e2e-pipeline';

/** OTLP's SpanKind values. */
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

const isPostgresQuery = (span: ReceivedSpan): boolean =>
  JSON.stringify(span.attributes['db.system'] ?? span.attributes['db.system.name'] ?? null).includes('postgresql');

/** The header and the first claims of the public DE-SynPUF carrier sample (data/desynpuf/sample2). */
function smallCarrierFile(claims: number): { text: string; memberIds: string[]; claimIds: string[] } {
  const lines = readFileSync(SAMPLE_CARRIER_PATH, 'utf8').split('\n');
  const rows = lines.slice(1, 1 + claims);
  const fields = rows.map((row) => row.split(','));
  return {
    text: `${[lines[0], ...rows].join('\n')}\n`,
    memberIds: [...new Set(fields.map((field) => field[0] ?? ''))].filter(Boolean),
    claimIds: [...new Set(fields.map((field) => field[1] ?? ''))].filter(Boolean),
  };
}

describe('traces of the five services', () => {
  let e2e: E2ePipeline;
  const otlp = new OtlpReceiver();
  const file = smallCarrierFile(12);

  beforeAll(async () => {
    e2e = await startE2ePipeline('tracing', {
      OTEL_EXPORTER_OTLP_ENDPOINT: await otlp.start(),
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      // Spans reach the receiver within the test's patience rather than the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
  });

  afterAll(async () => {
    await e2e?.stop();
    await otlp.stop();
  });

  it("follows one record from its upload through every stage and the fold's commit to the API read in one trace", async () => {
    const upload = await fetch(new URL('/v1/uploads?name=traced.csv', e2e.pipeline.services.ingestor.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file.text,
    });
    expect(upload.status).toBe(202);
    const job = await e2e.pipeline.waitForIngestion(((await upload.json()) as { ingestId: string }).ingestId);
    expect(job.state).toBe('completed');
    await e2e.waitUntilDrained(job.recordsPublished);
    const claimId = file.claimIds[0] as string;
    await e2e.pipeline.api(`/v1/claims/${claimId}`);

    const fileSpan = await waitFor(
      "the ingestor's span of the file",
      async () => otlp.spans.find((span) => span.service === 'claims-ingestor' && span.name === 'ingestor ingest file'),
      (span) => span !== undefined,
      { timeoutMs: 30_000 },
    );
    const traceId = fileSpan?.traceId as string;
    expect(fileSpan?.kind).toBe(PRODUCER);
    const inTrace = (service: string, name: string) => (span: ReceivedSpan) =>
      span.traceId === traceId && span.service === service && span.name === name;
    const readOfClaim = (span: ReceivedSpan) =>
      span.service === 'claims-api' && span.name === 'api read claim' && span.linkedTraceIds.includes(traceId);
    const spans = await waitFor(
      "every stage's span of the record's trace and the API's read linked to it",
      async () => [...otlp.spans],
      (received) =>
        [
          inTrace('claims-normalizer', 'normalizer process'),
          inTrace('claims-enricher', 'enricher process'),
          inTrace('claims-metrics', 'metrics process'),
          readOfClaim,
        ].every((matches) => received.some(matches)),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Each consuming stage's batch span is a child of the record's context, so the hops form one trace.
    for (const [service, name] of [
      ['claims-normalizer', 'normalizer process'],
      ['claims-enricher', 'enricher process'],
      ['claims-metrics', 'metrics process'],
    ] as const) {
      const batch = spans.find(inTrace(service, name));
      expect(batch?.kind).toBe(CONSUMER);
      expect(batch?.parentSpanId).toBe(fileSpan?.spanId);
    }

    // The upload's HTTP request started the ingestion: the file's span links to its server span.
    const uploadRequest = spans.find(
      (span) =>
        span.service === 'claims-ingestor' && span.kind === SERVER && fileSpan?.linkedSpanIds.includes(span.spanId),
    );
    expect(uploadRequest?.attributes['http.target'] ?? uploadRequest?.attributes['url.path']).toEqual({
      stringValue: '/v1/uploads',
    });

    // The fold's commit queries Postgres inside its batch span.
    const foldBatchIds = new Set(spans.filter(inTrace('claims-metrics', 'metrics process')).map((span) => span.spanId));
    const commitQueries = spans.filter(
      (span) => span.traceId === traceId && span.service === 'claims-metrics' && foldBatchIds.has(span.parentSpanId),
    );
    expect(commitQueries.some(isPostgresQuery)).toBe(true);

    // The API's read is a child of its HTTP request, with the claim id hashed, and queries Postgres.
    const read = spans.find(readOfClaim) as ReceivedSpan;
    const readRequest = spans.find((span) => span.spanId === read.parentSpanId);
    expect(readRequest).toMatchObject({ service: 'claims-api', kind: SERVER });
    expect(readRequest?.attributes['http.target'] ?? readRequest?.attributes['url.path']).toEqual({
      stringValue: '/v1/claims/:id',
    });
    expect(Object.keys(read.attributes)).toEqual(['claims.claim_id.sha256_prefix']);
    expect(spans.some((span) => span.parentSpanId === read.spanId && isPostgresQuery(span))).toBe(true);

    // No health probe or scrape is traced.
    const received = [...otlp.spans];
    const paths = received.map((span) => JSON.stringify(span.attributes['http.target'] ?? span.attributes['url.path']));
    expect(paths.filter((path) => /health|metrics/.test(path ?? ''))).toEqual([]);

    // No span anywhere names a member or a claim in clear.
    const exported = JSON.stringify(received);
    expect(file.memberIds.filter((memberId) => exported.includes(memberId))).toEqual([]);
    expect(file.claimIds.filter((id) => exported.includes(id))).toEqual([]);
  });
});
