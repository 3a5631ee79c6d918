import { DeferredCommits } from './deferred-commits';

describe('DeferredCommits', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  const commit = jest.fn(async () => undefined);
  const recorder = (due: () => void = () => undefined) => {
    const sent: Array<Array<{ partition: number; offset: string }>> = [];
    const commits = new DeferredCommits(
      200,
      async (_commit, partitions) => {
        sent.push(partitions);
      },
      due,
    );
    return { sent, commits };
  };

  it('finds the first commit due at once, then none until the interval has passed', async () => {
    const { sent, commits } = recorder();
    expect(commits.isDue()).toBe(true);
    commits.add(commit, [{ partition: 0, offset: '10' }]);
    await commits.flush();
    expect(sent).toEqual([[{ partition: 0, offset: '10' }]]);
    commits.add(commit, [{ partition: 0, offset: '20' }]);
    expect(commits.isDue()).toBe(false);
    jest.advanceTimersByTime(200);
    expect(commits.isDue()).toBe(true);
  });

  it('commits the latest offset of each partition handled in between, in one request, when it falls due', async () => {
    const due = jest.fn();
    const { sent, commits } = recorder(due);
    commits.add(commit, [{ partition: 0, offset: '10' }]);
    await commits.flush();
    commits.add(commit, [
      { partition: 0, offset: '20' },
      { partition: 1, offset: '5' },
    ]);
    commits.add(commit, [{ partition: 0, offset: '30' }]);
    // An older offset never replaces a newer one.
    commits.add(commit, [{ partition: 1, offset: '3' }]);
    jest.advanceTimersByTime(199);
    expect(due).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(due).toHaveBeenCalledTimes(1);
    await commits.flush();
    expect(sent[1]).toEqual([
      { partition: 0, offset: '30' },
      { partition: 1, offset: '5' },
    ]);
    await commits.flush();
    expect(sent).toHaveLength(2);
  });

  it('puts back what a failed request carried, unless a later offset came meanwhile', async () => {
    let fail = true;
    const sent: string[] = [];
    const commits = new DeferredCommits(
      200,
      async (_commit, partitions) => {
        if (fail) throw new Error('broker gone');
        sent.push(partitions.map(({ partition, offset }) => `${partition}:${offset}`).join(' '));
      },
      () => undefined,
    );
    commits.add(commit, [
      { partition: 0, offset: '10' },
      { partition: 1, offset: '4' },
    ]);
    const failing = commits.flush();
    commits.add(commit, [{ partition: 1, offset: '8' }]);
    await expect(failing).rejects.toThrow('broker gone');
    fail = false;
    await commits.flush();
    expect(sent).toEqual(['1:8 0:10']);
  });

  it("leaves a rebalance's lost partitions to their new owner, and everything to the successor of a rebuilt consumer", async () => {
    const due = jest.fn();
    const { sent, commits } = recorder(due);
    commits.add(commit, [
      { partition: 0, offset: '10' },
      { partition: 1, offset: '4' },
      { partition: 2, offset: '7' },
    ]);
    commits.keepOnly([0, 2]);
    await commits.flush();
    expect(sent).toEqual([
      [
        { partition: 0, offset: '10' },
        { partition: 2, offset: '7' },
      ],
    ]);
    commits.add(commit, [{ partition: 0, offset: '11' }]);
    commits.discard();
    jest.advanceTimersByTime(1_000);
    await commits.flush();
    expect(due).not.toHaveBeenCalled();
    expect(sent).toHaveLength(1);
  });

  it('with an interval of 0, finds every commit due', async () => {
    const sent: number[] = [];
    const commits = new DeferredCommits(
      0,
      async (_commit, partitions) => {
        sent.push(partitions.length);
      },
      () => undefined,
    );
    commits.add(commit, [{ partition: 0, offset: '1' }]);
    expect(commits.isDue()).toBe(true);
    await commits.flush();
    commits.add(commit, [{ partition: 0, offset: '2' }]);
    expect(commits.isDue()).toBe(true);
  });
});
