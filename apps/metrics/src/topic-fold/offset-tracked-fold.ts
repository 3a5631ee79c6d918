import { queryPrepared, type WriteStatement } from '@claims/database';
import type { DataSource, EntityManager } from 'typeorm';

/** One partition's batch of a topic folded with its offset in Postgres. */
export interface OffsetTrackedBatch<Event> {
  groupId: string;
  topic: string;
  partition: number;
  /** Offsets in order; `event` is null for a message already sent to the dead-letter topic. */
  messages: ReadonlyArray<{ offset: string; event: Event | null }>;
}

export interface OffsetTrackedFoldOutcome {
  folded: number;
  duplicates: number;
  /** Messages below the stored offset: a redelivered batch whose fold had committed already. */
  alreadyCommitted: number;
}

/**
 * Runs `fold` on the batch's messages at or past the partition's stored
 * offset, and stores the offset after the batch, in one transaction: what
 * makes a topic's fold exactly once in effect. The row lock on the offset
 * serialises two instances that briefly both hold the partition during a
 * rebalance. `fold` answers how many of the events it was given were new.
 */
export function foldWithOffset<Event>(
  dataSource: DataSource,
  batch: OffsetTrackedBatch<Event>,
  fold: (manager: EntityManager, events: Event[]) => Promise<{ folded: number }>,
): Promise<OffsetTrackedFoldOutcome> {
  return dataSource.transaction(async (manager) => {
    const nextOffset = await lockPartitionOffset(manager, batch);
    const pending = batch.messages.filter((message) => BigInt(message.offset) >= nextOffset);
    const events = pending.flatMap((message) => (message.event ? [message.event] : []));
    const { folded } = await fold(manager, events);
    const last = batch.messages[batch.messages.length - 1];
    if (last) await storeNextOffset(manager, batch, BigInt(last.offset) + 1n);
    return { folded, duplicates: events.length - folded, alreadyCommitted: batch.messages.length - pending.length };
  });
}

type PartitionKey = Pick<OffsetTrackedBatch<unknown>, 'groupId' | 'topic' | 'partition'>;

/**
 * The partition's stored offset, its row locked for the transaction: the
 * lock serialises two instances that briefly both hold the partition, and
 * fences a zombie instance that still thinks it owns it. One statement once
 * the partition has a row (every fold but its first); before, the row is
 * made first, and two instances making it at once both lock the one row.
 */
export async function lockPartitionOffset(manager: EntityManager, batch: PartitionKey): Promise<bigint> {
  const key = [batch.groupId, batch.topic, batch.partition];
  const lockStored = (): Promise<Array<{ next_offset: string }>> =>
    queryPrepared(
      manager,
      `SELECT next_offset FROM consumer_offset
        WHERE consumer_group = $1 AND topic = $2 AND kafka_partition = $3 FOR UPDATE`,
      key,
    );
  let rows = await lockStored();
  if (rows.length === 0) {
    await queryPrepared(
      manager,
      `INSERT INTO consumer_offset (consumer_group, topic, kafka_partition, next_offset)
       VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`,
      key,
    );
    rows = await lockStored();
  }
  return BigInt(rows[0]?.next_offset ?? '0');
}

/** The offset after a batch, to store in its fold's transaction; never moved back (a redelivered older batch leaves it). */
export function nextOffsetWrite(batch: PartitionKey, nextOffset: bigint): WriteStatement {
  return {
    text: `UPDATE consumer_offset SET next_offset = GREATEST(next_offset, $4::bigint)
      WHERE consumer_group = $1::text AND topic = $2::text AND kafka_partition = $3::integer`,
    parameters: [batch.groupId, batch.topic, batch.partition, nextOffset.toString()],
  };
}

/** Stores the offset after a batch (nextOffsetWrite) as a statement of its own. */
export async function storeNextOffset(manager: EntityManager, batch: PartitionKey, nextOffset: bigint): Promise<void> {
  const write = nextOffsetWrite(batch, nextOffset);
  await queryPrepared(manager, write.text, write.parameters);
}
