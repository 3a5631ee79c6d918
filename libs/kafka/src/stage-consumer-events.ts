import type { PipelineStage } from '@claims/contracts';
import type { StageMetrics } from '@claims/observability';
import type { ConsumerEvents } from './batch-consumer';

/**
 * Wires a consumer's retries, restarts and progress to the stage's Prometheus
 * metrics. Call it once per consumer: the lag series it removes on a
 * rebalance are the ones this consumer set.
 */
export function stageConsumerEvents(stage: PipelineStage, metrics: StageMetrics): Required<ConsumerEvents> {
  // Series exist from the start, at zero: a dashboard shows "not stalled"
  // rather than nothing, and increase() sees the first restart. inc by 0 keeps
  // the value another consumer of the same stage may have set.
  metrics.consumerStalled.inc({ stage }, 0);
  metrics.consumerRestartsTotal.inc({ stage }, 0);
  metrics.consumerRebalancesTotal.inc({ stage }, 0);
  metrics.batchRetriesTotal.inc({ stage }, 0);
  /** Partitions this consumer has reported lag for, by topic. */
  const reportedPartitions = new Map<string, Set<number>>();
  return {
    onBatchRetry: () => {
      metrics.batchRetriesTotal.inc({ stage });
      metrics.consumerStalled.set({ stage }, 1);
    },
    onBatchRecovered: () => metrics.consumerStalled.set({ stage }, 0),
    onRestart: () => metrics.consumerRestartsTotal.inc({ stage }),
    onGroupJoined: () => metrics.consumerRebalancesTotal.inc({ stage }),
    onBatchHandled: ({ topic, partition, lagRecords }) => {
      metrics.consumerLagRecords.set({ stage, topic, partition: String(partition) }, lagRecords);
      const partitions = reportedPartitions.get(topic) ?? new Set<number>();
      partitions.add(partition);
      reportedPartitions.set(topic, partitions);
    },
    // A partition that moved to another instance would otherwise keep
    // reporting its last lag from here forever, and the sum over instances
    // would count it twice.
    onPartitionsAssigned: (topic, assigned) => {
      const partitions = reportedPartitions.get(topic);
      if (!partitions) return;
      const kept = new Set(assigned);
      for (const partition of [...partitions]) {
        if (kept.has(partition)) continue;
        metrics.consumerLagRecords.remove({ stage, topic, partition: String(partition) });
        partitions.delete(partition);
      }
    },
  };
}
