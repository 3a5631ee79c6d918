import { promtool } from '@claims/harness';
import { Registry } from 'prom-client';
import { registerDomainGauges } from './domain-gauges';
import type { DomainSnapshot } from './domain-gauges.repository';

const DAY_SECONDS = 86_400;
const snapshot: DomainSnapshot = {
  watermarkTimestampSeconds: Date.UTC(2024, 2, 31) / 1000,
  lastFoldCommitTimestampSeconds: 1_764_650_000.25,
  openPendedClaims: 7,
  oldestOpenPendedAgeSeconds: 45 * DAY_SECONDS,
};

const silentLogger = { warn: () => undefined };

/** The sample lines of the exposition, without HELP and TYPE comments. */
async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('registerDomainGauges', () => {
  it('exports the pended queue, the watermark and the last fold commit read at scrape time', async () => {
    const registry = new Registry();
    registerDomainGauges(registry, { readSnapshot: async () => snapshot, logger: silentLogger });
    expect((await samples(registry)).sort()).toEqual(
      [
        'claims_domain_read_errors_total 0',
        `claims_event_time_watermark_timestamp_seconds ${Date.UTC(2024, 2, 31) / 1000}`,
        'claims_fold_last_commit_timestamp_seconds 1764650000.25',
        'claims_pended_oldest_age_seconds 3888000',
        'claims_pended_open_claims 7',
      ].sort(),
    );
  });

  it('exposes names and help that `promtool check metrics` accepts', async () => {
    const registry = new Registry();
    registerDomainGauges(registry, { readSnapshot: async () => snapshot, logger: silentLogger });
    expect(promtool(['check', 'metrics'], { input: await registry.metrics() })).toEqual({ status: 0, output: '' });
  });

  it('reads Postgres once per scrape for all four gauges', async () => {
    const registry = new Registry();
    let reads = 0;
    registerDomainGauges(registry, {
      readSnapshot: async () => {
        reads += 1;
        return snapshot;
      },
      logger: silentLogger,
    });
    await registry.metrics();
    await registry.metrics();
    expect(reads).toBe(2);
  });

  it('leaves the age and the watermark without a sample when nothing is open or folded yet', async () => {
    const registry = new Registry();
    registerDomainGauges(registry, {
      readSnapshot: async () => ({
        watermarkTimestampSeconds: null,
        lastFoldCommitTimestampSeconds: null,
        openPendedClaims: 0,
        oldestOpenPendedAgeSeconds: null,
      }),
      logger: silentLogger,
    });
    expect((await samples(registry)).sort()).toEqual([
      'claims_domain_read_errors_total 0',
      'claims_pended_open_claims 0',
    ]);
  });

  it('answers the scrape without the domain gauges and counts one error when Postgres fails', async () => {
    const registry = new Registry();
    let down = false;
    registerDomainGauges(registry, {
      readSnapshot: async () => {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return snapshot;
      },
      logger: silentLogger,
    });
    expect(await samples(registry)).toContain('claims_pended_open_claims 7');
    down = true;
    expect(await samples(registry)).toEqual(['claims_domain_read_errors_total 1']);
    down = false;
    expect(await samples(registry)).toContain('claims_pended_open_claims 7');
  });

  it('gives up on a query that hangs past the timeout, so the scrape still answers in time', async () => {
    const registry = new Registry();
    registerDomainGauges(registry, {
      readSnapshot: () => new Promise<DomainSnapshot>(() => undefined),
      logger: silentLogger,
      timeoutMs: 50,
    });
    const startedAt = Date.now();
    expect(await samples(registry)).toEqual(['claims_domain_read_errors_total 1']);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });
});
