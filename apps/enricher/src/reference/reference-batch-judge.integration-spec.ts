import {
  ClaimEventSchema,
  EnrichedClaimEventSchema,
  referenceEventMessage,
  type ClaimEvent,
  type ReferenceEvent,
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
import { join } from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { judgeNormalizedBatch } from '../enrichment/enrich-normalized-batch';
import { PendIndexRepository } from '../pend-index/pend-index.repository';
import type { EnrichmentState } from './enrichment-state';
import { ReferenceBatchJudge } from './reference-batch-judge';
import { SerialLock } from './serial-lock';

/** A made-up NPI passing the 80840 Luhn check, absent from the directory until its fix. */
const NPI = '1000000038';
const PROVIDERS_TOPIC = 'reference.providers.v1';

/** The fix as the reference consumer receives it. */
function providerBatch(fix: ReferenceEvent) {
  const message = referenceEventMessage(fix);
  return {
    topic: PROVIDERS_TOPIC,
    partition: 0,
    messages: [
      {
        key: Buffer.from(message.key),
        value: Buffer.from(message.value),
        timestamp: '0',
        attributes: 0,
        offset: '0',
        headers: message.headers,
      },
    ],
  };
}

describe('judging pended claims again after a reference batch, against a real pend index', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let pendIndex: PendIndexRepository;
  let state: EnrichmentState;
  let judge: ReferenceBatchJudge;
  const claim: ClaimEvent = fixtureClaimEvent('C-WAITS', [fixtureLine({ lineNumber: 1, renderingNpi: NPI })]);

  beforeEach(async () => {
    database = await createIsolatedDatabase('reference-batch');
    dataSource = createDataSource({ url: database.url, applicationName: 'reference-batch-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    pendIndex = new PendIndexRepository(dataSource);
    state = {
      tables: new ReferenceTables(),
      codes: loadReferenceCodes(join(__dirname, '../../../../data/codes')),
      ruleSet: loadShippedPendRuleSet(),
      lock: new SerialLock(),
    };
    judge = new ReferenceBatchJudge(state, pendIndex, pino({ level: 'silent' }));
    const judged = await judgeNormalizedBatch(
      [
        {
          topic: 'claims.normalized.v1',
          partition: 0,
          message: {
            key: Buffer.from(claim.claimId),
            value: Buffer.from(JSON.stringify(ClaimEventSchema.parse(claim))),
            timestamp: '0',
            attributes: 0,
            offset: '0',
            headers: {},
          },
        },
      ],
      state,
      {
        holdFingerprints: (offered) => pendIndex.holdFingerprints(offered),
        waitingDecisions: (claimIds) => pendIndex.waitingDecisions(claimIds),
      },
    );
    await pendIndex.recordVerdicts(judged.pended, judged.notWaiting);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const clearedIds = (cleared: ReadonlyArray<{ value: Buffer }>): string[] =>
    cleared.map((message) => {
      const event = EnrichedClaimEventSchema.parse(JSON.parse(message.value.toString('utf8')));
      return `${event.claimId} ${event.eventType} ${event.occurredAt} ${event.eventId}`;
    });

  it('clears the waiting claim on the retry of a fix whose cleared events could not be sent', async () => {
    expect(await pendIndex.waitingCount()).toBe(1);
    const batch = providerBatch(fixtureProviderVersion(NPI, '2008-09-01'));

    // The broker refused the send: the batch fails before `record` and is retried with the same messages.
    const refused = await judge.judgeBatch(batch, false, null);
    const retried = await judge.judgeBatch(batch, false, null);

    expect(clearedIds(retried.cleared)).toEqual(clearedIds(refused.cleared));
    expect(clearedIds(retried.cleared)).toEqual([expect.stringMatching(/^C-WAITS cleared 2008-09-01 /)]);
    await retried.record();
    expect(await pendIndex.waitingCount()).toBe(0);

    const redelivered = await judge.judgeBatch(batch, false, null);
    expect(redelivered.cleared).toEqual([]);
  });

  it('clears the waiting claim on the retry of a fix whose lookup in the pend index failed', async () => {
    const batch = providerBatch(fixtureProviderVersion(NPI, '2008-09-01'));
    await dataSource.query(`ALTER TABLE enricher_pend_dependency RENAME TO enricher_pend_dependency_away`);
    await expect(judge.judgeBatch(batch, false, null)).rejects.toThrow(/enricher_pend_dependency/);
    await dataSource.query(`ALTER TABLE enricher_pend_dependency_away RENAME TO enricher_pend_dependency`);

    const retried = await judge.judgeBatch(batch, false, null);

    expect(clearedIds(retried.cleared)).toEqual([expect.stringMatching(/^C-WAITS cleared 2008-09-01 /)]);
  });

  it('notes the waiting claim for judging once the directory has loaded, on the retry of a batch whose lookup failed', async () => {
    const batch = providerBatch(fixtureProviderVersion(NPI, '2008-09-01'));
    const loading = new Set<string>();
    await dataSource.query(`ALTER TABLE enricher_pend_dependency RENAME TO enricher_pend_dependency_away`);
    await expect(judge.judgeBatch(batch, false, loading)).rejects.toThrow(/enricher_pend_dependency/);
    await dataSource.query(`ALTER TABLE enricher_pend_dependency_away RENAME TO enricher_pend_dependency`);

    await (await judge.judgeBatch(batch, false, loading)).record();

    expect([...loading]).toEqual(['C-WAITS']);
  });
});
