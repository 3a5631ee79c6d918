import type { EnrichedClaimEvent } from '@claims/contracts';
import { fixtureEnrichedEvent } from '@claims/harness';
import { claimVersionOf, laterVersion, supersedes, versionAfter, type ClaimVersion } from './claim-version';
import { foldClaimBatch } from './fold-claim-events';
import { UNDATED_DIMENSIONS, type ClaimKpiContribution, type ClaimKpiDelta } from './denial-cost-contribution';

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

/** The pend rules' cleared event of a record, as the enricher emits it once a reference fix lets it through. */
const clearedByFix = (event: EnrichedClaimEvent): EnrichedClaimEvent => ({
  ...event,
  eventType: 'cleared',
  pendDecision: {
    ruleSetVersion: 'spec',
    status: 'cleared',
    reasons: [],
    queue: null,
    pendedOn: null,
    clearedOn: event.occurredAt,
    clearedBy: 'reference',
  },
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

describe("a record's later step", () => {
  it("keeps the record's date: a clear dated after its pend makes the record no newer than a later record of that date", () => {
    const cleared = versionAfter(version('2008-03-20', 3, 2), version('2008-03-01', 3, 1));
    expect(cleared).toEqual(version('2008-03-01', 3, 2));
    expect(supersedes(version('2008-03-01', 4, 1), cleared)).toBe(true);
    expect(supersedes(version('2008-02-15', 4), cleared)).toBe(false);
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

  it('pends a claim again when a later record of it pends after a reference fix cleared the earlier one', () => {
    const pended = eventOf('A1', 900, {
      eventType: 'pended',
      occurredAt: '2008-03-01',
      eventId: '00000000-0000-8000-8000-000000000011',
    });
    // The enricher's cleared event of the same record, dated by the fix that let it through.
    const cleared = clearedByFix(
      eventOf('A1', 900, { occurredAt: '2008-03-20', eventId: '00000000-0000-8000-8000-000000000012' }),
    );
    // The next export's row of the claim, still dated by its service: it pends for another reason.
    const pendedAgain = eventOf('A1', 400, {
      eventType: 'pended',
      occurredAt: '2008-03-01',
      eventId: '00000000-0000-8000-8000-000000000013',
    });
    sequences.set(pended, 21).set(cleared, 21).set(pendedAgain, 22);
    const oneBatch = foldClaimBatch([pended, cleared, pendedAgain], noStored, versionOf);
    expect(oneBatch.claims.get('A1')?.event).toBe(pendedAgain);
    expect(oneBatch.superseded).toEqual([]);

    // The same across batches, the earlier record's steps stored with the version they left.
    const first = foldClaimBatch([pended, cleared], noStored, versionOf);
    const contribution = first.claims.get('A1')?.contribution;
    const storedVersion = first.versions.get('A1');
    if (!contribution || !storedVersion) throw new Error('the first record folded no claim');
    const next = foldClaimBatch(
      [pendedAgain],
      { ...noStored, contributions: new Map([['A1', contribution]]), versions: new Map([['A1', storedVersion]]) },
      versionOf,
    );
    expect(next.claims.get('A1')?.event).toBe(pendedAgain);
    expect(next.versions.get('A1')).toEqual(version('2008-03-01', 22, 1));
  });

  it("never lets a reference fix's clear of a record that lost to a newer one bring the older record back", () => {
    const newer = eventOf('A1', 900, { occurredAt: '2008-03-05', eventId: '00000000-0000-8000-8000-000000000014' });
    // An older version of the claim arrives late, pends, and a fix dated after both clears it.
    const late = eventOf('A1', 100, {
      eventType: 'pended',
      occurredAt: '2008-03-01',
      eventId: '00000000-0000-8000-8000-000000000015',
    });
    const lateCleared = clearedByFix(
      eventOf('A1', 100, { occurredAt: '2008-03-20', eventId: '00000000-0000-8000-8000-000000000016' }),
    );
    sequences.set(newer, 31).set(late, 32).set(lateCleared, 32);
    const result = foldClaimBatch([newer, late, lateCleared], noStored, versionOf);
    expect(result.claims.get('A1')?.event).toBe(newer);
    expect(result.superseded).toEqual([late, lateCleared]);
    expect(result.versions.get('A1')).toEqual(version('2008-03-05', 31));
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

describe('foldClaimBatch dating each change for the counters at the end of a past day', () => {
  const noStored = { contributions: new Map<string, ClaimKpiContribution>(), parts: new Map() };
  const sequences = new Map<EnrichedClaimEvent, number>();
  const versionOf = (event: EnrichedClaimEvent) => claimVersionOf(event, sequences.get(event) ?? 0);
  const eventIds = (n: number) => `00000000-0000-8000-8000-${String(n).padStart(12, '0')}`;

  /**
   * A delta without its zero entries and its undated dimensions, cells in key
   * order: two deltas that count the same by day compare equal.
   */
  const comparable = (delta: ClaimKpiDelta) => ({
    counters: Object.fromEntries(Object.entries(delta.counters).filter(([, value]) => value !== 0)),
    cells: [...delta.cells.entries()]
      .filter(([key]) => !UNDATED_DIMENSIONS.has(key.split('\u001f')[1] ?? ''))
      .filter(([, vector]) => vector.some((value) => value !== 0))
      .sort(([left], [right]) => (left < right ? -1 : 1)),
  });
  /** The dated deltas summed over every day up to `day`: the counters at the end of it. */
  const upTo = (dailyDelta: ReadonlyMap<string, ClaimKpiDelta>, day: string) => {
    const sum: ClaimKpiDelta = { counters: {}, cells: new Map() };
    for (const [deltaDay, delta] of dailyDelta) {
      if (deltaDay > day) continue;
      for (const [key, value] of Object.entries(delta.counters)) sum.counters[key] = (sum.counters[key] ?? 0) + value;
      for (const [key, vector] of delta.cells) {
        const cell = sum.cells.get(key) ?? vector.map(() => 0);
        sum.cells.set(
          key,
          cell.map((value, index) => value + (vector[index] ?? 0)),
        );
      }
    }
    return comparable(sum);
  };

  it('counts each claim at the end of a day as the version it held then: a correction moves the day it is dated', () => {
    expect(UNDATED_DIMENSIONS).toEqual(new Set(['hcpcs', 'diagnosis', 'ndc', 'provider_group']));
    const first = eventOf('A1', 900, { occurredAt: '2008-01-01', eventId: eventIds(1) });
    const other = eventOf('B1', 100, { occurredAt: '2008-02-01', eventId: eventIds(2) });
    const correction = eventOf('A1', 400, { occurredAt: '2008-03-01', eventId: eventIds(3) });
    sequences.set(first, 1).set(other, 2).set(correction, 3);
    const { dailyDelta, delta } = foldClaimBatch([first, other, correction], noStored, versionOf);

    expect([...dailyDelta.keys()].sort()).toEqual(['2008-01-01', '2008-02-01', '2008-03-01']);
    expect(upTo(dailyDelta, '2007-12-31')).toEqual(comparable({ counters: {}, cells: new Map() }));
    expect(upTo(dailyDelta, '2008-01-31')).toEqual(comparable(foldClaimBatch([first], noStored).delta));
    expect(upTo(dailyDelta, '2008-02-29')).toEqual(comparable(foldClaimBatch([first, other], noStored).delta));
    expect(upTo(dailyDelta, '2008-03-01')).toEqual(comparable(foldClaimBatch([other, correction], noStored).delta));
    expect(upTo(dailyDelta, '9999-12-31')).toEqual(comparable(delta));
    // The top lists' codes count in the live delta only.
    const dimensionsOf = (cells: Iterable<string>) => new Set([...cells].map((key) => key.split('\u001f')[1]));
    expect(dimensionsOf(delta.cells.keys())).toContain('hcpcs');
    const datedDimensions = new Set([...dailyDelta.values()].flatMap((day) => [...dimensionsOf(day.cells.keys())]));
    expect([...datedDimensions].filter((dimension) => UNDATED_DIMENSIONS.has(dimension ?? ''))).toEqual([]);
    expect(datedDimensions).toContain('payer');
  });

  it('dates nothing for a late event older than the claim, as it changes nothing today', () => {
    const newer = eventOf('A1', 900, { occurredAt: '2008-02-01', eventId: eventIds(4) });
    const late = eventOf('A1', 100, { occurredAt: '2008-01-01', eventId: eventIds(5) });
    sequences.set(newer, 4).set(late, 5);
    const { dailyDelta } = foldClaimBatch([newer, late], noStored, versionOf);
    expect([...dailyDelta.keys()]).toEqual(['2008-02-01']);
    expect(upTo(dailyDelta, '2008-01-31')).toEqual(comparable({ counters: {}, cells: new Map() }));
  });

  it("dates a declared update that moves the dates back on the claim's own day, so no earlier day changes", () => {
    const original = eventOf('A1', 900, { occurredAt: '2008-03-01', eventId: eventIds(6) });
    const stored = foldClaimBatch([original], noStored).claims.get('A1')?.contribution;
    if (!stored) throw new Error('the stored claim folded no contribution');
    const base = eventOf('A1', 400, { occurredAt: '2008-01-15', eventId: eventIds(7) });
    const update: EnrichedClaimEvent = { ...base, claim: { ...base.claim, sourceOperation: 'update' } };
    sequences.set(update, 9);
    const { dailyDelta, delta } = foldClaimBatch(
      [update],
      { ...noStored, contributions: new Map([['A1', stored]]), versions: new Map([['A1', version('2008-03-01', 6)]]) },
      versionOf,
    );
    expect([...dailyDelta.keys()]).toEqual(['2008-03-01']);
    expect(upTo(dailyDelta, '2008-03-01')).toEqual(comparable(delta));
  });
});
