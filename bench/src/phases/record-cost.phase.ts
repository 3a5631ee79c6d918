import {
  CLAIM_EVENT_ENVELOPE,
  ClaimEventSchema,
  ENRICHED_CLAIM_EVENT_ENVELOPE,
  EnrichedClaimEventSchema,
  RawClaimRecordSchema,
  claimEventHeaders,
  type ClaimEvent,
  type EnrichedClaimEvent,
  type RawClaimRecord,
  decodeTrustedEvent,
  derivedEventId,
} from '@claims/contracts';
import {
  EMPTY_ENRICHMENT_CODES,
  NO_DUPLICATES,
  ReferenceTables,
  decidePend,
  enrichClaim,
  loadShippedPendRuleSet,
} from '@claims/enrichment';
import { encodeProduceRequest, type ProduceRequestArguments } from '@claims/kafka';
import {
  claimContribution,
  claimVersionOf,
  dimensionCounterDeltas,
  fileQualityTally,
  foldClaimBatch,
} from '@claims/kpi';
import { linesOf, normalizeRawRecord, rawRecordEvent } from '@claims/source-layouts';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { GeneratedCarrierFile } from '@claims/claims-generator';
import kafkaJsProduceRequest from 'kafkajs/src/protocol/requests/produce/v3/request';
import type { BenchContext } from '../bench-context';

/** Records timed per step: enough for steady timings, few enough to take seconds. */
export const RECORD_COST_SAMPLE = 20_000;
/** Events per timed Produce request: about what a stage sends per partition batch. */
const PRODUCE_REQUEST_EVENTS = 1_000;
/** Events per timed fold: about what the fold's batch holds under a backlog (16 MiB fetches). */
const FOLD_BATCH_EVENTS = 3_500;

/** The trusted decode's step names: what an internal topic's consumer runs in place of JSON.parse and zod. */
const TRUSTED_DECODE = 'trusted decode: JSON.parse + envelope check (runs instead of the two above)';

/**
 * Why a stage costs what it costs: the product's own per-record functions,
 * timed in this process on the first records of the end-to-end file (no
 * Kafka, no Postgres). Each step is run over the whole sample before the
 * next, so it is timed warm; the sum per stage is the pure compute a record
 * costs there, the rest of the stage's CPU is transport and framework.
 */
export interface RecordCostStep {
  stage: 'ingestor' | 'normalizer' | 'enricher' | 'metrics';
  step: string;
  microsecondsPerRecord: number;
}

export interface RecordCostResult {
  records: number;
  steps: RecordCostStep[];
  /** Serialized bytes per record of each topic's payload. */
  payloadBytes: { raw: number; normalized: number; enriched: number };
}

async function firstRecords(path: string, count: number): Promise<string[]> {
  const records: string[] = [];
  let header = true;
  for await (const line of linesOf(createReadStream(path))) {
    if (header) {
      header = false;
      continue;
    }
    records.push(line);
    if (records.length >= count) break;
  }
  return records;
}

function timePerRecord<In, Out>(
  inputs: readonly In[],
  work: (input: In) => Out,
): { outputs: Out[]; microseconds: number } {
  // One untimed pass so the function is optimised before it is measured.
  for (const input of inputs.slice(0, 2_000)) work(input);
  const started = process.hrtime.bigint();
  const outputs = inputs.map(work);
  return { outputs, microseconds: Number(process.hrtime.bigint() - started) / 1e3 / inputs.length };
}

/** Like timePerRecord, per record of whole batches. */
function timePerBatchedRecord<In>(batches: readonly (readonly In[])[], work: (batch: readonly In[]) => void): number {
  for (const batch of batches.slice(0, 1)) work(batch);
  const started = process.hrtime.bigint();
  for (const batch of batches) work(batch);
  const records = batches.reduce((sum, batch) => sum + batch.length, 0);
  return Number(process.hrtime.bigint() - started) / 1e3 / records;
}

/** Like timePerRecord, per record of whole Produce requests (the encoders may be async). */
async function timePerProducedRecord(
  requests: readonly ProduceRequestArguments[],
  encode: (request: ProduceRequestArguments) => unknown,
): Promise<number> {
  for (const request of requests.slice(0, 2)) await encode(request);
  const started = process.hrtime.bigint();
  for (const request of requests) await encode(request);
  const records = requests.reduce(
    (sum, request) => sum + (request.topicData[0]?.partitions[0]?.messages.length ?? 0),
    0,
  );
  return Number(process.hrtime.bigint() - started) / 1e3 / records;
}

const average = (texts: readonly string[]): number =>
  Math.round(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / texts.length);

export async function measureRecordCost(file: GeneratedCarrierFile, count: number): Promise<RecordCostResult> {
  const records = await firstRecords(file.path, count);
  const steps: RecordCostStep[] = [];
  const step = <In, Out>(
    stage: RecordCostStep['stage'],
    name: string,
    inputs: readonly In[],
    work: (input: In) => Out,
  ): Out[] => {
    const { outputs, microseconds } = timePerRecord(inputs, work);
    steps.push({ stage, step: name, microsecondsPerRecord: microseconds });
    return outputs;
  };
  const lineage = { source: file.name, fileId: file.sha256 };

  const rawEvents = step('ingestor', 'rawRecordEvent (2 × SHA-256, event id)', records, (record) =>
    rawRecordEvent({
      layout: 'desynpuf.carrier',
      record,
      recordNumber: 1,
      ...lineage,
      publishedAt: new Date().toISOString(),
    }),
  );
  // The ingestor's records carry their file span's traceparent (activeTraceParent, formatted once per span):
  // drawing two random ids per record here made this row 15-18 µs a record against under 1 µs.
  const fileTraceParent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
  step('ingestor', "headers (lineage JSON, the file span's traceparent)", rawEvents, (event) =>
    claimEventHeaders(event, fileTraceParent),
  );
  const rawJson = step('ingestor', 'JSON.stringify raw event', rawEvents, (event) => JSON.stringify(event));

  const parsedRaw = step('normalizer', 'JSON.parse raw event', rawJson, (json) => JSON.parse(json) as unknown);
  const validRaw = step(
    'normalizer',
    'zod RawClaimRecordSchema',
    parsedRaw,
    (json) => RawClaimRecordSchema.parse(json) as RawClaimRecord,
  );
  const normalized = step(
    'normalizer',
    'normalizeRawRecord (CSV, amounts, HMAC, event id, ClaimEventSchema)',
    validRaw,
    (raw) => normalizeRawRecord(raw, { patientTokenKey: 'bench-key' }),
  );
  const normalizedJson = step('normalizer', 'JSON.stringify normalized event', normalized, (event) =>
    JSON.stringify(event),
  );

  const parsedNormalized = step(
    'enricher',
    'JSON.parse normalized event',
    normalizedJson,
    (json) => JSON.parse(json) as unknown,
  );
  const validNormalized = step(
    'enricher',
    'zod ClaimEventSchema',
    parsedNormalized,
    (json) => ClaimEventSchema.parse(json) as ClaimEvent,
  );
  step('enricher', TRUSTED_DECODE, normalizedJson, (json) => decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, json));
  // An empty directory: every claim takes the pend path, the dearer one (its clear search runs too).
  const tables = new ReferenceTables();
  const rules = loadShippedPendRuleSet();
  // Every enriched (and cleared) event's id: named apart, as the id derivation is shared by every stage.
  const enrichedIds = step('enricher', 'derivedEventId (SHA-256 → UUID)', validNormalized, (event) =>
    derivedEventId('claims.enriched', event.eventId),
  );
  const enriched = step(
    'enricher',
    'enrichClaim + decidePend (in-process directory, pend rules)',
    validNormalized.map((event, index) => ({ event, eventId: enrichedIds[index] ?? '' })),
    ({ event, eventId }) => {
      const enrichment = enrichClaim(event, tables, EMPTY_ENRICHMENT_CODES);
      const pendDecision = decidePend(event, enrichment, tables, rules, NO_DUPLICATES);
      const judged: EnrichedClaimEvent = {
        ...event,
        eventId,
        normalizedEventId: event.eventId,
        enrichment,
        pendDecision,
      };
      return judged;
    },
  );
  const enrichedJson = step('enricher', 'JSON.stringify enriched event', enriched, (event) => JSON.stringify(event));

  // The enricher's Produce requests, as the stage sends them: KafkaJS's own encoder, then the one the product uses.
  const traceParent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
  const outbound = enriched.map((event, index) => ({
    key: event.claimId,
    value: enrichedJson[index] ?? '',
    headers: claimEventHeaders(event, traceParent),
  }));
  const requests: ProduceRequestArguments[] = [];
  for (let start = 0; start < outbound.length; start += PRODUCE_REQUEST_EVENTS) {
    const messages = outbound.slice(start, start + PRODUCE_REQUEST_EVENTS);
    requests.push({
      acks: -1,
      timeout: 30_000,
      topicData: [{ topic: 'claims.enriched.v1', partitions: [{ partition: 0, messages }] }],
    });
  }
  steps.push({
    stage: 'enricher',
    step: 'Produce request: KafkaJS 2.2.4 encoder (what the one-pass encoder replaces)',
    microsecondsPerRecord: await timePerProducedRecord(requests, (request) =>
      kafkaJsProduceRequest(request as never).encode(),
    ),
  });
  steps.push({
    stage: 'enricher',
    step: 'Produce request: one-pass encoder (libs/kafka)',
    microsecondsPerRecord: await timePerProducedRecord(requests, (request) => encodeProduceRequest(request)),
  });

  const parsedEnriched = step(
    'metrics',
    'JSON.parse enriched event',
    enrichedJson,
    (json) => JSON.parse(json) as unknown,
  );
  const validEnriched = step(
    'metrics',
    'zod EnrichedClaimEventSchema',
    parsedEnriched,
    (json) => EnrichedClaimEventSchema.parse(json) as EnrichedClaimEvent,
  );
  step('metrics', TRUSTED_DECODE, enrichedJson, (json) => decodeTrustedEvent(ENRICHED_CLAIM_EVENT_ENVELOPE, json));
  step('metrics', 'claimContribution', validEnriched, (event) => claimContribution(event));
  const foldBatches: EnrichedClaimEvent[][] = [];
  for (let start = 0; start < validEnriched.length; start += FOLD_BATCH_EVENTS) {
    foldBatches.push(validEnriched.slice(start, start + FOLD_BATCH_EVENTS));
  }
  steps.push({
    stage: 'metrics',
    step: `foldClaimBatch + the cells' deltas, undated and by day (batches of ${FOLD_BATCH_EVENTS}, first-seen claims)`,
    microsecondsPerRecord: timePerBatchedRecord(foldBatches, (batch) => {
      // What the fold's "fold" step and the JS half of its counter steps compute for a batch of new claims.
      const folded = foldClaimBatch(batch, { contributions: new Map(), parts: new Map() }, (event) =>
        claimVersionOf(event, 0),
      );
      dimensionCounterDeltas(folded.delta.cells);
      for (const [day, delta] of folded.dailyDelta) dimensionCounterDeltas(delta.cells, day);
    }),
  });
  steps.push({
    stage: 'metrics',
    step: `fileQualityTally (batches of ${FOLD_BATCH_EVENTS}): the ingest report's per-file counts`,
    microsecondsPerRecord: timePerBatchedRecord(foldBatches, (batch) => fileQualityTally(batch)),
  });

  return {
    records: records.length,
    steps,
    payloadBytes: { raw: average(rawJson), normalized: average(normalizedJson), enriched: average(enrichedJson) },
  };
}

/**
 * The per-record steps alone, in this process (no services, no Kafka, no
 * Postgres): cheap enough to run beside someone else's work, and what a
 * change to a step is checked with before the end-to-end phase.
 */
export function runRecordCostPhase(context: BenchContext, file: GeneratedCarrierFile): Promise<RecordCostResult> {
  return context.phase('record cost', () => measureRecordCost(file, Math.min(RECORD_COST_SAMPLE, file.records)));
}
