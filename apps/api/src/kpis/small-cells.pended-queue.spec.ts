import { suppressSmallCells } from '../privacy/small-cell';
import type { PendedQueueResponse } from './pended-queue.service';
import { PENDED_QUEUE_CELLS } from './small-cells';

/*
 * The pended queue's figures are linked by sums a reader can take: the age
 * buckets add up to the open claims, each value's buckets to its claims, the
 * values to the open claims, and each bucket of the values to the queue's
 * bucket. A withheld cell must not come back from any of these by
 * subtraction, including when `limit` leaves values out (the values listed
 * then fall short of the total by exactly the values left out).
 */

const THRESHOLD = 11;
const BUCKET_LABELS = ['0-30', '31-60', '61-90', '90+'] as const;

type Bucket = PendedQueueResponse['ageBuckets'][number];
type Value = PendedQueueResponse['byDimension'][number];

const bucketsOf = (claims: readonly number[]): Bucket[] =>
  BUCKET_LABELS.map((bucket, index) => ({
    bucket,
    minAgeDays: index * 30 + (index === 0 ? 0 : 1),
    maxAgeDays: index === 3 ? null : (index + 1) * 30,
    claims: claims[index] ?? 0,
    amountCents: (claims[index] ?? 0) * 1000,
  }));

const valueOf = (value: string, buckets: readonly number[]): Value => {
  const claims = buckets.reduce((sum, each) => sum + each, 0);
  return {
    value,
    claims,
    amountCents: claims * 1000,
    ageBuckets: bucketsOf(buckets),
    averageAgeDays: 40,
    oldestAgeDays: 100,
  };
};

/** The queue of these values (each its four bucket counts), listing the `limit` largest as the route does. */
function queueOf(values: ReadonlyArray<readonly number[]>, limit = values.length): PendedQueueResponse {
  const all = values.map((buckets, index) => valueOf(`V${index}`, buckets));
  const columns = BUCKET_LABELS.map((_, column) => values.reduce((sum, buckets) => sum + (buckets[column] ?? 0), 0));
  const open = columns.reduce((sum, each) => sum + each, 0);
  return {
    asOf: '2024-03-31',
    watermark: '2024-03-31',
    groupBy: 'payer',
    open: { claims: open, amountCents: open * 1000 },
    ageBuckets: bucketsOf(columns),
    averageAgeDays: 40,
    oldestAgeDays: 100,
    byDimension: [...all].sort((left, right) => right.claims - left.claims).slice(0, limit),
    daysToClear: { p50: null, p90: null, clearedClaims: 0 },
    clearedWithinSla: { slaDays: 30, clearedClaims: 0, clearedWithinSlaClaims: 0, share: null },
  } as PendedQueueResponse;
}

interface Cell {
  name: string;
  value: number;
  shown: boolean;
}

/**
 * Every cell a reader can work out from one sum: a sum with exactly one cell
 * not shown gives that cell back. The values left out by `limit` are one
 * unshown cell of the sums they belong to (their total).
 */
function recoverableCells(given: PendedQueueResponse, sent: PendedQueueResponse): Cell[] {
  const shown = (value: number | null): boolean => value !== null;
  const sums: Array<{ total: Cell; parts: Cell[] }> = [];
  const cell = (name: string, value: number, sentValue: number | null): Cell => ({
    name,
    value,
    shown: shown(sentValue),
  });
  const total = cell('open', given.open.claims, sent.open.claims);
  sums.push({
    total,
    parts: given.ageBuckets.map((bucket, index) =>
      cell(`bucket ${bucket.bucket}`, bucket.claims, sent.ageBuckets[index]?.claims ?? null),
    ),
  });
  const listed = given.byDimension.reduce((sum, each) => sum + each.claims, 0);
  const leftOut = (totalValue: number, listedValue: number): Cell[] =>
    totalValue > listedValue ? [{ name: 'values left out', value: totalValue - listedValue, shown: false }] : [];
  sums.push({
    total,
    parts: [
      ...given.byDimension.map((each, index) => cell(each.value, each.claims, sent.byDimension[index]?.claims ?? null)),
      ...leftOut(given.open.claims, listed),
    ],
  });
  given.byDimension.forEach((each, index) => {
    sums.push({
      total: cell(each.value, each.claims, sent.byDimension[index]?.claims ?? null),
      parts: each.ageBuckets.map((bucket, column) =>
        cell(
          `${each.value} ${bucket.bucket}`,
          bucket.claims,
          sent.byDimension[index]?.ageBuckets[column]?.claims ?? null,
        ),
      ),
    });
  });
  given.ageBuckets.forEach((bucket, column) => {
    const listedInColumn = given.byDimension.reduce((sum, each) => sum + (each.ageBuckets[column]?.claims ?? 0), 0);
    sums.push({
      total: cell(`bucket ${bucket.bucket}`, bucket.claims, sent.ageBuckets[column]?.claims ?? null),
      parts: [
        ...given.byDimension.map((each, index) =>
          cell(
            `${each.value} ${bucket.bucket}`,
            each.ageBuckets[column]?.claims ?? 0,
            sent.byDimension[index]?.ageBuckets[column]?.claims ?? null,
          ),
        ),
        ...leftOut(bucket.claims, listedInColumn),
      ],
    });
  });
  return sums.flatMap(({ total: sumTotal, parts }) => {
    // A withheld cell is unknown to the reader whatever it holds, 0 included.
    const unshown = [sumTotal, ...parts].filter((each) => !each.shown);
    return unshown.length === 1 ? unshown : [];
  });
}

const smallAndRecoverable = (given: PendedQueueResponse, sent: PendedQueueResponse): string[] =>
  recoverableCells(given, sent)
    .filter((each) => each.value >= 1 && each.value < THRESHOLD)
    .map((each) => `${each.name} = ${each.value}`);

const sent = (queue: PendedQueueResponse): PendedQueueResponse =>
  suppressSmallCells(queue, PENDED_QUEUE_CELLS, THRESHOLD) as PendedQueueResponse;

/** A small deterministic generator (mulberry32), so a failure names a queue that can be replayed. */
function randomOf(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

describe('pended-queue small cells: no withheld count comes back by subtraction', () => {
  it('withholds a value’s small age bucket so that the queue’s bucket less the other values’ cannot give it back', () => {
    // V0's 0-30 bucket (5) is small; the queue's 0-30 bucket (25) less V1's (20) would be 5.
    const given = queueOf([
      [5, 25, 0, 0],
      [20, 15, 0, 0],
    ]);
    const answer = sent(given);
    expect(answer.byDimension[0]?.ageBuckets[0]?.claims).toBeNull();
    expect(smallAndRecoverable(given, answer)).toEqual([]);
  });

  it('withholds a listed value when the values `limit` leaves out add up to a small count', () => {
    // Three payers, the two largest listed: the open claims less the two listed is the third, 5 claims.
    const given = queueOf(
      [
        [40, 0, 0, 0],
        [0, 30, 0, 0],
        [0, 0, 5, 0],
      ],
      2,
    );
    const answer = sent(given);
    expect(answer.byDimension.map((each) => each.claims)).toEqual([40, null]);
    expect(smallAndRecoverable(given, answer)).toEqual([]);
  });

  it('leaves a listed value shown when the values left out add up to a count that is not small', () => {
    const given = queueOf(
      [
        [40, 0, 0, 0],
        [0, 30, 0, 0],
        [0, 0, 12, 0],
        [0, 0, 0, 13],
      ],
      2,
    );
    expect(sent(given).byDimension.map((each) => each.claims)).toEqual([40, 30]);
  });

  it('gives no small cell back from any sum of 2,000 generated queues, listed whole or cut by `limit`', () => {
    const random = randomOf(20241207);
    const failures: string[] = [];
    for (let queue = 0; queue < 2000; queue++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
        BUCKET_LABELS.map(() => (random() < 0.35 ? 0 : Math.floor(random() * (random() < 0.5 ? 12 : 60)))),
      );
      const limit = 1 + Math.floor(random() * values.length);
      const given = queueOf(values, limit);
      const recovered = smallAndRecoverable(given, sent(given));
      if (recovered.length > 0) failures.push(`${JSON.stringify(values)} limit ${limit}: ${recovered.join(', ')}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
