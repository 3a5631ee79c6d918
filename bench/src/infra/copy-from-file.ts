import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Client, Submittable } from 'pg';

/** The parts of pg's Connection a COPY FROM STDIN needs (the protocol methods @types/pg does not declare). */
interface CopyConnection {
  stream: Duplex;
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * `COPY ... FROM STDIN` fed from a file, as a pg Submittable: the client
 * streams the file to the server with back-pressure, which is how a batch
 * loader moves a CSV into Postgres (pg-copy-streams works the same way; it is
 * not a project dependency, and this is all of it the benchmark needs).
 */
class CopyFromFile implements Submittable {
  readonly done: Promise<number>;
  private resolve: (rows: number) => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;
  private rows = 0;
  private failed: Error | null = null;

  constructor(
    private readonly sql: string,
    private readonly path: string,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: unknown): void {
    (connection as CopyConnection).query(this.sql);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.streamFile(connection);
  }

  private async streamFile(connection: CopyConnection): Promise<void> {
    try {
      for await (const chunk of createReadStream(this.path, { highWaterMark: 1 << 20 })) {
        connection.sendCopyFromChunk(chunk as Buffer);
        if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(error instanceof Error ? error.message : 'reading the file failed');
    }
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.failed = error;
  }

  handleReadyForQuery(): void {
    if (this.failed) this.reject(this.failed);
    else this.resolve(this.rows);
  }

  // Messages a COPY never receives, present because the client may call them on any active query.
  handleCopyData(): void {
    return undefined;
  }
  handleRowDescription(): void {
    return undefined;
  }
  handleDataRow(): void {
    return undefined;
  }
  handlePortalSuspended(): void {
    return undefined;
  }
  handleEmptyQuery(): void {
    return undefined;
  }
}

/** Runs `COPY <target> FROM STDIN ...` with the file's bytes; resolves to the rows copied. */
export function copyFromFile(client: Client, sql: string, path: string): Promise<number> {
  const copy = new CopyFromFile(sql, path);
  client.query(copy);
  return copy.done;
}
