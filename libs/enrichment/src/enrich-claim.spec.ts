import { derivedEventId, EnrichedClaimEventSchema } from '@claims/contracts';
import { enrichClaimEvent, renderingNpisOf } from './enrich-claim';
import type { ProviderDirectoryEntry } from './nppes';
import { fixtureClaimEvent, fixtureLine } from '@claims/harness';

const WIEBE: ProviderDirectoryEntry = {
  npi: '1679576722',
  entityType: 'individual',
  displayName: 'DAVID WIEBE',
  taxonomyCode: '207X00000X',
  practiceState: 'NE',
};
const directory = new Map([[WIEBE.npi, WIEBE]]);

const event = fixtureClaimEvent('737473360654133', [
  fixtureLine({ lineNumber: 1, renderingNpi: '1679576722' }),
  fixtureLine({ lineNumber: 2, renderingNpi: '2487983099' }),
  fixtureLine({ lineNumber: 3, renderingNpi: '1679576722' }),
  fixtureLine({ lineNumber: 4, renderingNpi: null }),
]);

describe('enrichClaimEvent', () => {
  const enriched = enrichClaimEvent(event, directory);

  it('marks an NPI in the directory as found, with its name, taxonomy and state', () => {
    expect(enriched.enrichment.renderingProviders[0]).toEqual({
      npi: '1679576722',
      lookupStatus: 'found',
      checkDigitValid: true,
      displayName: 'DAVID WIEBE',
      taxonomyCode: '207X00000X',
      practiceState: 'NE',
    });
  });

  it('marks an NPI missing from the directory as not_found, with its check digit result', () => {
    expect(enriched.enrichment.renderingProviders[1]).toEqual({
      npi: '2487983099',
      lookupStatus: 'not_found',
      checkDigitValid: false,
      displayName: null,
      taxonomyCode: null,
      practiceState: null,
    });
  });

  it('lists each distinct rendering NPI once, in line order, skipping lines without one', () => {
    expect(enriched.enrichment.renderingProviders.map((provider) => provider.npi)).toEqual([
      '1679576722',
      '2487983099',
    ]);
  });

  it('derives a new event id from the normalized event id and keeps the latter', () => {
    expect(enriched.eventId).toBe(derivedEventId('claims.enriched', event.eventId));
    expect(enriched.eventId).not.toBe(event.eventId);
    expect(enriched.normalizedEventId).toBe(event.eventId);
  });

  it('derives the same enriched event id however often the event is enriched', () => {
    expect(enrichClaimEvent(event, new Map()).eventId).toBe(enriched.eventId);
  });

  it('keeps the claim, its ids and lineage unchanged', () => {
    expect(enriched.claim).toEqual(event.claim);
    expect(enriched.claimId).toBe(event.claimId);
    expect(enriched.rawEventId).toBe(event.rawEventId);
    expect(enriched.lineage).toEqual(event.lineage);
  });

  it('does not modify the event it was given', () => {
    expect(event).not.toHaveProperty('enrichment');
    expect(event.eventId).toBe(derivedEventId('claims.normalized', event.rawEventId));
  });

  it('produces an event the enriched-topic schema accepts', () => {
    expect(EnrichedClaimEventSchema.safeParse(enriched).success).toBe(true);
  });

  it('marks every NPI not_found against an empty directory', () => {
    expect(enrichClaimEvent(event, new Map()).enrichment.renderingProviders.map((p) => p.lookupStatus)).toEqual([
      'not_found',
      'not_found',
    ]);
  });

  it('gives a claim without rendering NPIs an empty provider list', () => {
    const noNpis = fixtureClaimEvent('1', [fixtureLine({ lineNumber: 1 })]);
    expect(enrichClaimEvent(noNpis, directory).enrichment.renderingProviders).toEqual([]);
  });
});

describe('renderingNpisOf', () => {
  it('returns the distinct rendering NPIs of a batch, first-seen order', () => {
    const other = fixtureClaimEvent('2', [
      fixtureLine({ lineNumber: 1, renderingNpi: '1063947125' }),
      fixtureLine({ lineNumber: 2, renderingNpi: '2487983099' }),
    ]);
    expect(renderingNpisOf([event, other])).toEqual(['1679576722', '2487983099', '1063947125']);
  });

  it('returns nothing for an empty batch', () => {
    expect(renderingNpisOf([])).toEqual([]);
  });
});
