import {
  ClaimEventSchema,
  EnrichedClaimEventSchema,
  type ClaimEvent,
  type EnrichedClaimEvent,
} from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { loadReferenceCodes, loadShippedPendRuleSet, ReferenceTables } from '@claims/enrichment';
import {
  createIsolatedDatabase,
  fixtureClaimEvent,
  fixtureLine,
  fixtureProviderVersion,
  type IsolatedDatabase,
} from '@claims/harness';
import type { ConsumedMessage } from '@claims/kafka';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { PendIndexRepository } from '../pend-index/pend-index.repository';
import type { EnrichmentState } from '../reference/enrichment-state';
import { SerialLock } from '../reference/serial-lock';
import { judgeNormalizedBatch } from './enrich-normalized-batch';

/** Made-up NPIs passing the 80840 Luhn check; neither belongs to a real provider. */
const KNOWN_NPI = '1000000004';
const MISSING_NPI = '1000000038';

/** A carrier claim rendered by `npi`: pended PROVIDER_NOT_FOUND while the directory lacks it. */
function claimRenderedBy(claimId: string, npi: string, version: number): ClaimEvent {
  return fixtureClaimEvent(claimId, [fixtureLine({ lineNumber: 1, renderingNpi: npi })], version);
}

/** A 277CA's verdict on the claim, shaped as the X12 normalizer writes it (no lines, no rendering provider). */
function claimAcknowledgement(claim: ClaimEvent, status: 'accepted' | 'rejected'): ClaimEvent {
  return {
    ...claim,
    eventId: '00000000-0000-4000-a000-000000000277',
    eventType: status === 'rejected' ? 'rejected' : 'acknowledged',
    occurredAt: '2008-08-20',
    layout: 'x12.277ca',
    claim: {
      ...claim.claim,
      lines: [],
      totals: { paymentAmountCents: 0, allowedAmountCents: 0 },
      acknowledgement: {
        kind: '277ca',
        status,
        statusCode: status === 'rejected' ? 'A3' : 'A1',
        statusCodes: ['20'],
        transactionControlNumber: null,
      },
    },
  };
}

/** An 835's remittance of the claim: CLP02 1 (processed as primary), or 22 (a reversal of an earlier one). */
function remittance(claim: ClaimEvent, claimStatusCode: '1' | '22'): ClaimEvent {
  return {
    ...claim,
    eventId: `00000000-0000-4000-b000-0000000008${claimStatusCode.padStart(2, '0')}`,
    eventType: 'adjudicated',
    occurredAt: '2008-09-01',
    layout: 'x12.835',
    claim: {
      ...claim.claim,
      adjudication: {
        sourceStatus: claimStatusCode,
        status: claimStatusCode === '22' ? null : 'paid',
        paidAmountCents: 0,
        paidDate: '2008-09-01',
        claimStatusCode,
        reversal: claimStatusCode === '22',
      },
    },
  };
}

function consumed(event: ClaimEvent, offset: number): ConsumedMessage {
  return {
    topic: 'claims.normalized.v1',
    partition: 0,
    message: {
      key: Buffer.from(event.claimId),
      value: Buffer.from(JSON.stringify(ClaimEventSchema.parse(event))),
      timestamp: '0',
      attributes: 0,
      offset: String(offset),
      headers: {},
    },
  };
}

function emitted(outcome: unknown): EnrichedClaimEvent[] {
  const messages = (outcome as { emitAll?: Array<{ value: Buffer }> }).emitAll ?? [];
  return messages.map((message) => EnrichedClaimEventSchema.parse(JSON.parse(message.value.toString('utf8'))));
}

describe('judging a claim batch and filing it in a real pend index', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let pendIndex: PendIndexRepository;
  let state: EnrichmentState;

  beforeEach(async () => {
    database = await createIsolatedDatabase('enrich-batch');
    dataSource = createDataSource({ url: database.url, applicationName: 'enrich-batch-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    pendIndex = new PendIndexRepository(dataSource);
    const tables = new ReferenceTables();
    tables.apply(fixtureProviderVersion(KNOWN_NPI, '2007-01-01'));
    state = {
      tables,
      codes: loadReferenceCodes(join(__dirname, '../../../../data/codes')),
      ruleSet: loadShippedPendRuleSet(),
      lock: new SerialLock(),
    };
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** Judges one batch and files its verdicts, as the claim consumer does. */
  async function judgeAndFile(events: readonly ClaimEvent[]): Promise<EnrichedClaimEvent[][]> {
    const judged = await judgeNormalizedBatch(
      events.map((event, index) => consumed(event, index)),
      state,
      {
        holdFingerprints: (offered) => pendIndex.holdFingerprints(offered),
        waitingDecisions: (claimIds) => pendIndex.waitingDecisions(claimIds),
      },
    );
    await pendIndex.recordVerdicts(judged.pended, judged.notWaiting);
    return judged.outcomes.map(emitted);
  }

  const waitingOnMissingProvider = async (): Promise<Array<{ claimId: string; eventId: string }>> =>
    (await pendIndex.findWaitingOn([{ kind: 'provider', key: MISSING_NPI }])).map((claim) => ({
      claimId: claim.claimId,
      eventId: (JSON.parse(claim.normalizedEvent) as ClaimEvent).eventId,
    }));

  it.each([
    ['a 277CA accepting it', (claim: ClaimEvent) => claimAcknowledgement(claim, 'accepted')],
    ['a 277CA rejecting it', (claim: ClaimEvent) => claimAcknowledgement(claim, 'rejected')],
    ['an 835 reversal', (claim: ClaimEvent) => remittance(claim, '22')],
  ])('keeps a claim waiting on a provider fix in the index when %s arrives', async (_, answerOf) => {
    const submission = claimRenderedBy('C-ACK', MISSING_NPI, 1);
    const [[pended]] = (await judgeAndFile([submission])) as [[EnrichedClaimEvent]];
    expect(pended.pendDecision?.status).toBe('pended');

    await judgeAndFile([answerOf(submission)]);

    // The fix must still find the submission it would clear, as it was sent.
    expect(await waitingOnMissingProvider()).toEqual([{ claimId: 'C-ACK', eventId: submission.eventId }]);
    expect(await pendIndex.waitingCount()).toBe(1);
  });

  it('keeps an answer about a claim out of the duplicate fingerprints, so a real twin of its claim is no duplicate of it', async () => {
    // Only the reversal of claim C-A is seen (its 837 came before the feed began): it holds no fingerprint.
    await judgeAndFile([remittance(claimRenderedBy('C-A', KNOWN_NPI, 1), '22')]);

    // The twin is sent after the reversal's date: the first holder in event time would make it a duplicate.
    const [[twin]] = (await judgeAndFile([{ ...claimRenderedBy('C-B', KNOWN_NPI, 1), occurredAt: '2008-09-05' }])) as [
      [EnrichedClaimEvent],
    ];

    expect(twin.pendDecision?.reasons.map((reason) => reason.code) ?? []).not.toContain('DUPLICATE_SUSPECT');
  });

  it('takes a claim out of the index when a later version in the same batch no longer waits', async () => {
    const waiting = claimRenderedBy('C-FIXED', MISSING_NPI, 1);
    const corrected = claimRenderedBy('C-FIXED', KNOWN_NPI, 2);

    const [[first], [second]] = (await judgeAndFile([waiting, corrected])) as [
      [EnrichedClaimEvent],
      [EnrichedClaimEvent],
    ];

    expect([first.pendDecision?.status, second.pendDecision?.status]).toEqual(['pended', 'clean']);
    expect(await waitingOnMissingProvider()).toEqual([]);
    expect(await pendIndex.waitingCount()).toBe(0);
  });

  it('clears a pended claim by its remittance whether the two arrive in one batch or in two', async () => {
    const submission = claimRenderedBy('C-PAID', MISSING_NPI, 1);
    const paid = remittance(submission, '1');

    const together = await judgeAndFile([submission, paid]);
    const waitingAfterOneBatch = await pendIndex.waitingCount();
    await dataSource.query(`TRUNCATE enricher_pended_claim, enricher_pend_dependency, enricher_claim_fingerprint`);
    await judgeAndFile([submission]);
    const apart = [...(await judgeAndFile([paid]))];

    expect(together[1]?.map((event) => event.pendDecision)).toEqual(apart.flat().map((event) => event.pendDecision));
    expect(together[1]?.[0]?.pendDecision).toMatchObject({ status: 'cleared', clearedBy: 'adjudication' });
    expect(waitingAfterOneBatch).toBe(0);
    expect(await pendIndex.waitingCount()).toBe(0);
  });
});
