import type { EachBatchPayload } from 'kafkajs';

export type CommitCallback = EachBatchPayload['commitOffsetsIfNecessary'];
export type PartitionOffset = { partition: number; offset: string };

/**
 * The offsets handled and not yet committed, by partition, committed in one
 * request once `intervalMs` has passed since the last commit: the batch
 * that finds it due commits, else `onDue` is called when it falls due (to
 * flush outside any batch).
 */
export class DeferredCommits {
  private readonly waiting = new Map<number, string>();
  private commit: CommitCallback | null = null;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (commit: CommitCallback, partitions: PartitionOffset[]) => Promise<void>,
    private readonly onDue: () => void,
  ) {}

  /** Offsets handled (each the offset after a batch's last record), to commit with `commit`. */
  add(commit: CommitCallback, partitions: readonly PartitionOffset[]): void {
    this.commit = commit;
    for (const { partition, offset } of partitions) {
      const known = this.waiting.get(partition);
      if (known === undefined || BigInt(offset) > BigInt(known)) this.waiting.set(partition, offset);
    }
    if (!this.isDue() && this.timer === null) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          if (this.waiting.size > 0) this.onDue();
        },
        Math.max(0, this.lastCommitAt + this.intervalMs - Date.now()),
      );
      this.timer.unref();
    }
  }

  isDue(): boolean {
    return Date.now() - this.lastCommitAt >= this.intervalMs;
  }

  /** Commits every offset waiting, in one request; a failed request puts back what no later offset replaced. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const commit = this.commit;
    if (commit === null || this.waiting.size === 0) return;
    const partitions = [...this.waiting].map(([partition, offset]) => ({ partition, offset }));
    this.waiting.clear();
    this.lastCommitAt = Date.now();
    try {
      await this.send(commit, partitions);
    } catch (error) {
      for (const { partition, offset } of partitions)
        if (!this.waiting.has(partition)) this.waiting.set(partition, offset);
      throw error;
    }
  }

  /** After a rebalance: the offsets of partitions now someone else's are theirs to commit. */
  keepOnly(partitions: readonly number[]): void {
    for (const partition of [...this.waiting.keys()])
      if (!partitions.includes(partition)) this.waiting.delete(partition);
  }

  /** After the consumer was rebuilt: its callbacks are gone, and its successor redelivers what waited. */
  discard(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
    this.commit = null;
  }
}
