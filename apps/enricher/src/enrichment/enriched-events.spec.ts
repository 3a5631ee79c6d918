import type { Enrichment, PendDecision } from '@claims/contracts';
import { fixtureClaimEvent, fixtureLine } from '@claims/harness';
import { enrichedEventsOf, outboundOf } from './enriched-events';

const event = fixtureClaimEvent('C-1', [fixtureLine({ lineNumber: 1 })]);
const enrichment: Enrichment = { renderingProviders: [] };
const laterEnrichment: Enrichment = { renderingProviders: [], lookupMisses: [] };

function decision(overrides: Partial<PendDecision>): PendDecision {
  return {
    ruleSetVersion: 'spec.1',
    status: 'pended',
    reasons: [
      {
        code: 'PROVIDER_NOT_FOUND',
        description: 'not in the directory',
        queue: 'Provider Data',
        severity: 'high',
        waitsOn: [{ kind: 'provider', key: '1234567893' }],
        classifiedBy: null,
      },
    ],
    queue: 'Provider Data',
    pendedOn: event.occurredAt,
    clearedOn: null,
    clearedBy: null,
    ...overrides,
  };
}

describe('enrichedEventsOf', () => {
  it('keeps a clean claim as one event of its own type, with the verdict on it', () => {
    const clean = decision({ status: 'clean', reasons: [], queue: null, pendedOn: null });
    const [only, ...rest] = enrichedEventsOf(event, enrichment, clean);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ eventType: event.eventType, normalizedEventId: event.eventId, pendDecision: clean });
  });

  it('emits a pended claim as one pended event', () => {
    const events = enrichedEventsOf(event, enrichment, decision({}));
    expect(events.map((enriched) => enriched.eventType)).toEqual(['pended']);
  });

  it('emits a claim cleared at once as pended then cleared, the cleared one on the clear date with the later directory', () => {
    const cleared = decision({ status: 'cleared', clearedOn: '2010-04-01', clearedBy: 'reference' });
    const [pended, clearedEvent] = enrichedEventsOf(event, enrichment, cleared, laterEnrichment);
    expect(pended).toMatchObject({ eventType: 'pended', pendDecision: { status: 'pended', clearedOn: null } });
    expect(clearedEvent).toMatchObject({
      eventType: 'cleared',
      occurredAt: '2010-04-01',
      enrichment: laterEnrichment,
      pendDecision: { status: 'cleared', clearedOn: '2010-04-01', clearedBy: 'reference' },
    });
  });

  it('gives the same event ids whether the fix came before the claim or after it, and new ids per clear date', () => {
    const cleared = decision({ status: 'cleared', clearedOn: '2010-04-01', clearedBy: 'reference' });
    const first = enrichedEventsOf(event, enrichment, cleared).map((enriched) => enriched.eventId);
    const again = enrichedEventsOf(event, enrichment, cleared).map((enriched) => enriched.eventId);
    expect(again).toEqual(first);
    const pendedAlone = enrichedEventsOf(event, enrichment, decision({}));
    expect(pendedAlone[0]?.eventId).toBe(first[0]);
    const otherDay = enrichedEventsOf(event, enrichment, { ...cleared, clearedOn: '2010-05-01' });
    expect(otherDay[1]?.eventId).not.toBe(first[1]);
  });

  it('keeps a pended-queue export row cleared on its own clear date as one event: it stands for the episode', () => {
    const exported = decision({ status: 'cleared', clearedOn: '2010-04-01', clearedBy: 'source_clear_date' });
    expect(enrichedEventsOf(event, enrichment, exported)).toHaveLength(1);
  });
});

describe('outboundOf', () => {
  it("holds the event's JSON as bytes, keyed by claim, with the event's headers and the record's trace", () => {
    const [enriched] = enrichedEventsOf(event, enrichment, decision({}));
    if (!enriched) throw new Error('no enriched event');
    const traceParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const message = outboundOf(enriched, traceParent);
    expect(Buffer.isBuffer(message.value)).toBe(true);
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(enriched);
    expect(message.key).toBe(enriched.claimId);
    expect(message.headers['traceparent']).toBe(traceParent);
  });
});
