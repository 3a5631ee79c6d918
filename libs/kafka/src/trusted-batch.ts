import type { RecordFailure } from './outbound-message';

/**
 * Runs a batch whose events were decoded on trust (their envelope checked,
 * the rest validated by their producer). When the run throws, every message
 * is validated in full: each one the schema refuses is handed to `setAside`
 * (which dead-letters it and returns what stands in its place, as a decode
 * failure would have) and the batch runs once more. When every message
 * validates, the error was not the data's and goes up unchanged, so the batch
 * is redelivered as for any transient trouble. The full validation is paid
 * only by a batch that failed, never by the stream.
 */
export async function runSettingAsideInvalid<Message, Result>(
  messages: readonly Message[],
  steps: {
    run: (messages: readonly Message[]) => Promise<Result>;
    /** The full validation of a message decoded on trust; null when valid or already handled. */
    invalidReason: (message: Message) => RecordFailure | null;
    setAside: (message: Message, failure: RecordFailure) => Promise<Message> | Message;
  },
): Promise<Result> {
  try {
    return await steps.run(messages);
  } catch (error) {
    let setAside = 0;
    const revised: Message[] = [];
    for (const message of messages) {
      const failure = steps.invalidReason(message);
      if (failure === null) revised.push(message);
      else {
        revised.push(await steps.setAside(message, failure));
        setAside += 1;
      }
    }
    if (setAside === 0) throw error;
    return steps.run(revised);
  }
}
