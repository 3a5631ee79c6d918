import type { ClaimEvent, EnrichedClaimEvent } from '../claim-events';
import { derivedEventId, rawEventId, sha256Hex } from '../event-id';

/** A small hand-written DE-SynPUF-like carrier record and the canonical event made from it. */
export const FIXTURE_RECORD = '7F5AC1D788A6E462,737473360654133,20080803,20080808';
export const FIXTURE_RECORD_SHA256 = sha256Hex(FIXTURE_RECORD);
export const FIXTURE_RAW_EVENT_ID = rawEventId('desynpuf.carrier', '737473360654133', FIXTURE_RECORD_SHA256);

export function fixtureClaimEvent(): ClaimEvent {
  return {
    schemaVersion: 1,
    eventId: derivedEventId('claims.normalized', FIXTURE_RAW_EVENT_ID),
    eventType: 'adjudicated',
    occurredAt: '2008-08-08',
    claimId: '737473360654133',
    rawEventId: FIXTURE_RAW_EVENT_ID,
    layout: 'desynpuf.carrier',
    lineage: {
      source: 'DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv',
      fileId: sha256Hex('file'),
      recordNumber: 1,
      recordSha256: FIXTURE_RECORD_SHA256,
    },
    publishedAt: '2024-01-02T03:04:05.000Z',
    claim: {
      claimType: 'professional',
      patientToken: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      payer: 'MEDICARE',
      serviceFromDate: '2008-08-03',
      serviceThroughDate: '2008-08-08',
      diagnoses: [{ code: '4289', system: 'ICD-9-CM' }],
      lines: [
        {
          lineNumber: 1,
          hcpcsCode: '99232',
          renderingNpi: '2487983099',
          taxId: '032349648',
          diagnosisCode: '42831',
          paymentAmountCents: 9000,
          allowedAmountCents: 11000,
          deductibleAmountCents: 0,
          coinsuranceAmountCents: 2000,
          primaryPayerPaidAmountCents: 0,
          processingIndicatorCode: 'A',
          processingCategory: 'allowed',
        },
      ],
      totals: { paymentAmountCents: 9000, allowedAmountCents: 11000 },
    },
    dataQuality: [],
  };
}

export function fixtureEnrichedClaimEvent(): EnrichedClaimEvent {
  const event = fixtureClaimEvent();
  return {
    ...event,
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment: {
      renderingProviders: [
        {
          npi: '2487983099',
          lookupStatus: 'not_found',
          checkDigitValid: false,
          displayName: null,
          taxonomyCode: null,
          practiceState: null,
        },
      ],
    },
  };
}
