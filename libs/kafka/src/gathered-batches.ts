import type { KafkaMessage } from 'kafkajs';

/**
 * Splits the partition batches of one fetch into groups handled as one, in
 * order: a group takes batches while their bytes together stay within
 * `maxBytes`, and a batch over it on its own makes a group of one. At a steady
 * rate a fetch brings a few records from each partition, and they go through
 * the stage as one batch (one produce request, one offset commit); under a
 * backlog each partition's batch fills a fetch already, and is handled alone
 * as before, so no batch grows past what one partition's fetch may hold.
 */
export function groupWithinBytes<T>(items: readonly T[], bytesOf: (item: T) => number, maxBytes: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = bytesOf(item);
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The bytes a batch's records hold (keys and values): what its handling will read and write. */
export function messageBytes(messages: readonly KafkaMessage[]): number {
  let bytes = 0;
  for (const message of messages) bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
  return bytes;
}

/**
 * Runs the items pushed to it in order, at most `limit` at a time, however
 * many callers push: the groups of every fetch share one bound, as KafkaJS's
 * workers are shared by its fetchers. `run` must not reject (it settles its
 * item's waiters itself).
 */
export class BoundedLanes<T> {
  private readonly waiting: T[] = [];
  private running = 0;

  constructor(
    private readonly limit: number,
    private readonly run: (item: T) => Promise<void>,
  ) {}

  push(...items: T[]): void {
    this.waiting.push(...items);
    while (this.running < this.limit && this.waiting.length > 0) void this.lane();
  }

  /** One lane: takes the next waiting item until none is left. */
  private async lane(): Promise<void> {
    this.running += 1;
    try {
      for (let item = this.waiting.shift(); item !== undefined; item = this.waiting.shift()) await this.run(item);
    } finally {
      this.running -= 1;
    }
  }
}
