/**
 * Folds a partition's messages; when Postgres refuses the data of the batch
 * (a value it cannot store), halves the batch until the one record at fault
 * is found, hands that record to `refuse` (which dead-letters it) and folds
 * everything else. Any other error is transient and goes up unchanged, so the
 * whole batch is retried. A batch of n messages with one bad record costs
 * about 2·log2(n) extra transactions, paid only when a record is refused.
 */
export async function foldIsolatingRefusedRecords<Message, Outcome>(
  messages: readonly Message[],
  steps: {
    fold: (messages: readonly Message[]) => Promise<Outcome>;
    /** Dead-letters the refused message and returns it marked, to be folded as handled. */
    refuse: (message: Message, error: unknown) => Promise<Message>;
    /** The message reduced to its offset, for when even its handled mark is refused. */
    offsetOnly: (message: Message) => Message;
    isRefusedData: (error: unknown) => boolean;
  },
): Promise<Outcome[]> {
  try {
    return [await steps.fold(messages)];
  } catch (error) {
    if (!steps.isRefusedData(error)) throw error;
    const [only] = messages;
    if (messages.length === 1 && only !== undefined) {
      const refused = await steps.refuse(only, error);
      try {
        return [await steps.fold([refused])];
      } catch (markError) {
        if (!steps.isRefusedData(markError)) throw markError;
        return [await steps.fold([steps.offsetOnly(refused)])];
      }
    }
    const middle = Math.ceil(messages.length / 2);
    const first = await foldIsolatingRefusedRecords(messages.slice(0, middle), steps);
    const second = await foldIsolatingRefusedRecords(messages.slice(middle), steps);
    return [...first, ...second];
  }
}
