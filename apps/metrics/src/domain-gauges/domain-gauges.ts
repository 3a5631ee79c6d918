import { LOGGER, METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { DomainGaugesRepository, type DomainSnapshot } from './domain-gauges.repository';

/**
 * A scrape that waits longer than this on Postgres answers without the domain
 * gauges: Prometheus gives up on a whole scrape after 10 s by default, and the
 * pipeline's own metrics must still arrive while the database is in trouble.
 */
export const DOMAIN_SNAPSHOT_TIMEOUT_MS = 2_000;

export interface DomainGaugeOptions {
  readSnapshot: () => Promise<DomainSnapshot>;
  logger: Pick<Logger, 'warn'>;
  timeoutMs?: number;
}

class SnapshotTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the domain snapshot took longer than ${timeoutMs} ms`);
  }
}

/**
 * Registers the gauges SREs alert on, computed when Prometheus scrapes (one
 * query per scrape, shared by the four gauges). When the query fails or
 * times out, the gauges are left without a sample (an alert on them then sees
 * no data rather than a false zero) and claims_domain_read_errors_total
 * counts the failed scrape; the scrape itself still succeeds.
 */
export function registerDomainGauges(registry: Registry, options: DomainGaugeOptions): void {
  const timeoutMs = options.timeoutMs ?? DOMAIN_SNAPSHOT_TIMEOUT_MS;
  let inFlight: Promise<DomainSnapshot | null> | null = null;
  // Not "…_gauge_errors_total": `promtool check metrics` refuses a type
  // name inside a metric name.
  const errors = new Counter({
    name: 'claims_domain_read_errors_total',
    help: 'Scrapes whose domain gauges (pended queue, watermark, last fold commit) could not be read from Postgres.',
    registers: [registry],
    // Serialised in the same scrape as the gauges: it waits for their read,
    // so the scrape that lost the gauges already shows the error.
    async collect() {
      await snapshot();
    },
  });
  // Every gauge's collect() runs in the same scrape: the first starts the
  // query, the others wait for the same answer, and a failure counts once.
  const snapshot = (): Promise<DomainSnapshot | null> => {
    inFlight ??= readWithin(options.readSnapshot, timeoutMs)
      .catch((error: unknown) => {
        errors.inc();
        options.logger.warn({ err: error }, 'domain gauges left unset: Postgres could not be read');
        return null;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  const gauge = (name: string, help: string, valueOf: (snapshot: DomainSnapshot) => number | null): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const value = await snapshot().then((read) => (read === null ? null : valueOf(read)));
        if (value === null) this.remove();
        else this.set(value);
      },
    });
  };
  gauge(
    'claims_pended_open_claims',
    'Pended claims open at the end of the event-time watermark day (pend_day_histogram).',
    (read) => read.openPendedClaims,
  );
  gauge(
    'claims_pended_oldest_age_seconds',
    'Event-time age of the oldest open pended claim at the watermark, in whole days; absent when none is open.',
    (read) => read.oldestOpenPendedAgeSeconds,
  );
  gauge(
    'claims_event_time_watermark_timestamp_seconds',
    'The event-time watermark (latest claim date folded, max over partitions), as the Unix time of its day start (UTC).',
    (read) => read.watermarkTimestampSeconds,
  );
  gauge(
    'claims_fold_last_commit_timestamp_seconds',
    'Unix time (wall clock) of the last fold commit that folded new events (kpi_watermark), over all partitions.',
    (read) => read.lastFoldCommitTimestampSeconds,
  );
}

async function readWithin(read: () => Promise<DomainSnapshot>, timeoutMs: number): Promise<DomainSnapshot> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SnapshotTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wires the domain gauges to the service's registry and Postgres. */
@Injectable()
export class DomainGauges {
  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(LOGGER) logger: Logger,
    repository: DomainGaugesRepository,
  ) {
    registerDomainGauges(registry, { readSnapshot: () => repository.readSnapshot(), logger });
  }
}
