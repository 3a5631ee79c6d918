import {
  PEND_AGE_BUCKETS,
  clearedWithinSla,
  percentileDaysToClear,
  roundTo,
  type ClearedWithinSla,
  type DaysToClearBin,
  type PendAgeBucketName,
} from './pend-aging';
import type { PendDailyFlowRow, PendDaysToClearRow, PendOpenRow, PendWorkQueueRow } from './pend-queue-sql';

export interface PendAgeBucket {
  bucket: PendAgeBucketName;
  minAgeDays: number;
  /** Null for the open-ended last bucket. */
  maxAgeDays: number | null;
  claims: number;
  amountCents: number;
}

/** The open pend queue (or one dimension value of it) at an as-of date. */
export interface OpenPendFigures {
  claims: number;
  amountCents: number;
  ageBuckets: PendAgeBucket[];
  /** Mean whole-day age of the open claims, rounded to 0.1 day; null when none is open. */
  averageAgeDays: number | null;
  oldestAgeDays: number | null;
}

export interface OpenPendByValue extends OpenPendFigures {
  value: string;
}

const EMPTY_OPEN_ROW = { dimension_value: '', claims: 0, amount_cents: 0, age_days_total: 0, oldest_age_days: null };

/** Turns a row of PEND_OPEN_BY_DIMENSION_SQL into figures; no row (nothing open) gives zeros. */
export function openPendFigures(row: PendOpenRow | undefined): OpenPendFigures {
  const source: Record<string, string | number | null> = row ?? EMPTY_OPEN_ROW;
  const count = (column: string): number => Number(source[column] ?? 0);
  const claims = count('claims');
  return {
    claims,
    amountCents: count('amount_cents'),
    ageBuckets: PEND_AGE_BUCKETS.map((bucket, index) => ({
      bucket: bucket.bucket,
      minAgeDays: bucket.minAgeDays,
      maxAgeDays: bucket.maxAgeDays,
      claims: count(`claims_bucket_${index}`),
      amountCents: count(`amount_cents_bucket_${index}`),
    })),
    averageAgeDays: claims > 0 ? roundTo(count('age_days_total') / claims, 1) : null,
    oldestAgeDays: source['oldest_age_days'] === null ? null : Number(source['oldest_age_days']),
  };
}

export function openPendByValue(rows: readonly PendOpenRow[]): OpenPendByValue[] {
  return rows.map((row) => ({ value: row.dimension_value, ...openPendFigures(row) }));
}

export interface DaysToClearFigures {
  daysToClear: { p50: number | null; p90: number | null; clearedClaims: number };
  clearedWithinSla: ClearedWithinSla;
}

/** Days-to-clear percentiles and the SLA share, from the rows of PEND_DAYS_TO_CLEAR_SQL. */
export function daysToClearFigures(rows: readonly PendDaysToClearRow[], slaDays: number): DaysToClearFigures {
  const bins: DaysToClearBin[] = rows.map((row) => ({ days: Number(row.days), claims: Number(row.claims) }));
  const within = clearedWithinSla(bins, slaDays);
  return {
    daysToClear: {
      p50: percentileDaysToClear(bins, 50),
      p90: percentileDaysToClear(bins, 90),
      clearedClaims: within.clearedClaims,
    },
    clearedWithinSla: within,
  };
}

export interface PendDailyFlow {
  day: string;
  inflowClaims: number;
  inflowAmountCents: number;
  outflowClaims: number;
  outflowAmountCents: number;
  netClaims: number;
  netAmountCents: number;
  /** Claims open at the end of the day. */
  openClaims: number;
  openAmountCents: number;
}

export function pendDailyFlow(rows: readonly PendDailyFlowRow[]): PendDailyFlow[] {
  return rows.map((row) => ({
    day: row.day,
    inflowClaims: Number(row.inflow_claims),
    inflowAmountCents: Number(row.inflow_amount_cents),
    outflowClaims: Number(row.outflow_claims),
    outflowAmountCents: Number(row.outflow_amount_cents),
    netClaims: Number(row.net_claims),
    netAmountCents: Number(row.net_amount_cents),
    openClaims: Number(row.open_claims),
    openAmountCents: Number(row.open_amount_cents),
  }));
}

export interface PendWorkItem {
  claimId: string;
  pendedOn: string;
  ageDays: number;
  queue: string;
  reasons: string[];
  claimType: string;
  payer: string;
  providerGroup: string;
  renderingNpi: string;
  state: string;
  amountCents: number;
}

export function pendWorkItem(row: PendWorkQueueRow): PendWorkItem {
  return {
    claimId: row.claim_id,
    pendedOn: row.pended_on,
    ageDays: Number(row.age_days),
    queue: row.queue,
    reasons: row.reasons,
    claimType: row.claim_type,
    payer: row.payer,
    providerGroup: row.provider_group,
    renderingNpi: row.rendering_npi,
    state: row.state,
    amountCents: Number(row.amount_cents),
  };
}
