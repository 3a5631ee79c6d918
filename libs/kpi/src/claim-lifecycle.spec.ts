import { derivedEventId, type EnrichedClaimEvent } from '@claims/contracts';
import { fixtureEnrichedEvent } from '@claims/harness';
import { claimLifecyclesOf, claimPartsOf, mergeClaimParts } from './claim-lifecycle';
import { foldClaimBatch } from './fold-claim-events';
import { claimKpiContribution, type ClaimKpiContribution, type ClaimKpiDelta } from './denial-cost-contribution';

type Adjudication = NonNullable<EnrichedClaimEvent['claim']['adjudication']>;

const BILLING_NPI = '1234567893';

/** One X12 event of claim `PCN1`, as the normalizer and enricher would hand it on. */
function x12Event(
  name: string,
  overrides: Omit<Partial<EnrichedClaimEvent>, 'claim'> & { claim?: Partial<EnrichedClaimEvent['claim']> },
): EnrichedClaimEvent {
  const base = fixtureEnrichedEvent('PCN1', [
    { indicator: null, category: 'unknown', paymentCents: 0, allowedCents: 0 },
    { indicator: null, category: 'unknown', paymentCents: 0, allowedCents: 0 },
  ]);
  const { claim, ...rest } = overrides;
  return {
    ...base,
    eventId: derivedEventId('claim-lifecycle-spec', name),
    // Each event stands for its own normalized event (its own fact in the source).
    normalizedEventId: derivedEventId('claim-lifecycle-spec-normalized', name),
    pendDecision: null,
    ...rest,
    claim: { ...base.claim, ...claim },
  } as EnrichedClaimEvent;
}

const submitted = (name: string, submittedDate: string, frequencyCode = '1') =>
  x12Event(name, {
    layout: 'x12.837p',
    eventType: 'submitted',
    occurredAt: '2024-01-05',
    claim: {
      payer: 'ACME HEALTH',
      billingNpi: BILLING_NPI,
      diagnoses: [{ code: 'J020', system: 'ICD-10-CM' }],
      billedAmountCents: 20000,
      lines: [1, 2].map((lineNumber) => ({
        lineNumber,
        hcpcsCode: lineNumber === 1 ? '99213' : '87880',
        renderingNpi: BILLING_NPI,
        taxId: null,
        diagnosisCode: 'J020',
        paymentAmountCents: 0,
        allowedAmountCents: 0,
        deductibleAmountCents: 0,
        coinsuranceAmountCents: 0,
        primaryPayerPaidAmountCents: 0,
        processingIndicatorCode: null,
        processingCategory: 'unknown' as const,
        chargeAmountCents: 10000,
      })),
      adjudication: null,
      submission: {
        senderId: 'SUBMITTER',
        groupControlNumber: '17',
        transactionControlNumber: '0001',
        submittedDate,
        frequencyCode,
      },
    },
  });

const paidLines = (paidCents: number) =>
  [1, 2].map((lineNumber) => ({
    lineNumber,
    hcpcsCode: null,
    renderingNpi: null,
    taxId: null,
    diagnosisCode: null,
    paymentAmountCents: paidCents / 2,
    allowedAmountCents: paidCents / 2,
    deductibleAmountCents: 0,
    coinsuranceAmountCents: 0,
    primaryPayerPaidAmountCents: 0,
    processingIndicatorCode: null,
    processingCategory: 'unknown' as const,
  }));

const adjudicated = (
  name: string,
  paidDate: string,
  adjudication: Partial<Adjudication>,
  npi: string | null = BILLING_NPI,
) => {
  const paidCents = adjudication.paidAmountCents ?? 0;
  return x12Event(name, {
    layout: 'x12.835',
    eventType: 'adjudicated',
    occurredAt: paidDate,
    claim: {
      payer: 'ACME HEALTH PLAN',
      billingNpi: npi,
      diagnoses: [],
      lines: paidLines(paidCents),
      totals: { paymentAmountCents: paidCents, allowedAmountCents: paidCents },
      billedAmountCents: 20000,
      adjudication: {
        sourceStatus: '1',
        status: 'paid',
        paidAmountCents: paidCents,
        paidDate,
        ...adjudication,
      },
    },
  });
};

const acknowledged = (name: string, date: string, status: 'accepted' | 'rejected', statusCode: string) =>
  x12Event(name, {
    layout: 'x12.277ca',
    eventType: status === 'rejected' ? 'rejected' : 'acknowledged',
    occurredAt: date,
    claim: {
      billingNpi: BILLING_NPI,
      diagnoses: [],
      lines: [],
      acknowledgement: { kind: '277ca', status, statusCode, statusCodes: [], transactionControlNumber: null },
    },
  });

const original837 = submitted('837', '2024-01-05');
const accepted277 = acknowledged('277ca', '2024-01-06', 'accepted', 'A1');
const paid835 = adjudicated('835-paid', '2024-01-20', { paidAmountCents: 18000 });
const reversal835 = adjudicated('835-reversal', '2024-02-03', {
  status: null,
  sourceStatus: '22',
  claimStatusCode: '22',
  reversal: true,
  paidAmountCents: -18000,
});
const correction835 = adjudicated('835-correction', '2024-02-03', { paidAmountCents: 15000, status: 'partially_paid' });

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

const noStored = { contributions: new Map<string, ClaimKpiContribution>(), parts: new Map() };

/** Folds each event in its own batch, carrying the stored parts and contribution as the repository does. */
function foldOneByOne(events: readonly EnrichedClaimEvent[]): {
  state: EnrichedClaimEvent | undefined;
  delta: ClaimKpiDelta;
} {
  const parts = new Map<string, EnrichedClaimEvent[]>();
  const contributions = new Map<string, ClaimKpiContribution>();
  const delta: ClaimKpiDelta = { counters: {}, cells: new Map() };
  let state: EnrichedClaimEvent | undefined;
  for (const event of events) {
    const result = foldClaimBatch([event], { contributions, parts });
    for (const part of result.newParts) parts.set(part.claimId, [...(parts.get(part.claimId) ?? []), part]);
    for (const [claimId, claim] of result.claims) {
      contributions.set(claimId, claim.contribution);
      state = claim.event;
    }
    for (const [key, value] of Object.entries(result.delta.counters)) {
      delta.counters[key] = (delta.counters[key] ?? 0) + value;
      if (delta.counters[key] === 0) delete delta.counters[key];
    }
    for (const [key, vector] of result.delta.cells) {
      const cell = delta.cells.get(key) ?? vector.map(() => 0);
      delta.cells.set(
        key,
        cell.map((value, index) => value + (vector[index] ?? 0)),
      );
    }
  }
  for (const [key, vector] of [...delta.cells]) if (vector.every((value) => value === 0)) delta.cells.delete(key);
  return { state, delta };
}

describe('mergeClaimParts', () => {
  it("keeps the 837's diagnoses, lines and billed total and lays the 835's status, paid and line payments over them", () => {
    const state = mergeClaimParts(claimPartsOf([original837, paid835]));
    expect(state).toMatchObject({
      eventType: 'adjudicated',
      layout: 'x12.835',
      occurredAt: '2024-01-20',
      claim: {
        payer: 'ACME HEALTH',
        diagnoses: [{ code: 'J020' }],
        billedAmountCents: 20000,
        totals: { paymentAmountCents: 18000 },
        adjudication: { status: 'paid', paidAmountCents: 18000 },
      },
    });
    expect(state?.claim.lines.map((line) => [line.hcpcsCode, line.chargeAmountCents, line.paymentAmountCents])).toEqual(
      [
        ['99213', 10000, 9000],
        ['87880', 10000, 9000],
      ],
    );
  });

  it("keeps what the primary paid per line as a secondary's 837 states it (2430 SVD02) when the 835 answers the lines", () => {
    const secondary837 = {
      ...original837,
      claim: {
        ...original837.claim,
        lines: original837.claim.lines.map((line, index) => ({
          ...line,
          primaryPayerPaidAmountCents: index === 0 ? 4000 : 1500,
        })),
      },
    };
    const [first, second] = paid835.claim.lines;
    // An 835 line that does state a primary payment (a payer that fills it) is the later word on it.
    const stating835 = {
      ...paid835,
      claim: { ...paid835.claim, lines: [first!, { ...second!, primaryPayerPaidAmountCents: 1200 }] },
    };
    const state = mergeClaimParts(claimPartsOf([secondary837, paid835]));
    expect(state?.claim.lines.map((line) => [line.paymentAmountCents, line.primaryPayerPaidAmountCents])).toEqual([
      [9000, 4000],
      [9000, 1500],
    ]);
    const stated = mergeClaimParts(claimPartsOf([secondary837, stating835]));
    expect(stated?.claim.lines.map((line) => line.primaryPayerPaidAmountCents)).toEqual([4000, 1200]);
  });

  it('lets a reversal undo the adjudication it reverses and the correction beside it stand', () => {
    const corrected = mergeClaimParts(claimPartsOf([original837, paid835, reversal835, correction835]));
    expect(corrected?.claim.adjudication).toMatchObject({ status: 'partially_paid', paidAmountCents: 15000 });
    const reversed = mergeClaimParts(claimPartsOf([original837, paid835, reversal835]));
    expect(reversed).toMatchObject({ eventType: 'submitted', layout: 'x12.837p', claim: { adjudication: null } });
  });

  it('keeps an 835 that came without its 837 as the claim state, as it came', () => {
    expect(mergeClaimParts(claimPartsOf([paid835]))?.eventId).toBe(paid835.eventId);
  });

  it('leaves an 835-only claim whose payment was reversed as billed with nothing paid, never the negated reversal', () => {
    for (const order of permutations([paid835, reversal835])) {
      const reversed = mergeClaimParts(claimPartsOf(order));
      expect(reversed).toMatchObject({
        eventId: reversal835.eventId,
        occurredAt: '2024-02-03',
        claim: {
          adjudication: null,
          billedAmountCents: paid835.claim.billedAmountCents,
          totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
        },
      });
      expect(reversed?.claim.lines.every((line) => line.paymentAmountCents === 0)).toBe(true);
    }
    const corrected = mergeClaimParts(claimPartsOf([paid835, reversal835, correction835]));
    expect(corrected?.claim.adjudication).toMatchObject({ status: 'partially_paid', paidAmountCents: 15000 });
  });

  it('counts a reversal whose original never came as the claim it reverses, as billed with nothing paid', () => {
    // As the 835 reader gives a CLP02 22: every amount negated (CLP03 -200.00, CLP04 -180.00, SVC02 -100.00).
    const negated = adjudicated('835-reversal-alone', '2024-02-03', {
      status: null,
      sourceStatus: '22',
      claimStatusCode: '22',
      reversal: true,
      paidAmountCents: -18000,
    });
    const reversalAlone: EnrichedClaimEvent = {
      ...negated,
      claim: {
        ...negated.claim,
        billedAmountCents: -20000,
        lines: negated.claim.lines.map((line) => ({ ...line, chargeAmountCents: -10000 })),
      },
    };
    const state = mergeClaimParts(claimPartsOf([reversalAlone]));
    expect(state).toMatchObject({
      eventId: reversalAlone.eventId,
      occurredAt: '2024-02-03',
      claim: {
        adjudication: null,
        billedAmountCents: 20000,
        totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
      },
    });
    expect(state?.claim.lines.map((line) => [line.chargeAmountCents, line.paymentAmountCents])).toEqual([
      [10000, 0],
      [10000, 0],
    ]);
    // The figures the original and its reversal leave together.
    const withOriginal = mergeClaimParts(claimPartsOf([paid835, reversal835]));
    if (!state || !withOriginal) throw new Error('no claim state');
    expect(claimKpiContribution(state).counters).toEqual(claimKpiContribution(withOriginal).counters);
    expect(claimKpiContribution(state).cells).toEqual(claimKpiContribution(withOriginal).cells);
  });

  it("lays a 277 claim status response's status over the 837 without counting it as an acknowledgement", () => {
    const status = x12Event('277-status', {
      layout: 'x12.277',
      eventType: 'acknowledged',
      occurredAt: '2024-01-15',
      claim: {
        billingNpi: BILLING_NPI,
        diagnoses: [],
        lines: [],
        acknowledgement: {
          kind: '277',
          status: 'accepted',
          statusCode: 'P3',
          statusCodes: ['317'],
          transactionControlNumber: null,
        },
      },
    });
    const parts = claimPartsOf([original837, accepted277, status]);
    expect(parts.statuses).toEqual([status]);
    expect(mergeClaimParts(parts)).toMatchObject({
      eventId: status.eventId,
      claim: { diagnoses: original837.claim.diagnoses, acknowledgement: { kind: '277', statusCode: 'P3' } },
    });
    expect(claimLifecyclesOf('PCN1', parts)).toEqual([
      expect.objectContaining({ submitted: true, acknowledgementCount: 1, latestAcknowledgementCategory: 'A1' }),
    ]);
  });
});

describe('foldClaimBatch over X12 parts', () => {
  const all = [original837, accepted277, paid835, reversal835, correction835];

  it('reaches the same claim state, lifecycle and counter delta in every order of arrival, in one batch or one by one', () => {
    const reference = foldOneByOne(all);
    const referenceLifecycle = foldClaimBatch(all, noStored).lifecycles.get('PCN1');
    for (const order of permutations(all)) {
      const oneBatch = foldClaimBatch(order, noStored);
      expect(oneBatch.claims.get('PCN1')?.event).toEqual(reference.state);
      expect(oneBatch.lifecycles.get('PCN1')).toEqual(referenceLifecycle);
      const oneByOne = foldOneByOne(order);
      expect(oneByOne.state).toEqual(reference.state);
      expect(oneByOne.delta.counters).toEqual(reference.delta.counters);
      expect(oneByOne.delta.cells).toEqual(reference.delta.cells);
    }
    expect(reference.delta.counters).toEqual(
      foldClaimBatch([reference.state as EnrichedClaimEvent], noStored).delta.counters,
    );
  });

  it('counts the claim once: an 835 and a 277CA merge into the 837 instead of adding claims', () => {
    expect(foldOneByOne(all).delta.counters['claims_received|']).toBe(1);
  });

  it('records the lifecycle: first submission, first decision and payment, reversals and what stands paid', () => {
    expect(foldClaimBatch(all, noStored).lifecycles.get('PCN1')).toEqual([
      expect.objectContaining({
        billingNpi: BILLING_NPI,
        payer: 'ACME HEALTH',
        submitted: true,
        firstSubmittedOn: '2024-01-05',
        submissionCount: 1,
        resubmitted: false,
        firstSetGroupControlNumber: '17',
        firstSetTransactionControlNumber: '0001',
        acknowledgementCount: 1,
        latestAcknowledgementCategory: 'A1',
        everRejectedByAcknowledgement: false,
        adjudicationCount: 3,
        firstAdjudicatedOn: '2024-01-20',
        firstAdjudicationStatus: 'paid',
        firstPaidOn: '2024-01-20',
        paidAmountCents: 15000,
        reversalCount: 1,
      }),
    ]);
  });

  it('keeps an 835 for a claim never seen as unmatched, and matches it when the 837 comes', () => {
    const alone = foldClaimBatch([paid835], noStored).lifecycles.get('PCN1');
    expect(alone).toEqual([
      expect.objectContaining({ submitted: false, adjudicationCount: 1, billingNpi: BILLING_NPI }),
    ]);
    const joined = foldClaimBatch([original837], { contributions: new Map(), parts: new Map([['PCN1', [paid835]]]) });
    expect(joined.lifecycles.get('PCN1')).toEqual([expect.objectContaining({ submitted: true, adjudicationCount: 1 })]);
  });

  it('adds nothing for an X12 part already stored: a replay whose event id the fold no longer remembers', () => {
    const folded = foldClaimBatch([original837, paid835], noStored).claims.get('PCN1');
    if (!folded) throw new Error('the claim folded no state');
    const replay = foldClaimBatch([paid835], {
      contributions: new Map([['PCN1', folded.contribution]]),
      parts: new Map([['PCN1', [original837, paid835]]]),
    });
    expect(replay.superseded).toEqual([paid835]);
    expect(replay.newParts).toEqual([]);
    expect(replay.claims.size).toBe(0);
    expect(replay.delta).toEqual({ counters: {}, cells: new Map() });
  });

  it('does not join an 835 paying another billing provider under the same patient control number', () => {
    const otherPayee = adjudicated('835-other-payee', '2024-01-20', { paidAmountCents: 500 }, '1999999984');
    const rows = foldClaimBatch([original837, otherPayee], noStored).lifecycles.get('PCN1');
    expect(rows?.map((row) => [row.billingNpi, row.submitted, row.adjudicationCount])).toEqual([
      ['1234567893', true, 0],
      ['1999999984', false, 1],
    ]);
  });

  it('joins an 835 naming no payee NPI by the payer, else to the only 837 of the patient control number', () => {
    const noPayeeNpi = adjudicated('835-no-npi', '2024-01-20', { paidAmountCents: 500 }, null);
    const rows = foldClaimBatch([original837, noPayeeNpi], noStored).lifecycles.get('PCN1');
    expect(rows?.map((row) => [row.billingNpi, row.submitted, row.adjudicationCount])).toEqual([
      [BILLING_NPI, true, 1],
    ]);
  });

  it('counts a replacement claim (frequency 7) and a second 837 as resubmissions, the first date kept', () => {
    const replacement = submitted('837-replacement', '2024-01-12', '7');
    const rows = foldClaimBatch([replacement, original837], noStored).lifecycles.get('PCN1');
    expect(rows).toEqual([
      expect.objectContaining({ submissionCount: 2, resubmitted: true, firstSubmittedOn: '2024-01-05' }),
    ]);
  });

  it('takes the pended and the cleared version of one 837 as one submission that pended, the cleared one standing', () => {
    const decision = {
      ruleSetVersion: 'spec',
      reasons: [],
      queue: 'provider-data',
      pendedOn: '2024-01-05',
      clearedBy: null,
    };
    const pended: EnrichedClaimEvent = {
      ...original837,
      eventId: derivedEventId('claim-lifecycle-spec', 'pended'),
      eventType: 'pended',
      pendDecision: { ...decision, status: 'pended', clearedOn: null },
    };
    const cleared: EnrichedClaimEvent = {
      ...original837,
      eventId: derivedEventId('claim-lifecycle-spec', 'cleared'),
      eventType: 'cleared',
      pendDecision: { ...decision, status: 'cleared', clearedOn: '2024-01-08', clearedBy: 'reference' },
    };
    for (const order of [
      [pended, cleared],
      [cleared, pended],
    ]) {
      const result = foldClaimBatch(order, noStored);
      expect(result.claims.get('PCN1')?.event.eventId).toBe(cleared.eventId);
      expect(result.lifecycles.get('PCN1')).toEqual([
        expect.objectContaining({ submissionCount: 1, resubmitted: false, pended: true }),
      ]);
    }
  });

  it('keeps a 999 per transaction set and never as a claim', () => {
    const verdict = x12Event('999', {
      layout: 'x12.999',
      eventType: 'rejected',
      claimId: 'x12-ts:17:0001',
      occurredAt: '2024-01-06',
      claim: {
        acknowledgement: {
          kind: '999',
          status: 'rejected',
          statusCode: 'R',
          statusCodes: [],
          transactionControlNumber: '0001',
        },
        submission: { senderId: 'SUBMITTER', groupControlNumber: '17', transactionControlNumber: '0001' },
      },
    });
    const result = foldClaimBatch([verdict], noStored);
    expect(result.claims.size).toBe(0);
    expect(result.delta.counters).toEqual({});
    expect(result.setVerdicts).toEqual([
      {
        eventId: verdict.eventId,
        senderId: 'SUBMITTER',
        groupControlNumber: '17',
        transactionControlNumber: '0001',
        status: 'rejected',
        acknowledgedOn: '2024-01-06',
      },
    ]);
  });

  it('folds any other source as before: its latest version replaces the claim', () => {
    const v1 = fixtureEnrichedEvent(
      'A1',
      [{ indicator: 'A', category: 'allowed', paymentCents: 9000, allowedCents: 11000 }],
      1,
    );
    const v2 = fixtureEnrichedEvent(
      'A1',
      [{ indicator: 'C', category: 'not_allowed', paymentCents: 0, allowedCents: 5000 }],
      2,
    );
    const batch = foldClaimBatch([v1, v2], noStored);
    expect(batch.claims).toEqual(new Map([['A1', { event: v2, contribution: claimKpiContribution(v2) }]]));
    // v1 added, then subtracted when v2 replaced it: what is left is v2 alone, zero entries aside.
    const v2Alone = foldClaimBatch([v2], noStored).delta;
    expect(batch.delta.counters).toEqual(v2Alone.counters);
    expect([...batch.delta.cells].filter(([, vector]) => vector.some((value) => value !== 0))).toEqual([
      ...v2Alone.cells,
    ]);
    expect(batch.newParts).toEqual([]);
    expect(batch.lifecycles.size).toBe(0);
  });

  it('reads the lifecycle of a claim answered only by a rejecting 277CA as unmatched until its 837 comes', () => {
    const rejected = acknowledged('277ca-rejected', '2024-01-06', 'rejected', 'A7');
    expect(claimLifecyclesOf('PCN1', claimPartsOf([rejected]))).toEqual([
      expect.objectContaining({ submitted: false, acknowledgementCount: 1, everRejectedByAcknowledgement: true }),
    ]);
  });
});
