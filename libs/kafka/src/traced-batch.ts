import { EVENT_HEADERS, type PipelineStage } from '@claims/contracts';
import { withBatchSpan } from '@claims/observability';
import type { ConsumedBatch } from './batch-consumer';

/** Runs a stage's work on one consumed batch inside its span, linked to each record's trace. */
export function withConsumedBatchSpan<T>(
  stage: PipelineStage,
  batch: ConsumedBatch,
  work: () => Promise<T>,
): Promise<T> {
  return withBatchSpan(
    `${stage} process`,
    {
      'messaging.system': 'kafka',
      'messaging.destination.name': batch.topic,
      'messaging.destination.partition.id': String(batch.partition),
      'messaging.batch.message_count': batch.messages.length,
    },
    batch.messages.map((message) => message.headers?.[EVENT_HEADERS.traceParent]?.toString()),
    work,
  );
}
