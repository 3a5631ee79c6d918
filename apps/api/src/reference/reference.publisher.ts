import {
  CLAIM_TOPICS,
  REFERENCE_TOPIC_BY_KIND,
  referenceEventMessage,
  type ReferenceEvent,
  type ReferenceKind,
} from '@claims/contracts';
import { referenceEvent } from '@claims/enrichment';
import { PipelineKafka } from '@claims/kafka';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { LOGGER } from '@claims/observability';
import type { Logger } from 'pino';

export interface PublishedReference {
  eventId: string;
  kind: ReferenceKind;
  key: string;
  effectiveDate: string;
  topic: string;
}

/** Publishes reference versions; connects on first use, so the API starts without a broker. */
@Injectable()
export class ReferencePublisher implements OnApplicationShutdown {
  private readonly pipeline: PipelineKafka;
  private started: Promise<void> | null = null;

  constructor(@Inject(API_CONFIG) config: ApiConfig, @Inject(LOGGER) logger: Logger) {
    this.pipeline = new PipelineKafka(config.kafka, 'claims-api', logger);
  }

  async publish(kind: ReferenceKind, key: string, effectiveDate: string, record: never): Promise<PublishedReference> {
    this.started ??= this.pipeline
      .start([CLAIM_TOPICS.referenceProviders, CLAIM_TOPICS.referenceProviderGroups, CLAIM_TOPICS.referenceLocations])
      .catch((error: unknown) => {
        this.started = null;
        throw error;
      });
    await this.started;
    const event: ReferenceEvent = referenceEvent(kind, key, effectiveDate, record, 'admin-api');
    const topic = this.pipeline.topic(REFERENCE_TOPIC_BY_KIND[kind]);
    await this.pipeline.producer.send(new Map([[topic, [referenceEventMessage(event)]]]));
    return { eventId: event.eventId, kind, key, effectiveDate, topic };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }
}
