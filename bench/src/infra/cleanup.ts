/**
 * What the run must undo (stop services and workers, delete topics, drop
 * databases), run last-in first-out at the end of a phase, on failure, and on
 * Ctrl-C, so an interrupted benchmark leaves nothing running behind it.
 */
export class CleanupStack {
  private readonly steps: Array<{ description: string; undo: () => Promise<void> }> = [];

  push(description: string, undo: () => Promise<void>): void {
    this.steps.push({ description, undo });
  }

  /** Runs the steps pushed after `mark` (a length from `depth()`), newest first; one failing step does not stop the others. */
  async unwindTo(mark: number, onError: (description: string, error: unknown) => void): Promise<void> {
    while (this.steps.length > mark) {
      const step = this.steps.pop();
      if (!step) break;
      try {
        await step.undo();
      } catch (error) {
        onError(step.description, error);
      }
    }
  }

  depth(): number {
    return this.steps.length;
  }
}
