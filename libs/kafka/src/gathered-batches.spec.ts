import type { KafkaMessage } from 'kafkajs';
import { BoundedLanes, groupWithinBytes, messageBytes } from './gathered-batches';

const sized = (bytes: number[]) => bytes.map((size, index) => ({ name: `p${index}`, size }));
const names = (groups: Array<Array<{ name: string }>>) => groups.map((group) => group.map((item) => item.name));

describe('grouping a fetch’s partition batches within a byte budget', () => {
  it('puts small batches together in one group, in their order', () => {
    expect(names(groupWithinBytes(sized([100, 200, 300]), (item) => item.size, 1_000))).toEqual([['p0', 'p1', 'p2']]);
  });

  it('starts a new group where the next batch would take the group past the budget', () => {
    expect(names(groupWithinBytes(sized([400, 500, 200, 900]), (item) => item.size, 1_000))).toEqual([
      ['p0', 'p1'],
      ['p2'],
      ['p3'],
    ]);
  });

  it('keeps a batch over the budget alone rather than splitting it: a backlog’s full fetches go one by one', () => {
    expect(names(groupWithinBytes(sized([5_000, 100, 6_000]), (item) => item.size, 1_000))).toEqual([
      ['p0'],
      ['p1'],
      ['p2'],
    ]);
  });

  it('fills a group to exactly the budget', () => {
    expect(names(groupWithinBytes(sized([500, 500, 1]), (item) => item.size, 1_000))).toEqual([['p0', 'p1'], ['p2']]);
  });

  it('makes no group of nothing', () => {
    expect(groupWithinBytes([], () => 0, 1_000)).toEqual([]);
  });
});

describe('the bytes of a batch', () => {
  it('counts keys and values, and nothing for a tombstone or a keyless record', () => {
    const messages = [
      { key: Buffer.from('claim-1'), value: Buffer.from('0123456789') },
      { key: null, value: Buffer.from('abc') },
      { key: Buffer.from('k'), value: null },
    ] as unknown as KafkaMessage[];
    expect(messageBytes(messages)).toBe(7 + 10 + 3 + 1);
  });
});

describe('bounded lanes', () => {
  /** A run whose items finish only when the test says so, recording what is running. */
  function controlledRun() {
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const run = (item: string) =>
      new Promise<void>((resolve) => {
        started.push(item);
        finishers.set(item, resolve);
      });
    const finish = async (item: string) => {
      finishers.get(item)?.();
      // Lets the lane take its next item.
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { started, run, finish };
  }

  it('runs at most its limit at a time, in the order pushed', async () => {
    const { started, run, finish } = controlledRun();
    const lanes = new BoundedLanes(2, run);
    lanes.push('a', 'b', 'c');
    expect(started).toEqual(['a', 'b']);
    await finish('b');
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('shares the limit between pushes: a later push waits for a free lane', async () => {
    const { started, run, finish } = controlledRun();
    const lanes = new BoundedLanes(1, run);
    lanes.push('first fetch');
    lanes.push('second fetch');
    expect(started).toEqual(['first fetch']);
    await finish('first fetch');
    expect(started).toEqual(['first fetch', 'second fetch']);
  });

  it('takes new items after every lane went idle', async () => {
    const { started, run, finish } = controlledRun();
    const lanes = new BoundedLanes(2, run);
    lanes.push('a');
    await finish('a');
    lanes.push('b', 'c', 'd');
    expect(started).toEqual(['a', 'b', 'c']);
  });
});
