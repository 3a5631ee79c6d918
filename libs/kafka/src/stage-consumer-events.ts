import type { PipelineStage } from '@claims/contracts';
import type { StageMetrics } from '@claims/observability';
import type { ConsumerEvents } from './batch-consumer';

/**
 * The consumers of each stage (per registry) retrying a batch now: the
 * stage's stalled gauge is 1 while any of them is, so one consumer's
 * progress never hides another's stall.
 */
const stalledConsumers = new WeakMap<StageMetrics, Map<PipelineStage, Set<object>>>();

function stalledOf(metrics: StageMetrics, stage: PipelineStage): Set<object> {
  const byStage = stalledConsumers.get(metrics) ?? new Map<PipelineStage, Set<object>>();
  stalledConsumers.set(metrics, byStage);
  const stalled = byStage.get(stage) ?? new Set<object>();
  byStage.set(stage, stalled);
  return stalled;
}

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
  const consumer = {};
  const stalled = stalledOf(metrics, stage);
  /**
   * This consumer stalls or goes on. A batch it retried may end without a
   * recovery (given up on a lost membership, a stop, a rebuilt consumer):
   * the next batch it handles is what says it goes on.
   */
  const setStalled = (isStalled: boolean): void => {
    if (isStalled) stalled.add(consumer);
    else stalled.delete(consumer);
    metrics.consumerStalled.set({ stage }, stalled.size > 0 ? 1 : 0);
  };
  return {
    onBatchRetry: () => {
      metrics.batchRetriesTotal.inc({ stage });
      setStalled(true);
    },
    onBatchRecovered: () => setStalled(false),
    onRestart: () => metrics.consumerRestartsTotal.inc({ stage }),
    onGroupJoined: () => metrics.consumerRebalancesTotal.inc({ stage }),
    onBatchHandled: ({ topic, partition, lagRecords }) => {
      if (stalled.has(consumer)) setStalled(false);
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
