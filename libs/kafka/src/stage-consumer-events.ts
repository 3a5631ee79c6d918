import type { PipelineStage } from '@claims/contracts';
import type { StageMetrics } from '@claims/observability';
import type { ConsumerEvents } from './batch-consumer';

/** Wires a consumer's retries and restarts to the stage's Prometheus metrics. */
export function stageConsumerEvents(stage: PipelineStage, metrics: StageMetrics): Required<ConsumerEvents> {
  return {
    onBatchRetry: () => {
      metrics.batchRetriesTotal.inc({ stage });
      metrics.consumerStalled.set({ stage }, 1);
    },
    onBatchRecovered: () => metrics.consumerStalled.set({ stage }, 0),
    onRestart: () => metrics.consumerRestartsTotal.inc({ stage }),
  };
}
