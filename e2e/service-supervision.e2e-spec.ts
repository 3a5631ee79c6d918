import { REPO_ROOT, ServiceProcess, freeServicePort, uniqueSuffix } from '@claims/harness';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('a supervised service that fails', () => {
  it('is reported with the reason it gave, not only its exit code', async () => {
    const logDirectory = join(REPO_ROOT, '.cache', 'test-logs', `e2e-supervision-${uniqueSuffix()}`);
    const normalizer = new ServiceProcess(
      'normalizer',
      await freeServicePort(),
      { KAFKA_BROKERS: '127.0.0.1:1', KAFKA_TOPIC_PARTITIONS: 'none', PATIENT_TOKEN_KEY: 'k'.repeat(48) },
      logDirectory,
    );

    const started = normalizer.start();

    await expect(started).rejects.toThrow(
      /^normalizer exited with code 78 during start-up \(Invalid configuration: .*KAFKA_TOPIC_PARTITIONS.*\); see normalizer\.log$/,
    );
    await normalizer.stop();
    expect(readFileSync(join(logDirectory, 'normalizer.log'), 'utf8')).toContain('KAFKA_TOPIC_PARTITIONS');
  });
});
