import { LOGGER, METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';

/** Rows one DELETE removes: short statements, so the fold's inserts never queue behind a long one. */
const PRUNE_CHUNK_ROWS = 10_000;

/**
 * Deletes the processed_event rows (event ids, with the claim history they
 * carry) older than `olderThan`, a chunk at a time; returns how many went.
 * Safe while the fold runs and from several instances at once: SKIP LOCKED
 * leaves a row another pruner holds to that pruner. Exactly-once does not
 * rest on these rows once they are old: a claim's state holds its version,
 * and an event that does not supersede it replaces nothing (claim-version.ts).
 */
export async function pruneProcessedEvents(
  dataSource: DataSource,
  olderThan: Date,
  chunkRows = PRUNE_CHUNK_ROWS,
): Promise<number> {
  let pruned = 0;
  for (;;) {
    const [, deleted]: [unknown, number] = await dataSource.query(
      `DELETE FROM processed_event WHERE event_id IN (
         SELECT event_id FROM processed_event WHERE processed_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [olderThan, chunkRows],
    );
    pruned += deleted;
    if (deleted < chunkRows) return pruned;
  }
}

/**
 * Keeps processed_event to its window (PROCESSED_EVENT_RETENTION_DAYS): the
 * fold's record of recent event ids, which recognises a redelivery without
 * reading the claim, and the claims' recent event history.
 */
@Injectable()
export class ProcessedEventRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly prunedTotal: Counter;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.prunedTotal = new Counter({
      name: 'claims_processed_events_pruned_total',
      help: 'processed_event rows deleted for being older than the event-id retention window.',
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    const { intervalMs } = this.config.processedEventRetention;
    this.timer = setInterval(() => void this.pruneOnce(), intervalMs);
    this.timer.unref();
    void this.pruneOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private pruneOnce(): Promise<void> {
    this.running ??= this.prune().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async prune(): Promise<void> {
    const olderThan = new Date(Date.now() - this.config.processedEventRetention.days * 86_400_000);
    try {
      const pruned = await pruneProcessedEvents(this.dataSource, olderThan);
      this.prunedTotal.inc(pruned);
      if (pruned > 0) this.logger.info({ pruned, olderThan }, 'processed events past the retention window pruned');
    } catch (error: unknown) {
      // The next interval tries again; the window only grows a little meanwhile.
      this.logger.warn({ err: error }, 'pruning processed events failed');
    }
  }
}
