import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UploadReadError, uploadFile } from './stack-http';

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** What an HTTP receiver got of one request body: its bytes, and whether it came whole. */
interface ReceivedBody {
  bytes: Buffer;
  declaredBytes: number;
  complete: boolean;
}

/**
 * A receiver that reads each request body as the ingestor's upload door does (to its declared
 * length) and answers 202 with its size and hash; `onFirstChunk` runs with the body paused.
 */
async function startReceiver(onFirstChunk: () => Promise<void> = async () => undefined): Promise<{
  url: URL;
  received: Promise<ReceivedBody>;
  server: Server;
}> {
  let settle: (body: ReceivedBody) => void = () => undefined;
  const received = new Promise<ReceivedBody>((resolve) => (settle = resolve));
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    let first = true;
    const declaredBytes = Number(request.headers['content-length']);
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!first) return;
      first = false;
      request.pause();
      void onFirstChunk().then(() => request.resume());
    });
    request.on('end', () => {
      const bytes = Buffer.concat(chunks);
      settle({ bytes, declaredBytes, complete: true });
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ bytes: bytes.length, sha256: sha256(bytes) }));
    });
    request.on('close', () => {
      if (!request.complete) settle({ bytes: Buffer.concat(chunks), declaredBytes, complete: false });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/v1/uploads?name=claims.csv`), received, server };
}

describe('uploadFile', () => {
  let folder: string;
  let server: Server | null = null;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claims-upload-'));
  });

  afterEach(async () => {
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = null;
    rmSync(folder, { recursive: true, force: true });
  });

  it('sends a file that grew after it was listed whole, not cut at the size it was listed with', async () => {
    const path = join(folder, 'claims.csv');
    writeFileSync(path, 'CLM_ID,AMOUNT\nC-1,100.00\nC-2,12');
    // `npm run ingest -- folder/` lists every file first; a later file may be sent minutes after, written on since.
    const listedBytes = statSync(path).size;
    appendFileSync(path, '34.50\nC-3,7.00\n');
    const whole = 'CLM_ID,AMOUNT\nC-1,100.00\nC-2,1234.50\nC-3,7.00\n';
    const receiver = await startReceiver();
    server = receiver.server;

    const answer = await uploadFile<{ bytes: number; sha256: string }>(receiver.url, path);

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ bytes: whole.length, sha256: sha256(whole) });
    expect((await receiver.received).declaredBytes).not.toBe(listedBytes);
  });

  it('cuts the request of a file written to while it is sent, so no receiver takes it as whole', async () => {
    const path = join(folder, 'claims.csv');
    const rows = Array.from({ length: 200_000 }, (_, index) => `C-${index},${index}.00`).join('\n');
    writeFileSync(path, `CLM_ID,AMOUNT\n${rows}\n`);
    const receiver = await startReceiver(async () => appendFileSync(path, 'C-late,1.00\n'));
    server = receiver.server;

    const failure = await uploadFile(receiver.url, path).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UploadReadError);
    expect((failure as UploadReadError).failure).toMatchObject({ code: 'FILE_CHANGED' });
    expect((await receiver.received).complete).toBe(false);
  });

  it('sends an empty file as an empty body', async () => {
    const path = join(folder, 'empty.csv');
    writeFileSync(path, '');
    const receiver = await startReceiver();
    server = receiver.server;

    const answer = await uploadFile<{ bytes: number }>(receiver.url, path);

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ bytes: 0 });
  });
});
