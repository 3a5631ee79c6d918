import { derivedEventId, sha256Hex, type EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import {
  TRICARE_CLAIM_ACKNOWLEDGEMENT,
  createIsolatedDatabase,
  x12Interchange,
  x12TransactionSet,
  type IsolatedDatabase,
} from '@claims/harness';
import {
  CLAIMS_RECEIVED_BATCH_SQL,
  CLAIM_LIFECYCLE_ACKNOWLEDGEMENT_SQL,
  CLAIM_LIFECYCLE_FIRST_PASS_SQL,
  CLAIM_LIFECYCLE_PAYER_LAG_SQL,
  CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL,
  CLAIM_LIFECYCLE_UNMATCHED_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  STREAMED_COUNTERS_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  claimLifecycleFigures,
  seedCarcRootCauses,
  shippedCarcRootCauses,
  type ClaimLifecycleFigures,
} from '@claims/kpi';
import { rawRecordEvent } from '@claims/source-layouts';
import {
  normalizeX12Record,
  transactionSetText,
  x12LayoutOf,
  x12RecordContextOf,
  x12TokensOf,
  x12TransactionSetsOf,
} from '@claims/x12';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

/**
 * The X12 claim lifecycle folded against a real Postgres, from:
 * - vendored samples (data/x12, provenance in data/README.md): the 837P
 *   demo.example1.837 (claim 26463774, billing NPI 1912301953, KEY INSURANCE
 *   COMPANY, BHT04 2006-10-15, ISA06 000000005, GS06 1, ST02 0021), the 837I
 *   two-claims-single-provider.837i (756048Q and 756049Q, billing NPI
 *   1234567890, TRICARE, BHT04 2005-06-30, ST02 987654), the 835
 *   managed-care.835 (two claims no 837 here sent: payee NPI 5544667733) and
 *   the pyx12 999 834_lui_id_5010.999.txt (two 999s accepting one 834 set);
 * - hand-written answers below: a 999 rejecting the 837P's set and accepting
 *   the 837I's, a 277CA accepting 756048Q and rejecting 756049Q, and 835s
 *   paying 756048Q, denying 756049Q, and paying, reversing and correcting
 *   26463774.
 */
const ROOT = join(__dirname, '../../../..');
const X12 = join(ROOT, 'data', 'x12');
const SAMPLES = [
  join(X12, 'linuxforhealth', '837_005010X222A2', 'demo.example1.837'),
  join(X12, 'linuxforhealth', '837_005010X223A3', 'two-claims-single-provider.837i'),
  join(X12, 'linuxforhealth', '835_005010X221A1', 'managed-care.835'),
  join(X12, 'pyx12', '834_lui_id_5010.999.txt'),
];
const patientTokenKey = 'claim-lifecycle-spec';

const FUNCTIONAL_ACK = x12Interchange(
  '12345',
  '000000005',
  'GS*FA*54321*000000005*{date}*1200*301*X*005010X231A1~',
  '301',
  '20061020',
  x12TransactionSet(
    ['ST*999*0001*005010X231A1', 'AK1*HC*1*005010X222A2', 'AK2*837*0021*005010X222A2', 'IK5*R*5', 'AK9*R*1*1*0'],
    '0001',
  ) +
    x12TransactionSet(
      ['ST*999*0002*005010X231A1', 'AK1*HC*1*005010X223A3', 'AK2*837*987654*005010X223A3', 'IK5*A', 'AK9*A*1*1*1'],
      '0002',
    ),
);

const remittance = (
  payee: string,
  payeeNpi: string,
  payer: string,
  paidOn: string,
  control: string,
  claims: string[],
) =>
  x12Interchange(
    'PAYER',
    'PROVIDER',
    `GS*HP*PAYER*PROVIDER*{date}*1200*${control}*X*005010X221A1~`,
    control,
    paidOn,
    x12TransactionSet(
      [
        'ST*835*0001',
        `BPR*I*0*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*${paidOn}`,
        `TRN*1*${control}*1512345678`,
        `DTM*405*${paidOn}`,
        `N1*PR*${payer}`,
        `N1*PE*${payee}*XX*${payeeNpi}`,
        'LX*1',
        ...claims,
      ],
      '0001',
    ),
  );

const svcLines = (cents: number[]): string[] =>
  ['99213', '87070', '99214', '86663'].map(
    (code, index) =>
      `SVC*HC:${code}*${['40.00', '15.00', '35.00', '10.00'][index]}*${((cents[index] ?? 0) / 100).toFixed(2)}`,
  );

/** 756048Q paid in full, 756049Q denied (CLP02 4), both paid to JONES HOSPITAL on 2005-07-20. */
const REMITTANCE_JONES = remittance('JONES HOSPITAL', '1234567890', 'TRICARE', '20050720', '501', [
  'CLP*756048Q*1*89.95*89.95**MC*PAYER001',
  'CLP*756049Q*4*50.00*0**MC*PAYER002',
  'CAS*CO*16*50.00',
]);
/** 26463774 paid 80.00 of 100.00 on 2006-11-01 (its first payment: 17 days after BHT04 2006-10-15). */
const REMITTANCE_KILDARE = remittance('BEN KILDARE SERVICE', '1912301953', 'KEY INSURANCE COMPANY', '20061101', '502', [
  'CLP*26463774*1*100.00*80.00*20.00*12*PAYER003',
  ...svcLines([3200, 1200, 2800, 800]),
]);
/** On 2006-11-20 the payer reverses that payment (CLP02 22) and pays the corrected 90.00. */
const REMITTANCE_CORRECTION = remittance(
  'BEN KILDARE SERVICE',
  '1912301953',
  'KEY INSURANCE COMPANY',
  '20061120',
  '503',
  [
    'CLP*26463774*22*-100.00*-80.00*-20.00*12*PAYER003',
    'CLP*26463774*1*100.00*90.00*10.00*12*PAYER003',
    ...svcLines([3600, 1400, 3000, 1000]),
  ],
);

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** Every claim event of an X12 text, as the ingestor, normalizer and enricher (no pend) would hand them on. */
async function eventsOfX12(text: string, source: string): Promise<EnrichedClaimEvent[]> {
  const events: EnrichedClaimEvent[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once(text)))) {
    if (item.kind !== 'transaction') throw new Error(`${source}: ${item.failure.error.message}`);
    const raw = rawRecordEvent({
      layout: x12LayoutOf(item.transaction),
      record: transactionSetText(item.transaction),
      recordNumber: item.transaction.recordNumber,
      source,
      fileId: sha256Hex(source),
      publishedAt: '2026-01-01T00:00:00.000Z',
      claimId: null,
      header: JSON.stringify(x12RecordContextOf(item.transaction)),
    });
    for (const event of normalizeX12Record(raw, { patientTokenKey })) {
      events.push({
        ...event,
        eventId: derivedEventId('claims.enriched', event.eventId),
        normalizedEventId: event.eventId,
        enrichment: { renderingProviders: [] },
      });
    }
  }
  return events;
}

/** The partition Kafka's key (the claim id) would send an event to, stably. */
const partitionOf = (claimId: string): number =>
  [...claimId].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7) % 3;

/** A seeded shuffle, so the order is arbitrary but the same on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

describe('the X12 claim lifecycle folded against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;
  let events: EnrichedClaimEvent[] = [];
  const nextOffset = new Map<number, number>();

  beforeAll(async () => {
    const texts: Array<[string, string]> = [
      ...SAMPLES.map((path): [string, string] => [readFileSync(path, 'utf8'), path.split('/').pop() ?? path]),
      [FUNCTIONAL_ACK, '837-answers.999'],
      [TRICARE_CLAIM_ACKNOWLEDGEMENT, 'jones.277ca'],
      [REMITTANCE_JONES, 'jones.835'],
      [REMITTANCE_KILDARE, 'kildare.835'],
      [REMITTANCE_CORRECTION, 'kildare-correction.835'],
    ];
    events = (await Promise.all(texts.map(([text, source]) => eventsOfX12(text, source)))).flat();
  });

  beforeEach(async () => {
    database = await createIsolatedDatabase('lifecycle');
    dataSource = createDataSource({ url: database.url, applicationName: 'claim-lifecycle-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    // As the metrics service does at start: the denial batch SQL classifies CARCs from this table.
    await seedCarcRootCauses(dataSource, shippedCarcRootCauses());
    repository = new ClaimFoldRepository(dataSource);
    nextOffset.clear();
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** Publishes events in this order: each to its claim's partition, folded in batches of up to three. */
  function batchesOf(ordered: readonly EnrichedClaimEvent[]): PartitionBatch[] {
    const byPartition = new Map<number, EnrichedClaimEvent[]>();
    for (const event of ordered) {
      const partition = partitionOf(event.claimId);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), event]);
    }
    const batches: PartitionBatch[] = [];
    for (const [partition, partitionEvents] of byPartition) {
      for (let start = 0; start < partitionEvents.length; start += 3) {
        const offset = nextOffset.get(partition) ?? 0;
        const chunk = partitionEvents.slice(start, start + 3);
        nextOffset.set(partition, offset + chunk.length);
        batches.push({
          groupId: 'claims-metrics',
          topic: 'claims.enriched.v1',
          partition,
          messages: chunk.map((event, index) => ({ offset: String(offset + index), event })),
        });
      }
    }
    return batches;
  }

  async function lifecycleFigures(from: string | null, to: string | null, payer: string | null) {
    const first = async <T>(sql: string, parameters: unknown[]): Promise<T | undefined> =>
      ((await dataSource.query(sql, parameters)) as T[])[0];
    return claimLifecycleFigures({
      firstPass: await first(CLAIM_LIFECYCLE_FIRST_PASS_SQL, [from, to, payer]),
      acknowledgement: await first(CLAIM_LIFECYCLE_ACKNOWLEDGEMENT_SQL, [from, to, payer]),
      setAcknowledgement: await first(CLAIM_LIFECYCLE_SET_ACKNOWLEDGEMENT_SQL, [from, to]),
      payerLag: await dataSource.query(CLAIM_LIFECYCLE_PAYER_LAG_SQL, [from, to, payer]),
      unmatched: await first(CLAIM_LIFECYCLE_UNMATCHED_SQL, [payer]),
    });
  }

  async function expectCountersToEqualBatchSql(): Promise<void> {
    const asText = (rows: Array<{ kpi: string; dimension: string; value: string }>) =>
      rows.map((row) => `${row.kpi}|${row.dimension}|${row.value}`).sort();
    expect(asText(await dataSource.query(STREAMED_COUNTERS_SQL))).toEqual(
      asText(await dataSource.query(CLAIMS_RECEIVED_BATCH_SQL)),
    );
    expect(asText(await dataSource.query(STREAMED_DIMENSION_COUNTERS_SQL))).toEqual(
      asText(await dataSource.query(DIMENSION_COUNTER_BATCH_SQL)),
    );
  }

  /**
   * Figures worked out by hand from the files above:
   * - first pass: 756048Q, 756049Q and 26463774 were decided; only 756048Q was
   *   paid first time with nothing against it (756049Q denied and 277CA-rejected,
   *   26463774's set rejected by the 999): 1 of 3;
   * - 999: three sets answered (0021 rejected, 987654 accepted, the pyx12 834 set
   *   accepted twice): 1 of 3;
   * - 277CA: 756048Q accepted, 756049Q rejected: 1 of 2;
   * - payer lag: KEY INSURANCE COMPANY 2006-10-15 → 2006-11-01, 17 days;
   *   TRICARE 2005-06-30 → 2005-07-20, 20 days;
   * - unmatched: managed-care.835's two claims, paid to an NPI no 837 names.
   */
  const expectedFigures: ClaimLifecycleFigures = {
    firstPassCleanClaimRate: { numerator: 1, denominator: 3, rate: 1 / 3 },
    functionalAcknowledgementRejectionRate: { numerator: 1, denominator: 3, rate: 1 / 3 },
    claimAcknowledgementRejectionRate: { numerator: 1, denominator: 2, rate: 1 / 2 },
    payerLag: [
      { payer: 'KEY INSURANCE COMPANY', paidClaims: 1, p50Days: 17, p90Days: 17 },
      { payer: 'TRICARE', paidClaims: 1, p50Days: 20, p90Days: 20 },
    ],
    unmatched: { adjudications: 2, acknowledgements: 0 },
  };

  const orders: Array<[string, (all: EnrichedClaimEvent[]) => EnrichedClaimEvent[]]> = [
    ['as the files come', (all) => all],
    ['in reverse: every answer before its claim', (all) => [...all].reverse()],
    ['835s first, then 277CA, 999 and the 837s', (all) => [...all].sort((a, b) => rank(a) - rank(b))],
    ['shuffled', (all) => shuffled(all, 20061020)],
  ];
  const rank = (event: EnrichedClaimEvent): number => ['x12.835', 'x12.277ca', 'x12.999'].indexOf(event.layout) >>> 0;

  it.each(orders)(
    'folds the lifecycle to the hand-computed KPIs and counters equal to the batch SQL, %s, through redelivery',
    async (_, order) => {
      const batches = batchesOf(order(events));
      for (const batch of batches) await repository.foldPartitionBatch(batch);
      expect(await lifecycleFigures(null, null, null)).toEqual(expectedFigures);
      await expectCountersToEqualBatchSql();

      // Redelivered below the stored offsets, then published again at new offsets: nothing moves.
      for (const batch of batches) {
        expect(await repository.foldPartitionBatch(batch)).toMatchObject({ folded: 0 });
      }
      for (const batch of batchesOf(order(events))) {
        expect(await repository.foldPartitionBatch(batch)).toMatchObject({ folded: 0 });
      }
      expect(await lifecycleFigures(null, null, null)).toEqual(expectedFigures);
      await expectCountersToEqualBatchSql();
    },
  );

  it('keeps the 837 claim under its 835: lines, charges and diagnoses stay, the correction pays each line', async () => {
    for (const batch of batchesOf(shuffled(events, 7))) await repository.foldPartitionBatch(batch);
    const claims: Array<{ claim_id: string; layout: string; adjudication_status: string | null }> =
      await dataSource.query(`SELECT claim_id, layout, adjudication_status FROM claim_state ORDER BY claim_id`);
    // A 999 is no claim: five claims, three sent by the 837s and two known from managed-care.835 alone.
    expect(claims.map((row) => [row.claim_id, row.layout, row.adjudication_status])).toEqual([
      ['26463774', 'x12.835', 'partially_paid'],
      ['5554555444', 'x12.835', 'partially_paid'],
      ['756048Q', 'x12.835', 'paid'],
      ['756049Q', 'x12.835', 'denied'],
      ['8765432112', 'x12.835', 'partially_paid'],
    ]);
    const [state] = await dataSource.query(
      `SELECT payer, billed_amount_cents, payment_amount_cents, first_diagnosis_code FROM claim_state
        WHERE claim_id = '26463774'`,
    );
    const submitted = events.find((event) => event.claimId === '26463774' && event.eventType === 'submitted');
    expect(state).toEqual({
      payer: 'KEY INSURANCE COMPANY',
      billed_amount_cents: '10000',
      payment_amount_cents: '9000',
      first_diagnosis_code: submitted?.claim.diagnoses[0]?.code,
    });
    const lines: Array<{ hcpcs_code: string; charge_amount_cents: string; payment_amount_cents: string }> =
      await dataSource.query(
        `SELECT hcpcs_code, charge_amount_cents, payment_amount_cents FROM claim_line_state
          WHERE claim_id = '26463774' ORDER BY line_number`,
      );
    expect(lines.map((line) => [line.hcpcs_code, line.charge_amount_cents, line.payment_amount_cents])).toEqual([
      ['99213', '4000', '3600'],
      ['87070', '1500', '1400'],
      ['99214', '3500', '3000'],
      ['86663', '1000', '1000'],
    ]);
    const [lifecycle] = await dataSource.query(
      `SELECT submission_count, adjudication_count, reversal_count, paid_amount_cents,
              to_char(first_paid_on, 'YYYY-MM-DD') AS first_paid_on, first_adjudication_status
         FROM x12_claim_lifecycle WHERE patient_control_number = '26463774'`,
    );
    expect(lifecycle).toEqual({
      submission_count: 1,
      adjudication_count: 3,
      reversal_count: 1,
      paid_amount_cents: '9000',
      first_paid_on: '2006-11-01',
      first_adjudication_status: 'partially_paid',
    });
  });

  it('narrows the KPIs by first submission date and by payer', async () => {
    for (const batch of batchesOf(events)) await repository.foldPartitionBatch(batch);
    const from2006 = await lifecycleFigures('2006-01-01', null, null);
    expect(from2006.firstPassCleanClaimRate).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(from2006.claimAcknowledgementRejectionRate).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(from2006.payerLag.map((row) => row.payer)).toEqual(['KEY INSURANCE COMPANY']);
    const tricare = await lifecycleFigures(null, null, 'TRICARE');
    expect(tricare.firstPassCleanClaimRate).toEqual({ numerator: 1, denominator: 2, rate: 1 / 2 });
    expect(tricare.payerLag).toEqual([{ payer: 'TRICARE', paidClaims: 1, p50Days: 20, p90Days: 20 }]);
    expect(tricare.unmatched).toEqual({ adjudications: 0, acknowledgements: 0 });
  });
});
