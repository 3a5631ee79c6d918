import type { PipelineKafka, RunningConsumer } from '@claims/kafka';
import type { StageMetrics } from '@claims/observability';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { startDecodedTopicConsumer, type DecodedTopicFold } from './decoded-topic-consumer';

/**
 * The service's shell around one topic fold (startDecodedTopicConsumer): it
 * joins its group once the application is up, and before the shared producer
 * and the pool close it finishes and commits the batch in flight and leaves
 * the group. A topic's consumer is a subclass that names its fold.
 */
export abstract class DecodedTopicConsumer<Event> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: RunningConsumer | null = null;

  protected constructor(
    private readonly deps: { pipeline: PipelineKafka; logger: Logger; metrics: StageMetrics },
    private readonly topicFold: DecodedTopicFold<Event>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.running = await startDecodedTopicConsumer(this.deps, this.topicFold);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.running?.stop();
  }
}
