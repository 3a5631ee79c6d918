import { ClaimEventSchema, EVENT_HEADERS, claimEventHeaders, decodeEvent, type ClaimEvent } from '@claims/contracts';
import { enrichClaimEvent, renderingNpisOf, type ProviderDirectoryEntry } from '@claims/enrichment';
import type { ConsumedMessage, TransformOutcome } from '@claims/kafka';

/**
 * Enriches a batch with one directory lookup for all its NPIs, instead of a
 * query per claim. A message that does not decode goes to the dead-letter topic.
 */
export async function enrichNormalizedBatch(
  messages: readonly ConsumedMessage[],
  findProviders: (npis: readonly string[]) => Promise<ReadonlyMap<string, ProviderDirectoryEntry>>,
): Promise<TransformOutcome[]> {
  const decoded = messages.map((consumed) => decodeEvent(ClaimEventSchema, consumed.message.value));
  const events = decoded.flatMap((result) => (result.ok ? [result.event] : []));
  const directory = await findProviders(renderingNpisOf(events));
  return decoded.map((result, index): TransformOutcome => {
    if (!result.ok) return { deadLetter: { code: result.code, reason: result.reason } };
    const event: ClaimEvent = result.event;
    const enriched = enrichClaimEvent(event, directory);
    const traceParent = messages[index]?.message.headers?.[EVENT_HEADERS.traceParent]?.toString();
    return {
      emit: {
        key: enriched.claimId,
        value: JSON.stringify(enriched),
        headers: claimEventHeaders(enriched, traceParent),
      },
    };
  });
}
