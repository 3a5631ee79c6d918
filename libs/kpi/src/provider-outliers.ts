/**
 * Outlier providers by cost and by volume (docs/kpis/volume-and-cost.md): a
 * rendering provider's claims and paid cents, scored against the providers
 * of its specialty. The SQL aggregates the lines; the scoring is pure.
 */
import { roundedRatio } from './rounded-ratio';

export const OUTLIER_MEASURES = ['cost', 'volume'] as const;
/** `cost`: paid cents per claim; `volume`: claims. */
export type OutlierMeasure = (typeof OUTLIER_MEASURES)[number];

/**
 * $1 the fewest claims a provider needs to be scored. Per rendering NPI on
 * the lines of the claims' latest versions: its claims (distinct claims with
 * a line it rendered), lines and those lines' paid cents, and its specialty
 * (the one on most of its lines; ties to the first by name). Providers whose
 * lines name no specialty are counted apart, never scored. `claimFilter`: a
 * claimIdFilterSql over `c.claim_id` from $2 on ('' for every claim).
 */
export const providerVolumeCostSql = (claimFilter: string): string => `
SELECT l.rendering_npi AS npi,
       mode() WITHIN GROUP (ORDER BY l.rendering_specialty) AS specialty,
       count(DISTINCT l.claim_id)::integer AS claims,
       count(*)::integer AS lines,
       sum(l.payment_amount_cents)::text AS paid_amount_cents
  FROM claim_line_state l
  JOIN claim_state c ON c.claim_id = l.claim_id
 WHERE c.layout IS NOT NULL AND l.rendering_npi IS NOT NULL${claimFilter}
 GROUP BY l.rendering_npi
HAVING count(DISTINCT l.claim_id) >= $1::integer
 ORDER BY l.rendering_npi
`;
export const PROVIDER_VOLUME_COST_SQL = providerVolumeCostSql('');

export interface ProviderVolumeCostSqlRow {
  npi: string;
  specialty: string | null;
  claims: number;
  lines: number;
  paid_amount_cents: string;
}

export interface ProviderOutlierRow {
  npi: string;
  specialty: string;
  claims: number;
  lines: number;
  paidAmountCents: number;
  /** The measure scored: paid cents per claim (to 2 decimals) or claims. */
  value: number;
  /** The specialty's mean and population standard deviation of the measure, over its scored providers. */
  specialtyMean: number;
  specialtyStddev: number;
  specialtyProviders: number;
  /** (value − specialtyMean) / specialtyStddev, to 3 decimals: above 0 costs or bills more than the peers. */
  zScore: number;
}

export interface ProviderOutliers {
  /** Providers with at least minClaims claims and a specialty shared with another such provider whose values differ. */
  providersScored: number;
  specialtiesScored: number;
  /** Providers with enough claims but no specialty on any line: never scored. */
  providersWithoutSpecialty: number;
  rows: ProviderOutlierRow[];
}

/**
 * How far below the threshold a computed |z| may fall and still meet it: the
 * floating-point error of a mean, a standard deviation and a quotient, far
 * below the 3 decimals a z-score is given to. Without it a z that is exactly
 * the threshold (four peers alike and a fifth apart: z = 2) comes out as
 * 1.9999999999999998 for some values and the provider is left out, while
 * one with the same figures in other units is listed.
 */
const Z_ROUNDING_TOLERANCE = 1e-9;

const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
};

function measureOf(by: OutlierMeasure, provider: ProviderVolumeCostSqlRow): number {
  return by === 'volume' ? provider.claims : Number(provider.paid_amount_cents) / provider.claims;
}

/**
 * z-scores of each provider's measure within its specialty (population
 * standard deviation over the specialty's providers given, i.e. those with
 * enough claims), keeping those at least `threshold` from the mean either
 * way, largest |z| first (then NPI), at most `limit`. A specialty with one
 * provider, or whose providers all score alike, has no spread to score
 * against: its providers are not scored.
 */
export function scoreProviderOutliers(
  providers: readonly ProviderVolumeCostSqlRow[],
  options: { by: OutlierMeasure; threshold: number; limit: number },
): ProviderOutliers {
  const bySpecialty = new Map<string, ProviderVolumeCostSqlRow[]>();
  let providersWithoutSpecialty = 0;
  for (const provider of providers) {
    if (provider.specialty === null) {
      providersWithoutSpecialty += 1;
      continue;
    }
    bySpecialty.set(provider.specialty, [...(bySpecialty.get(provider.specialty) ?? []), provider]);
  }
  let providersScored = 0;
  let specialtiesScored = 0;
  const scored: ProviderOutlierRow[] = [];
  for (const [specialty, peers] of bySpecialty) {
    const values = peers.map((peer) => measureOf(options.by, peer));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const stddev = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    // A spread of rounding noise (equal values summed in another order) is no spread.
    if (peers.length < 2 || !(stddev > 1e-9 * Math.max(1, Math.abs(mean)))) continue;
    specialtiesScored += 1;
    providersScored += peers.length;
    peers.forEach((peer, index) => {
      const value = values[index] ?? 0;
      const zScore = (value - mean) / stddev;
      if (Math.abs(zScore) < options.threshold - Z_ROUNDING_TOLERANCE) return;
      scored.push({
        npi: peer.npi,
        specialty,
        claims: peer.claims,
        lines: peer.lines,
        paidAmountCents: Number(peer.paid_amount_cents),
        // Shown from the integers, as round(paid::numeric / claims, 2) gives it: the double quotient misses halves.
        value: options.by === 'volume' ? peer.claims : roundedRatio(Number(peer.paid_amount_cents), peer.claims, 2),
        specialtyMean: round(mean, 2),
        specialtyStddev: round(stddev, 2),
        specialtyProviders: peers.length,
        zScore: round(zScore, 3),
      });
    });
  }
  scored.sort((a, b) => Math.abs(b.zScore) - Math.abs(a.zScore) || a.npi.localeCompare(b.npi));
  return { providersScored, specialtiesScored, providersWithoutSpecialty, rows: scored.slice(0, options.limit) };
}
