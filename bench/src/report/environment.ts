import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { withClient } from '../infra/bench-database';
import { REPO_ROOT } from '@claims/harness';
import { loadConfluentClient } from '../transport/transport-clients';

export interface BenchEnvironment {
  machine: { cores: number; cpuModel: string; memoryBytes: number; kernel: string };
  versions: {
    node: string;
    kafka: string | null;
    postgres: string;
    kafkajs: string;
    librdkafkaClient: string | null;
    librdkafka: string | null;
  };
  git: { commit: string | null; dirty: boolean | null; note?: string };
}

function kafkajsVersion(): string {
  const manifest = JSON.parse(readFileSync(require.resolve('kafkajs/package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The broker started by scripts/kafka/kafka.mjs runs from Maven jars named kafka_<scala>-<version>.jar. */
function kafkaVersion(): string | null {
  try {
    const jar = readdirSync(join(REPO_ROOT, '.cache', 'kafka', 'lib')).find((name) =>
      /^kafka_[\d.]+-[\d.]+\.jar$/.test(name),
    );
    return jar ? (/-([\d.]+)\.jar$/.exec(jar)?.[1] ?? null) : null;
  } catch {
    return null;
  }
}

/** The commit, or null before the first commit (a fresh repository has no HEAD). */
function gitState(): BenchEnvironment['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: null, dirty: null, note: 'no commit yet (or not a git checkout)' };
  }
}

export async function describeEnvironment(adminDatabaseUrl: string): Promise<BenchEnvironment> {
  const postgres = await withClient(adminDatabaseUrl, async (client) => {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
  const confluent = loadConfluentClient();
  return {
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      kernel: release(),
    },
    versions: {
      node: process.version,
      kafka: kafkaVersion(),
      postgres,
      kafkajs: kafkajsVersion(),
      librdkafkaClient: confluent?.packageVersion ?? null,
      librdkafka: confluent?.module.librdkafkaVersion ?? null,
    },
    git: gitState(),
  };
}
