import { derivedEventId, sha256Hex, type EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import {
  TRICARE_CLAIM_ACKNOWLEDGEMENT,
  createIsolatedDatabase,
  x12Interchange,
  x12TransactionSet,
  type IsolatedDatabase,
} from '@claims/harness';
import { parseAcknowledgementSlaHoursByPayer, seedCarcRootCauses, shippedCarcRootCauses } from '@claims/kpi';
import {
  normalizeX12Record,
  x12DispositionOf,
  x12RawRecordEvent,
  x12TokensOf,
  x12TransactionSetsOf,
} from '@claims/x12';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository } from '../claim-fold/claim-fold.repository';
import { DomainGaugesRepository } from './domain-gauges.repository';

/**
 * The acknowledgement gauges' reads over claims folded by the real fold, from:
 * - vendored samples (data/x12, provenance in data/README.md): the 837I
 *   two-claims-single-provider.837i (756048Q and 756049Q, TRICARE, BHT04
 *   2005-06-30, ISA06 000000005, GS06 1, ST02 987654) and the 837P
 *   demo.example1.837 (26463774, KEY INSURANCE COMPANY, BHT04 2006-10-15,
 *   ST02 0021);
 * - hand-written answers: a 999 accepting the 837I's set on 2005-07-01 and a
 *   277CA on 2005-07-05 accepting 756048Q and rejecting 756049Q (A7).
 */
const ROOT = join(__dirname, '../../../..');
const X12 = join(ROOT, 'data', 'x12', 'linuxforhealth');
const INSTITUTIONAL_837 = join(X12, '837_005010X223A3', 'two-claims-single-provider.837i');
const PROFESSIONAL_837 = join(X12, '837_005010X222A2', 'demo.example1.837');

/** The payer's 999 to submitter 000000005: set 987654 of group 1 accepted. */
const FUNCTIONAL_ACK = x12Interchange(
  '12345',
  '000000005',
  'GS*FA*54321*000000005*{date}*1200*301*X*005010X231A1~',
  '301',
  '20050701',
  x12TransactionSet(
    ['ST*999*0001*005010X231A1', 'AK1*HC*1*005010X223A3', 'AK2*837*987654*005010X223A3', 'IK5*A', 'AK9*A*1*1*1'],
    '0001',
  ),
);

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

describe('the acknowledgement gauges over X12 claims folded against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let fold: ClaimFoldRepository;
  let offset = 0;

  beforeAll(async () => {
    database = await createIsolatedDatabase('acknowledgement_gauges');
    dataSource = createDataSource({ url: database.url, applicationName: 'acknowledgement-gauges-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    await seedCarcRootCauses(dataSource, shippedCarcRootCauses());
    fold = new ClaimFoldRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Folds an interchange's claim events as the ingestor, normalizer and enricher (no pend) hand them on. */
  async function foldText(source: string, text: string): Promise<void> {
    const messages: Array<{ offset: string; event: EnrichedClaimEvent }> = [];
    for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)))) {
      if (item.kind !== 'transaction') throw new Error(`${source}: ${item.failure.error.message}`);
      const disposition = x12DispositionOf(item.transaction);
      if (disposition.kind !== 'publish') throw new Error(`${source}: not a claim transaction set`);
      const raw = x12RawRecordEvent(item.transaction, disposition.layout, {
        source,
        fileId: sha256Hex(source),
        publishedAt: '2026-01-01T00:00:00.000Z',
      });
      for (const event of normalizeX12Record(raw, { patientTokenKey: 'acknowledgement-gauges-spec' })) {
        messages.push({
          offset: String(offset++),
          event: {
            ...event,
            eventId: derivedEventId('claims.enriched', event.eventId),
            normalizedEventId: event.eventId,
            enrichment: { renderingProviders: [] },
          },
        });
      }
    }
    expect(messages.length).toBeGreaterThan(0);
    await fold.foldPartitionBatch({ groupId: 'claims-metrics', topic: 'claims.enriched.v1', partition: 0, messages });
  }

  const foldFile = (path: string): Promise<void> => foldText(path.split('/').pop() ?? path, readFileSync(path, 'utf8'));

  const snapshotUnder = (defaultHours: number, byPayer = '') =>
    new DomainGaugesRepository(dataSource, {
      acknowledgementSla: { defaultHours, hoursByPayer: parseAcknowledgementSlaHoursByPayer(byPayer) },
    }).readSnapshot();

  it('follows two claims from submission to their 999 and 277CA, aged in event time', async () => {
    // Submitted on 2005-06-30 (BHT04), after their service dates (the watermark): the clock is the submission day,
    // nothing came back, nothing is due yet.
    await foldFile(INSTITUTIONAL_837);
    expect(await snapshotUnder(24)).toMatchObject({
      watermarkTimestampSeconds: Date.UTC(2005, 3, 1) / 1000,
      acknowledgementBacklog: [{ payer: 'TRICARE', awaiting: '999', submissions: 2, overdue: 0, oldest_age_days: 0 }],
      claimAcknowledgementVerdicts: [],
    });

    // The 999 accepts their set on 2005-07-01, the new watermark: both now await their 277CA, a day (24 hours) on.
    await foldText('837i-answer.999', FUNCTIONAL_ACK);
    expect((await snapshotUnder(24)).acknowledgementBacklog).toEqual([
      { payer: 'TRICARE', awaiting: '277ca', submissions: 2, overdue: 2, oldest_age_days: 1 },
    ]);
    // Under a 48-hour SLA for TRICARE (named in any case), they are not overdue yet.
    expect((await snapshotUnder(24, 'tricare=48')).acknowledgementBacklog).toEqual([
      { payer: 'TRICARE', awaiting: '277ca', submissions: 2, overdue: 0, oldest_age_days: 1 },
    ]);

    // The 277CA answers both on 2005-07-05, rejecting one: nothing awaits, one rejection of two that day.
    await foldText('jones.277ca', TRICARE_CLAIM_ACKNOWLEDGEMENT);
    expect(await snapshotUnder(24)).toMatchObject({
      watermarkTimestampSeconds: Date.UTC(2005, 6, 5) / 1000,
      acknowledgementBacklog: [],
      claimAcknowledgementVerdicts: [
        { payer: 'TRICARE', acknowledged_1d: 2, rejected_1d: 1, acknowledged_7d: 2, rejected_7d: 1 },
      ],
    });
  });

  it('leaves 277CA verdicts older than seven event days out, and ages a new submission from its own date', async () => {
    await foldFile(PROFESSIONAL_837);
    // Served 2006-10-10, submitted 2006-10-15: the clock moves to the submission day.
    const snapshot = await snapshotUnder(24);
    expect(snapshot.watermarkTimestampSeconds).toBe(Date.UTC(2006, 9, 10) / 1000);
    expect(snapshot.claimAcknowledgementVerdicts).toEqual([]);
    expect(snapshot.acknowledgementBacklog).toEqual([
      { payer: 'KEY INSURANCE COMPANY', awaiting: '999', submissions: 1, overdue: 0, oldest_age_days: 0 },
    ]);
  });
});
