import {
  ACKNOWLEDGEMENT_BACKLOG_BY_PAYER_SQL,
  ACKNOWLEDGEMENT_CLOCK_SQL,
  CLAIM_ACKNOWLEDGEMENT_VERDICTS_BY_PAYER_SQL,
  acknowledgementSlaParameters,
  type AcknowledgementBacklogRow,
  type AcknowledgementClockRow,
  type AcknowledgementSlaPolicy,
  type ClaimAcknowledgementVerdictRow,
} from '@claims/kpi';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MetricsConfig } from '../metrics.config';
import { METRICS_CONFIG } from '../metrics.tokens';

/** What the domain gauges show, read in one round trip at scrape time. */
export interface DomainSnapshot {
  /** Start (00:00 UTC) of the event-time watermark day, max over partitions; null before anything folded. */
  watermarkTimestampSeconds: number | null;
  /**
   * When the last fold transaction that folded new events committed (wall clock;
   * a batch of duplicates only does not stamp it); null before anything folded.
   */
  lastFoldCommitTimestampSeconds: number | null;
  /** Pended claims open at the end of the watermark day. */
  openPendedClaims: number;
  /** Event-time age of the oldest of them (whole days, in seconds); null when none is open. */
  oldestOpenPendedAgeSeconds: number | null;
  /**
   * X12 submissions awaiting a 999 or 277CA at the acknowledgement clock, by payer and
   * the first acknowledgement awaited (docs/kpis/acknowledgement-slas.md);
   * empty before anything folded.
   */
  acknowledgementBacklog: AcknowledgementBacklogRow[];
  /** 277CA verdicts by payer over the last 1 and 7 event days to the acknowledgement clock. */
  claimAcknowledgementVerdicts: ClaimAcknowledgementVerdictRow[];
}

/**
 * One statement over two small, indexed reads: kpi_watermark (a row per
 * Kafka partition) and the `all` slice of pend_day_histogram, a range of its
 * primary key (dimension, dimension_value, pended_on, …). Cells are summed
 * over partitions per pend day before a day counts as holding an open claim,
 * since a claim moving between partitions leaves a -1 in one and a +1 in
 * another. Definitions: docs/kpis/pended-queue.md (open at the end of day D,
 * age in whole days from the pend day).
 */
export const DOMAIN_SNAPSHOT_SQL = `
WITH watermark AS (
  SELECT max(event_time_watermark) AS day, max(committed_at) AS committed_at FROM kpi_watermark
), open_days AS (
  SELECT h.pended_on, sum(h.claims) AS claims
    FROM pend_day_histogram h CROSS JOIN watermark w
   WHERE h.dimension = 'all' AND h.dimension_value = ''
     AND h.pended_on <= w.day AND h.cleared_on > w.day
   GROUP BY h.pended_on
  HAVING sum(h.claims) <> 0
)
SELECT extract(epoch FROM w.day::timestamp)::float8 AS watermark_seconds,
       extract(epoch FROM w.committed_at)::float8 AS committed_seconds,
       coalesce((SELECT sum(claims) FROM open_days), 0)::float8 AS open_claims,
       (SELECT w.day - min(pended_on) FROM open_days WHERE claims > 0) AS oldest_age_days
  FROM watermark w
`;

interface DomainSnapshotRow {
  watermark_seconds: number | null;
  committed_seconds: number | null;
  open_claims: number;
  oldest_age_days: number | null;
}

const SECONDS_PER_DAY = 86_400;

@Injectable()
export class DomainGaugesRepository {
  private readonly acknowledgementSla: AcknowledgementSlaPolicy;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(METRICS_CONFIG) config: Pick<MetricsConfig, 'acknowledgementSla'>,
  ) {
    this.acknowledgementSla = config.acknowledgementSla;
  }

  async readSnapshot(): Promise<DomainSnapshot> {
    const [row] = (await this.dataSource.query(DOMAIN_SNAPSHOT_SQL)) as DomainSnapshotRow[];
    if (!row) throw new Error('the domain snapshot query returned no row');
    // Aged at the acknowledgement clock: event time, as the pended queue is (docs/kpis/acknowledgement-slas.md).
    const [clock] = (await this.dataSource.query(ACKNOWLEDGEMENT_CLOCK_SQL)) as AcknowledgementClockRow[];
    const asOf = clock?.as_of ?? null;
    const [acknowledgementBacklog, claimAcknowledgementVerdicts] =
      asOf === null
        ? [[], []]
        : await Promise.all([
            this.dataSource.query(ACKNOWLEDGEMENT_BACKLOG_BY_PAYER_SQL, [
              asOf,
              ...acknowledgementSlaParameters(this.acknowledgementSla),
            ]) as Promise<AcknowledgementBacklogRow[]>,
            this.dataSource.query(CLAIM_ACKNOWLEDGEMENT_VERDICTS_BY_PAYER_SQL, [asOf]) as Promise<
              ClaimAcknowledgementVerdictRow[]
            >,
          ]);
    return {
      watermarkTimestampSeconds: row.watermark_seconds,
      lastFoldCommitTimestampSeconds: row.committed_seconds,
      openPendedClaims: row.open_claims,
      oldestOpenPendedAgeSeconds: row.oldest_age_days === null ? null : row.oldest_age_days * SECONDS_PER_DAY,
      acknowledgementBacklog,
      claimAcknowledgementVerdicts,
    };
  }
}
