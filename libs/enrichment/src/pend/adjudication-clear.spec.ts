import type { ClaimEvent, PendDecision } from '@claims/contracts';
import { decisionOnAdjudication, isAnswerAboutClaim, isRemittanceAdjudication } from './adjudication-clear';

function remittance(adjudication: NonNullable<ClaimEvent['claim']['adjudication']> | null, occurredAt = '2010-05-20') {
  return { occurredAt, claim: { adjudication } } as unknown as ClaimEvent;
}

const adjudicated = {
  sourceStatus: '1',
  status: 'paid' as const,
  paidAmountCents: 12_000,
  paidDate: '2010-05-20',
  claimStatusCode: '1',
};

const waiting: PendDecision = {
  ruleSetVersion: 'spec.1',
  status: 'pended',
  reasons: [
    {
      code: 'AMOUNT_OVER_THRESHOLD',
      description: 'above the review threshold',
      queue: 'Medical Review',
      severity: 'medium',
      waitsOn: [],
      classifiedBy: null,
    },
  ],
  queue: 'Medical Review',
  pendedOn: '2010-04-02',
  clearedOn: null,
  clearedBy: null,
};

describe('isRemittanceAdjudication', () => {
  it('recognises a remittance by its payer claim status code', () => {
    expect(isRemittanceAdjudication(remittance(adjudicated))).toBe(true);
  });

  it('does not take a billing export status, a reversal or a claim without adjudication for one', () => {
    expect(isRemittanceAdjudication(remittance({ ...adjudicated, claimStatusCode: undefined }))).toBe(false);
    expect(isRemittanceAdjudication(remittance({ ...adjudicated, claimStatusCode: '22', reversal: true }))).toBe(false);
    expect(isRemittanceAdjudication(remittance(null))).toBe(false);
  });
});

describe('isAnswerAboutClaim', () => {
  const answer = (claim: Partial<ClaimEvent['claim']>) => ({ claim }) as unknown as ClaimEvent;
  const acknowledgement = { statusCode: 'A1', statusCodes: [], transactionControlNumber: null };

  it('takes every acknowledgement, accepting or rejecting, for an answer', () => {
    for (const kind of ['999', '277ca', '277'] as const) {
      for (const status of ['accepted', 'accepted_with_errors', 'rejected'] as const) {
        expect(isAnswerAboutClaim(answer({ acknowledgement: { ...acknowledgement, kind, status } }))).toBe(true);
      }
    }
  });

  it('takes a remittance, a reversal included, for an answer', () => {
    expect(isAnswerAboutClaim(remittance(adjudicated))).toBe(true);
    expect(isAnswerAboutClaim(remittance({ ...adjudicated, claimStatusCode: '22', reversal: true }))).toBe(true);
  });

  it("does not take a claim, nor a billing export's own adjudication status, for an answer", () => {
    expect(isAnswerAboutClaim(answer({ acknowledgement: null, adjudication: null }))).toBe(false);
    expect(isAnswerAboutClaim(remittance({ ...adjudicated, claimStatusCode: null }))).toBe(false);
    expect(isAnswerAboutClaim(remittance(null))).toBe(false);
  });
});

describe('decisionOnAdjudication', () => {
  it('clears a waiting claim on the remittance date, keeping its reasons and pend date', () => {
    expect(decisionOnAdjudication(remittance(adjudicated), waiting, 'spec.2')).toMatchObject({
      status: 'cleared',
      clearedOn: '2010-05-20',
      clearedBy: 'adjudication',
      pendedOn: '2010-04-02',
      reasons: waiting.reasons,
    });
  });

  it('never clears before the claim pended', () => {
    expect(decisionOnAdjudication(remittance(adjudicated, '2010-03-01'), waiting, 'spec.2').clearedOn).toBe(
      '2010-04-02',
    );
  });

  it('gives a claim that was not waiting a clean verdict', () => {
    expect(decisionOnAdjudication(remittance(adjudicated), undefined, 'spec.2')).toMatchObject({
      status: 'clean',
      reasons: [],
      ruleSetVersion: 'spec.2',
    });
  });
});
