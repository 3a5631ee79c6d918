import { derivedEventId, sha256Hex, type EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
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

function interchange(sender: string, receiver: string, group: string, control: string, date: string, body: string) {
  const isa = ['ISA', '00', ''.padEnd(10), '00', ''.padEnd(10), 'ZZ', sender.padEnd(15), 'ZZ', receiver.padEnd(15)]
    .concat([date.slice(2), '1200', '^', '00501', control.padStart(9, '0'), '0', 'P', ':'])
    .join('*');
  return `${isa}~${group.replace('{date}', date)}${body}GE*1*${control}~IEA*1*${control.padStart(9, '0')}~`;
}

const transactionSet = (segments: string[], control: string): string =>
  `${segments.join('~')}~SE*${segments.length + 1}*${control}~`;

/** The payer's 999 to submitter 000000005: set 987654 of group 1 accepted. */
const FUNCTIONAL_ACK = interchange(
  '12345',
  '000000005',
  'GS*FA*54321*000000005*{date}*1200*301*X*005010X231A1~',
  '301',
  '20050701',
  transactionSet(
    ['ST*999*0001*005010X231A1', 'AK1*HC*1*005010X223A3', 'AK2*837*987654*005010X223A3', 'IK5*A', 'AK9*A*1*1*1'],
    '0001',
  ),
);

/** TRICARE's 277CA: 756048Q accepted (A1), 756049Q rejected (A7). */
const CLAIM_ACK = interchange(
  'TRICARE',
  'JONES',
  'GS*HN*TRICARE*JONES*{date}*0800*42*X*005010X214~',
  '42',
  '20050705',
  transactionSet(
    [
      'ST*277*0001*005010X214',
      'BHT*0085*08*277CA1*20050705*0800*TH',
      'HL*1**20*1',
      'NM1*PR*2*TRICARE*****PI*99999',
      'TRN*1*BATCH1',
      'DTP*050*D8*20050704',
      'DTP*009*D8*20050705',
      'HL*2*1*21*1',
      'NM1*41*2*JONES HOSPITAL*****46*12345',
      'TRN*2*REF1',
      'STC*A1:19:PR*20050705*WQ*139.95',
      'HL*3*2*19*1',
      'NM1*85*2*JONES HOSPITAL*****XX*1234567890',
      'TRN*1*0',
      'HL*4*3*PT',
      'NM1*QC*1*DOE*JON****MI*030005074',
      'TRN*2*756048Q',
      'STC*A1:20:PR*20050705*WQ*89.95',
      'DTP*472*D8*20050315',
      'HL*5*3*PT',
      'NM1*QC*1*SMITH*JOE****MI*123405074',
      'TRN*2*756049Q',
      'STC*A7:21:IL*20050705*U*50',
      'DTP*472*D8*20050401',
    ],
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
    await foldText('jones.277ca', CLAIM_ACK);
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
