import type { RecordFailure } from './outbound-message';

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

/** How a transform stage's store refuses a record's data, and the dead letter such a record gets. */
export interface RefusedRecords {
  isRefusedData: (error: unknown) => boolean;
  /** The dead letter of the record whose data was refused, e.g. ENRICH_REFUSED with the SQLSTATE. */
  failure: (error: unknown) => RecordFailure;
}

/**
 * runIsolatingRefusedRecords for a transform that maps a batch to one
 * outcome per message: the record at fault becomes a dead-letter outcome in
 * its place (the transform never sees it again) and every other record is
 * transformed, the outcomes in message order.
 */
export async function transformIsolatingRefusedRecords<Message, Outcome>(
  messages: readonly Message[],
  transform: (messages: Message[]) => Promise<Outcome[]>,
  refused: RefusedRecords,
  deadLetterOutcome: (failure: RecordFailure) => Outcome,
): Promise<Outcome[]> {
  const runs = await runIsolatingRefusedRecords<{ message: Message; refusal: RecordFailure | null }, Outcome[]>(
    messages.map((message) => ({ message, refusal: null })),
    {
      run: async (part) => {
        const [only] = part;
        if (part.length === 1 && only?.refusal) return [deadLetterOutcome(only.refusal)];
        return transform(part.map(({ message }) => message));
      },
      isRefusedData: refused.isRefusedData,
      refuse: async (marked, error) => ({ ...marked, refusal: refused.failure(error) }),
      // A marked message is never transformed, so nothing of it can be refused again.
      offsetOnly: (marked) => marked,
    },
  );
  return runs.flat();
}
