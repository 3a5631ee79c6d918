import { ReadinessGate, checkReadiness, type HealthCheck } from './health-checks';

const up = (name: string): HealthCheck => ({ name, check: async () => undefined });

describe('checkReadiness', () => {
  it('is ready when every check answers', async () => {
    expect(await checkReadiness([up('kafka'), up('postgres')])).toEqual({
      ready: true,
      checks: { kafka: 'up', postgres: 'up' },
      failures: {},
    });
  });

  it('is ready with no check at all: a service without dependencies only needs to be running', async () => {
    expect((await checkReadiness([])).ready).toBe(true);
  });

  it('is not ready when one check fails, and names that check and its reason', async () => {
    const failing: HealthCheck = {
      name: 'postgres',
      check: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    };
    expect(await checkReadiness([up('kafka'), failing])).toEqual({
      ready: false,
      checks: { kafka: 'up', postgres: 'down' },
      failures: { postgres: 'connect ECONNREFUSED 127.0.0.1:5432' },
    });
  });

  it('turns a check that never answers into a failure at the deadline', async () => {
    const hanging: HealthCheck = { name: 'kafka', check: () => new Promise<void>(() => undefined) };
    const started = Date.now();
    const report = await checkReadiness([hanging], 50);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report).toEqual({ ready: false, checks: { kafka: 'down' }, failures: { kafka: 'no answer within 50 ms' } });
  });
});

describe('ReadinessGate', () => {
  it('serves until drained, then keeps the first reason it was given', () => {
    const gate = new ReadinessGate();
    expect(gate.drainingReason).toBeNull();
    gate.drain('shutting down on SIGTERM');
    gate.drain('the application is closing');
    expect(gate.drainingReason).toBe('shutting down on SIGTERM');
  });
});
