import type { PipelineSample } from './pipeline-sampler';

/** Mean time a record spends in each hop, in milliseconds. */
export interface HopLatencies {
  /** Raw topic → normalized topic: the normalizer's consume, work and produce. */
  normalizerMs: number;
  /** Normalized → enriched topic: the enricher's consume, lookups, pend rules and produce. */
  enricherMs: number;
  /** Enriched topic → committed in the fold: the metrics service's consume and transaction. */
  foldMs: number;
}

/**
 * Little's law per hop: at a steady rate, the mean number of records between
 * one stage's output and the next's, divided by the rate, is the mean time a
 * record spends between them. The backlogs come from topic ends and the fold's
 * committed offsets, sampled while the load was paced, so the hops are timed
 * without touching the records.
 */
export function meanHopLatencies(
  samples: readonly Pick<PipelineSample, 'rawRecords' | 'normalizedRecords' | 'enrichedRecords' | 'foldedRecords'>[],
  recordsPerSecond: number,
  /**
   * Enriched events per normalized event over the whole step (a claim that
   * pends and clears at once is two): the enricher's output is counted in
   * normalized events, or the extra events would hide its backlog.
   */
  enrichedPerNormalized = 1,
): HopLatencies | null {
  if (samples.length === 0 || !(recordsPerSecond > 0) || !(enrichedPerNormalized > 0)) return null;
  const meanBacklog = (backlog: (sample: (typeof samples)[number]) => number): number =>
    samples.reduce((sum, sample) => sum + Math.max(0, backlog(sample)), 0) / samples.length;
  const toMs = (records: number): number => (records / recordsPerSecond) * 1000;
  return {
    normalizerMs: toMs(meanBacklog((sample) => sample.rawRecords - sample.normalizedRecords)),
    enricherMs: toMs(
      meanBacklog((sample) => sample.normalizedRecords - sample.enrichedRecords / enrichedPerNormalized),
    ),
    // Enriched events wait in front of the fold: counted in records of the rate's unit.
    foldMs: toMs(meanBacklog((sample) => (sample.enrichedRecords - sample.foldedRecords) / enrichedPerNormalized)),
  };
}
