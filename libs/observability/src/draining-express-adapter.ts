import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How often a closing server looks again for connections that have gone idle. */
const IDLE_SWEEP_INTERVAL_MS = 100;
/**
 * How long an idle keep-alive connection stays open: longer than the idle
 * timeout of what sits in front (a load balancer's 60 s, a client's pool), so
 * the server is never the side that closes a connection just as a client
 * sends on it, which the client sees as "other side closed" (Node's 5 s
 * default did that to a test's request on a loaded machine). A closing
 * server still closes idle connections at once (close() below).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Express, closed without waiting on connections that carry no request.
 *
 * Why: Node's `server.close()` waits for every open connection, and sweeps
 * only the keep-alive ones idle after a response. A connection opened and
 * never used (a load balancer's or kubelet's TCP check, a client's
 * pre-connect) or one with half a request sent, is neither, and held a
 * graceful shutdown open until its bound: the e2e drains saw exactly that.
 *
 * On close, every connection with no request in flight is closed at once;
 * a request in flight is answered in full, and its connection is closed once
 * idle. Nest's `forceCloseConnections` would cut the requests in flight too.
 */
export class DrainingExpressAdapter extends ExpressAdapter {
  private readonly requestsInFlight = new Map<Socket, number>();

  override initHttpServer(options: NestApplicationOptions): void {
    super.initHttpServer(options);
    const server = this.getHttpServer() as Server;
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Node's rule: the header timeout outlasts the keep-alive one, or a slow request on a reused connection is cut.
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
    server.on('connection', (socket: Socket) => {
      this.requestsInFlight.set(socket, 0);
      socket.once('close', () => this.requestsInFlight.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket;
      this.requestsInFlight.set(socket, (this.requestsInFlight.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const count = this.requestsInFlight.get(socket);
        if (count !== undefined) this.requestsInFlight.set(socket, count - 1);
      });
    });
  }

  override async close(): Promise<void> {
    // Stops accepting first (super.close() calls server.close() at once), then sweeps until closed.
    const closing = super.close();
    const sweep = (): void => {
      for (const [socket, count] of this.requestsInFlight) {
        if (count > 0) continue;
        // A response still in the socket's buffer is flushed before the connection ends.
        if (socket.writableLength > 0) socket.end();
        else socket.destroy();
      }
    };
    sweep();
    const sweeping = setInterval(sweep, IDLE_SWEEP_INTERVAL_MS).unref();
    try {
      await closing;
    } finally {
      clearInterval(sweeping);
    }
  }
}
