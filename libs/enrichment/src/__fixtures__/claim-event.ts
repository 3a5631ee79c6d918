import { derivedEventId, rawEventId, sha256Hex, type ClaimEvent, type ClaimLine } from '@claims/contracts';

/** One claim line with zero amounts; override what a test cares about. */
export function fixtureLine(overrides: Partial<ClaimLine> & Pick<ClaimLine, 'lineNumber'>): ClaimLine {
  return {
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

/** A canonical claim event with the given lines, its ids derived as the pipeline derives them. */
export function fixtureClaimEvent(claimId: string, lines: ClaimLine[]): ClaimEvent {
  const recordSha256 = sha256Hex(`record of ${claimId}`);
  const raw = rawEventId('desynpuf.carrier', claimId, recordSha256);
  return {
    schemaVersion: 1,
    eventId: derivedEventId('claims.normalized', raw),
    eventType: 'adjudicated',
    occurredAt: '2008-08-08',
    claimId,
    rawEventId: raw,
    layout: 'desynpuf.carrier',
    lineage: { source: 'fixture.csv', fileId: sha256Hex('fixture.csv'), recordNumber: 1, recordSha256 },
    publishedAt: '2024-01-02T03:04:05.000Z',
    claim: {
      claimType: 'professional',
      patientToken: 'fixture-token',
      payer: 'MEDICARE',
      serviceFromDate: '2008-08-03',
      serviceThroughDate: '2008-08-08',
      diagnoses: [],
      lines,
      totals: {
        paymentAmountCents: lines.reduce((sum, line) => sum + line.paymentAmountCents, 0),
        allowedAmountCents: lines.reduce((sum, line) => sum + line.allowedAmountCents, 0),
      },
    },
    dataQuality: [],
  };
}
