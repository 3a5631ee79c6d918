import { runBootstrapScript } from './bootstrap-script';

/**
 * A single-node Kafka broker of a test's own, kept in `directory` (data,
 * cluster id, port, broker.log): fault tests crash it and start it again
 * without touching the broker every other suite shares. It comes back on the
 * same port with the same data, as a restarted broker does in production.
 */
export class PrivateKafkaBroker {
  private constructor(
    readonly directory: string,
    /** KafkaJS bootstrap list, e.g. "127.0.0.1:40123"; the same after every restart. */
    readonly brokers: string,
  ) {}

  /** Starts the broker (formatting a new cluster in `directory` on first use) on a free port. */
  static async start(directory: string): Promise<PrivateKafkaBroker> {
    return new PrivateKafkaBroker(directory, await runBootstrapScript('kafka', ['start', '--dir', directory]));
  }

  get port(): number {
    return Number(this.brokers.slice(this.brokers.lastIndexOf(':') + 1));
  }

  /** SIGKILLs the broker: no controlled shutdown, as in a crash or an OOM kill. Its data stays. */
  async kill(): Promise<void> {
    await runBootstrapScript('kafka', ['kill', '--dir', this.directory]);
  }

  /** Starts the broker again on its port with its data, recovering what the last run left. */
  async startAgain(): Promise<void> {
    const brokers = await runBootstrapScript('kafka', ['start', '--dir', this.directory, '--port', String(this.port)]);
    if (brokers !== this.brokers) throw new Error(`the broker came back at ${brokers}, not ${this.brokers}`);
  }

  /** Stops the broker and deletes its data; broker.log stays in `directory` for post-mortems. */
  async destroy(): Promise<void> {
    await runBootstrapScript('kafka', ['reset', '--dir', this.directory]);
  }
}
