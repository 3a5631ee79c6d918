import { ClaimRowGrouper, type GroupRow, type RowGroup } from './claim-row-grouper';

const row = (recordNumber: number, text = `row ${recordNumber}`): GroupRow => ({
  text,
  recordNumber,
  byteLength: Buffer.byteLength(text),
  recordKey: null,
});
const numbers = (groups: RowGroup[]): Array<[string, number[]]> =>
  groups.map((group) => [group.kind, group.rows.map((entry) => entry.recordNumber)]);

describe('ClaimRowGrouper, adjacent rows only (no block key)', () => {
  it('makes one group of adjacent rows with the same key, closed by the next key', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    expect(grouper.add(row(1), 'A')).toEqual([]);
    expect(grouper.add(row(2), 'A')).toEqual([]);
    expect(numbers(grouper.add(row(3), 'B'))).toEqual([['claim', [1, 2]]]);
    expect(numbers(grouper.flush())).toEqual([['claim', [3]]]);
  });

  it('keeps rows with the same key that are not adjacent in separate groups', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    const groups = [...grouper.add(row(1), 'A'), ...grouper.add(row(2), 'B'), ...grouper.add(row(3), 'A')];
    expect(numbers([...groups, ...grouper.flush()])).toEqual([
      ['claim', [1]],
      ['claim', [2]],
      ['claim', [3]],
    ]);
  });

  it('sends a row without a readable key on alone, and its neighbours’ claim on both sides of it as one group', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    expect(numbers(grouper.add(row(2), null))).toEqual([['claim', [2]]]);
    expect(grouper.add(row(3), 'A')).toEqual([]);
    expect(numbers(grouper.add(row(4), 'B'))).toEqual([['claim', [1, 3]]]);
  });

  it('keeps a claim over the limit so past a row without a readable key: its later rows are not published as a part of it', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 2, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    grouper.add(row(2), 'A');
    expect(numbers(grouper.add(row(3), 'A'))).toEqual([['over_limit', [1, 2, 3]]]);
    expect(numbers(grouper.add(row(4), null))).toEqual([['claim', [4]]]);
    expect(numbers(grouper.add(row(5), 'A'))).toEqual([['over_limit', [5]]]);
    expect(grouper.flush()).toEqual([]);
  });

  it('hands back every row of a claim past the row limit, held and later, as over the limit', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 2, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    grouper.add(row(2), 'A');
    expect(numbers(grouper.add(row(3), 'A'))).toEqual([['over_limit', [1, 2, 3]]]);
    expect(numbers(grouper.add(row(4), 'A'))).toEqual([['over_limit', [4]]]);
    expect(grouper.add(row(5), 'B')).toEqual([]);
    expect(numbers(grouper.flush())).toEqual([['claim', [5]]]);
  });

  it('holds no more than the byte limit: a claim whose joined rows would pass it is over the limit', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 1000, maxBytes: 25 });
    grouper.add(row(1, 'x'.repeat(13)), 'A');
    expect(numbers(grouper.add(row(2, 'y'.repeat(12)), 'A'))).toEqual([['over_limit', [1, 2]]]);
  });

  it('keeps a claim over the limit so across a flush: its later rows are not published as a part of it', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 1, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    grouper.add(row(2), 'A');
    expect(grouper.flush()).toEqual([]);
    expect(numbers(grouper.add(row(4), 'A'))).toEqual([['over_limit', [4]]]);
  });
});

describe("ClaimRowGrouper within a block (a member's rows)", () => {
  it("gathers a claim's rows that sit apart in the block into one group, claims in the order of their first rows", () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    const added = [
      ...grouper.add(row(11), 'X', 'M'),
      ...grouper.add(row(12), 'Y', 'M'),
      ...grouper.add(row(13), 'X', 'M'),
      ...grouper.add(row(14), 'Z', 'N'),
    ];
    expect(numbers(added)).toEqual([
      ['claim', [11, 13]],
      ['claim', [12]],
    ]);
    expect(numbers(grouper.flush())).toEqual([['claim', [14]]]);
  });

  it('keeps the same claim key in two blocks apart: a block holds its claims together, never across blocks', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    const added = [
      ...grouper.add(row(1), 'X', 'M'),
      ...grouper.add(row(2), 'Y', 'N'),
      ...grouper.add(row(3), 'X', 'M'),
    ];
    expect(numbers([...added, ...grouper.flush()])).toEqual([
      ['claim', [1]],
      ['claim', [2]],
      ['claim', [3]],
    ]);
  });

  it("keeps a row without a readable block key in the open block, with its claim's other rows", () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 }, { refuseRepeatedRows: true });
    const added = [
      ...grouper.add(row(1), 'X', 'M'),
      ...grouper.add(row(2, 'segment 2'), 'Y', null),
      ...grouper.add(row(3), 'Z', 'M'),
      ...grouper.add(row(4, 'segment 1'), 'Y', 'M'),
      ...grouper.add(row(5), 'X', 'M'),
    ];
    expect(added).toEqual([]);
    expect(numbers(grouper.flush())).toEqual([
      ['claim', [1, 5]],
      ['claim', [2, 4]],
      ['claim', [3]],
    ]);
  });

  it('gathers rows without a readable block key into a block of their own when none is open, ended by the next key', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    const added = [
      ...grouper.add(row(1), 'X', null),
      ...grouper.add(row(2), 'Y', null),
      ...grouper.add(row(3), 'X', null),
      ...grouper.add(row(4), 'Z', 'M'),
    ];
    expect(numbers(added)).toEqual([
      ['claim', [1, 3]],
      ['claim', [2]],
    ]);
    expect(numbers(grouper.flush())).toEqual([['claim', [4]]]);
  });

  it('sends a row with neither a claim key nor a block key on alone, the open block going on past it', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 }, { refuseRepeatedRows: true });
    grouper.add(row(1, 'segment 1'), 'X', 'M');
    expect(grouper.add(row(2), null, null)).toEqual([{ kind: 'claim', key: null, rows: [row(2)] }]);
    expect(grouper.add(row(3, 'segment 2'), 'X', 'M')).toEqual([]);
    expect(numbers(grouper.flush())).toEqual([['claim', [1, 3]]]);
  });

  it("hands back a claim past the row limit with the rest of its block's rows, and holds its neighbours", () => {
    const grouper = new ClaimRowGrouper({ maxRows: 2, maxBytes: 10_000 });
    grouper.add(row(1), 'X', 'M');
    grouper.add(row(2), 'Y', 'M');
    grouper.add(row(3), 'X', 'M');
    expect(numbers(grouper.add(row(4), 'X', 'M'))).toEqual([['over_limit', [1, 3, 4]]]);
    expect(numbers(grouper.add(row(5), 'X', 'M'))).toEqual([['over_limit', [5]]]);
    expect(grouper.add(row(6), 'Y', 'M')).toEqual([]);
    expect(numbers(grouper.add(row(7), 'X', 'N'))).toEqual([['claim', [2, 6]]]);
    expect(numbers(grouper.flush())).toEqual([['claim', [7]]]);
  });

  it('lets a block past its own row limit go on as it stands and starts a new one, so memory stays bounded', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000, maxBlockRows: 3 });
    const added = [
      ...grouper.add(row(1), 'X', 'M'),
      ...grouper.add(row(2), 'Y', 'M'),
      ...grouper.add(row(3), 'Z', 'M'),
      ...grouper.add(row(4), 'X', 'M'),
    ];
    expect(numbers(added)).toEqual([
      ['claim', [1]],
      ['claim', [2]],
      ['claim', [3]],
    ]);
    expect(numbers(grouper.flush())).toEqual([['claim', [4]]]);
  });

  it('lets a block past its byte limit go on before the row that would pass it', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000, maxBlockBytes: 20 });
    grouper.add(row(1, 'x'.repeat(12)), 'X', 'M');
    expect(numbers(grouper.add(row(2, 'y'.repeat(9)), 'Y', 'M'))).toEqual([['claim', [1]]]);
    expect(numbers(grouper.flush())).toEqual([['claim', [2]]]);
  });

  it('hands back a row that repeats one its claim holds, byte for byte, naming the row it repeats, when asked to', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 }, { refuseRepeatedRows: true });
    grouper.add(row(1, 'segment 1'), 'X', 'M');
    grouper.add(row(2, 'segment 2'), 'X', 'M');
    expect(grouper.add(row(3, 'segment 1'), 'X', 'M')).toEqual([
      { kind: 'repeated_row', key: 'X', rows: [row(3, 'segment 1')], repeats: 1 },
    ]);
    expect(numbers(grouper.flush())).toEqual([['claim', [1, 2]]]);
  });

  it('joins a repeated row to its claim as any row when not asked to refuse it (two identical billed lines)', () => {
    const grouper = new ClaimRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    grouper.add(row(1, 'line'), 'X');
    grouper.add(row(2, 'line'), 'X');
    expect(numbers(grouper.flush())).toEqual([['claim', [1, 2]]]);
  });
});
