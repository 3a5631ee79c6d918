/**
 * Runs a batch's messages through a step that writes to Postgres (the fold,
 * the enricher's pend index); when Postgres refuses the data of the batch (a
 * value it cannot store), halves the batch until the one record at fault is
 * found, hands that record to `refuse` (which dead-letters it or marks it to
 * be) and runs everything else. Any other error is transient and goes up
 * unchanged, so the whole batch is retried. A batch of n messages with one
 * bad record costs about 2·log2(n) extra runs, paid only when a record is
 * refused. The outcomes come back one per run, in message order.
 */
export async function runIsolatingRefusedRecords<Message, Outcome>(
  messages: readonly Message[],
  steps: {
    run: (messages: readonly Message[]) => Promise<Outcome>;
    /** Dead-letters the refused message (or marks it to be) and returns it marked, to be run as handled. */
    refuse: (message: Message, error: unknown) => Promise<Message>;
    /** The message reduced to its offset, for when even its handled mark is refused. */
    offsetOnly: (message: Message) => Message;
    isRefusedData: (error: unknown) => boolean;
  },
): Promise<Outcome[]> {
  try {
    return [await steps.run(messages)];
  } catch (error) {
    if (!steps.isRefusedData(error)) throw error;
    const [only] = messages;
    if (messages.length === 1 && only !== undefined) {
      const refused = await steps.refuse(only, error);
      try {
        return [await steps.run([refused])];
      } catch (markError) {
        if (!steps.isRefusedData(markError)) throw markError;
        return [await steps.run([steps.offsetOnly(refused)])];
      }
    }
    const middle = Math.ceil(messages.length / 2);
    const first = await runIsolatingRefusedRecords(messages.slice(0, middle), steps);
    const second = await runIsolatingRefusedRecords(messages.slice(middle), steps);
    return [...first, ...second];
  }
}
