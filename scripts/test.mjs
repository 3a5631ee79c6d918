// `npm test`: the whole suite from a fresh clone. Installs what is missing,
// builds, type-checks and lints, starts a real Kafka broker and finds or
// starts Postgres, runs the unit, integration and end-to-end tiers, stops what
// it started, and ends with the plain line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { build, ensureDependencies, onShutdown, repoRoot, run, say, startInfrastructure } from './lib/bootstrap.mjs';

const TIERS = [
  { name: 'unit', config: 'jest.unit.config.js', needsInfrastructure: false },
  { name: 'integration', config: 'jest.integration.config.js', needsInfrastructure: true },
  { name: 'e2e', config: 'jest.e2e.config.js', needsInfrastructure: true },
];

/**
 * Suites run side by side, one per core (TEST_WORKERS overrides; 1 runs every
 * suite alone). The integration and e2e suites each work in a database and a
 * topic namespace of their own, and most of their time is spent waiting on a
 * restart, a rebalance or a paced replay, so two of them share this 2-core
 * machine well. A suite whose assertions hold a timing (a produce request's
 * hold, a consumer's batch boundaries, how soon a refusal comes) says so with
 * the marker below, with its reason, and runs alone, before the others.
 */
const WORKERS = Math.max(1, Number(process.env.TEST_WORKERS ?? availableParallelism()) || 1);
const RUNS_ALONE_MARKER = '@runs-alone';

process.env.TZ = 'UTC';
let passed = 0;
let failed = 0;
let exitCode = 0;

ensureDependencies();
ensurePrometheusTools();
ensureChromium();
ensurePoppler();
build();
say('type-checking and linting');
run('npm', ['run', '--silent', 'typecheck']);
run('npm', ['run', '--silent', 'lint']);

const infrastructure = await startInfrastructure();
const cleanup = onShutdown(() => infrastructure.stop());
const { dropDatabasesWithPrefix } = await import('./postgres/postgres.mjs');
// Databases left by an interrupted earlier run; suites drop their own on success.
await dropDatabasesWithPrefix(infrastructure.databaseUrl, 'claims_test_');

const resultsDirectory = join(repoRoot, '.cache', 'test-results');
rmSync(resultsDirectory, { recursive: true, force: true });
mkdirSync(resultsDirectory, { recursive: true });
try {
  for (const tier of TIERS) {
    say(`running ${tier.name} tests`);
    const env = tier.needsInfrastructure
      ? {
          ...process.env,
          KAFKA_BROKERS: infrastructure.brokers,
          DATABASE_URL: infrastructure.databaseUrl,
          KAFKAJS_NO_PARTITIONER_WARNING: '1',
        }
      : process.env;
    const { alone, together } = suitesOf(tier);
    const runs = [
      { label: 'alone', suites: alone, workers: 1 },
      { label: 'together', suites: together, workers: WORKERS },
    ].filter((group) => group.suites.length > 0);
    if (runs.length === 0) {
      say(`${tier.name}: no test suites found`);
      exitCode = 1;
    }
    let tierTests = 0;
    for (const group of runs) {
      const outputFile = join(resultsDirectory, `${tier.name}${runs.length > 1 ? `-${group.label}` : ''}.json`);
      const args = [
        join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'),
        '-c',
        tier.config,
        '--json',
        `--outputFile=${outputFile}`,
        group.workers === 1 ? '--runInBand' : `--maxWorkers=${group.workers}`,
        '--runTestsByPath',
        ...group.suites,
      ];
      try {
        run(process.execPath, args, { env });
      } catch {
        exitCode = 1;
      }
      try {
        const results = JSON.parse(readFileSync(outputFile, 'utf8'));
        passed += results.numPassedTests;
        failed += results.numFailedTests;
        tierTests += results.numTotalTests;
      } catch {
        say(`${tier.name} (${group.label}): no results were written`);
        exitCode = 1;
      }
    }
    if (runs.length > 0 && tierTests === 0) {
      say(`${tier.name}: no tests ran`);
      exitCode = 1;
    }
  }
} finally {
  await cleanup();
}
if (failed > 0) exitCode = 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(exitCode);

/**
 * A tier's suites (as jest finds them), split into those marked to run alone
 * and the rest. Every suite runs alone when one worker is asked for.
 */
function suitesOf(tier) {
  const listed = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'jest', 'bin', 'jest.js'), '-c', tier.config, '--listTests'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (listed.status !== 0) throw new Error(`jest --listTests failed for ${tier.name}: ${listed.stderr}`);
  const suites = listed.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('.ts'))
    .sort();
  if (WORKERS === 1) return { alone: suites, together: [] };
  const marked = (suite) => readFileSync(suite, 'utf8').includes(RUNS_ALONE_MARKER);
  return { alone: suites.filter(marked), together: suites.filter((suite) => !marked(suite)) };
}

/**
 * Debian's prometheus package brings promtool (unit tier: alert rules and
 * their tests, dashboard queries, the metrics exposition) and the server the
 * end-to-end tier scrapes the services with. Installed when missing, as CI
 * may run on a fresh machine.
 */
function ensurePrometheusTools() {
  const missing = (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0;
  if (!missing('promtool') && !missing('prometheus')) return;
  say("installing Debian's prometheus package (promtool and the Prometheus server the tests run)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Root installs directly; anyone else needs passwordless sudo for this one step.
  const apt = (args) =>
    process.getuid?.() === 0 ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', 'prometheus']);
}

/**
 * Debian's chromium, which the dashboard's browser test drives through
 * playwright-core (playwright's own browser download is not reachable from CI
 * machines). Installed when missing, like the Prometheus tools.
 */
function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  say("installing Debian's chromium package (the browser the dashboard test drives)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    process.getuid?.() === 0 ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
}

/**
 * Debian's poppler-utils (pdfinfo, pdftotext), with which the PDF report's
 * test opens the report and reads its pages back. Installed when missing,
 * like the Prometheus tools and chromium.
 */
function ensurePoppler() {
  const missing = (tool) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).status !== 0;
  if (!missing('pdftotext') && !missing('pdfinfo')) return;
  say("installing Debian's poppler-utils package (pdfinfo and pdftotext, which read the PDF report back)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    process.getuid?.() === 0 ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', 'poppler-utils']);
}
