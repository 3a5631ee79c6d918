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
  acknowledgementBacklog: [],
  claimAcknowledgementVerdicts: [],
};

/** Two payers' X12 submissions awaiting acknowledgements and their 277CA verdicts, as the repository reads them. */
const x12Snapshot: DomainSnapshot = {
  ...snapshot,
  acknowledgementBacklog: [
    { payer: 'MEDICARE', awaiting: '999', submissions: 3, overdue: 2, oldest_age_days: 3 },
    { payer: 'MEDICARE', awaiting: '277ca', submissions: 4, overdue: 1, oldest_age_days: 2 },
    { payer: 'AETNA', awaiting: '277ca', submissions: 1, overdue: 0, oldest_age_days: 0 },
  ],
  claimAcknowledgementVerdicts: [
    { payer: 'MEDICARE', acknowledged_1d: 10, rejected_1d: 4, acknowledged_7d: 70, rejected_7d: 7 },
  ],
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
    registerDomainGauges(registry, { readSnapshot: async () => x12Snapshot, logger: silentLogger });
    expect(promtool(['check', 'metrics'], { input: await registry.metrics() })).toEqual({ status: 0, output: '' });
  });

  it('exports X12 submissions awaiting a 999 or 277CA, those overdue and 277CA verdicts, by payer', async () => {
    const registry = new Registry();
    registerDomainGauges(registry, { readSnapshot: async () => x12Snapshot, logger: silentLogger });
    const x12 = (await samples(registry)).filter((line) => line.startsWith('claims_x12_')).sort();
    expect(x12).toEqual(
      [
        'claims_x12_submissions_unacknowledged{payer="MEDICARE",awaiting="999"} 3',
        'claims_x12_submissions_unacknowledged{payer="MEDICARE",awaiting="277ca"} 4',
        'claims_x12_submissions_unacknowledged{payer="AETNA",awaiting="277ca"} 1',
        'claims_x12_submissions_overdue{payer="MEDICARE",awaiting="999"} 2',
        'claims_x12_submissions_overdue{payer="MEDICARE",awaiting="277ca"} 1',
        'claims_x12_submissions_overdue{payer="AETNA",awaiting="277ca"} 0',
        `claims_x12_submissions_unacknowledged_oldest_age_seconds{payer="MEDICARE"} ${3 * DAY_SECONDS}`,
        'claims_x12_submissions_unacknowledged_oldest_age_seconds{payer="AETNA"} 0',
        'claims_x12_277ca_acknowledged_claims{payer="MEDICARE",window="1d"} 10',
        'claims_x12_277ca_acknowledged_claims{payer="MEDICARE",window="7d"} 70',
        'claims_x12_277ca_rejected_claims{payer="MEDICARE",window="1d"} 4',
        'claims_x12_277ca_rejected_claims{payer="MEDICARE",window="7d"} 7',
      ].sort(),
    );
  });

  it('drops a payer series once nothing of that payer awaits an acknowledgement', async () => {
    const registry = new Registry();
    let read = x12Snapshot;
    registerDomainGauges(registry, { readSnapshot: async () => read, logger: silentLogger });
    expect((await samples(registry)).some((line) => line.includes('payer="AETNA"'))).toBe(true);
    read = { ...x12Snapshot, acknowledgementBacklog: x12Snapshot.acknowledgementBacklog.slice(0, 2) };
    expect((await samples(registry)).some((line) => line.includes('payer="AETNA"'))).toBe(false);
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
        acknowledgementBacklog: [],
        claimAcknowledgementVerdicts: [],
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
