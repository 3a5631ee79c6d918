import { deriveEventId, sha256Hex, type EnrichedClaimEvent, type PendDecision } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, fixtureEnrichedEvent, type IsolatedDatabase } from '@claims/harness';
import {
  CLAIMS_RECEIVED_BATCH_SQL,
  DAILY_COUNTER_DIFFERENCES_SQL,
  DIMENSION_COUNTER_BATCH_SQL,
  PEND_HISTOGRAM_DIFFERENCES_SQL,
  STREAMED_COUNTERS_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  seedCarcRootCauses,
  shippedCarcRootCauses,
} from '@claims/kpi';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

/**
 * Successive versions of one claim against a real Postgres: whatever order
 * and whatever batches they come in, the claim holds the version the
 * documented rule picks (later event date, then the record that arrived
 * later), and every streamed figure (first family, denial and cost cells,
 * their day-keyed twins, the pend histogram) equals the batch SQL over the
 * claim state, with nothing left behind under a value the claim no longer has.
 */

interface VersionSpec {
  claimId: string;
  /** The source file's name: its id is the name's SHA-256, as the ingestor derives it. */
  file: string;
  record: number;
  occurredAt: string;
  lines?: Array<{ category: 'allowed' | 'not_allowed'; paid: number; allowed: number; hcpcs?: string }>;
  payer?: string;
  group?: string;
  state?: string;
  serviceThrough?: string;
  status?: 'paid' | 'denied' | 'pending';
  pend?: {
    status: 'pended' | 'cleared';
    pendedOn: string;
    clearedOn?: string;
    reason?: string;
    comments?: string;
    /** Whether the row carries a pend block (a pended-queue export's); an adjudicating row carries none. */
    block?: boolean;
  };
  /** Another event of the same source record (the enricher's cleared event after its pended one). */
  step?: string;
}

/** One billing-export row of a claim: its own event id (file, record, content), lineage and facts. */
function version(spec: VersionSpec): EnrichedClaimEvent {
  const lines = spec.lines ?? [{ category: 'allowed', paid: 9000, allowed: 11000 }];
  const base = fixtureEnrichedEvent(
    spec.claimId,
    lines.map((line) => ({
      indicator: line.category === 'allowed' ? 'A' : 'O',
      category: line.category,
      paymentCents: line.paid,
      allowedCents: line.allowed,
    })),
  );
  const fileId = sha256Hex(spec.file);
  const decision: PendDecision | null = spec.pend
    ? {
        ruleSetVersion: 'test',
        status: spec.pend.status,
        reasons: [
          {
            code: spec.pend.reason ?? 'PROVIDER_NOT_FOUND',
            description: 'spec',
            queue: 'provider-data',
            severity: 'medium',
            waitsOn: [],
            classifiedBy: null,
          },
        ],
        queue: 'provider-data',
        pendedOn: spec.pend.pendedOn,
        clearedOn: spec.pend.clearedOn ?? null,
        clearedBy: spec.pend.clearedOn ? 'source_clear_date' : null,
      }
    : null;
  const serviceThrough = spec.serviceThrough ?? spec.occurredAt;
  const paid = lines.reduce((sum, line) => sum + line.paid, 0);
  return {
    ...base,
    eventId: deriveEventId('spec.claim-version', fileId, spec.claimId, String(spec.record), spec.step ?? ''),
    // The enricher's events of one normalized event (pended, then cleared) share its id.
    normalizedEventId: deriveEventId('spec.normalized', fileId, spec.claimId, String(spec.record)),
    eventType: decision === null ? 'adjudicated' : decision.status === 'cleared' ? 'cleared' : 'pended',
    layout: 'billing.claim-export',
    occurredAt: spec.occurredAt,
    lineage: { ...base.lineage, source: spec.file, fileId, recordNumber: spec.record },
    claim: {
      ...base.claim,
      payer: spec.payer ?? 'Aetna',
      serviceFromDate: serviceThrough,
      serviceThroughDate: serviceThrough,
      billedAmountCents: lines.reduce((sum, line) => sum + line.allowed, 0) + 1000,
      lines: base.claim.lines.map((line, index) => ({ ...line, hcpcsCode: lines[index]?.hcpcs ?? '99213' })),
      adjudication: {
        sourceStatus: spec.status ?? 'paid',
        status: spec.status ?? 'paid',
        paidAmountCents: paid,
        paidDate: spec.occurredAt,
      },
      ...(spec.pend && spec.pend.block !== false
        ? { pend: { reason: spec.pend.reason ?? null, queue: 'provider-data', comments: spec.pend.comments ?? null } }
        : {}),
    },
    enrichment: {
      renderingProviders: [],
      providerGroup: { groupKey: spec.group ?? 'group-1', name: null, found: true },
      serviceLocation: {
        locationKey: null,
        name: null,
        address1: null,
        city: null,
        state: spec.state ?? 'MD',
        stateName: null,
        countyName: null,
        zip: null,
        effectiveDate: null,
      },
    },
    pendDecision: decision,
  };
}

type X12Part =
  | { kind: 'submission'; file: string; occurredAt: string; pended?: 'pended' | 'cleared'; charges?: number[] }
  | {
      kind: 'adjudication';
      file: string;
      occurredAt: string;
      status: 'paid' | 'denied' | null;
      /** What each line was paid (SVC03), in line order. */
      paid: number[];
      adjustments?: Array<{ lineNumber: number | null; groupCode: string; carc: string; amountCents: number }>;
    }
  | { kind: 'acknowledgement'; file: string; occurredAt: string; status: 'accepted' | 'rejected' };

/** One X12 part of claim `claimId` (837P, 835 CLP or 277CA), each its own source record and event. */
function x12Part(claimId: string, part: X12Part): EnrichedClaimEvent {
  const charges = part.kind === 'submission' ? (part.charges ?? [10000, 5000]) : [10000, 5000];
  const paid = part.kind === 'adjudication' ? part.paid : charges.map(() => 0);
  const sign = part.kind === 'adjudication' && part.status === null ? -1 : 1;
  const base = version({
    claimId,
    file: part.file,
    record: 1,
    step: part.kind === 'submission' ? (part.pended ?? '') : '',
    occurredAt: part.occurredAt,
    payer: 'BCBS',
    lines: paid.map((cents) => ({ category: 'allowed' as const, paid: cents, allowed: cents })),
    ...(part.kind === 'submission' && part.pended
      ? {
          pend: {
            status: part.pended,
            pendedOn: part.occurredAt,
            ...(part.pended === 'cleared' ? { clearedOn: part.occurredAt } : {}),
            block: false,
          },
        }
      : {}),
  });
  const claim = {
    ...base.claim,
    billingNpi: '1234567893',
    billedAmountCents: sign * charges.reduce((sum, cents) => sum + cents, 0),
    lines: base.claim.lines.map((line, index) => ({ ...line, chargeAmountCents: sign * (charges[index] ?? 0) })),
    adjudication: null,
  };
  if (part.kind === 'submission') {
    return {
      ...base,
      layout: 'x12.837p',
      eventType: part.pended ?? 'submitted',
      claim: { ...claim, submission: { submittedDate: part.occurredAt, senderId: 'SENDER', frequencyCode: '1' } },
    };
  }
  if (part.kind === 'acknowledgement') {
    return {
      ...base,
      layout: 'x12.277ca',
      eventType: part.status === 'accepted' ? 'acknowledged' : 'rejected',
      pendDecision: null,
      claim: {
        ...claim,
        acknowledgement: {
          kind: '277ca',
          status: part.status,
          statusCode: part.status === 'accepted' ? 'A1' : 'A3',
          statusCodes: [],
          transactionControlNumber: null,
        },
      },
    };
  }
  return {
    ...base,
    layout: 'x12.835',
    eventType: 'adjudicated',
    pendDecision: null,
    claim: {
      ...claim,
      adjudication: {
        sourceStatus: part.status === null ? '22' : part.status === 'denied' ? '4' : '1',
        status: part.status,
        claimStatusCode: part.status === null ? '22' : part.status === 'denied' ? '4' : '1',
        paidAmountCents: part.paid.reduce((sum, cents) => sum + cents, 0),
        paidDate: part.occurredAt,
        adjustments: (part.adjustments ?? []).map((adjustment) => ({ ...adjustment, quantity: null })),
        ...(part.status === null ? { reversal: true } : {}),
      },
    },
  };
}

describe('successive versions of a claim folded by ClaimFoldRepository against a real Postgres', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;
  const offsets = new Map<number, number>();

  const batch = (partition: number, events: readonly EnrichedClaimEvent[]): PartitionBatch => {
    const start = offsets.get(partition) ?? 0;
    offsets.set(partition, start + events.length);
    return {
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition,
      messages: events.map((event, index) => ({ offset: String(start + index), event })),
    };
  };

  const fold = (partition: number, events: readonly EnrichedClaimEvent[]) =>
    repository.foldPartitionBatch(batch(partition, events));

  const rowsOf = (rows: Array<{ kpi: string; dimension: string; value: string | number }>): string[] =>
    rows.map((row) => `${row.kpi}|${row.dimension}|${String(row.value)}`).sort();

  /** Every streamed figure equals its batch SQL over the claim state, and the day-keyed twins sum to the live ones. */
  async function expectEveryFigureToEqualBatchSql(): Promise<void> {
    expect(rowsOf(await dataSource.query(STREAMED_COUNTERS_SQL))).toEqual(
      rowsOf(await dataSource.query(CLAIMS_RECEIVED_BATCH_SQL)),
    );
    expect(rowsOf(await dataSource.query(STREAMED_DIMENSION_COUNTERS_SQL))).toEqual(
      rowsOf(await dataSource.query(DIMENSION_COUNTER_BATCH_SQL)),
    );
    expect(await dataSource.query(DAILY_COUNTER_DIFFERENCES_SQL, [10])).toEqual([]);
    expect(await dataSource.query(PEND_HISTOGRAM_DIFFERENCES_SQL, [10])).toEqual([]);
  }

  const heldEventIds = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await dataSource.query(`SELECT claim_id, event_id FROM claim_state`)) as Array<Record<string, string>>).map(
        (row) => [row['claim_id'], row['event_id']],
      ),
    );

  /** The measures of one dimension counter cell, partitions summed, zero measures left out. */
  const cell = async (family: string, dimension: string, value: string): Promise<Record<string, number>> => {
    const rows: Array<{ measure: string; value: string }> = await dataSource.query(
      `SELECT m.measure, sum(m.value)::text AS value
         FROM kpi_dimension_counter k
        CROSS JOIN LATERAL (VALUES ('claims', k.claims), ('lines', k.lines), ('denied_count', k.denied_count),
                                   ('paid_amount_cents', k.paid_amount_cents)) AS m(measure, value)
        WHERE k.family = $1 AND k.dimension = $2 AND k.dimension_value = $3
        GROUP BY m.measure HAVING sum(m.value) <> 0`,
      [family, dimension, value],
    );
    return Object.fromEntries(rows.map((row) => [row.measure, Number(row.value)]));
  };

  beforeEach(async () => {
    offsets.clear();
    database = await createIsolatedDatabase('claim_versions');
    dataSource = createDataSource({ url: database.url, applicationName: 'claim-versions-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    repository = new ClaimFoldRepository(dataSource);
    await dataSource.transaction((manager) => seedCarcRootCauses(manager, shippedCarcRootCauses()));
  });

  afterEach(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** What the fold leaves: claim state, pend episodes, live and day-keyed counters, the pend histogram. */
  const snapshot = async (source: DataSource) =>
    Promise.all(
      [
        `SELECT claim_id, event_id, payer, provider_group, state, to_char(service_through_date, 'YYYY-MM-DD') AS through,
                to_char(version_occurred_at, 'YYYY-MM-DD') AS version_day, version_stage FROM claim_state ORDER BY 1`,
        `SELECT claim_id, line_number, processing_category FROM claim_line_state ORDER BY 1, 2`,
        `SELECT claim_id, to_char(pended_on, 'YYYY-MM-DD') AS pended_on, to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on,
                reasons, payer, comments FROM claim_pend ORDER BY 1`,
        `SELECT kpi, dimension, sum(value)::text AS value FROM kpi_counter GROUP BY 1, 2 HAVING sum(value) <> 0 ORDER BY 1, 2`,
        STREAMED_DIMENSION_COUNTERS_SQL.replace(/\s+$/, '') + ' ORDER BY 1, 2',
        `SELECT dimension, dimension_value, event_day::text, sum(claims)::text AS claims, sum(lines)::text AS lines,
                sum(payment_amount_cents)::text AS paid
           FROM kpi_counter_day GROUP BY 1, 2, 3
         HAVING sum(claims) <> 0 OR sum(lines) <> 0 OR sum(payment_amount_cents) <> 0 ORDER BY 1, 2, 3`,
        `SELECT family, dimension, dimension_value, event_day::text, sum(claims)::text AS claims,
                sum(paid_amount_cents)::text AS paid, sum(denied_count)::text AS denied
           FROM kpi_dimension_counter_day GROUP BY 1, 2, 3, 4
         HAVING sum(claims) <> 0 OR sum(paid_amount_cents) <> 0 OR sum(denied_count) <> 0 ORDER BY 1, 2, 3, 4`,
        `SELECT dimension, dimension_value, pended_on::text, cleared_on::text, sum(claims)::text AS claims,
                sum(amount_cents)::text AS amount
           FROM pend_day_histogram GROUP BY 1, 2, 3, 4 HAVING sum(claims) <> 0 OR sum(amount_cents) <> 0
          ORDER BY 1, 2, 3, 4`,
      ].map((sql) => source.query(sql)),
    );

  /**
   * Folds `events` as `batches` cut them (one claim keeps one partition),
   * checks every figure against the batch SQL, then folds the same events one
   * batch each into a database of its own: both must end the same.
   */
  async function expectTheSameWhateverTheBatches(
    batches: ReadonlyArray<readonly EnrichedClaimEvent[]>,
    partitionOf: (event: EnrichedClaimEvent) => number = () => 0,
  ): Promise<void> {
    for (const events of batches) {
      const byPartition = new Map<number, EnrichedClaimEvent[]>();
      for (const event of events)
        byPartition.set(partitionOf(event), [...(byPartition.get(partitionOf(event)) ?? []), event]);
      for (const [partition, partitionEvents] of byPartition) await fold(partition, partitionEvents);
      await expectEveryFigureToEqualBatchSql();
    }
    const oneByOne = await createIsolatedDatabase('claim_versions_one_by_one');
    const oneByOneSource = createDataSource({
      url: oneByOne.url,
      applicationName: 'claim-versions-fold-integration-spec',
    });
    try {
      await oneByOneSource.initialize();
      await migrateDatabase(oneByOneSource);
      const single = new ClaimFoldRepository(oneByOneSource);
      let offset = 0;
      for (const event of batches.flat()) {
        await single.foldPartitionBatch({
          groupId: 'claims-metrics',
          topic: 'claims.enriched.v1',
          partition: partitionOf(event),
          messages: [{ offset: String(offset), event }],
        });
        offset += 1;
      }
      expect(await snapshot(dataSource)).toEqual(await snapshot(oneByOneSource));
    } finally {
      await oneByOneSource.destroy();
      await oneByOne.drop();
    }
  }

  describe('a correction that changes what the claim is counted under', () => {
    const original = version({
      claimId: 'c1',
      file: 'january.csv',
      record: 1,
      occurredAt: '2024-01-15',
      lines: [{ category: 'allowed', paid: 9000, allowed: 11000, hcpcs: '99213' }],
    });
    const grown = version({
      claimId: 'c1',
      file: 'february.csv',
      record: 1,
      occurredAt: '2024-02-10',
      payer: 'Cigna',
      group: 'group-2',
      state: 'VA',
      serviceThrough: '2024-02-03',
      status: 'denied',
      lines: [
        { category: 'not_allowed', paid: 0, allowed: 0, hcpcs: '80053' },
        { category: 'allowed', paid: 100, allowed: 200, hcpcs: '80053' },
        { category: 'allowed', paid: 300, allowed: 400, hcpcs: '85025' },
      ],
    });
    const shrunk = version({
      claimId: 'c1',
      file: 'march.csv',
      record: 4,
      occurredAt: '2024-03-01',
      payer: 'Humana',
      group: 'group-3',
      state: 'DC',
      serviceThrough: '2024-02-03',
      lines: [{ category: 'allowed', paid: 500, allowed: 600, hcpcs: '85025' }],
    });

    it('leaves nothing under the payer, group, state, month or codes of a version it replaced', async () => {
      await expectTheSameWhateverTheBatches([[original], [grown], [shrunk]]);
      for (const [dimension, value] of [
        ['payer', 'Aetna'],
        ['payer', 'Cigna'],
        ['provider_group', 'group-1'],
        ['provider_group', 'group-2'],
        ['state', 'MD'],
        ['state', 'VA'],
        ['month', '2024-01'],
      ] as const) {
        expect({ dimension, value, cell: await cell('claims', dimension, value) }).toEqual({
          dimension,
          value,
          cell: {},
        });
      }
      expect(await cell('claims', 'payer', 'Humana')).toEqual({ claims: 1, lines: 1, paid_amount_cents: 500 });
      expect(await cell('lines', 'hcpcs', '80053')).toEqual({});
      expect(await cell('denials:billing_export', 'payer', 'Cigna')).toEqual({});
    });

    it('ends the same when the three versions come in one batch, or older ones after newer ones', async () => {
      await expectTheSameWhateverTheBatches([[original, grown, shrunk]]);
      expect(await heldEventIds()).toEqual({ c1: shrunk.eventId });
      // Older versions replayed late (their ids forgotten), in one batch and alone: superseded, nothing moves.
      await dataSource.query(`DELETE FROM processed_event`);
      const before = await snapshot(dataSource);
      expect(await fold(0, [grown, original])).toMatchObject({ folded: 0, superseded: 2 });
      // Its id is known again since the batch above: a duplicate now.
      expect(await fold(0, [original])).toMatchObject({ folded: 0, superseded: 0, duplicates: 1 });
      expect(await snapshot(dataSource)).toEqual(before);
      await expectEveryFigureToEqualBatchSql();
    });

    it('folds a newer version then an older one in one batch as the newer alone', async () => {
      await expectTheSameWhateverTheBatches([[shrunk, grown, original]]);
      expect(await heldEventIds()).toEqual({ c1: shrunk.eventId });
    });

    it('counts the second copy of an event id in one batch a duplicate', async () => {
      const outcome = await fold(0, [original, grown, original, grown]);
      expect(outcome).toEqual({ folded: 2, superseded: 0, duplicates: 2, alreadyCommitted: 0 });
      expect(await heldEventIds()).toEqual({ c1: grown.eventId });
      await expectEveryFigureToEqualBatchSql();
    });

    it('counts a version with the same content under another event id once', async () => {
      const resent = { ...original, eventId: deriveEventId('spec.resent', original.eventId) };
      const resentLater = { ...original, eventId: deriveEventId('spec.resent-later', original.eventId) };
      await expectTheSameWhateverTheBatches([[original, resent], [resentLater]]);
      expect(await cell('claims', 'payer', 'Aetna')).toEqual({ claims: 1, lines: 1, paid_amount_cents: 9000 });
    });

    it('moves the claim between event days, so each past day answers the version it held', async () => {
      await expectTheSameWhateverTheBatches([[original], [grown, shrunk]]);
      const asOf = async (day: string): Promise<string[]> =>
        (
          await dataSource.query(
            `SELECT dimension_value, sum(claims)::int AS claims FROM kpi_dimension_counter_day
              WHERE family = 'claims' AND dimension = 'payer' AND event_day <= $1::date
              GROUP BY 1 HAVING sum(claims) <> 0 ORDER BY 1`,
            [day],
          )
        ).map((row: { dimension_value: string; claims: number }) => `${row.dimension_value}:${row.claims}`);
      expect(await asOf('2024-01-14')).toEqual([]);
      expect(await asOf('2024-01-15')).toEqual(['Aetna:1']);
      expect(await asOf('2024-02-10')).toEqual(['Cigna:1']);
      expect(await asOf('2024-03-01')).toEqual(['Humana:1']);
    });
  });

  it("keeps two claims' interleaved versions apart across batches and partitions", async () => {
    const of = (claimId: string, record: number, occurredAt: string, paid: number, payer: string) =>
      version({
        claimId,
        file: `file-${record}.csv`,
        record,
        occurredAt,
        payer,
        lines: [{ category: 'allowed', paid, allowed: paid }],
      });
    const partitionOf = (event: EnrichedClaimEvent) => (event.claimId === 'c1' ? 0 : 1);
    await expectTheSameWhateverTheBatches(
      [
        [of('c1', 1, '2024-01-01', 100, 'Aetna'), of('c2', 1, '2024-01-01', 200, 'Aetna')],
        [
          of('c2', 2, '2024-01-05', 300, 'Cigna'),
          of('c1', 2, '2024-01-03', 400, 'Cigna'),
          of('c1', 3, '2024-01-02', 1, 'X'),
        ],
        [of('c2', 3, '2024-01-04', 2, 'X'), of('c1', 4, '2024-01-03', 500, 'Humana')],
      ],
      partitionOf,
    );
    expect(await cell('claims', 'payer', 'Humana')).toEqual({ claims: 1, lines: 1, paid_amount_cents: 500 });
    expect(await cell('claims', 'payer', 'Cigna')).toEqual({ claims: 1, lines: 1, paid_amount_cents: 300 });
    expect(await cell('claims', 'payer', 'Aetna')).toEqual({});
    expect(await cell('claims', 'payer', 'X')).toEqual({});
  });

  describe('a pend episode over versions', () => {
    const pended = version({
      claimId: 'p1',
      file: 'pended-queue-1.csv',
      record: 1,
      occurredAt: '2024-01-05',
      pend: { status: 'pended', pendedOn: '2024-01-05', comments: 'called the member' },
    });
    // The enricher's cleared event of the same record, dated before the pend (a same-day clear).
    const cleared = version({
      claimId: 'p1',
      file: 'pended-queue-1.csv',
      record: 1,
      step: 'cleared',
      occurredAt: '2024-01-03',
      pend: { status: 'cleared', pendedOn: '2024-01-05', clearedOn: '2024-01-03', comments: 'called the member' },
    });
    const pendedAgain = version({
      claimId: 'p1',
      file: 'pended-queue-2.csv',
      record: 1,
      occurredAt: '2024-02-01',
      payer: 'Cigna',
      pend: { status: 'pended', pendedOn: '2024-02-01', reason: 'MEMBER_NOT_COVERED', comments: 'second look' },
    });
    // The payer's adjudication of the claim: no pend block of its own, so it keeps the adjudicators' comments.
    const adjudicated = version({
      claimId: 'p1',
      file: 'billing-export.csv',
      record: 9,
      occurredAt: '2024-02-20',
      payer: 'Cigna',
      pend: {
        status: 'cleared',
        pendedOn: '2024-02-01',
        clearedOn: '2024-02-20',
        reason: 'MEMBER_NOT_COVERED',
        block: false,
      },
    });

    it('pends, clears and pends again across batches as the batch SQL counts the final episode', async () => {
      await expectTheSameWhateverTheBatches([[pended], [cleared], [pendedAgain], [adjudicated]]);
      const episode = await dataSource.query(
        `SELECT to_char(pended_on, 'YYYY-MM-DD') AS pended_on, to_char(cleared_on, 'YYYY-MM-DD') AS cleared_on,
                reasons, payer, comments FROM claim_pend`,
      );
      expect(episode).toEqual([
        {
          pended_on: '2024-02-01',
          cleared_on: '2024-02-20',
          reasons: ['MEMBER_NOT_COVERED'],
          payer: 'Cigna',
          comments: 'second look',
        },
      ]);
    });

    it('ends the same when the pend, its clear, the second pend and the adjudication come in one batch', async () => {
      await expectTheSameWhateverTheBatches([[pended, cleared, pendedAgain, adjudicated]]);
    });

    it('ends the same when the versions come in pairs, a cleared event redelivered after the later pend', async () => {
      await expectTheSameWhateverTheBatches([[pended], [pendedAgain, cleared], [adjudicated, pended]]);
    });
  });

  describe('the X12 parts of a claim, in any order and any batches', () => {
    const submitted = x12Part('x1', { kind: 'submission', file: '837-a.edi', occurredAt: '2024-04-01' });
    const pended = x12Part('x1', { kind: 'submission', file: '837-b.edi', occurredAt: '2024-04-02', pended: 'pended' });
    const clearedOf = x12Part('x1', {
      kind: 'submission',
      file: '837-b.edi',
      occurredAt: '2024-04-06',
      pended: 'cleared',
    });
    const accepted = x12Part('x1', {
      kind: 'acknowledgement',
      file: '277ca.edi',
      occurredAt: '2024-04-03',
      status: 'accepted',
    });
    const denied = x12Part('x1', {
      kind: 'adjudication',
      file: '835-a.edi',
      occurredAt: '2024-04-10',
      status: 'denied',
      paid: [0, 0],
      adjustments: [
        { lineNumber: 1, groupCode: 'CO', carc: '16', amountCents: 10000 },
        { lineNumber: 2, groupCode: 'CO', carc: '16', amountCents: 5000 },
      ],
    });
    const reversal = x12Part('x1', {
      kind: 'adjudication',
      file: '835-b.edi',
      occurredAt: '2024-05-02',
      status: null,
      paid: [0, 0],
      adjustments: [
        { lineNumber: 1, groupCode: 'CO', carc: '16', amountCents: -10000 },
        { lineNumber: 2, groupCode: 'CO', carc: '16', amountCents: -5000 },
      ],
    });
    const correction = x12Part('x1', {
      kind: 'adjudication',
      file: '835-c.edi',
      occurredAt: '2024-05-02',
      status: 'paid',
      paid: [8000, 4000],
      adjustments: [
        { lineNumber: 1, groupCode: 'CO', carc: '45', amountCents: 2000 },
        { lineNumber: 2, groupCode: 'CO', carc: '45', amountCents: 1000 },
      ],
    });
    const all = [submitted, pended, clearedOf, accepted, denied, reversal, correction];

    it('denies, reverses and pays the claim as its parts arrive, one batch each', async () => {
      await expectTheSameWhateverTheBatches(all.map((part) => [part]));
      expect(await cell('denials:remittance', 'payer', 'BCBS')).toEqual({});
      expect(await cell('claims', 'payer', 'BCBS')).toEqual({ claims: 1, lines: 2, paid_amount_cents: 12000 });
    });

    it('ends the same with every part in one batch', async () => {
      await expectTheSameWhateverTheBatches([all]);
    });

    it('ends the same with the answers before the 837s, the reversal before its denial', async () => {
      await expectTheSameWhateverTheBatches([
        [correction, reversal],
        [accepted],
        [denied, clearedOf],
        [pended, submitted],
      ]);
      expect(await cell('claims', 'payer', 'BCBS')).toEqual({ claims: 1, lines: 2, paid_amount_cents: 12000 });
    });

    it('undoes the denial when only its reversal follows, and a replay of every part moves nothing', async () => {
      await expectTheSameWhateverTheBatches([[submitted, denied], [reversal]]);
      expect(await cell('denials:remittance', 'payer', 'BCBS')).toEqual({});
      await dataSource.query(`DELETE FROM processed_event`);
      const before = await snapshot(dataSource);
      await fold(0, [reversal, denied, submitted]);
      expect(await snapshot(dataSource)).toEqual(before);
      await expectEveryFigureToEqualBatchSql();
    });
  });

  describe('two files with a row of one claim on the same event date', () => {
    // export-1.csv's file id sorts after export-2.csv's (b482… > 30bb…): arrival order is not file id order.
    const first = version({ claimId: 'c1', file: 'export-1.csv', record: 3, occurredAt: '2024-03-10' });
    const later = version({
      claimId: 'c1',
      file: 'export-2.csv',
      record: 1,
      occurredAt: '2024-03-10',
      status: 'denied',
      lines: [{ category: 'not_allowed', paid: 0, allowed: 0 }],
    });

    it('lets the later file win when the two rows fold in separate batches', async () => {
      await fold(0, [first]);
      await fold(0, [later]);
      expect(await heldEventIds()).toEqual({ c1: later.eventId });
      await expectEveryFigureToEqualBatchSql();
    });

    it('lets the later file win when the two rows fold in one batch, whatever their file ids', async () => {
      const outcome = await fold(0, [first, later]);
      expect(outcome).toMatchObject({ folded: 2, superseded: 0 });
      expect(await heldEventIds()).toEqual({ c1: later.eventId });
      expect(await cell('denials:billing_export', 'payer', 'Aetna')).toEqual({ denied_count: 1 });
      await expectEveryFigureToEqualBatchSql();
    });

    it('numbers the records of one batch in the order they came, not by file id', async () => {
      const files = ['export-1.csv', 'export-2.csv', 'march.csv', 'a.csv', 'b.csv'];
      const rows = files.flatMap((file, index) => [
        version({ claimId: `c${index}`, file, record: 2, occurredAt: '2024-03-10' }),
        version({ claimId: `d${index}`, file, record: 1, occurredAt: '2024-03-10' }),
      ]);
      await fold(0, rows);
      const numbered: Array<{ file_id: string; record_number: number }> = await dataSource.query(
        `SELECT file_id, record_number FROM ingest_record ORDER BY source_sequence`,
      );
      expect(numbered).toEqual(
        rows.map((row) => ({ file_id: row.lineage.fileId, record_number: row.lineage.recordNumber })),
      );
    });

    it('keeps the later file when the earlier one is replayed after the event ids were forgotten', async () => {
      await fold(0, [first, later]);
      await dataSource.query(`DELETE FROM processed_event`);
      const replay = await fold(0, [first]);
      expect(replay).toMatchObject({ folded: 0, superseded: 1 });
      expect(await heldEventIds()).toEqual({ c1: later.eventId });
      await expectEveryFigureToEqualBatchSql();
    });
  });
});
