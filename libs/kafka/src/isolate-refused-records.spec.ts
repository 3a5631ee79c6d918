import { runIsolatingRefusedRecords, transformIsolatingRefusedRecords } from './isolate-refused-records';

interface Message {
  offset: number;
  bad: boolean;
  refused?: boolean;
  offsetOnly?: boolean;
}

const refusedData = Object.assign(new Error('date/time field value out of range'), { code: '22008' });
const isRefusedData = (error: unknown) => error === refusedData;

function harness(options: { markRefusedToo?: boolean } = {}) {
  const folded: number[][] = [];
  const refused: number[] = [];
  const steps = {
    run: async (messages: readonly Message[]) => {
      const poison = messages.some(
        (message) => message.bad && !message.offsetOnly && (!message.refused || options.markRefusedToo),
      );
      if (poison) throw refusedData;
      folded.push(messages.map((message) => message.offset));
      return messages.length;
    },
    refuse: async (message: Message) => {
      refused.push(message.offset);
      return { ...message, refused: true };
    },
    offsetOnly: (message: Message) => ({ ...message, offsetOnly: true }),
    isRefusedData,
  };
  return { folded, refused, steps };
}

const messages = (count: number, badOffsets: number[]): Message[] =>
  Array.from({ length: count }, (_, offset) => ({ offset, bad: badOffsets.includes(offset) }));

describe('runIsolatingRefusedRecords', () => {
  it('folds a clean batch in one step', async () => {
    const { folded, refused, steps } = harness();
    await runIsolatingRefusedRecords(messages(8, []), steps);
    expect(folded).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
    expect(refused).toEqual([]);
  });

  it('hands over only the refused record and folds every other one, in offset order', async () => {
    const { folded, refused, steps } = harness();
    await runIsolatingRefusedRecords(messages(8, [5]), steps);
    expect(refused).toEqual([5]);
    expect(folded.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('finds two refused records in one batch', async () => {
    const { refused, steps } = harness();
    await runIsolatingRefusedRecords(messages(7, [0, 6]), steps);
    expect(refused).toEqual([0, 6]);
  });

  it('advances past a record whose handled mark is refused too, by its offset alone', async () => {
    const { folded, refused, steps } = harness({ markRefusedToo: true });
    await runIsolatingRefusedRecords(messages(3, [1]), steps);
    expect(refused).toEqual([1]);
    expect(folded.flat()).toEqual([0, 1, 2]);
  });

  it('lets a transient error go up unchanged, so the whole batch is retried', async () => {
    const outage = Object.assign(new Error('connection terminated'), { code: '57P01' });
    const { steps } = harness();
    await expect(
      runIsolatingRefusedRecords(messages(4, []), {
        ...steps,
        run: async () => {
          throw outage;
        },
      }),
    ).rejects.toBe(outage);
  });
});

describe('transformIsolatingRefusedRecords', () => {
  const refusedRecords = {
    isRefusedData,
    failure: (error: unknown) => ({ code: 'ENRICH_REFUSED', reason: `refused (${(error as { code: string }).code})` }),
  };
  const deadLetterOutcome = (failure: { code: string; reason: string }) => `dead letter ${failure.code}`;

  it('transforms a clean batch in one call, one outcome per message', async () => {
    const calls: number[][] = [];
    const outcomes = await transformIsolatingRefusedRecords(
      messages(4, []),
      async (part) => {
        calls.push(part.map((message) => message.offset));
        return part.map((message) => `emit ${message.offset}`);
      },
      refusedRecords,
      deadLetterOutcome,
    );
    expect(calls).toEqual([[0, 1, 2, 3]]);
    expect(outcomes).toEqual(['emit 0', 'emit 1', 'emit 2', 'emit 3']);
  });

  it('puts a dead letter in place of the refused record, never transforms it again, and keeps message order', async () => {
    const transformed: number[] = [];
    const outcomes = await transformIsolatingRefusedRecords(
      messages(6, [2, 5]),
      async (part) => {
        if (part.some((message) => message.bad)) throw refusedData;
        transformed.push(...part.map((message) => message.offset));
        return part.map((message) => `emit ${message.offset}`);
      },
      refusedRecords,
      deadLetterOutcome,
    );
    expect(outcomes).toEqual([
      'emit 0',
      'emit 1',
      'dead letter ENRICH_REFUSED',
      'emit 3',
      'emit 4',
      'dead letter ENRICH_REFUSED',
    ]);
    expect(transformed.sort()).toEqual([0, 1, 3, 4]);
  });

  it('names the refusal with the failure the stage gives', async () => {
    const outcomes = await transformIsolatingRefusedRecords(
      messages(1, [0]),
      async () => {
        throw refusedData;
      },
      refusedRecords,
      (failure) => failure,
    );
    expect(outcomes).toEqual([{ code: 'ENRICH_REFUSED', reason: 'refused (22008)' }]);
  });
});
