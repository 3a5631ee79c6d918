/**
 * Aging of pended claims as revenue-cycle teams report A/R aging: whole days
 * from the pend date to the as-of date, in the buckets 0–30, 31–60, 61–90
 * and over 90 days.
 */
import { roundedRatio } from './rounded-ratio';

export const PEND_AGE_BUCKETS = [
  { bucket: '0-30', minAgeDays: 0, maxAgeDays: 30 },
  { bucket: '31-60', minAgeDays: 31, maxAgeDays: 60 },
  { bucket: '61-90', minAgeDays: 61, maxAgeDays: 90 },
  { bucket: '90+', minAgeDays: 91, maxAgeDays: null },
] as const;
export type PendAgeBucketName = (typeof PEND_AGE_BUCKETS)[number]['bucket'];

/** The bucket of an open claim `ageDays` old (0 on the day it pended). */
export function pendAgeBucketOf(ageDays: number): PendAgeBucketName {
  if (!Number.isInteger(ageDays) || ageDays < 0) throw new RangeError(`an age in whole days >= 0, not ${ageDays}`);
  const found = PEND_AGE_BUCKETS.find((bucket) => bucket.maxAgeDays === null || ageDays <= bucket.maxAgeDays);
  return found?.bucket ?? '90+';
}

/** Whole days from one ISO date to another (`to` − `from`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The ISO date `days` days after `date` (before it, for a negative count). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Episodes that took `days` from pend to clear: one bin of the days-to-clear distribution. */
export interface DaysToClearBin {
  days: number;
  claims: number;
}

/**
 * The `percent`th percentile of days-to-clear by nearest rank: the least
 * `days` whose cumulative count reaches ⌈percent × N / 100⌉ (what Postgres'
 * percentile_disc returns). Exact over the histogram; null for no episodes.
 * Integer arithmetic, so p90 of 10 episodes is the 9th and never the 10th.
 */
export function percentileDaysToClear(bins: readonly DaysToClearBin[], percent: number): number | null {
  if (!Number.isInteger(percent) || percent <= 0 || percent > 100) {
    throw new RangeError(`a whole percent in 1..100, not ${percent}`);
  }
  const sorted = bins.filter((bin) => bin.claims > 0).sort((left, right) => left.days - right.days);
  const total = sorted.reduce((sum, bin) => sum + bin.claims, 0);
  if (total === 0) return null;
  const rank = Math.ceil((percent * total) / 100);
  let cumulative = 0;
  for (const bin of sorted) {
    cumulative += bin.claims;
    if (cumulative >= rank) return bin.days;
  }
  return sorted[sorted.length - 1]?.days ?? null;
}

export interface ClearedWithinSla {
  slaDays: number;
  clearedClaims: number;
  clearedWithinSlaClaims: number;
  /** clearedWithinSlaClaims / clearedClaims, rounded to 4 places; null when none cleared. */
  share: number | null;
}

/** Among cleared episodes, the share that cleared within `slaDays` days of pending (days-to-clear ≤ slaDays). */
export function clearedWithinSla(bins: readonly DaysToClearBin[], slaDays: number): ClearedWithinSla {
  const clearedClaims = bins.reduce((sum, bin) => sum + bin.claims, 0);
  const clearedWithinSlaClaims = bins.reduce((sum, bin) => sum + (bin.days <= slaDays ? bin.claims : 0), 0);
  return {
    slaDays,
    clearedClaims,
    clearedWithinSlaClaims,
    share: clearedClaims > 0 ? roundedRatio(clearedWithinSlaClaims, clearedClaims, 4) : null,
  };
}

export function roundTo(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
