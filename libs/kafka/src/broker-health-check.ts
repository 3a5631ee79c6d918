import type { HealthCheck } from '@claims/observability';
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafka } from './kafka-client';

/**
 * Readiness of the broker: a metadata request answered by the cluster.
 *
 * The check has a client of its own that never retries (the probe's deadline
 * and the next probe are the retry): a retrying client would go on
 * reconnecting in the background long after the probe gave up. One admin
 * connection is kept between probes, not opened per probe, and dropped after
 * a failure so the next probe starts again from the bootstrap list. Probes
 * that overlap share one request instead of piling up while the broker is slow.
 */
export function kafkaBrokerHealthCheck(options: { brokers: string[]; clientId: string; logger: Logger }): HealthCheck {
  const kafka = createKafka({ ...options, clientId: `${options.clientId}-health`, retries: 0 });
  let admin: Admin | null = null;
  let connected: Promise<void> | null = null;
  let inFlight: Promise<void> | null = null;

  const dropAdmin = async (): Promise<void> => {
    const stale = admin;
    admin = null;
    connected = null;
    await stale?.disconnect().catch(() => undefined);
  };

  const askCluster = async (): Promise<void> => {
    admin ??= kafka.admin();
    const client = admin;
    try {
      connected ??= client.connect();
      await connected;
      const cluster = await client.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('the cluster answered with no broker');
    } catch (error) {
      if (admin === client) await dropAdmin();
      throw error;
    }
  };

  return {
    name: 'kafka',
    check: () => {
      inFlight ??= askCluster().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    close: async () => {
      await inFlight?.catch(() => undefined);
      await dropAdmin();
    },
  };
}
