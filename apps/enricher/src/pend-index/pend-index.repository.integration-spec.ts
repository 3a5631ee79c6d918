import type { PendDecision } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, undoMigrationsThrough, type IsolatedDatabase } from '@claims/harness';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PendIndexRepository } from './pend-index.repository';

/** Fingerprints as the enricher writes them: a digest's first 128 bits in UUID form. */
const F1 = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const F2 = '11111111-2222-3333-4444-555555555555';
const F3 = '99999999-8888-7777-6666-555555555555';

function pendedDecision(pendedOn: string): PendDecision {
  return {
    ruleSetVersion: 'test.1',
    status: 'pended',
    reasons: [
      {
        code: 'PROVIDER_NOT_FOUND',
        description: 'rendering provider not in the directory',
        queue: 'Provider Data',
        severity: 'high',
        waitsOn: [{ kind: 'provider', key: '1234567893' }],
        classifiedBy: null,
      },
    ],
    queue: 'Provider Data',
    pendedOn,
    clearedOn: null,
    clearedBy: null,
  };
}

describe('PendIndexRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: PendIndexRepository;

  beforeEach(async () => {
    database = await createIsolatedDatabase('pend-index');
    dataSource = createDataSource({ url: database.url, applicationName: 'pend-index-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new PendIndexRepository(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('gives a fingerprint to the claim earliest in event time, whichever arrives first', async () => {
    await repository.holdFingerprints([{ fingerprint: F1, claimId: 'LATE', occurredAt: '2010-03-08' }]);
    const holders = await repository.holdFingerprints([
      { fingerprint: F1, claimId: 'EARLY', occurredAt: '2010-03-01' },
      { fingerprint: F2, claimId: 'EARLY', occurredAt: '2010-03-01' },
    ]);
    expect(holders.get(F1)).toEqual({ claimId: 'EARLY', occurredAt: '2010-03-01' });
    expect(holders.get(F2)).toEqual({ claimId: 'EARLY', occurredAt: '2010-03-01' });
    const again = await repository.holdFingerprints([{ fingerprint: F1, claimId: 'LATE', occurredAt: '2010-03-08' }]);
    expect(again.get(F1)).toEqual({ claimId: 'EARLY', occurredAt: '2010-03-01' });
  });

  it('answers every holder of a batch that takes some fingerprints and finds others held, by an earlier claim or by itself', async () => {
    await repository.holdFingerprints([
      { fingerprint: F1, claimId: 'FIRST', occurredAt: '2010-03-01' },
      { fingerprint: F2, claimId: 'SAME', occurredAt: '2010-03-04' },
    ]);
    const holders = await repository.holdFingerprints([
      { fingerprint: F1, claimId: 'SECOND', occurredAt: '2010-03-02' },
      { fingerprint: F2, claimId: 'SAME', occurredAt: '2010-03-04' },
      { fingerprint: F3, claimId: 'SECOND', occurredAt: '2010-03-02' },
    ]);
    expect(Object.fromEntries(holders)).toEqual({
      [F1]: { claimId: 'FIRST', occurredAt: '2010-03-01' },
      [F2]: { claimId: 'SAME', occurredAt: '2010-03-04' },
      [F3]: { claimId: 'SECOND', occurredAt: '2010-03-02' },
    });
  });

  it('keeps the earliest of one fingerprint offered twice in one batch (Postgres updates a row once per statement)', async () => {
    const holders = await repository.holdFingerprints([
      { fingerprint: F1, claimId: 'B', occurredAt: '2010-03-01' },
      { fingerprint: F1, claimId: 'A', occurredAt: '2010-03-01' },
    ]);
    expect(holders.get(F1)?.claimId).toBe('A');
  });

  it('keeps the hold of a fingerprint stored as 64-character hex before fingerprints became uuids', async () => {
    await undoMigrationsThrough(dataSource, 'UuidClaimFingerprints1765800000000');
    const hex = createHash('sha256').update('token|1234567893|2010-03-01|99213').digest('hex');
    await dataSource.query(
      `INSERT INTO enricher_claim_fingerprint (fingerprint, claim_id, occurred_at) VALUES ($1, 'STORED', '2010-03-01')`,
      [hex],
    );
    await migrateDatabase(dataSource);

    const asUuid = hex.slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    const holders = await repository.holdFingerprints([
      { fingerprint: asUuid, claimId: 'LATER', occurredAt: '2010-03-05' },
    ]);
    expect(holders.get(asUuid)).toEqual({ claimId: 'STORED', occurredAt: '2010-03-01' });
  });

  it('finds the claims waiting on a reference entry through the index, and forgets a claim once it no longer waits', async () => {
    const waiting = (claimId: string, npi: string) => ({
      claimId,
      normalizedEvent: `{"claimId":"${claimId}"}`,
      decision: pendedDecision('2010-01-05'),
      dependencies: [{ kind: 'provider' as const, key: npi }],
    });
    await repository.recordVerdicts(
      [waiting('C1', '1111111111'), waiting('C2', '1111111111'), waiting('C3', '2222222222')],
      [],
    );
    const onFirst = await repository.findWaitingOn([{ kind: 'provider', key: '1111111111' }]);
    expect(onFirst.map((claim) => claim.claimId)).toEqual(['C1', 'C2']);
    expect(onFirst[0]?.decision.pendedOn).toBe('2010-01-05');
    expect(await repository.findWaitingOn([{ kind: 'provider_group', key: '1111111111' }])).toEqual([]);

    await repository.recordVerdicts([], ['C1']);
    expect((await repository.findWaitingOn([{ kind: 'provider', key: '1111111111' }])).map((c) => c.claimId)).toEqual([
      'C2',
    ]);
    expect(await repository.waitingCount()).toBe(2);
  });

  it('keeps each pended claim’s event byte for byte, given as bytes or as text, with its verdict', async () => {
    // Spacing, escapes, a NUL escape and characters beyond Latin-1: the text is stored as it arrived.
    const events = [
      '{"claimId":"C1", "note":"line\\nbreak \\"quoted\\" \\u0000 – ’ 🩺","amount":12.50}',
      '{ "claimId" : "C2", "lines" : [ 1, 2 ] }',
      '{"claimId":"C3"}',
    ];
    await repository.recordVerdicts(
      events.map((normalizedEvent, index) => ({
        claimId: `C${index + 1}`,
        // As the consumer passes them (a message's bytes) and as a reconsidered claim does (text).
        normalizedEvent: index === 1 ? normalizedEvent : Buffer.from(normalizedEvent),
        decision: pendedDecision(`2010-01-0${index + 1}`),
        dependencies: [{ kind: 'provider' as const, key: '1111111111' }],
      })),
      [],
    );
    const stored = await repository.findWaitingOn([{ kind: 'provider', key: '1111111111' }]);
    expect(stored.map((claim) => [claim.claimId, claim.normalizedEvent, claim.decision.pendedOn])).toEqual([
      ['C1', events[0], '2010-01-01'],
      ['C2', events[1], '2010-01-02'],
      ['C3', events[2], '2010-01-03'],
    ]);
    expect(stored[0]?.decision).toEqual(pendedDecision('2010-01-01'));
  });

  it('replaces what a claim waits on when a newer verdict files it again', async () => {
    const decision = pendedDecision('2010-01-05');
    await repository.recordVerdicts(
      [{ claimId: 'C1', normalizedEvent: '{}', decision, dependencies: [{ kind: 'provider', key: '1111111111' }] }],
      [],
    );
    await repository.recordVerdicts(
      [
        {
          claimId: 'C1',
          normalizedEvent: '{}',
          decision,
          dependencies: [{ kind: 'service_location', key: 'ccn:140001' }],
        },
      ],
      [],
    );
    expect(await repository.findWaitingOn([{ kind: 'provider', key: '1111111111' }])).toEqual([]);
    expect((await repository.findWaitingOn([{ kind: 'service_location', key: 'ccn:140001' }])).length).toBe(1);
  });

  it('answers the stored verdicts of the claims that wait, and nothing for the others', async () => {
    const decision = pendedDecision('2010-01-05');
    await repository.recordVerdicts([{ claimId: 'C1', normalizedEvent: '{}', decision, dependencies: [] }], []);
    const verdicts = await repository.waitingDecisions(['C1', 'C2']);
    expect([...verdicts.keys()]).toEqual(['C1']);
    expect(verdicts.get('C1')).toEqual(decision);
  });

  describe('the waiting count its triggers keep', () => {
    const filed = (claimId: string) => ({
      claimId,
      normalizedEvent: '{}',
      decision: pendedDecision('2010-01-05'),
      dependencies: [{ kind: 'provider' as const, key: '1111111111' }],
    });
    const rowsInQueue = async (): Promise<number> =>
      Number((await dataSource.query(`SELECT count(*) AS n FROM enricher_pended_claim`))[0].n);

    it('counts a claim once however often it is filed, and only the claims a release removes', async () => {
      await repository.recordVerdicts([filed('C1'), filed('C2'), filed('C3')], []);
      await repository.recordVerdicts([filed('C1'), filed('C4')], ['C2', 'NEVER-FILED']);
      await repository.recordVerdicts([], ['C2']);
      expect(await repository.waitingCount()).toBe(3);
      expect(await repository.waitingCount()).toBe(await rowsInQueue());
    });

    it('adds up what several connections file and release at once', async () => {
      const others = await Promise.all(
        [1, 2, 3].map(async (index) => {
          const source = createDataSource({ url: database.url, applicationName: `pend-index-spec-${index}` });
          await source.initialize();
          return source;
        }),
      );
      try {
        await Promise.all(
          others.map(async (source, index) => {
            const writer = new PendIndexRepository(source);
            const mine = Array.from({ length: 50 }, (_, claim) => `W${index}-${claim}`);
            await writer.recordVerdicts(mine.map(filed), []);
            await writer.recordVerdicts([], mine.slice(0, 10 * index));
          }),
        );
      } finally {
        await Promise.all(others.map((source) => source.destroy()));
      }
      expect(await repository.waitingCount()).toBe(150 - 10 - 20);
      expect(await repository.waitingCount()).toBe(await rowsInQueue());
    });

    it('starts from the claims already waiting when the count is introduced, and is empty after a TRUNCATE', async () => {
      await undoMigrationsThrough(dataSource, 'PendedClaimCount1765900000000');
      await dataSource.query(
        `INSERT INTO enricher_pended_claim (claim_id, normalized_event, decision, pended_on)
         VALUES ('OLD-1', '{}', '{}'::jsonb, '2010-01-01'), ('OLD-2', '{}', '{}'::jsonb, '2010-01-01')`,
      );
      await migrateDatabase(dataSource);
      await repository.recordVerdicts([filed('NEW-1')], ['OLD-2']);
      expect(await repository.waitingCount()).toBe(2);

      await dataSource.query(`TRUNCATE enricher_pended_claim`);
      expect(await repository.waitingCount()).toBe(0);
    });
  });
});
