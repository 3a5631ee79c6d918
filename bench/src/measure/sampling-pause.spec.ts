import { SamplingPause } from './sampling-pause';

describe('SamplingPause', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  async function settled(promise: Promise<void>): Promise<boolean> {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    return done;
  }

  it('ends a long wait at once when ended, so a sampler stops without sitting out its interval', async () => {
    const pause = new SamplingPause();
    const waiting = pause.wait(60_000);
    pause.end();
    expect(await settled(waiting)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits out the interval when nobody ends it', async () => {
    const pause = new SamplingPause();
    const waiting = pause.wait(500);
    await jest.advanceTimersByTimeAsync(499);
    expect(await settled(waiting)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
  });
});
