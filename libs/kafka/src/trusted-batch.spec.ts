import { runSettingAsideInvalid } from './trusted-batch';

interface Message {
  offset: number;
  /** Passes the envelope check, breaks the run, fails the full validation. */
  broken: boolean;
  setAside?: boolean;
}

function harness(options: { transient?: Error } = {}) {
  const runs: number[][] = [];
  const setAside: Array<{ offset: number; code: string }> = [];
  const steps = {
    run: async (messages: readonly Message[]) => {
      if (options.transient) throw options.transient;
      if (messages.some((message) => message.broken && !message.setAside)) {
        throw new TypeError('claim.lines is not iterable');
      }
      runs.push(messages.map((message) => message.offset));
      return messages.length;
    },
    invalidReason: (message: Message) =>
      message.broken ? { code: 'SCHEMA_INVALID', reason: 'invalid fields: claim.lines' } : null,
    setAside: async (message: Message, failure: { code: string }) => {
      setAside.push({ offset: message.offset, code: failure.code });
      return { ...message, setAside: true };
    },
  };
  return { runs, setAside, steps };
}

const batch = (count: number, brokenOffsets: number[]): Message[] =>
  Array.from({ length: count }, (_, offset) => ({ offset, broken: brokenOffsets.includes(offset) }));

describe('runSettingAsideInvalid', () => {
  it('runs a batch that does not throw once, validating nothing', async () => {
    const { runs, setAside, steps } = harness();
    const invalidReason = jest.fn(steps.invalidReason);
    await expect(runSettingAsideInvalid(batch(4, []), { ...steps, invalidReason })).resolves.toBe(4);
    expect(runs).toEqual([[0, 1, 2, 3]]);
    expect(setAside).toEqual([]);
    expect(invalidReason).not.toHaveBeenCalled();
  });

  it('sets aside every message the full validation refuses and runs the rest, in order, once more', async () => {
    const { runs, setAside, steps } = harness();
    await expect(runSettingAsideInvalid(batch(6, [1, 4]), steps)).resolves.toBe(6);
    expect(setAside).toEqual([
      { offset: 1, code: 'SCHEMA_INVALID' },
      { offset: 4, code: 'SCHEMA_INVALID' },
    ]);
    expect(runs).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it('passes the error up unchanged when every message validates, so the batch is redelivered', async () => {
    const transient = new Error('connection terminated');
    const { runs, setAside, steps } = harness({ transient });
    await expect(runSettingAsideInvalid(batch(3, []), steps)).rejects.toBe(transient);
    expect(setAside).toEqual([]);
    expect(runs).toEqual([]);
  });

  it('passes up the error of the second run when the set-aside batch still fails', async () => {
    const transient = new Error('connection terminated');
    const { setAside, steps } = harness({ transient });
    const brokenToo = { ...steps, invalidReason: () => ({ code: 'SCHEMA_INVALID', reason: 'invalid fields: claim' }) };
    await expect(runSettingAsideInvalid(batch(2, []), brokenToo)).rejects.toBe(transient);
    expect(setAside.map((entry) => entry.offset)).toEqual([0, 1]);
  });
});
