import { derivedEventId, type ClaimEvent, type EnrichedClaimEvent, type RenderingProvider } from '@claims/contracts';
import { isValidNpiCheckDigit } from './npi';
import type { ProviderDirectoryEntry } from './nppes';

/** The distinct rendering NPIs of a batch, so one directory query serves it. */
export function renderingNpisOf(events: readonly ClaimEvent[]): string[] {
  const npis = new Set<string>();
  for (const event of events) {
    for (const line of event.claim.lines) if (line.renderingNpi !== null) npis.add(line.renderingNpi);
  }
  return [...npis];
}

/**
 * Adds the rendering providers of a claim. An NPI that is not in the
 * directory is marked `not_found` and the claim goes on: most DE-SynPUF NPIs
 * are synthetic, and the pend rules, not the enricher, decide what that means.
 */
export function enrichClaimEvent(
  event: ClaimEvent,
  directory: ReadonlyMap<string, ProviderDirectoryEntry>,
): EnrichedClaimEvent {
  const renderingProviders: RenderingProvider[] = [];
  const seen = new Set<string>();
  for (const line of event.claim.lines) {
    const npi = line.renderingNpi;
    if (npi === null || seen.has(npi)) continue;
    seen.add(npi);
    const entry = directory.get(npi);
    renderingProviders.push({
      npi,
      lookupStatus: entry ? 'found' : 'not_found',
      checkDigitValid: isValidNpiCheckDigit(npi),
      displayName: entry?.displayName ?? null,
      taxonomyCode: entry?.taxonomyCode ?? null,
      practiceState: entry?.practiceState ?? null,
    });
  }
  return {
    ...event,
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment: { renderingProviders },
  };
}
