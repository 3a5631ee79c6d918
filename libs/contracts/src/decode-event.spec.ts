import { CLAIM_EVENT_ENVELOPE, ENRICHED_CLAIM_EVENT_ENVELOPE, EnrichedClaimEventSchema } from './claim-events';
import { decodeEvent, decodeTrustedEvent, validateEvent } from './decode-event';
import { fixtureClaimEvent, fixtureEnrichedClaimEvent } from './__fixtures__/claim-event';

const payload = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('decodeTrustedEvent', () => {
  it('decodes an enriched event to what the full schema decodes it to', () => {
    const event = fixtureEnrichedClaimEvent();
    expect(decodeTrustedEvent(ENRICHED_CLAIM_EVENT_ENVELOPE, payload(event))).toEqual(
      decodeEvent(EnrichedClaimEventSchema, payload(event)),
    );
  });

  it('accepts every schema version the full schema accepts, and refuses one it does not know', () => {
    for (const schemaVersion of [1, 2, 3]) {
      expect(decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, payload({ ...fixtureClaimEvent(), schemaVersion })).ok).toBe(
        true,
      );
    }
    expect(decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, payload({ ...fixtureClaimEvent(), schemaVersion: 4 }))).toEqual({
      ok: false,
      code: 'ENVELOPE_INVALID',
      reason: 'invalid envelope fields: schemaVersion',
    });
  });

  it('refuses an event missing its identity fields with ENVELOPE_INVALID, naming the fields and no value', () => {
    const { eventId: _eventId, ...withoutId } = fixtureEnrichedClaimEvent();
    const event = { ...withoutId, claimId: 737473360654133, lineage: { ...withoutId.lineage, recordNumber: '1' } };
    expect(decodeTrustedEvent(ENRICHED_CLAIM_EVENT_ENVELOPE, payload(event))).toEqual({
      ok: false,
      code: 'ENVELOPE_INVALID',
      reason: 'invalid envelope fields: eventId, claimId, lineage.recordNumber',
    });
  });

  it.each([
    ['an array', [fixtureClaimEvent()], 'ENVELOPE_INVALID'],
    ['null', null, 'ENVELOPE_INVALID'],
    ['a string', 'claim', 'ENVELOPE_INVALID'],
  ])('refuses a payload that is %s', (_, value, code) => {
    expect(decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, payload(value))).toMatchObject({ ok: false, code });
  });

  it('refuses a payload that is not JSON, or a tombstone, with JSON_INVALID as the full decode does', () => {
    expect(decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, Buffer.from('{no'))).toEqual(
      decodeEvent(EnrichedClaimEventSchema, Buffer.from('{no')),
    );
    expect(decodeTrustedEvent(CLAIM_EVENT_ENVELOPE, null)).toEqual(decodeEvent(EnrichedClaimEventSchema, null));
  });

  it('trusts what lies below the envelope, which the full validation of the fallback still refuses', () => {
    const event = { ...fixtureEnrichedClaimEvent(), claim: { ...fixtureEnrichedClaimEvent().claim, lines: {} } };
    const trusted = decodeTrustedEvent(ENRICHED_CLAIM_EVENT_ENVELOPE, payload(event));
    if (!trusted.ok) throw new Error('expected the envelope to pass');
    expect(validateEvent(ENRICHED_CLAIM_EVENT_ENVELOPE.schema, trusted.event)).toEqual({
      ok: false,
      code: 'SCHEMA_INVALID',
      reason: 'invalid fields: claim.lines',
    });
  });
});
