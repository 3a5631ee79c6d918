import { LOGGER, METRICS_REGISTRY } from '@claims/observability';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { GaugeSample } from '@claims/kpi';
import { acknowledgementGaugeSamples, type AcknowledgementGaugeSamples } from './acknowledgement-gauges';
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
    help: 'Scrapes whose domain gauges (pended queue, watermark, last fold commit, X12 acknowledgements) could not be read from Postgres.',
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
  // The labelled families are derived once per snapshot (payers past the label limit gathered under "other").
  let derivedFrom: DomainSnapshot | null = null;
  let derived: AcknowledgementGaugeSamples | null = null;
  const acknowledgementSamples = (read: DomainSnapshot): AcknowledgementGaugeSamples => {
    if (derivedFrom !== read || derived === null) {
      derived = acknowledgementGaugeSamples(read.acknowledgementBacklog, read.claimAcknowledgementVerdicts);
      derivedFrom = read;
    }
    return derived;
  };
  const labelledGauge = (
    name: string,
    help: string,
    labelNames: readonly string[],
    samplesOf: (samples: AcknowledgementGaugeSamples) => GaugeSample[],
  ): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const read = await snapshot();
        // A payer whose count fell to nothing loses its series, rather than keep its last value.
        this.reset();
        if (read === null) return;
        for (const sample of samplesOf(acknowledgementSamples(read))) this.set(sample.labels, sample.value);
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
  labelledGauge(
    'claims_x12_submissions_unacknowledged',
    'Submitted X12 claims a 999 or 277CA has not answered at the acknowledgement clock (event time), by payer and the first acknowledgement awaited (999: none came; 277ca: the 999 did).',
    ['payer', 'awaiting'],
    (samples) => samples.unacknowledged,
  );
  labelledGauge(
    'claims_x12_submissions_overdue',
    "Of claims_x12_submissions_unacknowledged, those older than their payer's acknowledgement SLA (ACK_SLA_HOURS, ACK_SLA_HOURS_BY_PAYER) in event time.",
    ['payer', 'awaiting'],
    (samples) => samples.overdue,
  );
  labelledGauge(
    'claims_x12_submissions_unacknowledged_oldest_age_seconds',
    'Event-time age of the oldest unacknowledged X12 submission at the acknowledgement clock, in whole days, by payer.',
    ['payer'],
    (samples) => samples.oldestAgeSeconds,
  );
  labelledGauge(
    'claims_x12_277ca_acknowledged_claims',
    'Submitted X12 claims whose latest 277CA is dated within the window (1d: the acknowledgement clock day; 7d: the seven days ending with it), by payer.',
    ['payer', 'window'],
    (samples) => samples.claimsAcknowledged,
  );
  labelledGauge(
    'claims_x12_277ca_rejected_claims',
    'Of claims_x12_277ca_acknowledged_claims, those whose latest 277CA rejected the claim (STC01-1 A3, A6, A7, A8), by payer and window.',
    ['payer', 'window'],
    (samples) => samples.claimsRejected,
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
