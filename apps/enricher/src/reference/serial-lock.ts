/**
 * Runs tasks one after another. Judging a claim batch and applying a
 * reference batch both read and write the directory and the pended queue:
 * interleaved, a claim could be judged on the old directory and filed in the
 * queue just after the fix that would clear it looked there, and wait forever.
 */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
