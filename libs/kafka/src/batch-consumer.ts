import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, isGroupMembershipError } from './kafka-errors';
import { DEFAULT_FETCH_MAX_BYTES_PER_PARTITION } from '@claims/config';
import { BoundedLanes, groupWithinBytes, messageBytes } from './gathered-batches';
import { DeferredCommits } from './deferred-commits';
import { eventLoopTurns } from './event-loop-turns';

export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** The partition's end offset when the batch was fetched: what a loss check compares with. */
  highWatermark: string;
  heartbeat: () => Promise<void>;
}

/** What a running consumer reports about its own health, for /health and metrics. */
export interface ConsumerEvents {
  /** A batch failed with transient trouble and will be retried after `delayMs`. */
  onBatchRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** A batch that had failed went through: the stage is moving again. */
  onBatchRecovered?: (attempts: number) => void;
  /** The KafkaJS consumer was rebuilt after it stopped for good (a lost group, a broker gone too long). */
  onRestart?: (restart: number, error: Error) => void;
  /** A batch was handled: `lagRecords` are still behind the partition's end as it was when the batch was fetched. */
  onBatchHandled?: (progress: PartitionProgress) => void;
  /** The group gave this consumer its partitions of `topic` (after a join or a rebalance): the others are someone else's now. */
  onPartitionsAssigned?: (topic: string, partitions: number[]) => void;
  /** The consumer joined its group: at start, and again after every rebalance (a member came, left or timed out). */
  onGroupJoined?: () => void;
}

export interface PartitionProgress {
  topic: string;
  partition: number;
  lagRecords: number;
}

/**
 * Records left behind `lastHandledOffset` in a partition whose end offset (the
 * offset the next record will get) was `highWatermark`; never negative.
 */
export function partitionLagRecords(highWatermark: string, lastHandledOffset: string): number {
  const lag = BigInt(highWatermark) - (BigInt(lastHandledOffset) + 1n);
  return lag > 0n ? Number(lag) : 0;
}

/**
 * Handed to a batch handler beside its batches: await it between the records
 * of a long synchronous loop (parsing, validating, mapping). Once a slice of
 * work (`WORK_SLICE_MS`) has run it lets the event loop turn, so the
 * heartbeat the consumer sends every second while a batch is handled goes
 * out, and health and metrics requests are answered. A handler that awaits
 * nothing for longer than the group's session timeout loses its partitions,
 * and its batch is done again by their next owner.
 */
export type YieldToEventLoop = () => Promise<void>;

/**
 * How a consumer's batches reach its handler: one partition's batch at a
 * time, or the batches a fetch brought from several partitions together.
 */
export type BatchHandler =
  | {
      /**
       * Handles one partition's batch and resolves once its effects are durable.
       * It must not throw for a bad record (that record goes to the dead-letter
       * topic); it throws only for transient trouble (broker or database down),
       * and then the same batch is retried in place with bounded backoff, the
       * group membership kept alive by heartbeats meanwhile.
       */
      handleBatch: (batch: ConsumedBatch, yieldToEventLoop: YieldToEventLoop) => Promise<void>;
      handleGatheredBatches?: never;
    }
  | {
      /**
       * As `handleBatch`, for the batches of several partitions fetched
       * together (see `groupWithinBytes`), each in offset order; their offsets
       * are committed in one request once it resolves. For a stage whose work
       * per batch (a produce request, a commit, a transaction) costs more than
       * its work per record: at a steady rate a fetch brings a few records from
       * each partition, and handled one partition at a time they cost a
       * request each. A failure retries the whole group.
       */
      handleGatheredBatches: (batches: readonly ConsumedBatch[], yieldToEventLoop: YieldToEventLoop) => Promise<void>;
      handleBatch?: never;
    };

export type BatchConsumerOptions = ConsumerEvents &
  BatchHandler & {
    kafka: Kafka;
    /** One consumer group per service, set explicitly: its instances split the partitions. */
    groupId: string;
    topic: string;
    logger: Logger;
    /** Backoff between retries of a failing batch and between consumer rebuilds. */
    backoff?: { initialMs: number; maxMs: number };
    /**
     * How many batches (or, with `handleGatheredBatches`, groups of batches)
     * are handled at once (default 3).
     */
    partitionsConsumedConcurrently?: number;
    /** How long the group waits for a silent member before moving its partitions (default 10 s). */
    sessionTimeoutMs?: number;
    /** The most bytes a fetch takes from one partition (KAFKA_FETCH_MAX_BYTES_PER_PARTITION); 8 MiB by default. */
    fetchMaxBytesPerPartition?: number;
    /**
     * How long a fetch may wait on the broker for {@link GATHER_MIN_BYTES} of
     * records (KAFKA_FETCH_GATHER_MS); unset or 0, a fetch returns as soon as
     * one record is there.
     */
    fetchGatherMs?: number;
    /**
     * The longest a handled batch's offset waits to be committed with those
     * handled after it (default {@link DEFAULT_COMMIT_INTERVAL_MS}; 0 commits
     * after every batch). A stop commits what waits; a crash redelivers it.
     */
    commitIntervalMs?: number;
  };

/**
 * A fetch response holds at most this many partitions' worth: the three a
 * stage handles at once by default. It bounds a consumer's memory however
 * many partitions it is assigned.
 */
const FETCH_PARTITIONS_PER_RESPONSE = 3;

export interface RunningConsumer {
  /**
   * Stops gracefully: no batch is fetched or started any more, the batches
   * in flight finish and their offsets are committed, then the consumer
   * leaves its group (its partitions move at once, without waiting for the
   * session timeout) and disconnects. A batch being retried through
   * transient trouble is given up instead, uncommitted: the next owner gets
   * it again. Calling it again waits for the same stop.
   */
  stop: () => Promise<void>;
}

const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 30_000 };
/** An idle fetch's longest wait on the broker: a stop waits for it (KafkaJS's default is 5 s). */
const FETCH_MAX_WAIT_MS = 500;
/**
 * With a gather time, a fetch returns once this much is there: dozens of
 * records, so a backlog (which has it at once) is never held back, and only
 * a rate below it waits out the gather time.
 */
export const GATHER_MIN_BYTES = 64 * 1024;

/**
 * Offsets handled within this long of the last commit are committed together:
 * at a steady feed every batch's commit was a request of its own, a third of
 * all the pipeline sent the broker at 1,000 records/s. What a crash can make
 * a stage do again grows by at most this much of its input, which downstream
 * deduplicates by event id as it does every redelivery.
 */
export const DEFAULT_COMMIT_INTERVAL_MS = 200;

/** A retry's wait is cut into slices this long, with a heartbeat after each, so the group keeps the member. */
const HEARTBEAT_SLICE_MS = 1_000;

/**
 * KafkaJS hands a fetch's partition batches to this many workers at once when
 * they are gathered: more than any one instance is assigned, so every batch of
 * a fetch reaches eachBatch in the same turn of the event loop. How many are
 * handled at once is then `partitionsConsumedConcurrently`, counted in groups.
 */
const GATHERING_WORKERS = 64;

/** A batch fetched and waiting for its handling and commit, with the KafkaJS callbacks that go with it. */
interface FetchedBatch extends Pick<EachBatchPayload, 'resolveOffset' | 'commitOffsetsIfNecessary'> {
  consumed: ConsumedBatch;
  stillOwned: () => boolean;
}

/**
 * At-least-once consumption with explicit commits: the offset after a batch
 * is committed only when `handleBatch` has resolved, so a crash at any point
 * redelivers rather than loses. Downstream effects are idempotent by event id.
 *
 * It rides out what an ordinary week brings, without exiting:
 * - a database or broker outage: the failing batch is retried in place with
 *   capped exponential backoff; nothing more is fetched meanwhile, so memory
 *   stays bounded;
 * - a lost group membership (a long pause, a broker restart): a commit that
 *   fails with UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION is a rebalance, not an
 *   error; the batch's effects are durable and its redelivery is deduplicated;
 * - a KafkaJS consumer that stops for good: it is rebuilt after a backoff and
 *   rejoins the group, resuming from the committed offsets.
 */
export async function startBatchConsumer(options: BatchConsumerOptions): Promise<RunningConsumer> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const concurrency = options.partitionsConsumedConcurrently ?? 3;
  const gathering = options.handleGatheredBatches !== undefined;
  const maxGroupBytes = options.fetchMaxBytesPerPartition ?? DEFAULT_FETCH_MAX_BYTES_PER_PARTITION;
  let stopped = false;
  let restarts = 0;
  let current: Consumer | null = null;
  let rebuilding: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;
  // Cuts short the backoff waits between rebuilds, so a stop never sits out a 30-second delay.
  const stopSignal = new AbortController();
  const backoffWait = (ms: number): Promise<void> =>
    sleep(ms, undefined, { signal: stopSignal.signal }).catch(() => undefined);
  /** Batches being handled or committed: what a stop waits for, before it lets KafkaJS stop. */
  let batchesInFlight = 0;
  let onIdle: (() => void) | null = null;
  /** Commits what waits when its interval is up, outside any batch: counted in flight, so a stop waits for it. */
  const flushWhenDue = (): void => {
    batchesInFlight += 1;
    commits
      .flush()
      .catch((error: unknown) =>
        options.logger.warn({ err: error, topic: options.topic }, 'offset commit failed; the next one carries it'),
      )
      .finally(() => {
        batchesInFlight -= 1;
        if (batchesInFlight === 0) onIdle?.();
      });
  };
  const commits = new DeferredCommits(
    options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS,
    (commit, partitions) => commitOrYieldToRebalance(commit, options.logger, options.topic, partitions),
    flushWhenDue,
  );

  const build = async (): Promise<void> => {
    const consumer = createConsumer(options, backoff);
    current = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assigned = event.payload.memberAssignment[options.topic] ?? [];
      commits.keepOnly(assigned);
      options.onGroupJoined?.();
      options.onPartitionsAssigned?.(options.topic, assigned);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      if (restart) {
        options.logger.warn({ err: error }, 'consumer stopped on a retriable error; KafkaJS restarts it');
        return;
      }
      if (stopped || consumer !== current) return;
      // The rebuilt consumer resumes from the committed offsets: what waited is redelivered and deduplicated.
      commits.discard();
      restarts += 1;
      const delayMs = backoffDelayMs(restarts, backoff);
      options.logger.error(
        { err: error, restart: restarts, delayMs },
        `consumer stopped for good; rebuilding it in ${(delayMs / 1000).toFixed(1)} s`,
      );
      options.onRestart?.(restarts, error);
      rebuilding = (async () => {
        await consumer.disconnect().catch(() => undefined);
        await backoffWait(delayMs);
        await startUntilRunning();
      })();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Partitions are independent (one claim's events share one), so handling
      // them concurrently overlaps one partition's I/O with another's parsing.
      // Gathered batches are limited in groups, below, instead.
      partitionsConsumedConcurrently: gathering ? GATHERING_WORKERS : concurrency,
      eachBatch: async ({ batch, heartbeat, resolveOffset, commitOffsetsIfNecessary, isRunning, isStale }) => {
        // Once a stop has begun, a fetched batch is left unstarted (and uncommitted) for the next owner.
        if (stopped || !isRunning() || isStale() || batch.messages.length === 0) return;
        batchesInFlight += 1;
        try {
          const fetched: FetchedBatch = {
            consumed: {
              topic: batch.topic,
              partition: batch.partition,
              messages: batch.messages,
              highWatermark: batch.highWatermark,
              heartbeat,
            },
            resolveOffset,
            commitOffsetsIfNecessary,
            // A stop gives up a batch that is being retried: it is left uncommitted for the next owner.
            stillOwned: () => !stopped && isRunning() && !isStale(),
          };
          await (gathering ? gather(fetched) : handleAndCommit([fetched]));
        } finally {
          batchesInFlight -= 1;
          if (batchesInFlight === 0) onIdle?.();
        }
      },
    });
  };

  /**
   * The batches of one fetch reach eachBatch in one turn of the event loop
   * (KafkaJS starts its workers on them together); they are handled once that
   * turn is over, in groups within one partition fetch's bytes. At most
   * `concurrency` groups are handled at a time across the consumer, as
   * KafkaJS's workers are shared by its fetchers (one per broker).
   */
  type GatheredBatch = { fetched: FetchedBatch; settle: { resolve: () => void; reject: (error: unknown) => void } };
  let gathered: GatheredBatch[] = [];
  const groups = new BoundedLanes<GatheredBatch[]>(concurrency, (group) =>
    handleAndCommit(group.map((entry) => entry.fetched)).then(
      () => group.forEach((entry) => entry.settle.resolve()),
      (error: unknown) => group.forEach((entry) => entry.settle.reject(error)),
    ),
  );
  const gather = (fetched: FetchedBatch): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (gathered.length === 0) setImmediate(handleGathered);
      gathered.push({ fetched, settle: { resolve, reject } });
    });
  const handleGathered = (): void => {
    const entries = gathered;
    gathered = [];
    groups.push(...groupWithinBytes(entries, (entry) => messageBytes(entry.fetched.consumed.messages), maxGroupBytes));
  };

  const handleAndCommit = async (group: readonly FetchedBatch[]): Promise<void> => {
    const handled = await handleWithRetry(
      options,
      backoff,
      group.map((fetched) => fetched.consumed),
      () => group.every((fetched) => fetched.stillOwned()),
    );
    if (!handled) return;
    const committed = group.flatMap(({ consumed: batch, resolveOffset }) => {
      const last = batch.messages[batch.messages.length - 1];
      if (!last) return [];
      resolveOffset(last.offset);
      return [{ batch, last }];
    });
    const first = group[0];
    if (!first || committed.length === 0) return;
    // One request for the group's partitions (and those handled just before); any batch's callback
    // commits any of this member's partitions. A stop commits at once what it has handled.
    commits.add(
      first.commitOffsetsIfNecessary,
      committed.map(({ batch, last }) => ({
        partition: batch.partition,
        offset: (BigInt(last.offset) + 1n).toString(),
      })),
    );
    if (stopped || commits.isDue()) await commits.flush();
    for (const { batch, last } of committed) {
      options.onBatchHandled?.({
        topic: batch.topic,
        partition: batch.partition,
        lagRecords: partitionLagRecords(batch.highWatermark, last.offset),
      });
    }
  };

  /** Connects a new consumer, retrying with backoff while the broker is unreachable. */
  const startUntilRunning = async (): Promise<void> => {
    for (let attempt = 1; !stopped; attempt += 1) {
      try {
        await build();
        return;
      } catch (error) {
        const delayMs = backoffDelayMs(attempt, backoff);
        options.logger.error({ err: error, attempt, delayMs }, 'consumer could not start; retrying');
        await current?.disconnect().catch(() => undefined);
        await backoffWait(delayMs);
      }
    }
  };

  await startUntilRunning();
  const stop = async (): Promise<void> => {
    const startedAt = Date.now();
    stopped = true;
    stopSignal.abort();
    options.logger.info(
      { topic: options.topic, groupId: options.groupId, batchesInFlight },
      'consumer stopping: no new batch; the batches in flight finish and commit',
    );
    try {
      // No more fetching; a batch fetched already is left unstarted and uncommitted (see eachBatch).
      current?.pause([{ topic: options.topic }]);
    } catch {
      // Not running yet (a rebuild under way): there is nothing to fetch from either.
    }
    // The batches in flight finish and commit while the consumer still runs:
    // KafkaJS's own stop was seen to return with batches still in their
    // handlers, and its consumer-level commit is a no-op once it stops.
    if (batchesInFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
    // What was handled and waits for its commit is committed before the group is left.
    await commits
      .flush()
      .catch((error: unknown) =>
        options.logger.warn(
          { err: error, topic: options.topic },
          'offset commit at stop failed; the next owner redelivers',
        ),
      );
    await rebuilding?.catch(() => undefined);
    // Stops the fetch loop, leaves the group (the partitions move at once), then closes.
    await current?.disconnect();
    options.logger.info(
      { topic: options.topic, groupId: options.groupId, durationMs: Date.now() - startedAt },
      'consumer stopped and left its group',
    );
  };
  return {
    stop: () => (stopping ??= stop()),
  };
}

function createConsumer(options: BatchConsumerOptions, backoff: { initialMs: number; maxMs: number }): Consumer {
  const fetchMaxBytesPerPartition = options.fetchMaxBytesPerPartition ?? DEFAULT_FETCH_MAX_BYTES_PER_PARTITION;
  return options.kafka.consumer({
    groupId: options.groupId,
    // A crashed instance's partitions move to a live one after this long.
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: 1_000,
    // A batch retried in place through a database outage holds its partition
    // this long before the group gives it to another member.
    rebalanceTimeout: 60_000,
    // Under a backlog a batch is as large as a fetch allows. Going from 4 to 8 MiB cut the pipeline's CPU
    // per record by 6-8 % in the bench (fewer produce requests and fold transactions per record), for
    // about 150 MiB more at the peak; 16 MiB cut more, but its batches ran past the session timeout on
    // two shared cores (docs/capacity-model.md).
    maxBytesPerPartition: fetchMaxBytesPerPartition,
    // How long the broker holds a fetch open, and for how much (fetchWait). A
    // stop waits out the fetch in flight: at KafkaJS's 5 s default every idle
    // service took 4-5 s to shut down.
    ...fetchWait(options.fetchGatherMs),
    maxBytes: fetchMaxBytesPerPartition * FETCH_PARTITIONS_PER_RESPONSE,
    retry: {
      initialRetryTime: 300,
      maxRetryTime: backoff.maxMs,
      retries: 10,
      // Always let KafkaJS restart after a retriable failure; the rest is ours.
      restartOnFailure: async () => true,
    },
  });
}

/**
 * The broker-side wait of each fetch. By default a fetch returns as soon as a
 * record is there, or after FETCH_MAX_WAIT_MS of nothing. With a gather time
 * it waits that long for GATHER_MIN_BYTES instead, and an idle consumer polls
 * that often: an empty fetch each time, whose cost is measured in
 * docs/capacity-model.md ("A claim fetch that waits to gather").
 */
export function fetchWait(gatherMs: number | undefined): { minBytes: number; maxWaitTimeInMs: number } {
  return gatherMs === undefined || gatherMs <= 0
    ? { minBytes: 1, maxWaitTimeInMs: FETCH_MAX_WAIT_MS }
    : { minBytes: GATHER_MIN_BYTES, maxWaitTimeInMs: gatherMs };
}

/**
 * Runs the batches until they succeed, or until a partition of theirs is no
 * longer ours (a rebalance, a membership the group dropped) or the consumer
 * stops. Returns whether they were handled.
 */
async function handleWithRetry(
  options: BatchConsumerOptions,
  backoff: { initialMs: number; maxMs: number },
  batches: readonly ConsumedBatch[],
  stillOwned: () => boolean,
): Promise<boolean> {
  const first = batches[0];
  if (!first) return true;
  const where = { topic: first.topic, partitions: batches.map((batch) => batch.partition) };
  const work = (yieldToEventLoop: YieldToEventLoop): Promise<void> =>
    options.handleGatheredBatches
      ? options.handleGatheredBatches(batches, yieldToEventLoop)
      : options.handleBatch(first, yieldToEventLoop);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await whileHeartbeating(first.heartbeat, work);
      if (attempt > 1) {
        options.logger.info({ ...where, attempt }, 'batch went through');
        options.onBatchRecovered?.(attempt);
      }
      return true;
    } catch (error) {
      const delayMs = backoffDelayMs(attempt, backoff);
      options.logger.warn(
        { err: error, ...where, attempt, delayMs },
        'batch failed on transient trouble; retrying it in place',
      );
      options.onBatchRetry?.(attempt, delayMs, error);
      for (let waited = 0; waited < delayMs; waited += HEARTBEAT_SLICE_MS) {
        await sleep(Math.min(HEARTBEAT_SLICE_MS, delayMs - waited));
        // A heartbeat refused for membership (the process was paused past the
        // session timeout, or the group is rebalancing) means the partition
        // may be someone else's already: the batch is given up, uncommitted,
        // so KafkaJS can rejoin. Retried in place, a batch whose failure came
        // from being stale (fetched before the pause) would fail forever while
        // the member it belongs to no longer exists. Any other heartbeat
        // failure is the broker's trouble, and the wait goes on.
        const membershipLost = await first.heartbeat().then(
          () => false,
          (heartbeatError: unknown) => isGroupMembershipError(heartbeatError),
        );
        if (membershipLost) {
          options.logger.warn(
            { ...where, attempt },
            'the group no longer counts this member; the failing batch is left uncommitted for the rejoin',
          );
          return false;
        }
        if (!stillOwned()) return false;
      }
    }
  }
}

/**
 * Runs a batch's handler with a heartbeat every second. KafkaJS heartbeats
 * only between batches, so a batch handled for longer than the session
 * timeout (a full 16 MiB fetch on busy cores, a slow database) lost the
 * member its partitions, and the whole batch was done again by the next
 * owner. The timer fires only when the event loop turns: the handler is
 * given the pause that lets it turn during a long synchronous loop. A
 * heartbeat refused meanwhile is left to the commit, which yields to the
 * rebalance it means.
 */
async function whileHeartbeating<T>(
  heartbeat: () => Promise<void>,
  work: (yieldToEventLoop: YieldToEventLoop) => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_SLICE_MS);
  try {
    return await work(eventLoopTurns());
  } finally {
    clearInterval(timer);
  }
}

/**
 * Commits through the batch's own `commitOffsetsIfNecessary`, not
 * `consumer.commitOffsets`: once a stop has begun, KafkaJS's consumer-level
 * commit returns without committing, and the batch a graceful stop waited
 * for would be redelivered to the next owner all the same.
 */
async function commitOrYieldToRebalance(
  commit: EachBatchPayload['commitOffsetsIfNecessary'],
  logger: Logger,
  topic: string,
  partitions: Array<{ partition: number; offset: string }>,
): Promise<void> {
  try {
    await commit({ topics: [{ topic, partitions }] });
  } catch (error) {
    if (!isGroupMembershipError(error)) throw error;
    // The batch's effects are durable; whoever owns the partition next gets it
    // again and recognises every record. KafkaJS rejoins on its next fetch.
    logger.warn(
      { err: error, topic, partitions: partitions.map((committed) => committed.partition) },
      'offset commit lost to a rebalance; the batch will be redelivered and deduplicated',
    );
  }
}
