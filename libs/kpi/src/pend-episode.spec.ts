import type { EnrichedClaimEvent, PendDecision, PendReason } from '@claims/contracts';
import { fixtureEnrichedEvent, fixtureLine } from '@claims/harness';
import { pendEpisodeOf, samePendEpisode } from './pend-episode';

const reason = (code: string, queue = 'provider-data'): PendReason => ({
  code,
  description: code,
  queue,
  severity: 'medium',
  waitsOn: [],
  classifiedBy: null,
});

const decision = (overrides: Partial<PendDecision>): PendDecision => ({
  ruleSetVersion: '2024.1',
  status: 'pended',
  reasons: [reason('PROVIDER_NOT_FOUND')],
  queue: 'provider-data',
  pendedOn: '2024-03-01',
  clearedOn: null,
  clearedBy: null,
  ...overrides,
});

/** A fixture claim (occurred 2008-08-08, allowed $110) under a pend decision. */
function judged(pendDecision: PendDecision | null | undefined): EnrichedClaimEvent {
  const event = fixtureEnrichedEvent('c1', [
    { indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 },
  ]);
  return { ...event, pendDecision };
}

describe('pendEpisodeOf', () => {
  it('has no episode for a claim without a decision or judged clean', () => {
    expect(pendEpisodeOf(judged(undefined))).toBeNull();
    expect(pendEpisodeOf(judged(null))).toBeNull();
    expect(pendEpisodeOf(judged(decision({ status: 'clean', reasons: [], queue: null, pendedOn: null })))).toBeNull();
  });

  it('opens an episode on the pend date for a pended claim, with unknown dimensions named as such', () => {
    expect(pendEpisodeOf(judged(decision({})))).toEqual({
      pendedOn: '2024-03-01',
      clearedOn: null,
      reasons: ['PROVIDER_NOT_FOUND'],
      queue: 'provider-data',
      claimType: 'professional',
      payer: 'MEDICARE',
      providerGroup: '(unknown)',
      renderingNpi: '(unknown)',
      state: '(unknown)',
      amountCents: 11000,
      comments: null,
    });
  });

  it("keeps a pended-queue export's comments with the episode, open or cleared, and a blank field as none", () => {
    const commented = (comments: string | null, overrides: Partial<PendDecision> = {}): EnrichedClaimEvent => {
      const event = judged(decision(overrides));
      return {
        ...event,
        claim: { ...event.claim, pend: { reason: 'NPI_NOT_FOUND', queue: 'Provider Data', comments } },
      };
    };
    const note = 'Member called 3/1, confirmed coverage through employer plan; retro-term reversed.';
    expect(pendEpisodeOf(commented(note))?.comments).toBe(note);
    expect(pendEpisodeOf(commented(note, { status: 'cleared', clearedOn: '2024-03-04' }))?.comments).toBe(note);
    expect(pendEpisodeOf(commented('  '))?.comments).toBeNull();
    expect(pendEpisodeOf(commented(null))?.comments).toBeNull();
  });

  it('closes the episode on the clear date of a cleared decision', () => {
    const episode = pendEpisodeOf(
      judged(decision({ status: 'cleared', clearedOn: '2024-03-20', clearedBy: 'reference' })),
    );
    expect(episode).toMatchObject({ pendedOn: '2024-03-01', clearedOn: '2024-03-20' });
  });

  it('keeps a clear date before the pend date from making days-to-clear negative', () => {
    const episode = pendEpisodeOf(judged(decision({ status: 'cleared', clearedOn: '2024-02-01' })));
    expect(episode).toMatchObject({ pendedOn: '2024-03-01', clearedOn: '2024-03-01' });
  });

  it("falls back to the claim's event date when neither the decision nor the claim dates the pend (DE-SynPUF)", () => {
    const episode = pendEpisodeOf(judged(decision({ pendedOn: null })));
    expect(episode?.pendedOn).toBe('2008-08-08');
    const cleared = pendEpisodeOf(judged(decision({ pendedOn: null, status: 'cleared', clearedOn: null })));
    expect(cleared).toMatchObject({ pendedOn: '2008-08-08', clearedOn: '2008-08-08' });
  });

  it('lists each reason code once, in code order', () => {
    const episode = pendEpisodeOf(
      judged(decision({ reasons: [reason('NPI_INVALID'), reason('AMOUNT_OVER_REVIEW'), reason('NPI_INVALID')] })),
    );
    expect(episode?.reasons).toEqual(['AMOUNT_OVER_REVIEW', 'NPI_INVALID']);
  });

  it('reads the group, the rendering NPI, the state and the billed amount from the enrichment and the claim', () => {
    const event = judged(decision({ queue: null, reasons: [reason('MEMBER_NOT_COVERED', 'eligibility')] }));
    const enriched: EnrichedClaimEvent = {
      ...event,
      claim: {
        ...event.claim,
        billedAmountCents: 25000,
        providerGroup: 'export-group',
        lines: [
          fixtureLine({ lineNumber: 1, renderingNpi: null }),
          fixtureLine({ lineNumber: 2, renderingNpi: '1234567893' }),
        ],
      },
      enrichment: {
        ...event.enrichment,
        providerGroup: { groupKey: 'TIN-1', name: 'Group One', found: true },
        member: {
          found: true,
          ageAtService: 70,
          sex: 'female',
          ssaStateCode: '21',
          stateName: 'Maryland',
          ssaCountyCode: '001',
          coveredInServiceMonth: true,
        },
      },
    };
    expect(pendEpisodeOf(enriched)).toMatchObject({
      queue: 'eligibility',
      providerGroup: 'TIN-1',
      renderingNpi: '1234567893',
      state: 'Maryland',
      amountCents: 25000,
    });
    const withLocation: EnrichedClaimEvent = {
      ...enriched,
      enrichment: {
        ...enriched.enrichment,
        providerGroup: null,
        serviceLocation: {
          locationKey: null,
          name: null,
          address1: null,
          city: null,
          state: 'MD',
          stateName: 'Maryland',
          countyName: null,
          zip: null,
          effectiveDate: null,
        },
      },
    };
    expect(pendEpisodeOf(withLocation)).toMatchObject({ providerGroup: 'export-group', state: 'MD' });
  });
});

describe('samePendEpisode', () => {
  it('tells an unchanged episode from a changed one', () => {
    const episode = pendEpisodeOf(judged(decision({})));
    expect(samePendEpisode(episode, pendEpisodeOf(judged(decision({}))))).toBe(true);
    expect(
      samePendEpisode(episode, pendEpisodeOf(judged(decision({ status: 'cleared', clearedOn: '2024-03-02' })))),
    ).toBe(false);
    expect(samePendEpisode(episode, null)).toBe(false);
    expect(samePendEpisode(null, null)).toBe(true);
  });

  it('tells an episode whose comments changed from the stored one, so the new comments are written', () => {
    const episode = pendEpisodeOf(judged(decision({})));
    if (episode === null) throw new Error('expected an episode');
    expect(samePendEpisode(episode, { ...episode, comments: 'Awaiting provider response.' })).toBe(false);
    expect(samePendEpisode({ ...episode, comments: 'x' }, { ...episode, comments: 'x' })).toBe(true);
  });
});
