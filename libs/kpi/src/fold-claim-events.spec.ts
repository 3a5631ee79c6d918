import type { EnrichedClaimEvent } from '@claims/contracts';
import { fixtureEnrichedEvent } from '@claims/harness';
import { claimContribution, combineContributions } from './claim-contribution';
import { claimKpiContribution, type ClaimKpiContribution } from './denial-cost-contribution';
import { foldClaimBatch } from './fold-claim-events';

// Claim A1 as first received: one allowed line.
const a1v1 = fixtureEnrichedEvent(
  'A1',
  [{ indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 }],
  1,
);
// Its correction: the same allowed line plus a denied line.
const a1v2 = fixtureEnrichedEvent(
  'A1',
  [
    { indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 },
    { indicator: 'C', category: 'not_allowed', paymentCents: 0, allowedCents: 5000 },
  ],
  2,
);
// A second correction: the allowed line now pays less.
const a1v3 = fixtureEnrichedEvent(
  'A1',
  [{ indicator: 'A', category: 'allowed', paymentCents: 8000, allowedCents: 11000 }],
  3,
);
const b1 = fixtureEnrichedEvent('B1', [{ indicator: 'S', category: 'msp_cob', paymentCents: 0, allowedCents: 3000 }]);

/** Claims stored before the batch, as the fold rebuilds them: each one's contribution. */
const storedClaims = (contributions: ReadonlyMap<string, ClaimKpiContribution> = new Map()) => ({
  contributions,
  parts: new Map<string, EnrichedClaimEvent[]>(),
});
const storedVersionOf = (event: EnrichedClaimEvent) =>
  storedClaims(new Map([[event.claimId, claimKpiContribution(event)]]));
const noStoredClaims = storedClaims();

/** The first family's side of a batch's fold: the claims it leaves and its counter delta. */
function foldCounters(events: readonly EnrichedClaimEvent[], stored: ReturnType<typeof storedClaims>) {
  const { claims, delta } = foldClaimBatch(events, stored);
  return { claims, delta: delta.counters };
}

describe('foldClaimBatch: the first family of counters', () => {
  it('returns no claims and an empty delta for an empty batch', () => {
    const result = foldCounters([], noStoredClaims);
    expect(result.claims.size).toBe(0);
    expect(result.delta).toEqual({});
  });

  it("adds a first-seen claim's whole contribution and records it as claim state", () => {
    const result = foldCounters([a1v1], noStoredClaims);
    expect(result.delta).toEqual({
      'claims_received|': 1,
      'lines_received|': 1,
      'lines_by_processing_category|allowed': 1,
      'lines_by_processing_indicator|A': 1,
      'line_payment_amount_cents|': 9000,
      'line_allowed_amount_cents|': 11000,
      'line_payment_amount_cents_by_processing_category|allowed': 9000,
      'line_allowed_amount_cents_by_processing_category|allowed': 11000,
    });
    expect(result.claims.get('A1')).toEqual({ event: a1v1, contribution: claimKpiContribution(a1v1) });
    expect(result.claims.get('A1')?.contribution.counters).toEqual(result.delta);
  });

  it('replaces a stored claim by subtracting its old contribution, moving the KPIs by exactly the correction', () => {
    const stored = storedVersionOf(a1v1);
    const result = foldCounters([a1v2], stored);
    expect(result.delta).toEqual({
      'lines_received|': 1,
      'lines_by_processing_category|not_allowed': 1,
      'lines_by_processing_indicator|C': 1,
      'line_allowed_amount_cents|': 5000,
      'line_allowed_amount_cents_by_processing_category|not_allowed': 5000,
    });
    expect(result.delta).not.toHaveProperty(['claims_received|']);
    expect(result.claims.get('A1')?.event).toBe(a1v2);
  });

  it('subtracts a payment that a correction lowers', () => {
    const stored = storedVersionOf(a1v1);
    expect(foldCounters([a1v3], stored).delta).toEqual({
      'line_payment_amount_cents|': -1000,
      'line_payment_amount_cents_by_processing_category|allowed': -1000,
    });
  });

  it('nets to an empty delta when a claim is replaced by an identical contribution', () => {
    const resent = fixtureEnrichedEvent(
      'A1',
      [{ indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 }],
      9,
    );
    const stored = storedVersionOf(a1v1);
    const result = foldCounters([resent], stored);
    expect(result.delta).toEqual({});
    expect(result.claims.get('A1')?.event.eventId).toBe(resent.eventId);
  });

  it('keeps only the later of two versions of a claim in one batch, counting the claim once', () => {
    const result = foldCounters([a1v1, a1v2], noStoredClaims);
    expect(result.delta).toEqual(claimContribution(a1v2));
    expect(result.delta['claims_received|']).toBe(1);
    expect(result.claims.size).toBe(1);
    expect(result.claims.get('A1')).toEqual({ event: a1v2, contribution: claimKpiContribution(a1v2) });
  });

  it('replaces a stored claim twice in one batch, netting to the last version minus the stored one', () => {
    const stored = storedVersionOf(a1v1);
    const result = foldCounters([a1v2, a1v3], stored);
    expect(result.delta).toEqual(combineContributions(claimContribution(a1v3), claimContribution(a1v1), -1));
    expect(result.delta).toEqual({
      'line_payment_amount_cents|': -1000,
      'line_payment_amount_cents_by_processing_category|allowed': -1000,
    });
    expect(result.claims.get('A1')?.event).toBe(a1v3);
  });

  it('folds one batch to the same counters as the same events split over two batches', () => {
    const oneBatch = foldCounters([a1v1, b1, a1v2], noStoredClaims);
    const first = foldCounters([a1v1, b1], noStoredClaims);
    const stored = storedClaims(new Map([...first.claims].map(([claimId, folded]) => [claimId, folded.contribution])));
    const second = foldCounters([a1v2], stored);
    expect(combineContributions(first.delta, second.delta)).toEqual(oneBatch.delta);
  });

  it('adds up the contributions of distinct claims', () => {
    const result = foldCounters([a1v1, b1], noStoredClaims);
    expect(result.delta['claims_received|']).toBe(2);
    expect(result.delta['lines_received|']).toBe(2);
    expect(result.delta['line_allowed_amount_cents|']).toBe(14000);
    expect([...result.claims.keys()]).toEqual(['A1', 'B1']);
  });

  it('lists every state the batch gave a claim, in the order they replaced each other', () => {
    const versionOf = (event: EnrichedClaimEvent) => ({
      occurredAt: event.occurredAt,
      sourceSequence: event.lineage.recordNumber,
      stage: 0,
    });
    // a1v2 after a1v3 is older than the state it finds: it replaces nothing, so it is no state of the claim.
    const { states, claims } = foldClaimBatch([a1v1, b1, a1v3, a1v2], noStoredClaims, versionOf);
    expect(states).toEqual([a1v1, b1, a1v3]);
    expect(claims.get('A1')?.event).toBe(a1v3);
  });

  it('leaves the stored contributions untouched', () => {
    const storedA1 = claimKpiContribution(a1v1);
    const stored = storedClaims(new Map([['A1', storedA1]]));
    foldCounters([a1v2, a1v3], stored);
    expect(stored.contributions.get('A1')).toBe(storedA1);
    expect(storedA1).toEqual(claimKpiContribution(a1v1));
  });
});
