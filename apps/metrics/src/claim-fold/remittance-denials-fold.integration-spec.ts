import { derivedEventId, sha256Hex, type ClaimEvent, type EnrichedClaimEvent } from '@claims/contracts';
import { createDataSource, migrateDatabase } from '@claims/database';
import { createIsolatedDatabase, type IsolatedDatabase } from '@claims/harness';
import {
  DIMENSION_COUNTER_BATCH_SQL,
  DIMENSION_COUNTER_CELLS_SQL,
  STREAMED_DIMENSION_COUNTERS_SQL,
  seedCarcRootCauses,
  shippedCarcRootCauses,
  type DimensionCounterCellRow,
} from '@claims/kpi';
import { rawRecordEvent } from '@claims/source-layouts';
import {
  normalizeX12Record,
  transactionSetText,
  x12LayoutOf,
  x12RecordContextOf,
  x12TokensOf,
  x12TransactionSetsOf,
  type X12TransactionSet,
} from '@claims/x12';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ClaimFoldRepository, type PartitionBatch } from './claim-fold.repository';

/**
 * 835 denials by root cause folded from the vendored remittances, against a
 * real Postgres, and checked three ways: the streamed cells equal the batch
 * SQL (which classifies CARCs through carc_root_cause), and equal figures
 * this test reads straight from the raw CLP, SVC and CAS segments with its
 * own reading of rules/carc-root-causes.csv (columns 1 to 3) and of the rule
 * in docs/kpis/denials-and-payment.md. Samples (provenance in data/README.md):
 * - data/x12/linuxforhealth/835_005010X221A1/*.835 (005010X221A1 examples);
 * - data/x12/pyx12/835_mult_loops.txt (a CLP02 4 denial with line-level CAS and LQ*HE).
 */
const ROOT = join(__dirname, '../../../..');
const SAMPLES = [
  ...readdirSync(join(ROOT, 'data/x12/linuxforhealth/835_005010X221A1'))
    .sort()
    .map((name) => join(ROOT, 'data/x12/linuxforhealth/835_005010X221A1', name)),
  join(ROOT, 'data/x12/pyx12/835_mult_loops.txt'),
];
const PUBLISHED_AT = '2026-01-01T00:00:00.000Z';
/** When the reversal and correction of the pyx12 denial (paid 2004-10-28) are sent. */
const REISSUED_ON = '2004-11-29';
const patientTokenKey = 'remittance-denials-spec';

// ---- the truth, from the raw segments ----

/** Categories the rule calls adjustments: never a denial (docs/kpis/denials-and-payment.md). */
const ADJUSTMENT_CATEGORIES = new Set(['contractual', 'patient_responsibility', 'prior_payer', 'payment_adjustment']);

/** CARC → [scenario, category], read from the rules file's first three columns (none of them quoted). */
function mappingFromFile(): Map<string, [string, string]> {
  const lines = readFileSync(join(ROOT, 'rules/carc-root-causes.csv'), 'utf8').split('\n').slice(1);
  return new Map(
    lines
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => {
        const [carc = '', scenario = '', category = ''] = line.split(',');
        return [carc, [scenario, category]];
      }),
  );
}

function centsOf(amount: string | undefined): number {
  const [whole = '0', fraction = ''] = (amount ?? '0').replace('-', '').split('.');
  const cents = Number(whole || '0') * 100 + Number((fraction + '00').slice(0, 2));
  return amount?.startsWith('-') ? -cents : cents;
}

interface RawCas {
  carc: string;
  cents: number;
  /** 0 for a claim-level CAS, else the SVC's position in its claim. */
  line: number;
}
interface RawClaim {
  claimId: string;
  payer: string;
  status: string;
  paidCents: number;
  chargeCents: number;
  lines: Array<{ chargeCents: number; paidCents: number }>;
  cas: RawCas[];
}

/** Each CLP of a remittance with its SVCs and CAS triplets, by position; the payer from N1*PR. */
function rawClaimsOf(text: string): RawClaim[] {
  const claims: RawClaim[] = [];
  let payer = '';
  for (const segment of text.split('~').map((raw) => raw.trim().split('*'))) {
    const [tag, ...elements] = segment;
    const claim = claims[claims.length - 1];
    if (tag === 'N1' && elements[0] === 'PR') payer = elements[1] ?? '';
    if (tag === 'CLP') {
      claims.push({
        claimId: elements[0] ?? '',
        payer,
        status: elements[1] ?? '',
        chargeCents: centsOf(elements[2]),
        paidCents: centsOf(elements[3]),
        lines: [],
        cas: [],
      });
    }
    if (tag === 'SVC' && claim)
      claim.lines.push({ chargeCents: centsOf(elements[1]), paidCents: centsOf(elements[2]) });
    if (tag === 'CAS' && claim) {
      for (let position = 1; position < elements.length; position += 3) {
        if (elements[position]) {
          claim.cas.push({
            carc: elements[position]!,
            cents: centsOf(elements[position + 1]),
            line: claim.lines.length,
          });
        }
      }
    }
  }
  return claims;
}

type Figures = Map<string, Record<string, number>>;
function addTo(figures: Figures, key: string, measures: Record<string, number>): void {
  const row = figures.get(key) ?? {};
  for (const [name, value] of Object.entries(measures)) row[name] = (row[name] ?? 0) + value;
  figures.set(key, row);
}

interface RemittanceTruth {
  claimsByPayer: Figures;
  linesByPayer: Figures;
  /** `source|dimension` → value → {denied, adjustments, cents}. */
  rootCauses: Map<string, Figures>;
}

/** CLP02 codes that mean the payer decided the claim (005010X221A1 CLP02): processed 1/2/3, 19/20/21, denied 4. */
const DECIDED = new Set(['1', '2', '3', '4', '19', '20', '21']);

function remittanceTruth(claims: readonly RawClaim[], mapping: Map<string, [string, string]>): RemittanceTruth {
  const truth: RemittanceTruth = { claimsByPayer: new Map(), linesByPayer: new Map(), rootCauses: new Map() };
  const classify = (carc: string): [string, string] => mapping.get(carc) ?? ['other', 'other'];
  const denial = (cas: RawCas) => !ADJUSTMENT_CATEGORIES.has(classify(cas.carc)[1]);
  const fileCauses = (source: string, causes: readonly RawCas[]) => {
    for (const [dimension, pick] of [
      ['root_cause_scenario', (cas: RawCas) => classify(cas.carc)[0]],
      ['root_cause_category', (cas: RawCas) => classify(cas.carc)[1]],
      ['carc', (cas: RawCas) => cas.carc],
    ] as const) {
      const figures = truth.rootCauses.get(`${source}|${dimension}`) ?? new Map();
      truth.rootCauses.set(`${source}|${dimension}`, figures);
      if (causes.length === 0) addTo(figures, '(none)', { denied: 1, adjustments: 0, cents: 0 });
      for (const value of new Set(causes.map(pick))) {
        const mine = causes.filter((cas) => pick(cas) === value);
        addTo(figures, value, {
          denied: 1,
          adjustments: mine.length,
          cents: mine.reduce((sum, cas) => sum + cas.cents, 0),
        });
      }
    }
  };
  for (const claim of claims) {
    if (!DECIDED.has(claim.status)) continue;
    const denialCas = claim.cas.filter(denial);
    const claimDenied = claim.status === '4' || (claim.paidCents === 0 && denialCas.length > 0);
    addTo(truth.claimsByPayer, claim.payer, {
      adjudicated: 1,
      denied: claimDenied ? 1 : 0,
      adjudicatedCents: claim.chargeCents,
      deniedCents: claimDenied ? claim.chargeCents : 0,
    });
    if (claimDenied) fileCauses('remittance', denialCas);
    claim.lines.forEach((line, index) => {
      const lineCas = denialCas.filter((cas) => cas.line === index + 1);
      const lineDenied = line.paidCents === 0 && lineCas.length > 0;
      addTo(truth.linesByPayer, claim.payer, {
        adjudicated: 1,
        denied: lineDenied ? 1 : 0,
        adjudicatedCents: line.chargeCents,
        deniedCents: lineDenied ? line.chargeCents : 0,
      });
      if (lineDenied) fileCauses('remittance_lines', lineCas);
    });
  }
  return truth;
}

// ---- the events, as the ingestor, normalizer and enricher would make them ----

async function transactionSetsOf(path: string): Promise<X12TransactionSet[]> {
  async function* once(): AsyncGenerator<string> {
    yield readFileSync(path, 'utf8');
  }
  const sets: X12TransactionSet[] = [];
  for await (const item of x12TransactionSetsOf(x12TokensOf(once()))) {
    if (item.kind !== 'transaction') throw new Error(`${path}: ${item.failure.error.message}`);
    sets.push(item.transaction);
  }
  return sets;
}

function enriched(event: ClaimEvent): EnrichedClaimEvent {
  return {
    ...event,
    eventId: derivedEventId('claims.enriched', event.eventId),
    normalizedEventId: event.eventId,
    enrichment: { renderingProviders: [] },
  };
}

async function remittanceEvents(path: string): Promise<EnrichedClaimEvent[]> {
  const source = basename(path);
  return (await transactionSetsOf(path)).flatMap((transaction) =>
    normalizeX12Record(
      rawRecordEvent({
        layout: x12LayoutOf(transaction),
        record: transactionSetText(transaction),
        recordNumber: transaction.recordNumber,
        source,
        fileId: sha256Hex(readFileSync(path)),
        publishedAt: PUBLISHED_AT,
        claimId: null,
        header: JSON.stringify(x12RecordContextOf(transaction)),
      }),
      { patientTokenKey },
    ).map(enriched),
  );
}

/**
 * Another adjudication of a claim, as a later 835 would send it: a new fact
 * (its own normalized and enriched event ids) paid on `paidOn`.
 */
function laterAdjudication(
  event: EnrichedClaimEvent,
  name: string,
  paidOn: string,
  change: (claim: EnrichedClaimEvent['claim']) => EnrichedClaimEvent['claim'],
): EnrichedClaimEvent {
  const normalizedEventId = derivedEventId(`spec.${name}`, event.normalizedEventId);
  return {
    ...event,
    normalizedEventId,
    eventId: derivedEventId('claims.enriched', normalizedEventId),
    occurredAt: paidOn,
    claim: change(event.claim),
  };
}

describe('835 denials by root cause folded from the vendored remittances', () => {
  let database: IsolatedDatabase;
  let dataSource: DataSource;
  let repository: ClaimFoldRepository;
  let events: EnrichedClaimEvent[] = [];
  const nextOffset = new Map<number, number>();
  const texts = SAMPLES.map((path) => readFileSync(path, 'utf8'));
  const mapping = mappingFromFile();

  const batch = (partition: number, batchEvents: EnrichedClaimEvent[]): PartitionBatch => {
    const start = nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, start + batchEvents.length);
    return {
      groupId: 'claims-metrics',
      topic: 'claims.enriched.v1',
      partition,
      messages: batchEvents.map((event, index) => ({ offset: String(start + index), event })),
    };
  };

  const cells = async (family: string, dimension: string): Promise<Figures> => {
    const rows: DimensionCounterCellRow[] = await dataSource.query(DIMENSION_COUNTER_CELLS_SQL, [family, dimension]);
    return new Map(
      rows.map((row) => [
        row.dimension_value,
        {
          adjudicated: Number(row.adjudicated_count),
          denied: Number(row.denied_count),
          adjudicatedCents: Number(row.adjudicated_amount_cents),
          deniedCents: Number(row.denied_amount_cents),
          adjustments: Number(row.adjustments),
          cents: Number(row.adjustment_amount_cents),
        },
      ]),
    );
  };
  const only = (figures: Figures, keys: readonly string[]): Array<[string, Record<string, number>]> =>
    [...figures]
      .map(([key, row]): [string, Record<string, number>] => [
        key,
        Object.fromEntries(keys.map((name) => [name, row[name] ?? 0])),
      ])
      .sort(([left], [right]) => left.localeCompare(right));
  const denialKeys = ['adjudicated', 'denied', 'adjudicatedCents', 'deniedCents'];
  const causeKeys = ['denied', 'adjustments', 'cents'];

  async function expectStreamedToEqualBatchSql(): Promise<void> {
    const asText = (rows: Array<{ kpi: string; dimension: string; value: string }>) =>
      rows.map((row) => `${row.kpi}|${row.dimension}|${row.value}`).sort();
    const streamed = asText(await dataSource.query(STREAMED_DIMENSION_COUNTERS_SQL));
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed).toEqual(asText(await dataSource.query(DIMENSION_COUNTER_BATCH_SQL)));
  }

  async function expectCellsToEqualTruth(truth: RemittanceTruth): Promise<void> {
    expect(only(await cells('denials:remittance', 'payer'), denialKeys)).toEqual(only(truth.claimsByPayer, denialKeys));
    expect(only(await cells('denials:remittance_lines', 'payer'), denialKeys)).toEqual(
      only(truth.linesByPayer, denialKeys),
    );
    for (const source of ['remittance', 'remittance_lines']) {
      for (const dimension of ['root_cause_scenario', 'root_cause_category', 'carc']) {
        expect([source, dimension, only(await cells(`denials:${source}`, dimension), causeKeys)]).toEqual([
          source,
          dimension,
          only(truth.rootCauses.get(`${source}|${dimension}`) ?? new Map(), causeKeys),
        ]);
      }
    }
  }

  beforeAll(async () => {
    database = await createIsolatedDatabase('remittance_denials_fold');
    dataSource = createDataSource({ url: database.url, applicationName: 'remittance-denials-fold-integration-spec' });
    await dataSource.initialize();
    await migrateDatabase(dataSource);
    // What the metrics service does at start (CarcRootCausesSeeder), here as two instances starting together.
    await Promise.all(
      [0, 1].map(() => dataSource.transaction((manager) => seedCarcRootCauses(manager, shippedCarcRootCauses()))),
    );
    repository = new ClaimFoldRepository(dataSource);
    events = (await Promise.all(SAMPLES.map(remittanceEvents))).flat();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('holds the shipped mapping in carc_root_cause once, seeded by two starts at once', async () => {
    const rows: Array<{ carc: string; category: string }> = await dataSource.query(
      `SELECT carc, category FROM carc_root_cause`,
    );
    const byCarc = (left: string[], right: string[]) => ((left[0] ?? '') < (right[0] ?? '') ? -1 : 1);
    expect(rows.map((row) => [row.carc, row.category]).sort(byCarc)).toEqual(
      [...mapping].map(([carc, [, category]]) => [carc, category]).sort(byCarc),
    );
  });

  it('reads one adjudication event per CLP of the six remittances, in file order', () => {
    expect(events.map((event) => event.claimId)).toEqual(
      texts.flatMap((text) => rawClaimsOf(text)).map((claim) => claim.claimId),
    );
  });

  it('folds the remittances over two partitions into denials by payer and by root cause equal to the raw CAS and to the batch SQL', async () => {
    await repository.foldPartitionBatch(
      batch(
        0,
        events.filter((_, index) => index % 2 === 0),
      ),
    );
    await repository.foldPartitionBatch(
      batch(
        1,
        events.filter((_, index) => index % 2 === 1),
      ),
    );
    await expectStreamedToEqualBatchSql();
    const truth = remittanceTruth(
      texts.flatMap((text) => rawClaimsOf(text)),
      mapping,
    );
    await expectCellsToEqualTruth(truth);
    // By hand: pyx12's CLP02 4 claim ($915.39) is the only denial; its CO-16 ($500.04) on line 1 is the
    // cause, while OA-A7 (presumptive payment) on lines 2 and 3 is an adjustment, so those lines are not denied.
    expect(only(await cells('denials:remittance', 'root_cause_category'), causeKeys)).toEqual([
      ['missing_information', { denied: 1, adjustments: 1, cents: 50004 }],
    ]);
    expect(only(await cells('denials:remittance_lines', 'carc'), causeKeys)).toEqual([
      ['16', { denied: 1, adjustments: 1, cents: 50004 }],
    ]);
  });

  it('denies a zero payment explained by an unlisted CARC under other, and not one written off by CO-45 and PR-1', async () => {
    const [first] = events;
    if (!first) throw new Error('no sample events');
    const zeroPaid = (claim: EnrichedClaimEvent['claim'], cas: Array<[string, string, number]>) => ({
      ...claim,
      totals: { ...claim.totals, paymentAmountCents: 0 },
      lines: claim.lines.map((line) => ({ ...line, paymentAmountCents: 0 })),
      adjudication: claim.adjudication
        ? {
            ...claim.adjudication,
            status: 'partially_paid' as const,
            paidAmountCents: 0,
            adjustments: cas.map(([groupCode, carc, amountCents]) => ({
              lineNumber: claim.lines.length > 0 ? 1 : null,
              groupCode,
              carc,
              amountCents,
              quantity: null,
            })),
          }
        : null,
    });
    const unlisted = laterAdjudication(
      { ...first, claimId: `${first.claimId}-ZZ` },
      'unlisted',
      first.occurredAt,
      (claim) => zeroPaid(claim, [['CO', 'ZZ9', 4000]]),
    );
    const writtenOff = laterAdjudication(
      { ...first, claimId: `${first.claimId}-WO` },
      'written-off',
      first.occurredAt,
      (claim) =>
        zeroPaid(claim, [
          ['CO', '45', 3000],
          ['PR', '1', 1000],
        ]),
    );
    await repository.foldPartitionBatch(batch(0, [unlisted, writtenOff]));
    await expectStreamedToEqualBatchSql();
    const categories = await cells('denials:remittance', 'root_cause_category');
    expect(categories.get('other')).toMatchObject({ denied: 1, adjustments: 1, cents: 4000 });
    expect((await cells('denials:remittance', 'carc')).get('ZZ9')).toMatchObject({ denied: 1, cents: 4000 });
    expect([...categories.keys()].filter((category) => ADJUSTMENT_CATEGORIES.has(category))).toEqual([]);
  });

  it('undoes a denial when its reversal arrives and counts the correction that follows, streamed as the batch SQL', async () => {
    const denied = events.find((event) => event.claim.adjudication?.status === 'denied');
    if (!denied?.claim.adjudication) throw new Error('pyx12 denial missing');
    const before = await cells('denials:remittance', 'root_cause_category');
    const payerBefore = (await cells('denials:remittance', 'payer')).get(denied.claim.payer);
    // A month later the payer takes the denial back (CLP02 22, every amount negated, no status of its own)
    // and pays the claim in a new CLP, as one 835 sends a reversal and its correction.
    const reversal = laterAdjudication(denied, 'reversal', REISSUED_ON, (claim) => ({
      ...claim,
      billedAmountCents: -(claim.billedAmountCents ?? 0),
      lines: claim.lines.map((line) => ({ ...line, chargeAmountCents: -(line.chargeAmountCents ?? 0) })),
      adjudication: {
        ...claim.adjudication!,
        sourceStatus: '22',
        claimStatusCode: '22',
        status: null,
        reversal: true,
        adjustments: (claim.adjudication?.adjustments ?? []).map((cas) => ({ ...cas, amountCents: -cas.amountCents })),
      },
    }));
    await repository.foldPartitionBatch(batch(1, [reversal]));
    await expectStreamedToEqualBatchSql();
    expect((await cells('denials:remittance', 'root_cause_category')).get('missing_information')).toBeUndefined();
    expect(before.get('missing_information')?.denied).toBe(1);
    // The corrected payment: every line paid in full.
    const correction = laterAdjudication(denied, 'correction', REISSUED_ON, (claim) => ({
      ...claim,
      totals: { ...claim.totals, paymentAmountCents: claim.billedAmountCents ?? 0 },
      lines: claim.lines.map((line) => ({ ...line, paymentAmountCents: line.chargeAmountCents ?? 0 })),
      adjudication: {
        ...claim.adjudication!,
        sourceStatus: '1',
        claimStatusCode: '1',
        status: 'paid',
        paidAmountCents: claim.billedAmountCents ?? 0,
        adjustments: [],
      },
    }));
    await repository.foldPartitionBatch(batch(1, [correction]));
    await expectStreamedToEqualBatchSql();
    // The payer's claim is adjudicated once still, now paid: one denial and its billed dollars fewer.
    expect((await cells('denials:remittance', 'payer')).get(denied.claim.payer)).toMatchObject({
      adjudicated: payerBefore?.['adjudicated'],
      denied: (payerBefore?.['denied'] ?? 0) - 1,
      deniedCents: (payerBefore?.['deniedCents'] ?? 0) - (denied.claim.billedAmountCents ?? 0),
    });
    const adjustmentCarcs = await cells('adjustments', 'carc');
    expect(adjustmentCarcs.get('CO-16')).toBeUndefined();
  });
});
