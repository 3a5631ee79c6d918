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

/** Whether text is an http(s) URL, as every address of the stack must be. */
export function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

/** An address flag's value. @throws UsageError naming the flag and the value */
export function httpUrlFlag(flag: string, text: string | undefined): string | undefined {
  if (text !== undefined && !isHttpUrl(text)) {
    throw new UsageError(`${flag} must be an http(s) URL such as http://127.0.0.1:3000, not "${text}"`);
  }
  return text;
}

/**
 * The message of node:util parseArgs, without its Node-specific advice, on
 * one line. An unknown option is named as typed: parseArgs reads a single-dash
 * argument letter by letter, so `-claims.csv` would be reported as `-c`; a
 * file whose name starts with a dash is told how to be named.
 */
export function parseArgsMessage(error: unknown, argv: readonly string[] = []): string {
  // Duck-typed: an error of another realm (a test sandbox) is no `instanceof Error` of this one.
  const raw = (error as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : String(error);
  const unknownOption = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
  if (unknownOption !== undefined) {
    const typed = unknownOption.startsWith('--')
      ? unknownOption
      : (argv.find((arg) => !arg.startsWith('--') && arg.startsWith(unknownOption)) ?? unknownOption);
    const looksLikeFile = /[./\\]/.test(typed) || (!typed.startsWith('--') && typed.length > 2);
    return `unknown option ${typed}${looksLikeFile ? ` (a file whose name starts with a dash is named ./${typed})` : ''}`;
  }
  return message
    .replace(/\. To specify a positional argument.*$/s, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}
