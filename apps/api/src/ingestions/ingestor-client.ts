import { LOGGER } from '@claims/observability';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { once } from 'node:events';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { ApiConfig } from '../api.config';
import { API_CONFIG } from '../api.tokens';
import { SNIFF_BYTES, uploadHeadRefusal } from './upload-request';

/** An upload that sends nothing for this long is dropped, here and (its connection closed) at the ingestor. */
const UPLOAD_IDLE_MILLISECONDS = 60_000;
/** How long the ingestor may take to answer a job-status read. */
const STATUS_TIMEOUT_MILLISECONDS = 10_000;
/** The ingestor's answers are small JSON (a job view); anything longer is cut here. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** How much of a refused body is read and dropped so the sender reads the answer; past it, the connection closes. */
const DISCARD_AFTER_REFUSAL_BYTES = 16 * 1024 * 1024;

export type UploadErrorCode =
  /** The body is over API_MAX_UPLOAD_BYTES (declared or counted). */
  | 'UPLOAD_TOO_LARGE'
  /** The body's first bytes are neither text nor gzip. */
  | 'UPLOAD_TYPE_UNSUPPORTED'
  /** The client stopped sending before its body ended. */
  | 'UPLOAD_INCOMPLETE'
  /** The ingestor cannot be reached (down, restarting, wrong INGESTOR_URL). */
  | 'INGESTOR_UNAVAILABLE'
  /** The ingestor refused this API's credential: INGESTOR_SERVICE_TOKEN differs between the two. */
  | 'INGESTOR_CREDENTIAL_REFUSED';

/** Why an upload was not handed to the ingestor; the controller maps the code to a status. */
export class UploadError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly code: UploadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
    this.retriable = code === 'INGESTOR_UNAVAILABLE' || code === 'UPLOAD_INCOMPLETE';
  }
}

/** What the ingestor answered: its status, its JSON body (or null) and the headers a client needs. */
export interface IngestorAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

const tooLarge = (maxBytes: number): UploadError =>
  new UploadError('UPLOAD_TOO_LARGE', `the upload is over the ${maxBytes}-byte limit (API_MAX_UPLOAD_BYTES)`);

/** Refuses a body whose declared length is over the limit before a byte of it is read. @throws UploadError */
export function refuseDeclaredOversize(contentLength: string | undefined, maxBytes: number): void {
  if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > maxBytes) {
    throw tooLarge(maxBytes);
  }
}

/**
 * Reads and drops what is left of a refused body, and resolves once it has
 * ended (the connection is then clean for the answer and the next request)
 * or, past a bound, has been destroyed.
 */
export function discardRest(body: Readable): Promise<void> {
  if (body.readableEnded || body.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    body.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_AFTER_REFUSAL_BYTES) body.destroy();
    });
    body.once('end', () => resolve());
    body.once('close', () => resolve());
    body.on('error', () => undefined);
    body.resume();
  });
}

async function readAnswer(response: IncomingMessage): Promise<IngestorAnswer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response) {
    const piece = chunk as Buffer;
    bytes += piece.length;
    if (bytes > MAX_ANSWER_BYTES) break;
    chunks.push(piece);
  }
  let body: unknown = null;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // Not JSON: the status says what happened.
  }
  const retryAfter = response.headers['retry-after'];
  return { status: response.statusCode ?? 502, body, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
}

/**
 * The API's side of the ingestor's internal doors. Uploads are streamed
 * through, one chunk at a time with the ingestor's pace holding the sender
 * back, never the whole file in memory; every call carries the service
 * credential (INGESTOR_SERVICE_TOKEN) as a bearer token.
 */
@Injectable()
export class IngestorClient {
  private readonly baseUrl: string;
  private readonly serviceToken: string | null;
  private readonly maxUploadBytes: number;

  constructor(
    // Partial, and the logger optional, so a slice of the API (a spec of the KPI routes with the report
    // routes beside them) starts without upload settings: it then uploads to nowhere, which it never does.
    @Inject(API_CONFIG) config: Partial<Pick<ApiConfig, 'ingestor' | 'uploads'>>,
    @Optional() @Inject(LOGGER) private readonly logger: Logger | null = null,
  ) {
    this.baseUrl = config.ingestor?.url ?? 'http://127.0.0.1:0';
    this.serviceToken = config.ingestor?.serviceToken ?? null;
    this.maxUploadBytes = config.uploads?.maxBytes ?? 0;
  }

  private open(path: string, method: string, headers: Record<string, string>): ClientRequest {
    const url = new URL(path, `${this.baseUrl}/`);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return send(url, {
      method,
      headers: { ...headers, ...(this.serviceToken === null ? {} : { authorization: `Bearer ${this.serviceToken}` }) },
    });
  }

  /** Reads a job's status from the ingestor. @throws UploadError INGESTOR_UNAVAILABLE, INGESTOR_CREDENTIAL_REFUSED */
  async jobStatus(ingestId: string): Promise<IngestorAnswer> {
    const outgoing = this.open(`v1/ingestions/${encodeURIComponent(ingestId)}`, 'GET', { accept: 'application/json' });
    outgoing.on('error', () => undefined);
    outgoing.setTimeout(STATUS_TIMEOUT_MILLISECONDS, () => outgoing.destroy(new Error('the ingestor did not answer')));
    outgoing.end();
    return this.answerOf(outgoing);
  }

  /**
   * Streams `body` to the ingestor's upload door (POST /v1/uploads?…) and
   * answers what it said. The first bytes are checked before the ingestor is
   * called; the byte count is held to API_MAX_UPLOAD_BYTES as the body flows,
   * and an upload over it is cut off at the ingestor (which removes its
   * partial file) and refused here.
   * @throws UploadError
   */
  async upload(
    body: IncomingMessage,
    query: URLSearchParams,
    contentLength: string | undefined,
  ): Promise<IngestorAnswer> {
    refuseDeclaredOversize(contentLength, this.maxUploadBytes);
    body.setTimeout(UPLOAD_IDLE_MILLISECONDS, () =>
      body.destroy(new Error(`no upload bytes for ${UPLOAD_IDLE_MILLISECONDS / 1000} s`)),
    );
    const chunks = body.iterator({ destroyOnReturn: false })[Symbol.asyncIterator]();
    try {
      const head = await this.readHead(chunks);
      const refusal = uploadHeadRefusal(Buffer.concat(head));
      if (refusal !== null) throw new UploadError('UPLOAD_TYPE_UNSUPPORTED', refusal);
      return await this.stream(body, head, chunks, query, contentLength);
    } catch (error) {
      // A refusal mid-body is answered once the rest has been read (up to a bound), so the sender reads it.
      await this.drain(body, chunks);
      throw error;
    } finally {
      body.setTimeout(0);
    }
  }

  /**
   * Lets go of the body's iterator (whose 'readable' listener would keep the
   * stream paused; the body itself stays open) and drops the rest of it.
   */
  private async drain(body: Readable, chunks: AsyncIterator<unknown>): Promise<void> {
    await chunks.return?.().catch(() => undefined);
    await discardRest(body);
  }

  private async readHead(chunks: AsyncIterator<unknown>): Promise<Buffer[]> {
    const head: Buffer[] = [];
    let bytes = 0;
    while (bytes < SNIFF_BYTES) {
      const next = await chunks.next().catch(() => {
        throw new UploadError('UPLOAD_INCOMPLETE', 'the upload stopped before its body ended');
      });
      if (next.done) break;
      const piece = next.value as Buffer;
      head.push(piece);
      bytes += piece.length;
      if (bytes > this.maxUploadBytes) throw tooLarge(this.maxUploadBytes);
    }
    return head;
  }

  private async stream(
    body: Readable,
    head: Buffer[],
    chunks: AsyncIterator<unknown>,
    query: URLSearchParams,
    contentLength: string | undefined,
  ): Promise<IngestorAnswer> {
    const outgoing = this.open(`v1/uploads?${query.toString()}`, 'POST', {
      'content-type': 'application/octet-stream',
      ...(contentLength !== undefined && /^\d+$/.test(contentLength) ? { 'content-length': contentLength } : {}),
    });
    // Set when this side cuts the upload short: the ingestor's hang-up that follows is expected, not a fault.
    let cutShort = false;
    // The ingestor may answer before the body ends (busy, refused credential, its own limit): then stop sending.
    const answered = this.answerOf(outgoing, () => cutShort);
    let early: IngestorAnswer | UploadError | null = null;
    const settled = answered.then(
      (answer) => {
        early = answer;
      },
      (error: unknown) => {
        early = error instanceof UploadError ? error : new UploadError('INGESTOR_UNAVAILABLE', 'the ingestor failed');
      },
    );
    outgoing.on('error', () => undefined);
    let bytes = 0;
    const write = async (piece: Buffer): Promise<void> => {
      bytes += piece.length;
      if (bytes > this.maxUploadBytes) throw tooLarge(this.maxUploadBytes);
      // A stream error settles the wait too (never an unhandled rejection): the answer then says what happened.
      if (!outgoing.write(piece)) await Promise.race([once(outgoing, 'drain').catch(() => undefined), settled]);
    };
    try {
      for (const piece of head) {
        if (early !== null) break;
        await write(piece);
      }
      while (early === null) {
        const next = await chunks.next();
        if (next.done) break;
        await write(next.value as Buffer);
      }
      if (early === null && !body.readableEnded) {
        throw new UploadError('UPLOAD_INCOMPLETE', 'the upload ended before its body did');
      }
    } catch (error) {
      // Cut the ingestor's side short: it sees an incomplete upload and removes its partial file.
      cutShort = true;
      outgoing.destroy();
      if (error instanceof UploadError) throw error;
      throw new UploadError('UPLOAD_INCOMPLETE', 'the upload stopped before its body ended');
    }
    if (early !== null) {
      outgoing.destroy();
      await this.drain(body, chunks);
    } else {
      outgoing.end();
    }
    const answer = await answered;
    this.logger?.info({ status: answer.status, bytes }, 'upload handed to the ingestor');
    return answer;
  }

  private async answerOf(outgoing: ClientRequest, cutShort: () => boolean = () => false): Promise<IngestorAnswer> {
    let response: IncomingMessage;
    try {
      [response] = (await once(outgoing, 'response')) as [IncomingMessage];
    } catch (error) {
      if (cutShort()) throw new UploadError('UPLOAD_INCOMPLETE', 'the upload was cut short');
      this.logger?.warn({ err: error, ingestor: this.baseUrl }, 'the ingestor could not be reached');
      throw new UploadError('INGESTOR_UNAVAILABLE', 'the ingestor cannot be reached; try again shortly');
    }
    const answer = await readAnswer(response);
    if (answer.status === 401) {
      this.logger?.error(
        { ingestor: this.baseUrl },
        'the ingestor refused the service credential (INGESTOR_SERVICE_TOKEN)',
      );
      throw new UploadError(
        'INGESTOR_CREDENTIAL_REFUSED',
        'the ingestor refused this API: its service credential differs',
      );
    }
    return answer;
  }
}
