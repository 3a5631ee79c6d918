import { NO_PEND_REASON, type PendEpisode } from './pend-episode';

/** The dimensions a caller may break the pended queue down by. */
export const PEND_GROUP_BY_DIMENSIONS = [
  'reason',
  'queue',
  'provider_group',
  'rendering_provider',
  'payer',
  'state',
  'claim_type',
] as const;
export type PendGroupByDimension = (typeof PEND_GROUP_BY_DIMENSIONS)[number];

/**
 * The histogram's dimensions: `all` has the one value '' and holds every
 * episode once; `reason` holds an episode once per reason code, so its
 * values add up to more than `all` for a claim with several.
 */
export const PEND_DIMENSIONS = ['all', ...PEND_GROUP_BY_DIMENSIONS] as const;
export type PendDimension = (typeof PEND_DIMENSIONS)[number];

/** cleared_on of an episode still open: Postgres' date 'infinity', later than any as-of date. */
export const STILL_OPEN = 'infinity';

/** One cell of the exact day histogram: episodes of a dimension value by pend day and clear day. */
export interface PendHistogramEntry {
  dimension: PendDimension;
  dimensionValue: string;
  pendedOn: string;
  /** YYYY-MM-DD, or `infinity` while open. */
  clearedOn: string;
  claims: number;
  amountCents: number;
}

/** The (dimension, value) pairs an episode is counted under: one per dimension, one per reason. */
export function pendDimensionValues(episode: PendEpisode): Array<[PendDimension, string]> {
  const reasons = episode.reasons.length > 0 ? episode.reasons : [NO_PEND_REASON];
  return [
    ['all', ''],
    ...reasons.map((reason): [PendDimension, string] => ['reason', reason]),
    ['queue', episode.queue],
    ['provider_group', episode.providerGroup],
    ['rendering_provider', episode.renderingNpi],
    ['payer', episode.payer],
    ['state', episode.state],
    ['claim_type', episode.claimType],
  ];
}

const cellKey = (dimension: string, value: string, pendedOn: string, clearedOn: string): string =>
  `${dimension}\u0000${value}\u0000${pendedOn}\u0000${clearedOn}`;

/** What one episode adds to the histogram: one claim and its amount in each of its cells. */
export function pendHistogramContribution(episode: PendEpisode): PendHistogramEntry[] {
  return pendHistogramDelta(null, episode);
}

/**
 * The change to the histogram when a claim's episode `previous` is replaced by
 * `next` (either may be null: a claim that starts or stops pending). Cells
 * whose change nets to zero are left out, so an unchanged episode writes
 * nothing. Entries come in one order (code units of dimension, value, pend
 * day, clear day), so every writer updates rows in the same order.
 */
export function pendHistogramDelta(previous: PendEpisode | null, next: PendEpisode | null): PendHistogramEntry[] {
  const cells = new Map<string, PendHistogramEntry>();
  addPendEpisode(cells, previous, -1);
  addPendEpisode(cells, next, 1);
  return sortedNonZero(cells);
}

/** Adds `sign` × the episode to a running set of histogram cells (keyed by cell). */
export function addPendEpisode(
  cells: Map<string, PendHistogramEntry>,
  episode: PendEpisode | null,
  sign: 1 | -1,
): void {
  if (episode === null) return;
  const clearedOn = episode.clearedOn ?? STILL_OPEN;
  for (const [dimension, dimensionValue] of pendDimensionValues(episode)) {
    const key = cellKey(dimension, dimensionValue, episode.pendedOn, clearedOn);
    const cell = cells.get(key) ?? {
      dimension,
      dimensionValue,
      pendedOn: episode.pendedOn,
      clearedOn,
      claims: 0,
      amountCents: 0,
    };
    cell.claims += sign;
    cell.amountCents += sign * episode.amountCents;
    cells.set(key, cell);
  }
}

/** The cells with a non-zero change, in the one write order. */
export function sortedNonZero(cells: ReadonlyMap<string, PendHistogramEntry>): PendHistogramEntry[] {
  return [...cells]
    .filter(([, cell]) => cell.claims !== 0 || cell.amountCents !== 0)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([, cell]) => cell);
}
