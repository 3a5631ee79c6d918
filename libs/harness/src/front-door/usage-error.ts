/** The command line was wrong: the message says how, and the command prints its usage beside it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A positive number from a flag's text. @throws UsageError naming the flag */
export function positiveNumber(
  flag: string,
  text: string | undefined,
  options: { integer?: boolean } = {},
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (
    !/^\d+(\.\d+)?$/.test(text.trim()) ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (options.integer && !Number.isInteger(value))
  ) {
    throw new UsageError(`${flag} must be a positive ${options.integer ? 'whole ' : ''}number, not "${text}"`);
  }
  return value;
}

/** The message of node:util parseArgs, without its Node-specific error code. */
export function parseArgsMessage(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
}
