import { deriveEventId, sha256Hex, type Claim, type ClaimEvent, type ClaimLine } from '@claims/contracts';

let claimCounter = 0;

/** A minimal professional claim line; tests set only the identifiers they look at. */
export function claimLine(overrides: Partial<ClaimLine> = {}): ClaimLine {
  return {
    lineNumber: 1,
    hcpcsCode: '99213',
    renderingNpi: null,
    taxId: null,
    diagnosisCode: null,
    paymentAmountCents: 0,
    allowedAmountCents: 0,
    deductibleAmountCents: 0,
    coinsuranceAmountCents: 0,
    primaryPayerPaidAmountCents: 0,
    processingIndicatorCode: 'A',
    processingCategory: 'allowed',
    ...overrides,
  };
}

/** A minimal canonical claim event with a unique claim id; `claim` overrides the claim's fields. */
export function claimEvent(claim: Partial<Claim> = {}): ClaimEvent {
  claimCounter += 1;
  const claimId = `TEST${claimCounter}`;
  const sha = sha256Hex(claimId);
  return {
    schemaVersion: 2,
    eventId: deriveEventId('test.normalized', claimId),
    eventType: 'submitted',
    occurredAt: claim.serviceThroughDate ?? '2008-01-01',
    claimId,
    rawEventId: deriveEventId('test.raw', claimId),
    layout: 'desynpuf.carrier',
    lineage: { source: 'test.csv', fileId: sha, recordNumber: claimCounter, recordSha256: sha },
    publishedAt: '2024-01-01T00:00:00.000Z',
    claim: {
      claimType: 'professional',
      patientToken: 'token',
      payer: 'MEDICARE',
      serviceFromDate: '2008-01-01',
      serviceThroughDate: '2008-01-01',
      diagnoses: [],
      lines: [],
      totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
      ...claim,
    },
    dataQuality: [],
  };
}
