/**
 * The wait between a sampler's samples, which a stop ends at once: a stop
 * must not sit out the rest of a long interval (a sampler that only wants
 * its first and last samples waits for minutes).
 */
export class SamplingPause {
  private wake: () => void = () => undefined;

  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Ends the wait under way, if any. */
  end(): void {
    this.wake();
  }
}
