import {
  accountFile,
  comparePendHistogram,
  summarizeKpiCounters,
  type ClaimsReceivedSummary,
  type FileAccounting,
  type KpiCounterRow,
  type PendHistogramMismatch,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { KpiRepository, type Watermark } from './kpi.repository';

export interface KpiSummaryResponse extends ClaimsReceivedSummary, Watermark {}

export interface CounterComparison {
  consistent: boolean;
  mismatches: Array<{ kpi: string; dimension: string; streamed: string; batch: string }>;
}

/** The most pend histogram cells a verification lists; `pendHistogramDifferences` counts them all. */
const PEND_HISTOGRAM_MISMATCHES_LISTED = 100;

export interface KpiVerification extends CounterComparison {
  /**
   * True when every counter (the first family's, and every denial and cost
   * counter cell's measure) and every pend histogram cell equals its batch
   * SQL and every file's records are accounted for.
   */
  consistent: boolean;
  countersConsistent: boolean;
  /** The pended-queue day histogram against the same cells computed from claim_pend. */
  pendHistogramConsistent: boolean;
  pendHistogramDifferences: number;
  pendHistogramMismatches: PendHistogramMismatch[];
  filesConsistent: boolean;
  /** Per ingested file: records read against records folded, duplicate and dead-lettered. */
  files: FileAccounting[];
  /** Dead letters that name no source record, so no file can claim them. */
  untracedDeadLetters: number;
}

/** A counter's identity: kpi and dimension kept apart, since a dimension value may hold any character. */
const key = (row: KpiCounterRow): string => JSON.stringify([row.kpi, row.dimension]);

/**
 * Compares the streamed counters with the batch SQL truth; any difference is
 * a mismatch naming its KPI and dimension (for the denial and cost families,
 * `family.measure` and `dimension=value`).
 */
export function compareCounters(
  streamed: readonly KpiCounterRow[],
  batch: readonly KpiCounterRow[],
): CounterComparison {
  const streamedByKey = new Map(streamed.map((row) => [key(row), String(row.value)]));
  const batchByKey = new Map(batch.map((row) => [key(row), String(row.value)]));
  const mismatches: CounterComparison['mismatches'] = [];
  for (const name of new Set([...streamedByKey.keys(), ...batchByKey.keys()])) {
    const streamedValue = streamedByKey.get(name) ?? '0';
    const batchValue = batchByKey.get(name) ?? '0';
    if (streamedValue !== batchValue) {
      const [kpi, dimension] = JSON.parse(name) as [string, string];
      mismatches.push({ kpi, dimension, streamed: streamedValue, batch: batchValue });
    }
  }
  const order = (mismatch: { kpi: string; dimension: string }): string => `${mismatch.kpi}\u0000${mismatch.dimension}`;
  mismatches.sort((left, right) => (order(left) < order(right) ? -1 : order(left) > order(right) ? 1 : 0));
  return { consistent: mismatches.length === 0, mismatches };
}

@Injectable()
export class KpiQueryService {
  constructor(private readonly repository: KpiRepository) {}

  async summary(): Promise<KpiSummaryResponse> {
    const [counters, watermark] = await Promise.all([this.repository.streamedCounters(), this.repository.watermark()]);
    return { ...summarizeKpiCounters(counters), ...watermark };
  }

  async verify(): Promise<KpiVerification> {
    const [streamed, batch, pendDifferences, fileRows, untracedDeadLetters] = await Promise.all([
      this.repository.allStreamedCounters(),
      this.repository.allBatchCounters(),
      this.repository.pendHistogramDifferences(PEND_HISTOGRAM_MISMATCHES_LISTED),
      this.repository.fileAccounting(),
      this.repository.untracedDeadLetters(),
    ]);
    const counters = compareCounters(streamed, batch);
    const pendHistogram = comparePendHistogram(pendDifferences);
    const files = fileRows.map(accountFile);
    const filesConsistent = files.every((file) => file.status === 'accounted');
    return {
      consistent: counters.consistent && pendHistogram.consistent && filesConsistent,
      countersConsistent: counters.consistent,
      pendHistogramConsistent: pendHistogram.consistent,
      pendHistogramDifferences: pendHistogram.differences,
      pendHistogramMismatches: pendHistogram.mismatches,
      filesConsistent,
      mismatches: counters.mismatches,
      files,
      untracedDeadLetters,
    };
  }
}
