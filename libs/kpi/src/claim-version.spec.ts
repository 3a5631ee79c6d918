import type { EnrichedClaimEvent } from '@claims/contracts';
import { fixtureEnrichedEvent } from '@claims/harness';
import { claimVersionOf, laterVersion, supersedes, versionAfter, type ClaimVersion } from './claim-version';
import { foldClaimBatch } from './fold-claim-events';
import type { ClaimKpiContribution } from './denial-cost-contribution';

const version = (occurredAt: string, sourceSequence: number, stage = 0): ClaimVersion => ({
  occurredAt,
  sourceSequence,
  stage,
});

const eventOf = (
  claimId: string,
  paymentCents: number,
  overrides: Partial<Pick<EnrichedClaimEvent, 'eventType' | 'occurredAt' | 'eventId'>> = {},
): EnrichedClaimEvent => ({
  ...fixtureEnrichedEvent(claimId, [{ indicator: 'A', category: 'allowed', paymentCents, allowedCents: paymentCents }]),
  ...overrides,
});

describe('supersedes', () => {
  it('lets any event replace a claim that holds no version yet', () => {
    expect(supersedes(version('2008-01-01', 5), undefined)).toBe(true);
  });

  it('lets a later event date win whatever the arrival order', () => {
    expect(supersedes(version('2008-02-01', 1), version('2008-01-01', 9))).toBe(true);
    expect(supersedes(version('2008-01-01', 9), version('2008-02-01', 1))).toBe(false);
  });

  it('breaks a tie on the event date by the record that arrived later', () => {
    expect(supersedes(version('2008-01-01', 7), version('2008-01-01', 3))).toBe(true);
    expect(supersedes(version('2008-01-01', 3), version('2008-01-01', 7))).toBe(false);
  });

  it('never lets the same version replace itself: a replay is not an update', () => {
    expect(supersedes(version('2008-01-01', 3, 1), version('2008-01-01', 3, 1))).toBe(false);
  });

  it("follows one record's own steps, a clear after its pend even when the clear is dated earlier", () => {
    expect(supersedes(version('2007-12-20', 3, 2), version('2008-01-01', 3, 1))).toBe(true);
    expect(supersedes(version('2008-01-01', 3, 1), version('2007-12-20', 3, 2))).toBe(false);
  });
});

describe('a record the source declares an update', () => {
  it('replaces an earlier-arrived record even when it moves the event date back', () => {
    const update = { ...version('2008-01-05', 9), declaredUpdate: true };
    expect(supersedes(update, version('2008-03-01', 4))).toBe(true);
    expect(versionAfter(update, version('2008-03-01', 4))).toEqual(version('2008-03-01', 9));
  });

  it('replaces nothing when replayed after a later record', () => {
    const update = { ...version('2008-01-05', 9), declaredUpdate: true };
    expect(supersedes(update, version('2008-03-01', 12))).toBe(false);
    expect(supersedes(update, version('2008-03-01', 9))).toBe(false);
  });
});

describe('versionAfter', () => {
  it('never moves the event date back, so an event between a pend and its earlier-dated clear cannot slip in', () => {
    const cleared = versionAfter(version('2007-12-20', 3, 2), version('2008-01-01', 3, 1));
    expect(cleared).toEqual(version('2008-01-01', 3, 2));
    expect(supersedes(version('2007-12-25', 4), cleared)).toBe(false);
  });
});

describe('laterVersion', () => {
  it('keeps the higher version whichever of two parts comes first', () => {
    const a = version('2008-01-05', 2);
    const b = version('2008-01-09', 1);
    expect(laterVersion(a, b)).toEqual(b);
    expect(laterVersion(b, a)).toEqual(b);
  });
});

describe('claimVersionOf', () => {
  it("ranks a record's cleared event after its pended event and every other type as the record's only step", () => {
    expect(claimVersionOf(eventOf('A1', 100, { eventType: 'pended' }), 4).stage).toBe(1);
    expect(claimVersionOf(eventOf('A1', 100, { eventType: 'cleared' }), 4).stage).toBe(2);
    expect(claimVersionOf(eventOf('A1', 100, { eventType: 'adjudicated', occurredAt: '2008-03-01' }), 4)).toEqual(
      version('2008-03-01', 4, 0),
    );
  });
});

describe('foldClaimBatch with versions', () => {
  const noStored = { contributions: new Map<string, ClaimKpiContribution>(), parts: new Map() };
  const sequences = new Map<EnrichedClaimEvent, number>();
  const versionOf = (event: EnrichedClaimEvent) => claimVersionOf(event, sequences.get(event) ?? 0);

  it('keeps the later-dated event when an older one arrives after it, and counts the late one superseded', () => {
    const newer = eventOf('A1', 900, { occurredAt: '2008-02-01', eventId: '00000000-0000-8000-8000-000000000001' });
    const late = eventOf('A1', 100, { occurredAt: '2008-01-01', eventId: '00000000-0000-8000-8000-000000000002' });
    sequences.set(newer, 1).set(late, 2);
    const result = foldClaimBatch([newer, late], noStored, versionOf);
    expect(result.claims.get('A1')?.event).toBe(newer);
    expect(result.superseded).toEqual([late]);
    expect(result.versions.get('A1')).toEqual(version('2008-02-01', 1));
    expect(result.delta).toEqual(foldClaimBatch([newer], noStored).delta);
  });

  it('moves nothing for a replay of the version a stored claim holds, though its event id is new to the fold', () => {
    const stored = eventOf('A1', 900, { occurredAt: '2008-02-01' });
    const contribution = foldClaimBatch([stored], noStored).claims.get('A1')?.contribution;
    if (!contribution) throw new Error('the stored claim folded no contribution');
    sequences.set(stored, 6);
    const result = foldClaimBatch(
      [stored],
      {
        ...noStored,
        contributions: new Map([['A1', contribution]]),
        versions: new Map([['A1', version('2008-02-01', 6)]]),
      },
      versionOf,
    );
    expect(result.claims.size).toBe(0);
    expect(result.superseded).toEqual([stored]);
    expect(result.delta).toEqual({ counters: {}, cells: new Map() });
  });

  it('replaces a stored claim with a correction of the same date that arrived later', () => {
    const original = eventOf('A1', 900, { occurredAt: '2008-02-01' });
    const correction = eventOf('A1', 400, {
      occurredAt: '2008-02-01',
      eventId: '00000000-0000-8000-8000-000000000003',
    });
    const contribution = foldClaimBatch([original], noStored).claims.get('A1')?.contribution;
    if (!contribution) throw new Error('the stored claim folded no contribution');
    sequences.set(correction, 8);
    const result = foldClaimBatch(
      [correction],
      {
        ...noStored,
        contributions: new Map([['A1', contribution]]),
        versions: new Map([['A1', version('2008-02-01', 6)]]),
      },
      versionOf,
    );
    expect(result.claims.get('A1')?.event).toBe(correction);
    expect(result.versions.get('A1')).toEqual(version('2008-02-01', 8));
    expect(result.superseded).toEqual([]);
  });
});
