// @runs-alone: asserts a refused connection is reported within 1 s; scripts/test.mjs runs it on its own.
import { freePort, testInfrastructure } from '@claims/harness';
import { checkReadiness, createLogger } from '@claims/observability';
import { kafkaBrokerHealthCheck } from './broker-health-check';

describe('kafkaBrokerHealthCheck against a real broker', () => {
  const { brokers } = testInfrastructure();
  const logger = createLogger({ service: 'integration-spec', level: 'silent' });

  it('reports the broker up when the cluster answers a metadata request', async () => {
    const healthCheck = kafkaBrokerHealthCheck({ brokers: brokers.split(','), clientId: 'health-spec', logger });
    try {
      expect(await checkReadiness([healthCheck])).toEqual({ ready: true, checks: { kafka: 'up' }, failures: {} });
      // A second probe reuses the connection the first one opened.
      expect((await checkReadiness([healthCheck])).ready).toBe(true);
    } finally {
      await healthCheck.close?.();
    }
  });

  it('reports the broker down, within the probe deadline, when nothing listens at the bootstrap address', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const healthCheck = kafkaBrokerHealthCheck({ brokers: [nowhere], clientId: 'health-spec', logger });
    try {
      const started = Date.now();
      const report = await checkReadiness([healthCheck]);
      // Refused at once: a client that retried would still be trying when the probe gave up.
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(report.ready).toBe(false);
      expect(report.checks).toEqual({ kafka: 'down' });
      expect(report.failures['kafka']).not.toMatch(/no answer within/);
    } finally {
      await healthCheck.close?.();
    }
  });
});
