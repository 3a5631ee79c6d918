// `npm run bench`: throughput, freshness, memory and incremental cost of the
// pipeline, each beside a baseline measured in the same run. Installs what is
// missing, builds (bench/ compiles to dist/bench), provides a real Kafka
// broker and Postgres, runs dist/bench/src/main.js, and stops what it started.
//
//   npm run bench                      default sizes (about 40 minutes here)
//   npm run bench -- --quick           small sizes (under 2 minutes)
//   npm run bench -- --with-librdkafka install @confluentinc/kafka-javascript into
//                                      .cache/bench-clients first (never a product dependency)
//   npm run bench -- --skip-build      reuse dist/ as it is (developing the benchmark)
//   npm run bench -- --help            every option
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureDependencies, repoRoot, run, say, startInfrastructure } from './lib/bootstrap.mjs';

const args = process.argv.slice(2);
const CLIENTS_DIRECTORY = join(repoRoot, '.cache', 'bench-clients');
const CONFLUENT_PACKAGE = '@confluentinc/kafka-javascript';

/**
 * The optional librdkafka client lives in its own npm prefix with its own
 * package.json, which approves only its install script (npm 11 runs no
 * dependency install script unless allowScripts approves it). CKJS_LINKING=
 * dynamic builds it against the system librdkafka dependencies (zlib, ssl,
 * zstd, curl, sasl, lz4) instead of downloading a prebuilt binary.
 */
function installLibrdkafkaClient() {
  if (existsSync(join(CLIENTS_DIRECTORY, 'node_modules', ...CONFLUENT_PACKAGE.split('/'), 'package.json'))) {
    say(`${CONFLUENT_PACKAGE} already installed in ${CLIENTS_DIRECTORY}`);
    return;
  }
  mkdirSync(CLIENTS_DIRECTORY, { recursive: true });
  writeFileSync(
    join(CLIENTS_DIRECTORY, 'package.json'),
    `${JSON.stringify(
      {
        name: 'claims-bench-clients',
        private: true,
        description: 'Optional Kafka clients the benchmark compares against; never a product dependency.',
        allowScripts: { [CONFLUENT_PACKAGE]: true },
      },
      null,
      2,
    )}\n`,
  );
  say(`installing ${CONFLUENT_PACKAGE} into ${CLIENTS_DIRECTORY} (builds librdkafka from source: about a minute;`);
  say(
    '  needs: apt-get install -y zlib1g-dev libssl-dev libzstd-dev libcurl4-openssl-dev libsasl2-dev liblz4-dev pkg-config)',
  );
  run('npm', ['install', '--no-audit', '--no-fund', CONFLUENT_PACKAGE], {
    cwd: CLIENTS_DIRECTORY,
    env: { ...process.env, CKJS_LINKING: 'dynamic' },
  });
}

if (!args.includes('--help')) {
  ensureDependencies();
  if (!args.includes('--skip-build')) build();
  if (args.includes('--with-librdkafka')) {
    try {
      installLibrdkafkaClient();
    } catch (error) {
      say(`installing ${CONFLUENT_PACKAGE} failed (${error.message}); its rows will be skipped`);
    }
  }
}

const infrastructure = args.includes('--help') ? null : await startInfrastructure();
const benchArgs = args.filter((arg) => arg !== '--skip-build');
const child = spawn(
  process.execPath,
  ['--max-old-space-size=4096', join(repoRoot, 'dist', 'bench', 'src', 'main.js'), ...benchArgs],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      TZ: 'UTC',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...(infrastructure ? { KAFKA_BROKERS: infrastructure.brokers, DATABASE_URL: infrastructure.databaseUrl } : {}),
    },
  },
);

// Ctrl-C reaches the bench process too (same process group); it stops its
// services and drops its databases, and only then is the infrastructure stopped.
let forwarded = false;
const forward = (signal) => {
  if (forwarded || child.exitCode !== null) return;
  forwarded = true;
  child.kill(signal);
};
process.on('SIGINT', () => forward('SIGINT'));
process.on('SIGTERM', () => forward('SIGTERM'));

const exitCode = await new Promise((resolve) =>
  child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
);
await infrastructure?.stop();
process.exit(exitCode);
