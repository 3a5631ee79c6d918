import { UPGRADE_DEAD_LETTERED_ROW, sourceRowsOf } from '../record-accounting/source-rows';
import { lockPartitionOffset, nextOffsetWrite } from '../topic-fold/offset-tracked-fold';
import type { EnrichedClaimEvent } from '@claims/contracts';
import {
  DIMENSION_COUNTER_MEASURES,
  DAY_COUNTER_MEASURES,
  dayCounterRows,
  adjustmentsOf,
  claimVersionOf,
  claimFactsOf,
  renderingSpecialtyOf,
  contributionOfClaimLines,
  denialCostCells,
  dimensionCounterDeltas,
  claimPartKindOf,
  fileQualityTally,
  foldClaimBatch,
  foldPendEpisodes,
  transactionSetVerdictOf,
  parseCounterKey,
  type AdjudicationStatus,
  type ClaimVersion,
  type ClaimKpiContribution,
  type ClaimLifecycle,
  type ClaimKpiDelta,
  type DimensionCounterDelta,
  type KpiClaimFacts,
  type KpiCostLine,
  type KpiLine,
  type PendEpisode,
  type PendHistogramEntry,
  type TransactionSetVerdict,
} from '@claims/kpi';
import { queryPrepared, withArrayLiterals, writesAsOneStatement, type WriteStatement } from '@claims/database';
import { METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';

export interface PartitionBatch {
  groupId: string;
  topic: string;
  partition: number;
  /** The partition's end offset when the batch was fetched; a stored offset above it means the topic was reset. */
  highWatermark?: string;
  /**
   * Asks the broker for the partition's end offset now. A batch fetched
   * before a long pause carries the end of that moment, and another member
   * may have folded past it meanwhile: a stored offset above the batch's
   * `highWatermark` is a reset only if it is above the current end too.
   */
  currentEndOffset?: () => Promise<string>;
  /** Offsets in order; `event` is null for a message already sent to the dead-letter topic. */
  messages: ReadonlyArray<FoldMessage>;
}

export interface FoldMessage {
  offset: string;
  event: EnrichedClaimEvent | null;
  /**
   * Set when Postgres refused this event's data and it was dead-lettered with
   * this code: the fold records it as handled (so a redelivery is recognised)
   * and counts it for its file, without folding it.
   */
  refusedCode?: string;
}

export interface FoldOutcome {
  /** First-seen events that moved their claim (or were a 999 verdict or a new X12 part). */
  folded: number;
  /** First-seen events that moved nothing: older than their claim's state, or a replay of a version it holds. */
  superseded: number;
  duplicates: number;
  alreadyCommitted: number;
}

/**
 * The topic under the fold is not the one whose offsets it stored: it was
 * deleted and recreated, or the broker lost its data. Skipping what sits
 * below the stored offset would lose those records silently, so the fold of
 * the partition stops here, naming the loss, until an operator acts.
 */
export class SourceTopicResetError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly storedNextOffset: bigint,
    detail: string,
  ) {
    super(
      `the fold of ${topic} partition ${partition} stopped: ${detail}; the topic was reset or recreated under ` +
        `the fold, whose stored next offset is ${storedNextOffset}. Records below that offset would be skipped ` +
        `unread, so nothing more is folded from this partition until the KPIs are rebuilt from a consistent source`,
    );
    this.name = 'SourceTopicResetError';
  }
}

/**
 * Runs a statement of the fold with its array parameters bound as array
 * literals (postgresArrayLiteral): every write of the fold passes one array
 * per column, and node-postgres's own conversion of them was a tenth of the
 * service's CPU.
 */
function queryBindingArrays<T>(manager: EntityManager, sql: string, parameters: readonly unknown[] = []): Promise<T> {
  return queryPrepared(manager, sql, withArrayLiterals(parameters));
}

/** A key column of a counter upsert: its name, Postgres type and one value per row. */
interface CounterKeyColumn {
  column: string;
  type: 'text' | 'date';
  values: readonly string[];
}

/**
 * One set-based upsert of counter rows that adds measures: the rows' key
 * columns, and each row's measures in `measures` order; the partition is the
 * fold's own. Every counter table the fold writes by key and partition goes
 * through it; no rows, no write.
 */
function counterMeasuresWrite(
  table: string,
  partition: number,
  keys: readonly CounterKeyColumn[],
  measures: readonly string[],
  rowMeasures: ReadonlyArray<readonly number[]>,
): WriteStatement | null {
  if (rowMeasures.length === 0) return null;
  // One pass over the rows fills every measure's column: a historic replay's batch moves thousands of rows.
  const measureValues: number[][] = measures.map(() => []);
  for (const vector of rowMeasures) {
    for (let index = 0; index < measureValues.length; index += 1) measureValues[index]?.push(vector[index] ?? 0);
  }
  const partitionParameter = keys.length + 1;
  const keyColumns = keys.map((key) => key.column);
  const arrayParameters = [
    ...keys.map((key, index) => `$${index + 1}::${key.type}[]`),
    ...measures.map((_, index) => `$${index + partitionParameter + 1}::bigint[]`),
  ];
  return {
    text: `INSERT INTO ${table} (${keyColumns.join(', ')}, kafka_partition, ${measures.join(', ')})
     SELECT ${keyColumns.map((column) => `d.${column}`).join(', ')}, $${partitionParameter}::integer, ${measures.map((m) => `d.${m}`).join(', ')}
       FROM unnest(${arrayParameters.join(', ')}) AS d(${keyColumns.join(', ')}, ${measures.join(', ')})
     ON CONFLICT (${keyColumns.join(', ')}, kafka_partition) DO UPDATE SET
       ${measures.map((m) => `${m} = ${table}.${m} + EXCLUDED.${m}`).join(', ')}`,
    parameters: [...keys.map((key) => key.values), partition, ...measureValues],
  };
}

/** A write of the fold and the table it writes, built when it is about to run; null when it has nothing to write. */
interface FoldWrite {
  table: string;
  build: () => WriteStatement | null;
}

/** claims_fold_write_duration_seconds' table label for a small batch's writes, which go as one statement. */
export const ONE_STATEMENT_WRITES = 'one_statement';

/** Starts timing a statement of the fold's writes; the function returned stops it. */
type StatementTimer = (table: string) => () => void;

/**
 * Up to this many messages in a batch, the fold's writes go to Postgres as one
 * statement; past it, each goes alone. A steady feed's batches hold a few
 * dozen, and each statement's round trip and turn on a busy core cost
 * about as much as its work. A backlog's hold thousands: one statement would
 * hold every write's parameters (megabytes of array literals) alive at once,
 * and in the metrics service's CPU profile the garbage collector's share went
 * from 17 to 27 %, while a dozen round trips per batch of thousands are
 * nothing.
 */
export const ONE_STATEMENT_MAX_MESSAGES = 500;

/**
 * Runs the fold's writes: as one statement for a small batch, else one by
 * one, each built just before it runs. The one statement's text depends on
 * which writes have rows (a batch of clean claims has no pend episode to
 * write): a few dozen texts, each prepared once per connection. Each
 * statement is timed by the table it writes (claims_fold_write_duration_seconds).
 */
async function runFoldWrites(
  manager: EntityManager,
  writes: readonly FoldWrite[],
  messages: number,
  timeStatement: StatementTimer,
): Promise<void> {
  if (messages <= ONE_STATEMENT_MAX_MESSAGES) {
    const statement = writesAsOneStatement(
      writes.map((write) => write.build()).filter((write): write is WriteStatement => write !== null),
    );
    if (statement)
      await timed(timeStatement(ONE_STATEMENT_WRITES), () =>
        queryBindingArrays(manager, statement.text, statement.parameters),
      );
    return;
  }
  for (const { table, build } of writes) {
    const write = build();
    if (write) await timed(timeStatement(table), () => queryBindingArrays(manager, write.text, write.parameters));
  }
}

/** Runs `work`, then stops its timer, whether it succeeded or failed. */
async function timed<T>(stop: () => void, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    stop();
  }
}

/**
 * The denial and cost families' cells by the event day each change takes
 * effect on, for kpi_dimension_counter_day: days in ascending order, each
 * day's cells in key order, so concurrent folds lock rows in one order.
 */
function dailyDimensionCounterDeltas(dailyDelta: ReadonlyMap<string, ClaimKpiDelta>): DimensionCounterDelta[] {
  const cells: DimensionCounterDelta[] = [];
  for (const day of [...dailyDelta.keys()].sort()) {
    const delta = dailyDelta.get(day);
    if (delta) for (const cell of dimensionCounterDeltas(delta.cells, day)) cells.push(cell);
  }
  return cells;
}

function eventDayOfCell(cell: DimensionCounterDelta): string {
  if (cell.day === undefined) throw new Error(`a day-keyed counter cell of ${cell.family} has no event day`);
  return cell.day;
}

const recordKey = (fileId: string, recordNumber: number): string => `${fileId}\u0000${recordNumber}`;

/**
 * The candidates' records already in ingest_record (from a `candidate` CTE of
 * file_id, record_number, outcome): each with its source sequence, and
 * whether this batch folds an event of it (its quality is tallied already).
 */
const RECORDS_WRITTEN_BEFORE = `SELECT r.file_id, r.record_number, r.source_sequence::text AS source_sequence,
         c.any_folded AS folded_before
    FROM (SELECT file_id, record_number, bool_or(outcome = 'folded') AS any_folded
            FROM candidate GROUP BY file_id, record_number) c
    JOIN ingest_record r ON r.file_id = c.file_id AND r.record_number = c.record_number`;

/** The source sequence of an event's record; recordOutcomes read one for every candidate. */
function sourceSequenceOf(sequences: ReadonlyMap<string, number>, event: EnrichedClaimEvent): number {
  const sequence = sequences.get(recordKey(event.lineage.fileId, event.lineage.recordNumber));
  if (sequence === undefined) throw new Error(`no source sequence was read for event ${event.eventId}`);
  return sequence;
}

/**
 * processed_event is the fold's record of the events it handled and, kept
 * with each, the claim's event history: what the event was and the source
 * record it came from, for the claim's timeline and lineage. Written in the
 * same one-statement insert that claims the event id, so the history holds
 * exactly the events counted, each once.
 */
const EVENT_HISTORY_COLUMNS = `event_id, claim_id, published_at, event_type, occurred_at, layout, lineage_source,
  lineage_file_id, lineage_record_number, lineage_record_count, lineage_record_sha256, refused_code,
  lineage_record_numbers`;
/**
 * The history rows of eventHistoryColumns' arrays. The rows apart of a claim
 * (lineage.recordNumbers, an array per event) travel as one array literal
 * per event: unnest cannot take arrays of different lengths as one column.
 */
const EVENT_HISTORY_ROWS = `SELECT h.event_id, h.claim_id, h.published_at, h.event_type, h.occurred_at, h.layout,
       h.lineage_source, h.lineage_file_id, h.lineage_record_number, h.lineage_record_count,
       h.lineage_record_sha256, h.refused_code, h.lineage_record_numbers::integer[]
  FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::date[], $6::text[], $7::text[],
              $8::text[], $9::integer[], $10::integer[], $11::text[], $12::text[], $13::text[])
       AS h(event_id, claim_id, published_at, event_type, occurred_at, layout, lineage_source, lineage_file_id,
            lineage_record_number, lineage_record_count, lineage_record_sha256, refused_code, lineage_record_numbers)`;

/** The history columns of these events; `refusedCodes[i]` the code event i was refused with, if it was. */
function eventHistoryColumns(
  events: readonly EnrichedClaimEvent[],
  refusedCodes: ReadonlyArray<string | null> = [],
): unknown[][] {
  return [
    events.map((event) => event.eventId),
    events.map((event) => event.claimId),
    events.map((event) => event.publishedAt),
    events.map((event) => event.eventType),
    // A refused event may have been refused for its date (a day Postgres has no such thing as): kept without it.
    events.map((event, index) => (refusedCodes[index] == null ? event.occurredAt : null)),
    events.map((event) => event.layout),
    events.map((event) => event.lineage.source),
    events.map((event) => event.lineage.fileId),
    events.map((event) => event.lineage.recordNumber),
    events.map((event) => event.lineage.recordCount ?? 1),
    events.map((event) => event.lineage.recordSha256),
    events.map((_, index) => refusedCodes[index] ?? null),
    events.map((event) => {
      const numbers = event.lineage.recordNumbers;
      return numbers === undefined ? null : `{${numbers.join(',')}}`;
    }),
  ];
}

/**
 * The events whose record's quality is still to be tallied: the first of a
 * batch for each record, unless the record had folded before.
 */
function firstEventOfEachRecord(
  fresh: readonly EnrichedClaimEvent[],
  alreadyFolded: ReadonlySet<string>,
): EnrichedClaimEvent[] {
  const seen = new Set(alreadyFolded);
  return fresh.filter((event) => {
    const key = recordKey(event.lineage.fileId, event.lineage.recordNumber);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The steps of a fold transaction, as claims_fold_step_duration_seconds
 * labels them: each a group of statements, except `fold`, the pure
 * computation of the batch's new states and counter deltas between them.
 */
export const FOLD_STEPS = [
  'offsets',
  'refused',
  'event_ids',
  'record_outcomes',
  'stored_claims',
  'stored_x12_parts',
  'fold',
  'replaced_rows',
  'x12',
  'writes',
] as const;
export type FoldStep = (typeof FOLD_STEPS)[number];

/** A stored claim's row as the fold locks it: its version and the facts its contribution is rebuilt from. */
interface StoredClaimRow {
  claim_id: string;
  version_occurred_at: string | null;
  version_source_sequence: string | null;
  version_stage: number | null;
  layout: string | null;
  claim_type: string;
  payer: string;
  service_through_date: string;
  provider_group: string;
  state: string;
  billed_amount_cents: string | null;
  payment_amount_cents: string;
  allowed_amount_cents: string;
  adjudication_status: AdjudicationStatus | null;
  first_diagnosis_code: string | null;
  drug_ndc_code: string | null;
  drug_days_supply: number | null;
  adjustments: unknown;
}

/**
 * The exactly-once fold. One Postgres transaction per partition batch holds
 * the consumed offset, the processed event ids, the claim state and the KPI
 * deltas, so either all of a batch's effects are durable or none are:
 * - a redelivered message sits below the stored offset and is skipped;
 * - a replayed record has a known event id and is skipped;
 * - a crash before COMMIT leaves nothing behind and the batch is redelivered.
 */
@Injectable()
export class ClaimFoldRepository {
  private readonly stepSeconds: Histogram<'step'> | null;
  private readonly writeSeconds: Histogram<'table'> | null;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    // Where a fold transaction's time goes, step by step: the first thing to read when the fold is slow.
    this.stepSeconds = registry
      ? new Histogram({
          name: 'claims_fold_step_duration_seconds',
          help: 'Time of one step of a fold transaction (FOLD_STEPS: its statements, or the pure fold in between).',
          labelNames: ['step'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers: [registry],
        })
      : null;
    // Which table a backlog's fold writes cost: its writes go a statement each (past ONE_STATEMENT_MAX_MESSAGES).
    this.writeSeconds = registry
      ? new Histogram({
          name: 'claims_fold_write_duration_seconds',
          help: `Time of one statement of a fold's writes, by the table it writes (${ONE_STATEMENT_WRITES}: a small batch's writes, which go together).`,
          labelNames: ['table'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers: [registry],
        })
      : null;
  }

  /** Starts timing one statement of the fold's writes into claims_fold_write_duration_seconds. */
  private readonly timeWriteStatement: StatementTimer = (table) =>
    this.writeSeconds ? this.writeSeconds.startTimer({ table }) : () => undefined;

  /** Runs one step of a fold, timed into claims_fold_step_duration_seconds. */
  private async step<T>(name: FoldStep, work: () => Promise<T> | T): Promise<T> {
    if (!this.stepSeconds) return work();
    return timed(this.stepSeconds.startTimer({ step: name }), async () => work());
  }

  foldPartitionBatch(batch: PartitionBatch): Promise<FoldOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const nextOffset = await this.step('offsets', async () => {
        const stored = await lockPartitionOffset(manager, batch);
        await this.assertSameTopicAsStored(manager, batch, stored);
        return stored;
      });
      const pending = batch.messages.filter((message) => BigInt(message.offset) >= nextOffset);
      const candidates = pending.flatMap((message) =>
        message.event && message.refusedCode === undefined ? [message.event] : [],
      );
      await this.step('refused', () => this.recordRefused(manager, pending));
      const fresh = await this.step('event_ids', () => this.claimFirstSeenEvents(manager, candidates));
      const { alreadyFolded, sourceSequences } = await this.step('record_outcomes', () =>
        this.recordOutcomes(manager, candidates, new Set(fresh)),
      );
      let superseded = 0;
      // Every write below depends only on what the reads above returned: they go to Postgres as one statement.
      const writes: FoldWrite[] = [];
      let pendHistogramDelta: readonly PendHistogramEntry[] = [];
      if (fresh.length > 0) {
        // A 999 speaks of a transaction set, not a claim: it has no claim state to lock.
        const stored = await this.step('stored_claims', () =>
          this.lockStoredClaims(
            manager,
            fresh.filter((event) => transactionSetVerdictOf(event) === null),
          ),
        );
        const parts = await this.step('stored_x12_parts', () => this.storedClaimParts(manager, fresh));
        const folded = await this.step('fold', () =>
          foldClaimBatch(fresh, { contributions: stored.contributions, parts, versions: stored.versions }, (event) =>
            claimVersionOf(event, sourceSequenceOf(sourceSequences, event)),
          ),
        );
        const { claims, delta, dailyDelta, newParts, lifecycles, setVerdicts, states, versions } = folded;
        superseded = folded.superseded.length;
        const latest = [...claims.values()];
        const latestEvents = latest.map((claim) => claim.event);
        // Every state in order, not the latest alone: a version keeps the comments of the one it replaces.
        const pend = foldPendEpisodes(states, stored.episodes);
        pendHistogramDelta = pend.delta;
        await this.step('replaced_rows', () =>
          this.removeReplacedRows(
            manager,
            // A stored claim whose events were all superseded keeps its lines.
            [...stored.contributions.keys()].filter((claimId) => claims.has(claimId)),
            pend.deletes,
          ),
        );
        await this.step('x12', async () => {
          await this.storeClaimParts(manager, batch.partition, newParts);
          await this.replaceLifecycles(manager, batch.partition, lifecycles);
          await this.storeSetVerdicts(manager, batch.partition, setVerdicts);
        });
        writes.push(
          { table: 'claim_state', build: () => this.claimStateWrite(batch.partition, latest, versions) },
          { table: 'claim_line_state', build: () => this.claimLinesWrite(latestEvents) },
          { table: 'kpi_counter', build: () => this.counterWrite(batch.partition, delta) },
          {
            table: 'kpi_dimension_counter',
            build: () => this.dimensionCounterWrite(batch.partition, dimensionCounterDeltas(delta.cells)),
          },
          { table: 'kpi_counter_day', build: () => this.dayCounterWrite(batch.partition, dailyDelta) },
          {
            table: 'kpi_dimension_counter_day',
            build: () =>
              this.dimensionCounterWrite(
                batch.partition,
                dailyDimensionCounterDeltas(dailyDelta),
                'kpi_dimension_counter_day',
              ),
          },
          { table: 'claim_pend', build: () => this.pendEpisodeWrite(batch.partition, pend.upserts) },
          { table: 'pend_day_histogram', build: () => this.pendHistogramWrite(batch.partition, pend.delta) },
          { table: 'kpi_watermark', build: () => this.watermarkWrite(batch.partition, fresh) },
        );
      }
      writes.push({
        table: 'ingest_file_quality',
        build: () => this.fileQualityWrite(batch.partition, firstEventOfEachRecord(fresh, alreadyFolded)),
      });
      const last = batch.messages[batch.messages.length - 1];
      if (last)
        writes.push({ table: 'consumer_offset', build: () => nextOffsetWrite(batch, BigInt(last.offset) + 1n) });
      await this.step('writes', async () => {
        await runFoldWrites(manager, writes, batch.messages.length, this.timeWriteStatement);
        await this.dropEmptiedPendCells(manager, batch.partition, pendHistogramDelta);
      });
      return {
        folded: fresh.length - superseded,
        superseded,
        duplicates: candidates.length - fresh.length,
        alreadyCommitted: batch.messages.length - pending.length,
      };
    });
  }

  /**
   * Below the stored offset, a message is a redelivery of one already folded,
   * so its event id must be known. An unknown one, or a stored offset beyond
   * the partition's end, means the topic is not the one the offsets were
   * stored for.
   */
  private async assertSameTopicAsStored(
    manager: EntityManager,
    batch: PartitionBatch,
    nextOffset: bigint,
  ): Promise<void> {
    if (batch.highWatermark !== undefined && BigInt(batch.highWatermark) < nextOffset) {
      const endNow = batch.currentEndOffset ? await batch.currentEndOffset() : batch.highWatermark;
      if (BigInt(endNow) < nextOffset) {
        throw new SourceTopicResetError(
          batch.topic,
          batch.partition,
          nextOffset,
          `the partition ends at offset ${endNow}`,
        );
      }
      // A stale batch: every message sits below the stored offset, a redelivery checked below.
    }
    const redelivered = batch.messages.flatMap((message) =>
      BigInt(message.offset) < nextOffset && message.event ? [message.event] : [],
    );
    if (redelivered.length === 0) return;
    // An event id past the retention window is pruned (processed-event-retention.ts), and a group whose
    // committed offsets expired is sent the partition from its start: such an event's source record is
    // still accounted as having reached the fold (ingest_record is never pruned). Only an event neither
    // known nor of a record the fold accounted was never folded.
    const unknown: Array<{ event_id: string }> = await queryBindingArrays(
      manager,
      `SELECT r.event_id FROM unnest($1::uuid[], $2::text[], $3::integer[]) AS r(event_id, file_id, record_number)
        WHERE NOT EXISTS (SELECT 1 FROM processed_event p WHERE p.event_id = r.event_id)
          AND NOT EXISTS (SELECT 1 FROM ingest_record i
                           WHERE i.file_id = r.file_id AND i.record_number = r.record_number
                             AND (i.outcome <> 'dead_lettered' OR i.stage = 'metrics'))
        LIMIT 1`,
      [
        redelivered.map((event) => event.eventId),
        redelivered.map((event) => event.lineage.fileId),
        redelivered.map((event) => event.lineage.recordNumber),
      ],
    );
    if (unknown.length > 0) {
      throw new SourceTopicResetError(
        batch.topic,
        batch.partition,
        nextOffset,
        'a record below the stored offset was never folded',
      );
    }
  }

  /** Events Postgres refused: handled (their ids known, their records counted as dead letters), not folded. */
  private async recordRefused(manager: EntityManager, pending: readonly FoldMessage[]): Promise<void> {
    const refused = pending.flatMap((message) =>
      message.event && message.refusedCode !== undefined ? [{ event: message.event, code: message.refusedCode }] : [],
    );
    if (refused.length === 0) return;
    const history = eventHistoryColumns(
      refused.map(({ event }) => event),
      refused.map(({ code }) => code),
    );
    await queryBindingArrays(
      manager,
      `INSERT INTO processed_event (${EVENT_HISTORY_COLUMNS})
       ${EVENT_HISTORY_ROWS} ON CONFLICT (event_id) DO NOTHING`,
      history,
    );
    // A refused multi-row claim is a dead letter for each of its rows.
    const rows = sourceRowsOf(refused, ({ event }) => event.lineage);
    await queryBindingArrays(
      manager,
      `INSERT INTO ingest_record (file_id, record_number, outcome, stage, error_code)
       SELECT r.file_id, r.record_number, 'dead_lettered', 'metrics', r.error_code
         FROM unnest($1::text[], $2::integer[], $3::text[]) AS r(file_id, record_number, error_code)
       ON CONFLICT (file_id, record_number) DO NOTHING`,
      [rows.fileIds, rows.recordNumbers, rows.items.map(({ code }) => code)],
    );
  }

  /**
   * One row per source record that reached the fold: what per-file
   * accounting counts. A claim assembled from adjacent rows (lineage
   * recordCount) counts each of its rows, so a file's rows read still equal
   * its rows folded, duplicate and dead-lettered.
   *
   * A record dead-lettered earlier that folds now (its dead letter replayed
   * after a fix, `npm run dlq -- replay`) moves from dead-lettered to folded,
   * so the file stays accounted: folded + 1, dead-lettered - 1. Nothing else
   * is overwritten. One statement may name a row once only for that update,
   * hence DISTINCT ON, keeping a batch's folded copy of a record over its
   * duplicate copy (a producer retry), as the first-wins insert did.
   *
   * Returns, for every candidate's record (file id and first record number):
   * - its source sequence, assigned when the row was first written (in the
   *   order the batch holds the records, whatever their file ids) and read
   *   back for any later arrival: the event's place in the claim's versions;
   * - in `alreadyFolded`, the records of first-seen events that had folded
   *   before, whose quality is tallied already (a claim re-emitted when it
   *   clears carries its record's lineage; a replay older than the event-id
   *   window has a first-seen id).
   * The statement answers the rows its insert wrote from RETURNING, and reads
   * ingest_record (as it stood before the insert) for the rest: together,
   * every candidate.
   */
  private async recordOutcomes(
    manager: EntityManager,
    candidates: readonly EnrichedClaimEvent[],
    fresh: ReadonlySet<EnrichedClaimEvent>,
  ): Promise<{ alreadyFolded: Set<string>; sourceSequences: Map<string, number> }> {
    if (candidates.length === 0) return { alreadyFolded: new Set(), sourceSequences: new Map() };
    const upgradeDeadLettered = UPGRADE_DEAD_LETTERED_ROW;
    // A row the insert wrote (new, or a dead letter upgraded) comes back from RETURNING and had not folded
    // before; only a record already written, nearly never on the hot path, is read from the table.
    const outcomeOfEachRecord = `SELECT w.file_id, w.record_number, w.source_sequence::text AS source_sequence,
             false AS folded_before
        FROM written w
      UNION ALL
      ${RECORDS_WRITTEN_BEFORE}
       WHERE NOT EXISTS (SELECT 1 FROM written w WHERE w.file_id = c.file_id AND w.record_number = c.record_number)`;
    type OutcomeRow = { file_id: string; record_number: number; source_sequence: string; folded_before: boolean };
    const outcomesOf = (rows: OutcomeRow[]) => ({
      alreadyFolded: new Set(
        rows.filter((row) => row.folded_before).map((row) => recordKey(row.file_id, row.record_number)),
      ),
      sourceSequences: new Map(
        rows.map((row) => [recordKey(row.file_id, row.record_number), Number(row.source_sequence)]),
      ),
    });
    // A claim of several rows writes a row for each; only its first row's is read back (its lineage's recordNumber).
    const rows = sourceRowsOf(candidates, (event) => event.lineage);
    const outcomes = outcomesOf(
      await queryBindingArrays<OutcomeRow[]>(
        manager,
        `WITH candidate AS (
           SELECT * FROM unnest($1::text[], $2::integer[], $3::text[]) WITH ORDINALITY
                    AS r(file_id, record_number, outcome, arrival)
         ), record AS (
           SELECT DISTINCT ON (r.file_id, r.record_number) r.file_id, r.record_number, r.outcome,
                  min(r.arrival) OVER (PARTITION BY r.file_id, r.record_number) AS arrival
             FROM candidate r
            ORDER BY r.file_id, r.record_number, r.outcome = 'folded' DESC
         ), sequenced AS (
           -- A record's place in arrival order is its first place in the batch, not its file id's: two files'
           -- rows of one claim on one date must rank as they came. (Materialized: it calls nextval.)
           SELECT a.file_id, a.record_number, a.outcome, nextval('ingest_record_source_sequence') AS source_sequence
             FROM (SELECT * FROM record ORDER BY arrival) a
         ), written AS (
           INSERT INTO ingest_record (file_id, record_number, outcome, source_sequence)
           SELECT s.file_id, s.record_number, s.outcome, s.source_sequence
             FROM sequenced s
            ORDER BY s.file_id, s.record_number
           ${upgradeDeadLettered}
           RETURNING file_id, record_number, outcome, source_sequence
         )
         ${outcomeOfEachRecord}`,
        [rows.fileIds, rows.recordNumbers, rows.items.map((event) => (fresh.has(event) ? 'folded' : 'duplicate'))],
      ),
    );
    // A record a concurrent fold (another partition's: the claims of one X12 transaction set spread over
    // partitions) inserted and committed while this insert waited on it is in neither half: RETURNING skips
    // the conflict, and the read sees the table as it stood when the statement began. A new statement sees it.
    const unread = candidates.filter(
      (event) => !outcomes.sourceSequences.has(recordKey(event.lineage.fileId, event.lineage.recordNumber)),
    );
    if (unread.length === 0) return outcomes;
    const late = outcomesOf(
      await queryBindingArrays<OutcomeRow[]>(
        manager,
        `WITH candidate AS (
           SELECT * FROM unnest($1::text[], $2::integer[], $3::text[]) AS r(file_id, record_number, outcome)
         )
         ${RECORDS_WRITTEN_BEFORE}`,
        [
          unread.map((event) => event.lineage.fileId),
          unread.map((event) => event.lineage.recordNumber),
          unread.map((event) => (fresh.has(event) ? 'folded' : 'duplicate')),
        ],
      ),
    );
    return {
      alreadyFolded: new Set([...outcomes.alreadyFolded, ...late.alreadyFolded]),
      sourceSequences: new Map([...outcomes.sourceSequences, ...late.sourceSequences]),
    };
  }

  /**
   * Findings by code, null counts per field, lookup misses and pend reasons,
   * for each file's report; the first event folded for each record only,
   * added to its file's rows of this partition (the report sums them). A
   * file's records spread over every partition and the partitions' folds run
   * concurrently: with rows shared by all of them, each fold waited at a
   * row's lock until another committed (written first in the transaction,
   * 152 ms a batch at 1,000 records/s; written last, this step still took
   * 126-147 ms per 1,000 records, against 91-94 with rows of its own).
   */
  private fileQualityWrite(partition: number, fresh: readonly EnrichedClaimEvent[]): WriteStatement | null {
    const tally = fileQualityTally(fresh);
    return counterMeasuresWrite(
      'ingest_file_quality',
      partition,
      [
        { column: 'file_id', type: 'text', values: tally.map((entry) => entry.fileId) },
        { column: 'kind', type: 'text', values: tally.map((entry) => entry.kind) },
        { column: 'name', type: 'text', values: tally.map((entry) => entry.name) },
      ],
      ['count'],
      tally.map((entry) => [entry.count]),
    );
  }

  /** Records the event ids; returns, in order, the events whose id was not yet known. */
  private async claimFirstSeenEvents(
    manager: EntityManager,
    events: readonly EnrichedClaimEvent[],
  ): Promise<EnrichedClaimEvent[]> {
    if (events.length === 0) return [];
    const rows: Array<{ event_id: string }> = await queryBindingArrays(
      manager,
      `INSERT INTO processed_event (${EVENT_HISTORY_COLUMNS})
       ${EVENT_HISTORY_ROWS}
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      eventHistoryColumns(events),
    );
    const inserted = new Set(rows.map((row) => row.event_id));
    // A batch can hold the same event twice (a producer retry); only its first copy counts.
    return events.filter((event) => inserted.delete(event.eventId));
  }

  /**
   * Locks the claims of the batch that are already stored and rebuilds what
   * each contributed to the counters from its stored lines, and to the pend
   * histogram from its stored episode, so a new version can subtract both
   * exactly. A claim seen for the first time costs no query beyond the lock.
   */
  private async lockStoredClaims(
    manager: EntityManager,
    events: readonly EnrichedClaimEvent[],
  ): Promise<{
    contributions: Map<string, ClaimKpiContribution>;
    episodes: Map<string, PendEpisode>;
    versions: Map<string, ClaimVersion>;
  }> {
    // One read of the stored rows: the lock, the versions and the facts the contributions are rebuilt from.
    const locked: StoredClaimRow[] = await queryBindingArrays(
      manager,
      `SELECT claim_id, to_char(version_occurred_at, 'YYYY-MM-DD') AS version_occurred_at, version_source_sequence,
              version_stage, layout, claim_type, payer, to_char(service_through_date, 'YYYY-MM-DD') AS service_through_date,
              provider_group, state, billed_amount_cents, payment_amount_cents, allowed_amount_cents,
              adjudication_status, first_diagnosis_code, drug_ndc_code, drug_days_supply, adjustments
         FROM claim_state WHERE claim_id = ANY($1::text[]) ORDER BY claim_id FOR UPDATE`,
      [[...new Set(events.map((event) => event.claimId))]],
    );
    if (locked.length === 0) return { contributions: new Map(), episodes: new Map(), versions: new Map() };
    const lockedIds = locked.map((row) => row.claim_id);
    const versions = new Map<string, ClaimVersion>();
    for (const row of locked) {
      // A claim whose record predates source sequences (no accounting row) holds no version: its next event replaces it.
      if (row.version_occurred_at === null || row.version_source_sequence === null) continue;
      versions.set(row.claim_id, {
        occurredAt: row.version_occurred_at,
        sourceSequence: Number(row.version_source_sequence),
        stage: row.version_stage ?? 0,
      });
    }
    return {
      contributions: await this.storedContributions(manager, locked),
      episodes: await this.storedEpisodes(manager, lockedIds),
      versions,
    };
  }

  /**
   * Rebuilds each locked claim's contribution from its stored state: the
   * same facts the fold wrote (claim_state columns and claim lines), through
   * the same functions as a new event's.
   */
  private async storedContributions(
    manager: EntityManager,
    claimRows: readonly StoredClaimRow[],
  ): Promise<Map<string, ClaimKpiContribution>> {
    const claimIds = claimRows.map((row) => row.claim_id);
    const lines: Array<{
      claim_id: string;
      hcpcs_code: string | null;
      processing_category: KpiLine['processingCategory'];
      processing_indicator_code: string | null;
      payment_amount_cents: string;
      allowed_amount_cents: string;
      charge_amount_cents: string | null;
      deductible_amount_cents: string;
      coinsurance_amount_cents: string;
    }> = await queryBindingArrays(
      manager,
      `SELECT claim_id, hcpcs_code, processing_category, processing_indicator_code, payment_amount_cents,
              allowed_amount_cents, charge_amount_cents, deductible_amount_cents, coinsurance_amount_cents
         FROM claim_line_state WHERE claim_id = ANY($1::text[]) ORDER BY claim_id, line_number`,
      [claimIds],
    );
    const linesByClaim = new Map<string, Array<KpiLine & KpiCostLine>>(claimIds.map((claimId) => [claimId, []]));
    for (const line of lines) {
      linesByClaim.get(line.claim_id)?.push({
        hcpcsCode: line.hcpcs_code,
        processingCategory: line.processing_category,
        processingIndicatorCode: line.processing_indicator_code,
        paymentAmountCents: Number(line.payment_amount_cents),
        allowedAmountCents: Number(line.allowed_amount_cents),
        chargeAmountCents: line.charge_amount_cents === null ? null : Number(line.charge_amount_cents),
        deductibleAmountCents: Number(line.deductible_amount_cents),
        coinsuranceAmountCents: Number(line.coinsurance_amount_cents),
      });
    }
    return new Map(
      claimRows.map((row) => {
        const claimLines = linesByClaim.get(row.claim_id) ?? [];
        const facts: KpiClaimFacts = {
          layout: row.layout,
          claimType: row.claim_type,
          payer: row.payer,
          serviceThroughDate: row.service_through_date,
          providerGroup: row.provider_group,
          state: row.state,
          billedAmountCents: row.billed_amount_cents === null ? null : Number(row.billed_amount_cents),
          paymentAmountCents: Number(row.payment_amount_cents),
          allowedAmountCents: Number(row.allowed_amount_cents),
          adjudicationStatus: row.adjudication_status,
          firstDiagnosisCode: row.first_diagnosis_code,
          drugNdcCode: row.drug_ndc_code,
          drugDaysSupply: row.drug_days_supply,
          adjustments: adjustmentsOf({ adjustments: row.adjustments }),
          lines: claimLines,
        };
        return [row.claim_id, { counters: contributionOfClaimLines(claimLines), cells: denialCostCells(facts) }];
      }),
    );
  }

  /** The stored pend episodes of these (locked) claims; a claim without one never pended. */
  private async storedEpisodes(manager: EntityManager, claimIds: readonly string[]): Promise<Map<string, PendEpisode>> {
    const rows: Array<{
      claim_id: string;
      pended_on: string;
      cleared_on: string | null;
      queue: string;
      reasons: string[];
      claim_type: string;
      payer: string;
      provider_group: string;
      rendering_npi: string;
      state: string;
      amount_cents: string;
      comments: string | null;
    }> = await queryBindingArrays(
      manager,
      `SELECT claim_id, to_char(pended_on, 'YYYY-MM-DD') AS pended_on, to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on,
              queue, reasons, claim_type, payer, provider_group, rendering_npi, state, amount_cents, comments
         FROM claim_pend WHERE claim_id = ANY($1::text[])`,
      [claimIds],
    );
    return new Map(
      rows.map((row) => [
        row.claim_id,
        {
          pendedOn: row.pended_on,
          clearedOn: row.cleared_on,
          reasons: row.reasons,
          queue: row.queue,
          claimType: row.claim_type,
          payer: row.payer,
          providerGroup: row.provider_group,
          renderingNpi: row.rendering_npi,
          state: row.state,
          amountCents: Number(row.amount_cents),
          comments: row.comments,
        },
      ]),
    );
  }

  private claimStateWrite(
    partition: number,
    claims: ReadonlyArray<{ event: EnrichedClaimEvent }>,
    versions: ReadonlyMap<string, ClaimVersion>,
  ): WriteStatement | null {
    if (claims.length === 0) return null;
    const facts = claims.map(({ event }) => ({ event, facts: claimFactsOf(event) }));
    const column = <T>(pick: (event: EnrichedClaimEvent, facts: KpiClaimFacts) => T): T[] =>
      facts.map((claim) => pick(claim.event, claim.facts));
    return {
      text: `INSERT INTO claim_state (claim_id, event_id, event_type, claim_type, payer, occurred_at,
         service_from_date, service_through_date, line_count, payment_amount_cents, allowed_amount_cents,
         lineage_source, lineage_file_id, lineage_record_number, kafka_partition, updated_at, layout, provider_group,
         state, billed_amount_cents, adjudication_status, first_diagnosis_code, drug_ndc_code, drug_days_supply,
         adjustments, patient_token, version_occurred_at, version_source_sequence, version_stage)
       SELECT c.claim_id, c.event_id, c.event_type, c.claim_type, c.payer, c.occurred_at, c.service_from_date,
              c.service_through_date, c.line_count, c.payment_amount_cents, c.allowed_amount_cents, c.lineage_source,
              c.lineage_file_id, c.lineage_record_number, $15::integer, now(), c.layout, c.provider_group, c.state,
              c.billed_amount_cents, c.adjudication_status, c.first_diagnosis_code, c.drug_ndc_code,
              c.drug_days_supply, c.adjustments::jsonb, c.patient_token, c.version_occurred_at,
              c.version_source_sequence, c.version_stage
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::date[],
                     $9::integer[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::integer[],
                     $16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::text[], $22::text[],
                     $23::integer[], $24::text[], $25::text[], $26::date[], $27::bigint[], $28::smallint[])
              AS c(claim_id, event_id, event_type, claim_type, payer, occurred_at, service_from_date,
                   service_through_date, line_count, payment_amount_cents, allowed_amount_cents, lineage_source,
                   lineage_file_id, lineage_record_number, layout, provider_group, state, billed_amount_cents,
                   adjudication_status, first_diagnosis_code, drug_ndc_code, drug_days_supply, adjustments,
                   patient_token, version_occurred_at, version_source_sequence, version_stage)
       ON CONFLICT (claim_id) DO UPDATE SET
         event_id = EXCLUDED.event_id, event_type = EXCLUDED.event_type, claim_type = EXCLUDED.claim_type,
         payer = EXCLUDED.payer, occurred_at = EXCLUDED.occurred_at, service_from_date = EXCLUDED.service_from_date,
         service_through_date = EXCLUDED.service_through_date, line_count = EXCLUDED.line_count,
         payment_amount_cents = EXCLUDED.payment_amount_cents, allowed_amount_cents = EXCLUDED.allowed_amount_cents,
         lineage_source = EXCLUDED.lineage_source, lineage_file_id = EXCLUDED.lineage_file_id,
         lineage_record_number = EXCLUDED.lineage_record_number, kafka_partition = EXCLUDED.kafka_partition,
         updated_at = now(), layout = EXCLUDED.layout, provider_group = EXCLUDED.provider_group,
         state = EXCLUDED.state, billed_amount_cents = EXCLUDED.billed_amount_cents,
         adjudication_status = EXCLUDED.adjudication_status, first_diagnosis_code = EXCLUDED.first_diagnosis_code,
         drug_ndc_code = EXCLUDED.drug_ndc_code, drug_days_supply = EXCLUDED.drug_days_supply,
         adjustments = EXCLUDED.adjustments, patient_token = EXCLUDED.patient_token,
         version_occurred_at = EXCLUDED.version_occurred_at,
         version_source_sequence = EXCLUDED.version_source_sequence, version_stage = EXCLUDED.version_stage`,
      parameters: [
        column((event) => event.claimId),
        column((event) => event.eventId),
        column((event) => event.eventType),
        column((event) => event.claim.claimType),
        column((event) => event.claim.payer),
        column((event) => event.occurredAt),
        column((event) => event.claim.serviceFromDate),
        column((event) => event.claim.serviceThroughDate),
        column((event) => event.claim.lines.length),
        column((event) => event.claim.totals.paymentAmountCents),
        column((event) => event.claim.totals.allowedAmountCents),
        column((event) => event.lineage.source),
        column((event) => event.lineage.fileId),
        column((event) => event.lineage.recordNumber),
        partition,
        column((_, claim) => claim.layout),
        column((_, claim) => claim.providerGroup),
        column((_, claim) => claim.state),
        column((_, claim) => claim.billedAmountCents),
        column((_, claim) => claim.adjudicationStatus),
        column((_, claim) => claim.firstDiagnosisCode),
        column((_, claim) => claim.drugNdcCode),
        column((_, claim) => claim.drugDaysSupply),
        // Only the adjustments the KPIs read, as they read them; none is stored as NULL.
        column((_, claim) => (claim.adjustments.length === 0 ? null : JSON.stringify(claim.adjustments))),
        // The keyed hash only (never the member id): what joins a claim to its member's coverage year.
        column((event) => event.claim.patientToken),
        column((event) => versions.get(event.claimId)?.occurredAt ?? null),
        column((event) => versions.get(event.claimId)?.sourceSequence ?? null),
        column((event) => versions.get(event.claimId)?.stage ?? null),
      ],
    };
  }

  /**
   * Removes what a new version replaces, before the batch's writes add it
   * again: the lines of claims stored before, and the pend episode of a
   * claim whose new version has none (a changed episode is overwritten by
   * the batch's writes). A claim seen for the first time has neither.
   */
  private async removeReplacedRows(
    manager: EntityManager,
    previouslyStoredClaimIds: readonly string[],
    pendEpisodesDeleted: readonly string[],
  ): Promise<void> {
    if (previouslyStoredClaimIds.length > 0) {
      await queryBindingArrays(manager, `DELETE FROM claim_line_state WHERE claim_id = ANY($1::text[])`, [
        previouslyStoredClaimIds,
      ]);
    }
    if (pendEpisodesDeleted.length > 0) {
      await queryBindingArrays(manager, `DELETE FROM claim_pend WHERE claim_id = ANY($1::text[])`, [
        pendEpisodesDeleted,
      ]);
    }
  }

  /** The lines of each claim's latest version (a stored claim's old lines are removed first: removeReplacedRows). */
  private claimLinesWrite(events: readonly EnrichedClaimEvent[]): WriteStatement | null {
    const lines = events.flatMap((event) => {
      const found = new Map(
        event.enrichment.renderingProviders.map((provider) => [provider.npi, provider.lookupStatus === 'found']),
      );
      return event.claim.lines.map((line) => ({
        claimId: event.claimId,
        line,
        found,
        specialty: renderingSpecialtyOf(event.enrichment, line.renderingNpi),
      }));
    });
    if (lines.length === 0) return null;
    const column = <T>(pick: (row: (typeof lines)[number]) => T): T[] => lines.map(pick);
    return {
      text: `INSERT INTO claim_line_state (claim_id, line_number, hcpcs_code, rendering_npi, rendering_provider_found,
         tax_id, processing_indicator_code, processing_category, payment_amount_cents, allowed_amount_cents,
         charge_amount_cents, deductible_amount_cents, coinsurance_amount_cents, rendering_specialty)
       SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::boolean[], $6::text[],
                            $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[],
                            $13::bigint[], $14::text[])`,
      parameters: [
        column((row) => row.claimId),
        column((row) => row.line.lineNumber),
        column((row) => row.line.hcpcsCode),
        column((row) => row.line.renderingNpi),
        column((row) => (row.line.renderingNpi === null ? null : (row.found.get(row.line.renderingNpi) ?? false))),
        column((row) => row.line.taxId),
        column((row) => row.line.processingIndicatorCode),
        column((row) => row.line.processingCategory),
        column((row) => row.line.paymentAmountCents),
        column((row) => row.line.allowedAmountCents),
        column((row) => row.line.chargeAmountCents ?? null),
        column((row) => row.line.deductibleAmountCents),
        column((row) => row.line.coinsuranceAmountCents),
        column((row) => row.specialty),
      ],
    };
  }

  /** The first family's counters (`kpi|dimension`) into kpi_counter, one upsert. */
  private counterWrite(partition: number, delta: ClaimKpiDelta): WriteStatement | null {
    const entries = Object.entries(delta.counters).map(([key, value]) => ({ ...parseCounterKey(key), value }));
    return counterMeasuresWrite(
      'kpi_counter',
      partition,
      [
        { column: 'kpi', type: 'text', values: entries.map((entry) => entry.kpi) },
        { column: 'dimension', type: 'text', values: entries.map((entry) => entry.dimension) },
      ],
      ['value'],
      entries.map((entry) => [entry.value]),
    );
  }

  /**
   * The first family's delta by the event day each change takes effect on,
   * into its day-keyed twin (kpi_counter_day, wide rows): what the family
   * reads at the end of a past day. One upsert, every day at once.
   */
  private dayCounterWrite(partition: number, dailyDelta: ReadonlyMap<string, ClaimKpiDelta>): WriteStatement | null {
    const rows = dayCounterRows(dailyDelta);
    return counterMeasuresWrite(
      'kpi_counter_day',
      partition,
      [
        { column: 'dimension', type: 'text', values: rows.map((row) => row.dimension) },
        { column: 'dimension_value', type: 'text', values: rows.map((row) => row.dimensionValue) },
        { column: 'event_day', type: 'date', values: rows.map((row) => row.eventDay) },
      ],
      DAY_COUNTER_MEASURES,
      rows.map((row) => row.measures),
    );
  }

  /**
   * One set-based upsert of every dimension counter cell the batch moved,
   * all measures at once: into kpi_dimension_counter, or with each cell's
   * event day into its day-keyed twin.
   */
  private dimensionCounterWrite(
    partition: number,
    cells: readonly DimensionCounterDelta[],
    table: 'kpi_dimension_counter' | 'kpi_dimension_counter_day' = 'kpi_dimension_counter',
  ): WriteStatement | null {
    const keys: CounterKeyColumn[] = [
      { column: 'family', type: 'text', values: cells.map((cell) => cell.family) },
      { column: 'dimension', type: 'text', values: cells.map((cell) => cell.dimension) },
      { column: 'dimension_value', type: 'text', values: cells.map((cell) => cell.dimensionValue) },
    ];
    if (table === 'kpi_dimension_counter_day')
      keys.push({ column: 'event_day', type: 'date', values: cells.map(eventDayOfCell) });
    return counterMeasuresWrite(
      table,
      partition,
      keys,
      DIMENSION_COUNTER_MEASURES,
      cells.map((cell) => cell.measures),
    );
  }

  /**
   * Each claim's pend episode, written beside its state (an episode the new
   * version ends is removed first: removeReplacedRows). Nothing when no claim
   * of the batch has one: the clean claim's hot path.
   */
  private pendEpisodeWrite(
    partition: number,
    upserts: ReadonlyArray<{ claimId: string; episode: PendEpisode }>,
  ): WriteStatement | null {
    if (upserts.length === 0) return null;
    const column = <T>(pick: (episode: PendEpisode) => T): T[] => upserts.map(({ episode }) => pick(episode));
    return {
      // comments are PHI: bound as a parameter like every value, never part of a log line or an error reason.
      text: `INSERT INTO claim_pend (claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group,
           rendering_npi, state, amount_cents, kafka_partition, comments)
         SELECT p.claim_id, p.pended_on, p.cleared_on, p.queue,
                ARRAY(SELECT jsonb_array_elements_text(p.reasons::jsonb)), p.claim_type, p.payer, p.provider_group,
                p.rendering_npi, p.state, p.amount_cents, $12::integer, p.comments
           FROM unnest($1::text[], $2::date[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                       $9::text[], $10::text[], $11::bigint[], $13::text[])
                AS p(claim_id, pended_on, cleared_on, queue, reasons, claim_type, payer, provider_group, rendering_npi,
                     state, amount_cents, comments)
         ON CONFLICT (claim_id) DO UPDATE SET
           pended_on = EXCLUDED.pended_on, cleared_on = EXCLUDED.cleared_on, queue = EXCLUDED.queue,
           reasons = EXCLUDED.reasons, claim_type = EXCLUDED.claim_type, payer = EXCLUDED.payer,
           provider_group = EXCLUDED.provider_group, rendering_npi = EXCLUDED.rendering_npi, state = EXCLUDED.state,
           amount_cents = EXCLUDED.amount_cents, kafka_partition = EXCLUDED.kafka_partition,
           comments = EXCLUDED.comments`,
      parameters: [
        upserts.map(({ claimId }) => claimId),
        column((episode) => episode.pendedOn),
        column((episode) => episode.clearedOn),
        column((episode) => episode.queue),
        column((episode) => JSON.stringify(episode.reasons)),
        column((episode) => episode.claimType),
        column((episode) => episode.payer),
        column((episode) => episode.providerGroup),
        column((episode) => episode.renderingNpi),
        column((episode) => episode.state),
        column((episode) => episode.amountCents),
        partition,
        column((episode) => episode.comments),
      ],
    };
  }

  /** The pend day histogram moved by the difference between each claim's stored episode and its new one. */
  private pendHistogramWrite(partition: number, delta: readonly PendHistogramEntry[]): WriteStatement | null {
    return counterMeasuresWrite(
      'pend_day_histogram',
      partition,
      [
        { column: 'dimension', type: 'text', values: delta.map((entry) => entry.dimension) },
        { column: 'dimension_value', type: 'text', values: delta.map((entry) => entry.dimensionValue) },
        { column: 'pended_on', type: 'date', values: delta.map((entry) => entry.pendedOn) },
        { column: 'cleared_on', type: 'date', values: delta.map((entry) => entry.clearedOn) },
      ],
      ['claims', 'amount_cents'],
      delta.map((entry) => [entry.claims, entry.amountCents]),
    );
  }

  /**
   * A cell only a subtraction can empty (the open cell of a claim that
   * cleared) is dropped once it holds nothing, so the histogram stays as small
   * as the episodes it counts. Run after the histogram's write, whose result
   * it reads.
   */
  private async dropEmptiedPendCells(
    manager: EntityManager,
    partition: number,
    delta: readonly PendHistogramEntry[],
  ): Promise<void> {
    const shrunk = delta.filter((entry) => entry.claims < 0 || entry.amountCents < 0);
    if (shrunk.length === 0) return;
    await timed(this.timeWriteStatement('pend_day_histogram'), () =>
      queryBindingArrays(
        manager,
        `DELETE FROM pend_day_histogram h
        USING unnest($1::text[], $2::text[], $3::date[], $4::date[]) AS d(dimension, dimension_value, pended_on, cleared_on)
        WHERE h.dimension = d.dimension AND h.dimension_value = d.dimension_value AND h.pended_on = d.pended_on
          AND h.cleared_on = d.cleared_on AND h.kafka_partition = $5 AND h.claims = 0 AND h.amount_cents = 0`,
        [
          shrunk.map((entry) => entry.dimension),
          shrunk.map((entry) => entry.dimensionValue),
          shrunk.map((entry) => entry.pendedOn),
          shrunk.map((entry) => entry.clearedOn),
          partition,
        ],
      ),
    );
  }

  /**
   * The X12 parts stored for the claims of the batch that have parts: what
   * their state and lifecycle are recomputed from. The claims' rows are
   * already locked (lockStoredClaims), and one claim's events share a
   * partition, so no other fold writes these parts meanwhile.
   */
  private async storedClaimParts(
    manager: EntityManager,
    events: readonly EnrichedClaimEvent[],
  ): Promise<Map<string, EnrichedClaimEvent[]>> {
    const claimIds = [...new Set(events.filter((event) => claimPartKindOf(event) !== null).map((e) => e.claimId))];
    const parts = new Map<string, EnrichedClaimEvent[]>();
    if (claimIds.length === 0) return parts;
    const rows: Array<{ claim_id: string; event: EnrichedClaimEvent }> = await queryBindingArrays(
      manager,
      `SELECT claim_id, event FROM x12_claim_part WHERE claim_id = ANY($1::text[])`,
      [claimIds],
    );
    for (const row of rows) parts.set(row.claim_id, [...(parts.get(row.claim_id) ?? []), row.event]);
    return parts;
  }

  private async storeClaimParts(
    manager: EntityManager,
    partition: number,
    parts: readonly EnrichedClaimEvent[],
  ): Promise<void> {
    if (parts.length === 0) return;
    await queryBindingArrays(
      manager,
      `INSERT INTO x12_claim_part (claim_id, event_id, part_kind, occurred_at, event, kafka_partition)
       SELECT p.claim_id, p.event_id, p.part_kind, p.occurred_at, p.event::jsonb, $6::integer
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::date[], $5::text[])
              AS p(claim_id, event_id, part_kind, occurred_at, event)
       ON CONFLICT (claim_id, event_id) DO NOTHING`,
      [
        parts.map((event) => event.claimId),
        parts.map((event) => event.eventId),
        parts.map((event) => claimPartKindOf(event)),
        parts.map((event) => event.occurredAt),
        parts.map((event) => JSON.stringify(event)),
        partition,
      ],
    );
  }

  /** Rewrites the lifecycle rows of each claim the batch gave a part, from all its parts. */
  private async replaceLifecycles(
    manager: EntityManager,
    partition: number,
    lifecycles: ReadonlyMap<string, readonly ClaimLifecycle[]>,
  ): Promise<void> {
    if (lifecycles.size === 0) return;
    await queryBindingArrays(
      manager,
      `DELETE FROM x12_claim_lifecycle WHERE patient_control_number = ANY($1::text[])`,
      [[...lifecycles.keys()]],
    );
    const rows = [...lifecycles.values()].flat().map((row) => ({
      patient_control_number: row.patientControlNumber,
      billing_npi: row.billingNpi,
      payer: row.payer,
      submitted: row.submitted,
      first_submitted_on: row.firstSubmittedOn,
      submission_count: row.submissionCount,
      resubmitted: row.resubmitted,
      first_set_sender_id: row.firstSetSenderId,
      first_set_group_control_number: row.firstSetGroupControlNumber,
      first_set_transaction_control_number: row.firstSetTransactionControlNumber,
      pended: row.pended,
      acknowledgement_count: row.acknowledgementCount,
      latest_acknowledgement_status: row.latestAcknowledgementStatus,
      latest_acknowledgement_category: row.latestAcknowledgementCategory,
      latest_acknowledged_on: row.latestAcknowledgedOn,
      ever_rejected_by_acknowledgement: row.everRejectedByAcknowledgement,
      adjudication_count: row.adjudicationCount,
      first_adjudicated_on: row.firstAdjudicatedOn,
      first_adjudication_status: row.firstAdjudicationStatus,
      first_paid_on: row.firstPaidOn,
      paid_amount_cents: row.paidAmountCents,
      reversal_count: row.reversalCount,
    }));
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0] ?? {});
    await queryBindingArrays(
      manager,
      `INSERT INTO x12_claim_lifecycle (${columns.join(', ')}, kafka_partition)
       SELECT ${columns.map((column) => `r.${column}`).join(', ')}, $2::integer
         FROM jsonb_populate_recordset(NULL::x12_claim_lifecycle, $1::jsonb) AS r`,
      [JSON.stringify(rows), partition],
    );
  }

  /** One row per 999 verdict; a redelivered 999 has a known event id and adds nothing. */
  private async storeSetVerdicts(
    manager: EntityManager,
    partition: number,
    verdicts: readonly TransactionSetVerdict[],
  ): Promise<void> {
    if (verdicts.length === 0) return;
    await queryBindingArrays(
      manager,
      `INSERT INTO x12_transaction_set_verdict (event_id, sender_id, group_control_number,
         transaction_control_number, status, acknowledged_on, kafka_partition)
       SELECT v.*, $7::integer
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[])
              AS v(event_id, sender_id, group_control_number, transaction_control_number, status, acknowledged_on)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        verdicts.map((verdict) => verdict.eventId),
        verdicts.map((verdict) => verdict.senderId),
        verdicts.map((verdict) => verdict.groupControlNumber),
        verdicts.map((verdict) => verdict.transactionControlNumber),
        verdicts.map((verdict) => verdict.status),
        verdicts.map((verdict) => verdict.acknowledgedOn),
        partition,
      ],
    );
  }

  /** The partition's event-time watermark: the latest event day folded, never moved back. */
  private watermarkWrite(partition: number, events: readonly EnrichedClaimEvent[]): WriteStatement | null {
    if (events.length === 0) return null;
    const latest = events.reduce((max, event) => (event.occurredAt > max ? event.occurredAt : max), '0000-01-01');
    return {
      text: `INSERT INTO kpi_watermark (kafka_partition, event_time_watermark, committed_at)
       VALUES ($1, $2, clock_timestamp())
       ON CONFLICT (kafka_partition) DO UPDATE SET
         event_time_watermark = GREATEST(kpi_watermark.event_time_watermark, EXCLUDED.event_time_watermark),
         committed_at = EXCLUDED.committed_at`,
      parameters: [partition, latest],
    };
  }
}
