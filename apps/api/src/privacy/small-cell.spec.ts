import { isSmallCell, suppressSmallCells, type SmallCellSpec } from './small-cell';

interface Row {
  value: string;
  claims: number;
  amountCents: number;
  averageAgeDays: number | null;
  buckets: Array<{ bucket: string; claims: number; amountCents: number }>;
}
interface Answer {
  open: { claims: number; amountCents: number };
  averageAgeDays: number | null;
  rows: Row[];
}

const BUCKETS: SmallCellSpec<Answer['rows'][number]['buckets'][number]> = {
  cells: [{ count: 'claims', with: ['amountCents'] }],
};
const SPEC: SmallCellSpec<Answer> = {
  cells: [{ count: 'open.claims', with: ['open.amountCents', 'averageAgeDays', 'rows'] }],
  nested: {
    rows: {
      cells: [{ count: 'claims', with: ['amountCents', 'averageAgeDays', 'buckets'] }],
      nested: { buckets: BUCKETS },
    },
  },
};

const row = (value: string, claims: number, buckets: Row['buckets'] = []): Row => ({
  value,
  claims,
  amountCents: claims * 100,
  averageAgeDays: 3,
  buckets,
});
const answer = (rows: Row[]): Answer => ({
  open: {
    claims: rows.reduce((sum, each) => sum + each.claims, 0),
    amountCents: rows.reduce((sum, each) => sum + each.amountCents, 0),
  },
  averageAgeDays: 4,
  rows,
});

describe('small-cell suppression', () => {
  it('counts 1 to threshold−1 as a small cell: 0 is no cell, 10 is small, 11 is not (threshold 11)', () => {
    expect([0, 1, 10, 11, 12].map((count) => isSmallCell(count, 11))).toEqual([false, true, true, false, false]);
    expect(isSmallCell(null, 11)).toBe(false);
  });

  it('withholds a 1- and a 10-claim cell with their dollars and derived figures, and shows 0 and 11', () => {
    const suppressed = suppressSmallCells(
      answer([row('zero', 0), row('one', 1), row('ten', 10), row('eleven', 11), row('big', 40)]),
      SPEC,
      11,
    );
    const [zero, one, ten, eleven, big] = suppressed.rows;
    expect(zero).toEqual(row('zero', 0));
    expect(one).toMatchObject({
      claims: null,
      amountCents: null,
      averageAgeDays: null,
      suppressed: ['amountCents', 'averageAgeDays', 'claims'],
    });
    expect(ten).toMatchObject({
      claims: null,
      amountCents: null,
      suppressed: ['amountCents', 'averageAgeDays', 'claims'],
    });
    expect(eleven).toEqual(row('eleven', 11));
    expect(big).toEqual(row('big', 40));
    // The labels stay: a reader sees which cell is withheld, never its figures.
    expect(suppressed.rows.map((each) => each.value)).toEqual(['zero', 'one', 'ten', 'eleven', 'big']);
    expect(suppressed.open).toEqual({ claims: 62, amountCents: 6200 });
  });

  it('withholds a total that is itself small, with everything derived from it and every row under it', () => {
    const suppressed = suppressSmallCells(answer([row('a', 3), row('b', 2)]), SPEC, 11);
    expect(suppressed).toMatchObject({
      open: { claims: null, amountCents: null },
      averageAgeDays: null,
      suppressed: ['averageAgeDays', 'open.amountCents', 'open.claims'],
    });
    expect(suppressed.rows.map((each) => [each.value, each.claims, each.amountCents])).toEqual([
      ['a', null, null],
      ['b', null, null],
    ]);
  });

  it('withholds the next smallest cell when exactly one cell of a breakdown is withheld (secondary suppression)', () => {
    const suppressed = suppressSmallCells(answer([row('a', 50), row('b', 4), row('c', 30), row('d', 12)]), SPEC, 11);
    expect(suppressed.rows.map((each) => each.claims)).toEqual([50, null, 30, null]);
    expect(suppressed.rows[3]).toMatchObject({
      amountCents: null,
      suppressed: ['amountCents', 'averageAgeDays', 'claims'],
    });
    // The total stays: two withheld cells cannot be told apart from it (16 = 4 + 12 = 5 + 11 = ...).
    expect(suppressed.open.claims).toBe(96);
  });

  it('adds no secondary cell when two are withheld already, or when the rule adds up to nothing', () => {
    const two = suppressSmallCells(answer([row('a', 50), row('b', 4), row('c', 5), row('d', 12)]), SPEC, 11);
    expect(two.rows.map((each) => each.claims)).toEqual([50, null, null, 12]);
    const topList: SmallCellSpec<{ rows: Row[] }> = {
      nested: { rows: { cells: [{ count: 'claims', with: ['amountCents'], additive: false }] } },
    };
    const top = suppressSmallCells({ rows: [row('a', 50), row('b', 4), row('d', 12)] }, topList, 11);
    expect(top.rows.map((each) => each.claims)).toEqual([50, null, 12]);
  });

  it('withholds a nested breakdown whole inside a withheld row, and on its own rule inside a shown one', () => {
    const suppressed = suppressSmallCells(
      answer([
        row('shown', 40, [
          { bucket: '0-30', claims: 33, amountCents: 1 },
          { bucket: '31-60', claims: 7, amountCents: 2 },
        ]),
        row('withheld', 5, [{ bucket: '0-30', claims: 5, amountCents: 3 }]),
        row('other', 20),
      ]),
      SPEC,
      11,
    );
    const [shown, withheld, other] = suppressed.rows;
    // The one withheld row takes the next smallest (20) with it; the 40-claim row is shown.
    expect([shown?.claims, withheld?.claims, other?.claims]).toEqual([40, null, null]);
    // 7 is small; 33 is then the only other cell of the row's buckets and goes too (40 − 7 = 33 otherwise).
    expect(shown?.buckets).toEqual([
      { bucket: '0-30', claims: null, amountCents: null, suppressed: ['amountCents', 'claims'] },
      { bucket: '31-60', claims: null, amountCents: null, suppressed: ['amountCents', 'claims'] },
    ]);
    expect(withheld?.buckets).toEqual([
      { bucket: '0-30', claims: null, amountCents: null, suppressed: ['amountCents', 'claims'] },
    ]);
  });

  it('withholds the dollars of a complement cell (claims not denied) but keeps the larger count', () => {
    interface Rate {
      adjudicated: number;
      denied: number;
      deniedAmountCents: number;
      rate: number | null;
    }
    const spec: SmallCellSpec<Rate> = {
      cells: [
        { count: 'adjudicated', with: ['denied', 'deniedAmountCents', 'rate'] },
        { count: 'denied', with: ['deniedAmountCents', 'rate'] },
        { count: 'adjudicated', minus: 'denied', with: ['denied', 'deniedAmountCents', 'rate'] },
      ],
    };
    expect(suppressSmallCells({ adjudicated: 40, denied: 38, deniedAmountCents: 9, rate: 0.95 }, spec, 11)).toEqual({
      adjudicated: 40,
      denied: null,
      deniedAmountCents: null,
      rate: null,
      suppressed: ['denied', 'deniedAmountCents', 'rate'],
    });
    expect(suppressSmallCells({ adjudicated: 40, denied: 20, deniedAmountCents: 9, rate: 0.5 }, spec, 11)).toEqual({
      adjudicated: 40,
      denied: 20,
      deniedAmountCents: 9,
      rate: 0.5,
    });
  });

  it('withholds the small entries of a code → count map, with the next smallest when only one is small', () => {
    const spec: SmallCellSpec<{ lines: number; byCode: Record<string, number> }> = { countMaps: ['byCode'] };
    expect(suppressSmallCells({ lines: 80, byCode: { A: 50, B: 3, C: 27 } }, spec, 11)).toEqual({
      lines: 80,
      byCode: { A: 50, B: null, C: null },
      suppressed: ['byCode.B', 'byCode.C'],
    });
  });

  it('reads counts written as decimal strings (the verification route)', () => {
    const spec: SmallCellSpec<{ streamed: string; batch: string }> = {
      cells: [
        { count: 'streamed', with: ['batch'], additive: false },
        { count: 'batch', with: ['streamed'], additive: false },
      ],
    };
    expect(suppressSmallCells({ streamed: '3', batch: '40' }, spec, 11)).toEqual({
      streamed: null,
      batch: null,
      suppressed: ['batch', 'streamed'],
    });
  });

  it('withholds nothing with a threshold of 0 or 1, and never changes the answer it is given', () => {
    const given = answer([row('a', 1), row('b', 40)]);
    const copy = structuredClone(given);
    expect(suppressSmallCells(given, SPEC, 0)).toEqual(copy);
    expect(suppressSmallCells(given, SPEC, 1)).toEqual(copy);
    expect(suppressSmallCells(given, SPEC, 2).rows[0]?.claims).toBeNull();
    expect(given).toEqual(copy);
  });
});
