import { EVENT_HEADERS, type PipelineStage } from '@claims/contracts';
import { withBatchSpan } from '@claims/observability';
import type { ConsumedBatch } from './batch-consumer';

/** Runs a stage's work on one consumed batch inside its span, linked to each record's trace. */
export function withConsumedBatchSpan<T>(
  stage: PipelineStage,
  batch: ConsumedBatch,
  work: () => Promise<T>,
): Promise<T> {
  return withConsumedBatchesSpan(stage, [batch], work);
}

/**
 * Runs a stage's work on batches of one topic handled together inside one
 * span, linked to each record's trace; the span names the partition when they
 * are all of one.
 */
export function withConsumedBatchesSpan<T>(
  stage: PipelineStage,
  batches: readonly ConsumedBatch[],
  work: () => Promise<T>,
): Promise<T> {
  const partitions = new Set(batches.map((batch) => batch.partition));
  const messages = batches.flatMap((batch) => batch.messages);
  return withBatchSpan(
    `${stage} process`,
    {
      'messaging.system': 'kafka',
      'messaging.destination.name': batches[0]?.topic ?? '',
      ...(partitions.size === 1 ? { 'messaging.destination.partition.id': String([...partitions][0]) } : {}),
      'messaging.batch.message_count': messages.length,
    },
    messages.map((message) => message.headers?.[EVENT_HEADERS.traceParent]?.toString()),
    work,
  );
}
