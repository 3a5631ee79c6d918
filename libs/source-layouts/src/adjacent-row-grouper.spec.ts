import { AdjacentRowGrouper, type GroupRow, type RowGroup } from './adjacent-row-grouper';

const row = (recordNumber: number, text = `row ${recordNumber}`): GroupRow => ({
  text,
  recordNumber,
  byteLength: Buffer.byteLength(text),
  recordKey: null,
});
const numbers = (groups: RowGroup[]): Array<[string, number[]]> =>
  groups.map((group) => [group.kind, group.rows.map((entry) => entry.recordNumber)]);

describe('AdjacentRowGrouper', () => {
  it('makes one group of adjacent rows with the same key, closed by the next key', () => {
    const grouper = new AdjacentRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    expect(grouper.add(row(1), 'A')).toEqual([]);
    expect(grouper.add(row(2), 'A')).toEqual([]);
    expect(numbers(grouper.add(row(3), 'B'))).toEqual([['claim', [1, 2]]]);
    expect(numbers(grouper.flush())).toEqual([['claim', [3]]]);
  });

  it('keeps rows with the same key that are not adjacent in separate groups', () => {
    const grouper = new AdjacentRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    const groups = [...grouper.add(row(1), 'A'), ...grouper.add(row(2), 'B'), ...grouper.add(row(3), 'A')];
    expect(numbers([...groups, ...grouper.flush()])).toEqual([
      ['claim', [1]],
      ['claim', [2]],
      ['claim', [3]],
    ]);
  });

  it('sends a row without a readable key on alone, after the group before it', () => {
    const grouper = new AdjacentRowGrouper({ maxRows: 10, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    expect(numbers(grouper.add(row(2), null))).toEqual([
      ['claim', [1]],
      ['claim', [2]],
    ]);
  });

  it('hands back every row of a claim past the row limit, held and later, as over the limit', () => {
    const grouper = new AdjacentRowGrouper({ maxRows: 2, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    grouper.add(row(2), 'A');
    expect(numbers(grouper.add(row(3), 'A'))).toEqual([['over_limit', [1, 2, 3]]]);
    expect(numbers(grouper.add(row(4), 'A'))).toEqual([['over_limit', [4]]]);
    expect(grouper.add(row(5), 'B')).toEqual([]);
    expect(numbers(grouper.flush())).toEqual([['claim', [5]]]);
  });

  it('holds no more than the byte limit: a claim whose joined rows would pass it is over the limit', () => {
    const grouper = new AdjacentRowGrouper({ maxRows: 1000, maxBytes: 25 });
    grouper.add(row(1, 'x'.repeat(13)), 'A');
    expect(numbers(grouper.add(row(2, 'y'.repeat(12)), 'A'))).toEqual([['over_limit', [1, 2]]]);
  });

  it('keeps a claim over the limit so across a flush: its later rows are not published as a part of it', () => {
    const grouper = new AdjacentRowGrouper({ maxRows: 1, maxBytes: 10_000 });
    grouper.add(row(1), 'A');
    grouper.add(row(2), 'A');
    expect(grouper.flush()).toEqual([]);
    expect(numbers(grouper.add(row(4), 'A'))).toEqual([['over_limit', [4]]]);
  });
});
