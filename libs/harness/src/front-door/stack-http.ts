import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';

/** The stack did not answer at all (not running, wrong URL): the command cannot go on. */
export class StackUnreachableError extends Error {
  constructor(
    readonly what: string,
    readonly url: string,
    cause: unknown,
  ) {
    const code =
      (cause as { cause?: { code?: string }; code?: string } | null)?.cause?.code ??
      (cause as { code?: string } | null)?.code;
    super(
      `the ${what} at ${url} does not answer (${code ?? (cause instanceof Error ? cause.message : String(cause))})`,
    );
    this.name = 'StackUnreachableError';
  }
}

/** The file being uploaded could not be read (permission, removed mid-send): the file is at fault, not the stack. */
export class UploadReadError extends Error {
  constructor(readonly failure: unknown) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'UploadReadError';
  }
}

export interface JsonAnswer<T> {
  status: number;
  body: T;
  text: string;
}

/**
 * What a service said in an answer, as one plain line: its problem's message
 * (or the fields it names), else its text (at most 300 characters of it),
 * else `whenSilent`; then its code.
 */
function answerText(answer: JsonAnswer<unknown>, whenSilent: string, maxMessageLength: number): string {
  const body = answer.body as { code?: unknown; message?: unknown; fields?: unknown } | null;
  const message =
    typeof body?.message === 'string'
      ? body.message.slice(0, maxMessageLength)
      : Array.isArray(body?.fields)
        ? `invalid ${body.fields.join(', ')}`
        : answer.text.trim().slice(0, 300) || whenSilent;
  const code = typeof body?.code === 'string' ? ` (${body.code})` : '';
  return `${message.replace(/\s+/g, ' ')}${code}`;
}

/** A refusal of the request as one plain line: the reason in full (a layout refusal lists every layout), its code. */
export function refusalReason(answer: JsonAnswer<unknown>): string {
  return answerText(answer, `HTTP ${answer.status}`, Infinity);
}

/** A service's answer as one plain line: its status, then its reason (bounded) and code when it gives them. */
export function answerReason(answer: JsonAnswer<unknown>): string {
  return `${answer.status}: ${answerText(answer, 'no reason given', 300)}`;
}

/** The stack answered, but as a stack at fault does (a credential refused, busy, broken): no file is to blame. */
export class StackAnswerError extends Error {
  constructor(what: string, origin: string, answer: JsonAnswer<unknown>) {
    super(`the ${what} at ${origin} answered ${answerReason(answer)}`);
    this.name = 'StackAnswerError';
  }
}

function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null as T;
  }
}

/** One HTTP call to a service of the stack, answered as status, JSON body (null when not JSON) and text. */
export async function callJson<T>(
  what: string,
  url: URL,
  init: { method?: string; token?: string | null; body?: unknown } = {},
): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = {};
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch (error) {
    throw new StackUnreachableError(what, url.origin, error);
  }
  const text = await response.text();
  return { status: response.status, body: parseJson<T>(text), text };
}

/** What tells a file's content changed between two looks at it: a rewrite, a truncation, an append. */
function sameFile(before: Stats, after: Stats): boolean {
  return before.ino === after.ino && before.size === after.size && before.mtimeMs === after.mtimeMs;
}

/**
 * Streams a file as a request body (never read whole), through node:http
 * rather than fetch: its body stream and its lack of a response deadline
 * suit a large upload. The file is sent as it is when the send starts (its
 * size then is the declared length: one listed minutes earlier may have
 * grown since), and a file written to while it is sent is not sent whole:
 * the request is cut before its end, so the ingestor drops it
 * (UPLOAD_INCOMPLETE) instead of ingesting a file cut mid-row, and the upload
 * fails with UploadReadError (code FILE_CHANGED).
 */
export async function uploadFile<T>(url: URL, path: string): Promise<JsonAnswer<T>> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (error) {
    throw new UploadReadError(error);
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered = false;
    let readFailure: unknown = null;
    const call = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(before.size) },
      },
      (response: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: parseJson<T>(text), text });
        });
        response.on('error', reject);
      },
    );
    // An early answer (413) may close the connection while the file is still being sent: the answer is what counts.
    call.on('error', (error) => {
      if (answered) return;
      reject(
        readFailure === null
          ? new StackUnreachableError('ingestor', url.origin, error)
          : new UploadReadError(readFailure),
      );
    });
    const failRead = (error: unknown): void => {
      readFailure = error;
      call.destroy(error instanceof Error ? error : new Error(String(error)));
    };
    // The body's last byte is held back until the file is known to be as it was when the send started: a
    // receiver reads a body to its declared length, so a check after the last byte could no longer cut it.
    let bytesRead = 0;
    let lastByte: Buffer = Buffer.alloc(0);
    const ended = async (): Promise<void> => {
      const after = await stat(path).catch(() => null);
      if (after !== null && sameFile(before, after) && bytesRead === before.size) {
        call.end(lastByte);
        return;
      }
      failRead(Object.assign(new Error(`${path} changed while it was being sent`), { code: 'FILE_CHANGED' as const }));
    };
    if (before.size === 0) {
      void ended();
      return;
    }
    const file = createReadStream(path, { start: 0, end: before.size - 1 });
    const holdingLastByte = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytesRead += chunk.length;
        if (lastByte.length > 0) this.push(lastByte);
        lastByte = chunk.subarray(chunk.length - 1);
        done(null, chunk.subarray(0, chunk.length - 1));
      },
    });
    file.on('error', failRead);
    holdingLastByte.on('end', () => void ended());
    // A request ended early (an answer before the body's end, a cut) leaves nothing to read the file for.
    call.on('close', () => file.destroy());
    file.pipe(holdingLastByte).pipe(call, { end: false });
  });
}
