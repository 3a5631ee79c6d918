import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

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

/**
 * Streams a file as a request body (never read whole), through node:http
 * rather than fetch: its body stream and its lack of a response deadline
 * suit a large upload.
 */
export function uploadFile<T>(url: URL, path: string, bytes: number): Promise<JsonAnswer<T>> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered = false;
    let readFailure: unknown = null;
    const call = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
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
    const file = createReadStream(path);
    file.on('error', (error) => {
      readFailure = error;
      call.destroy(error);
    });
    file.pipe(call);
  });
}
