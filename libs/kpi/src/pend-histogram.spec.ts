import type { PendEpisode } from './pend-episode';
import { pendHistogramContribution, pendHistogramDelta, type PendHistogramEntry } from './pend-histogram';

const episode = (overrides: Partial<PendEpisode> = {}): PendEpisode => ({
  pendedOn: '2024-03-01',
  clearedOn: null,
  reasons: ['NPI_INVALID', 'PROVIDER_NOT_FOUND'],
  queue: 'provider-data',
  claimType: 'professional',
  payer: 'MEDICARE',
  providerGroup: 'TIN-1',
  renderingNpi: '1234567893',
  state: 'MD',
  amountCents: 5000,
  comments: null,
  ...overrides,
});

const cells = (entries: readonly PendHistogramEntry[]): string[] =>
  entries.map(
    (entry) =>
      `${entry.dimension}=${entry.dimensionValue} ${entry.pendedOn}..${entry.clearedOn} ${entry.claims} ${entry.amountCents}`,
  );

describe('pendHistogramContribution', () => {
  it('counts an open episode once under every dimension and once per reason, cleared on infinity', () => {
    expect(cells(pendHistogramContribution(episode()))).toEqual([
      'all= 2024-03-01..infinity 1 5000',
      'claim_type=professional 2024-03-01..infinity 1 5000',
      'payer=MEDICARE 2024-03-01..infinity 1 5000',
      'provider_group=TIN-1 2024-03-01..infinity 1 5000',
      'queue=provider-data 2024-03-01..infinity 1 5000',
      'reason=NPI_INVALID 2024-03-01..infinity 1 5000',
      'reason=PROVIDER_NOT_FOUND 2024-03-01..infinity 1 5000',
      'rendering_provider=1234567893 2024-03-01..infinity 1 5000',
      'state=MD 2024-03-01..infinity 1 5000',
    ]);
  });

  it("counts an episode without reasons under the reason '(none)'", () => {
    const reasons = pendHistogramContribution(episode({ reasons: [] })).filter((entry) => entry.dimension === 'reason');
    expect(cells(reasons)).toEqual(['reason=(none) 2024-03-01..infinity 1 5000']);
  });
});

describe('pendHistogramDelta', () => {
  it('moves every cell from open to the clear day when a claim clears', () => {
    const delta = pendHistogramDelta(episode(), episode({ clearedOn: '2024-03-20' }));
    const all = cells(delta.filter((entry) => entry.dimension === 'all'));
    expect(all).toEqual(['all= 2024-03-01..2024-03-20 1 5000', 'all= 2024-03-01..infinity -1 -5000']);
    expect(delta).toHaveLength(18);
  });

  it('subtracts exactly what the stored episode added, so removing it leaves nothing', () => {
    const added = pendHistogramContribution(episode());
    const removed = pendHistogramDelta(episode(), null);
    expect(removed.map((entry) => ({ ...entry, claims: -entry.claims, amountCents: -entry.amountCents }))).toEqual(
      added,
    );
  });

  it('writes nothing for an unchanged episode, and only the changed reason for a new reason set', () => {
    expect(pendHistogramDelta(episode(), episode())).toEqual([]);
    const delta = pendHistogramDelta(episode(), episode({ reasons: ['PROVIDER_NOT_FOUND', 'MEMBER_NOT_COVERED'] }));
    expect(cells(delta)).toEqual([
      'reason=MEMBER_NOT_COVERED 2024-03-01..infinity 1 5000',
      'reason=NPI_INVALID 2024-03-01..infinity -1 -5000',
    ]);
  });

  it('moves the amount alone when only the amount changes', () => {
    const delta = pendHistogramDelta(episode(), episode({ amountCents: 7500 }));
    expect(delta.every((entry) => entry.claims === 0 && entry.amountCents === 2500)).toBe(true);
    expect(delta).toHaveLength(9);
  });
});
