import {
  accountFile,
  comparePendHistogram,
  summarizeKpiCounters,
  type ClaimsReceivedSummary,
  type DailyCounterDifferenceRow,
  type FileAccounting,
  type KpiCounterRow,
  type PendHistogramMismatch,
} from '@claims/kpi';
import { Injectable } from '@nestjs/common';
import { KpiRepository, type Watermark } from './kpi.repository';

export interface KpiSummaryResponse extends ClaimsReceivedSummary, Watermark {
  /** The event day the figures stand at the end of, or null: live. */
  asOf: string | null;
}

export interface CounterComparison {
  consistent: boolean;
  mismatches: Array<{ kpi: string; dimension: string; streamed: string; batch: string }>;
}

/** The most pend histogram cells a verification lists; `pendHistogramDifferences` counts them all. */
const PEND_HISTOGRAM_MISMATCHES_LISTED = 100;
/** The most day-keyed counters a verification lists. */
const DAILY_COUNTER_MISMATCHES_LISTED = 100;

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
  /**
   * The day-keyed counters (what `asOf` reads) summed over every day against
   * the live counters: equal when every change went into both.
   */
  dailyCountersConsistent: boolean;
  dailyCounterMismatches: DailyCounterDifferenceRow[];
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

  /** The first family live, or at the end of event day `asOf` (docs/kpis/as-of.md). */
  async summary(asOf: string | null = null): Promise<KpiSummaryResponse> {
    const [counters, watermark] = await Promise.all([
      this.repository.streamedCounters(asOf),
      this.repository.watermark(),
    ]);
    return { ...summarizeKpiCounters(counters), ...watermark, asOf };
  }

  async verify(): Promise<KpiVerification> {
    const [streamed, batch, pendDifferences, dailyDifferences, fileRows, untracedDeadLetters] = await Promise.all([
      this.repository.allStreamedCounters(),
      this.repository.allBatchCounters(),
      this.repository.pendHistogramDifferences(PEND_HISTOGRAM_MISMATCHES_LISTED),
      this.repository.dailyCounterDifferences(DAILY_COUNTER_MISMATCHES_LISTED),
      this.repository.fileAccounting(),
      this.repository.untracedDeadLetters(),
    ]);
    const counters = compareCounters(streamed, batch);
    const pendHistogram = comparePendHistogram(pendDifferences);
    const files = fileRows.map(accountFile);
    const filesConsistent = files.every((file) => file.status === 'accounted');
    const dailyCountersConsistent = dailyDifferences.length === 0;
    return {
      consistent: counters.consistent && pendHistogram.consistent && dailyCountersConsistent && filesConsistent,
      countersConsistent: counters.consistent,
      pendHistogramConsistent: pendHistogram.consistent,
      pendHistogramDifferences: pendHistogram.differences,
      pendHistogramMismatches: pendHistogram.mismatches,
      dailyCountersConsistent,
      dailyCounterMismatches: dailyDifferences,
      filesConsistent,
      mismatches: counters.mismatches,
      files,
      untracedDeadLetters,
    };
  }
}
