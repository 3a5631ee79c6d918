// `npm start`: the whole stack in the foreground, for real use, until Ctrl-C.
//
// Finds or starts Kafka and Postgres as the demo does, keeps its data in a
// database of its own (`claims`, created if missing, never dropped) on the
// plain topic names, runs the five services on stable ports (API 3000,
// ingestor 3001, …), watches an inbox folder, and records where it runs in
// .cache/stack.json so that `npm run ingest`, `npm run dlq` and `npm run kpi`
// find it. `npm start -- --help` lists the options.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ensureDependencies, onShutdown, repoRoot, say, startInfrastructure } from './lib/bootstrap.mjs';
import { demoLoginLines } from './lib/demo-logins.mjs';
import { STACK_STATE_FILE, readStackState, removeStackState, writeStackState } from './lib/stack-state.mjs';

// Before the build: a second stack would find the ports and the state file taken.
const running = readStackState();
if (running && !process.argv.includes('--help') && !process.argv.includes('-h')) {
  const stateFile = relative(process.cwd(), STACK_STATE_FILE);
  process.stderr.write(
    `start: a stack already runs (process ${running.pid}, API ${running.apiUrl}); stop it with Ctrl-C where it runs, ` +
      `or remove ${stateFile.startsWith('..') ? STACK_STATE_FILE : stateFile} if that process is not the stack\n`,
  );
  process.exit(2);
}

ensureDependencies();
build();
const harness = await import(pathToFileURL(join(repoRoot, 'dist', 'libs', 'harness', 'src', 'index.js')).href);

let options;
try {
  options = harness.parseStartArguments(process.argv.slice(2), process.env, process.env.INIT_CWD ?? process.cwd());
} catch (error) {
  if (!(error instanceof harness.UsageError)) throw error;
  process.stderr.write(`start: ${error.message}\n${harness.START_USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${harness.START_USAGE}\n`);
  process.exit(0);
}
if (!existsSync(options.ingestRoot)) {
  process.stderr.write(`start: the ingest root ${options.ingestRoot} does not exist\n`);
  process.exit(2);
}

/**
 * The normalizer's member-id key must outlive a restart, or the same member
 * gets a new patient token each start and the kept database no longer joins
 * them. PATIENT_TOKEN_KEY when set; else one made once per database and kept,
 * owner-readable only, under .cache (never committed).
 */
function patientTokenKey(database) {
  if (process.env.PATIENT_TOKEN_KEY) return process.env.PATIENT_TOKEN_KEY;
  const folder = join(repoRoot, '.cache', 'stack');
  const file = join(folder, `${database}.patient-token-key`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(folder, { recursive: true });
  const key = randomBytes(24).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The API's signing secret for `npm run token` tokens: API_TOKEN_SECRET when
 * set; else one made once per database and kept like the patient-token key,
 * so tokens issued before a restart still verify after it.
 */
function apiTokenSecret(database) {
  if (process.env.API_TOKEN_SECRET) return process.env.API_TOKEN_SECRET;
  const folder = join(repoRoot, '.cache', 'stack');
  const file = join(folder, `${database}.api-token-secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(folder, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

const infrastructure = await startInfrastructure();
const { createDatabase, databaseUrl } = await import('./postgres/postgres.mjs');
const existing = await harness.queryRows(infrastructure.databaseUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [
  options.database,
]);
if (existing.length === 0) {
  await createDatabase(infrastructure.databaseUrl, options.database);
  say(`created the database ${options.database} (kept after Ctrl-C)`);
}
if (options.inbox) mkdirSync(options.inbox, { recursive: true });

const startedAt = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const logDirectory = join(repoRoot, '.cache', 'logs', startedAt);
const passedThrough = harness.passedThroughEnvironment(process.env);
const tokenSecret = apiTokenSecret(options.database);
const pipeline = await harness.LocalPipeline.create({
  brokers: infrastructure.brokers,
  databaseUrl: databaseUrl(infrastructure.databaseUrl, options.database),
  topicNamespace: options.topicNamespace,
  ingestRoot: options.ingestRoot,
  logDirectory,
  logLevel: options.logLevel,
  ports: options.ports,
  // A token made for this start unless API_TOKENS names the tokens to accept.
  ...(process.env.API_TOKENS ? { apiTokens: process.env.API_TOKENS } : {}),
  patientTokenKey: patientTokenKey(options.database),
  serviceEnv: {
    ...passedThrough,
    api: { ...passedThrough.api, API_TOKEN_SECRET: tokenSecret },
    ingestor: { ...passedThrough.ingestor, ...(options.inbox ? { INGEST_INBOX: options.inbox } : {}) },
  },
  report: (line) => say(line),
});
onShutdown(async () => {
  say('stopping the services and what was started (the database and topics are kept)');
  removeStackState();
  await pipeline.stop();
  await infrastructure.stop();
});

try {
  say('starting ingestor, normalizer, enricher, metrics and api');
  await pipeline.start();
} catch (error) {
  say(
    `start failed: ${error instanceof Error ? error.message : String(error)} (service logs: ${relative(process.cwd(), logDirectory)})`,
  );
  removeStackState();
  await pipeline.stop();
  await infrastructure.stop();
  process.exit(1);
}

const api = pipeline.services.api.baseUrl;
const ingestor = pipeline.services.ingestor.baseUrl;
writeStackState({
  apiUrl: api,
  apiToken: pipeline.apiToken,
  apiTokenSecret: tokenSecret,
  ingestorUrl: ingestor,
  ingestRoot: options.ingestRoot,
  inbox: options.inbox,
  brokers: infrastructure.brokers,
  topicNamespace: options.topicNamespace,
  database: options.database,
  logDirectory,
});
const logins = await demoLoginLines(harness, { apiUrl: api, secret: tokenSecret });
const logsFromHere = relative(process.cwd(), logDirectory);
const logs = logsFromHere.startsWith('..') ? logDirectory : logsFromHere;
process.stdout.write(
  [
    '',
    'The claims pipeline is running. Ctrl-C stops it (the database and topics are kept).',
    `  API          ${api}   (database ${options.database}; topics ${options.topicNamespace === '' ? 'claims.*' : `${options.topicNamespace}.claims.*`})`,
    `  Try          curl -H 'Authorization: Bearer ${pipeline.apiToken}' ${api}/v1/kpis/summary`,
    '  Tokens       npm run token -- issue --role analyst --ttl 8h   (demo users: npm run token -- demo-users)',
    ...logins,
    `  API docs     ${api}/v1/docs   (OpenAPI: ${api}/v1/openapi.json)`,
    `  Ingestor     ${ingestor}   (POST /v1/ingestions, POST /v1/uploads, GET /v1/ingestions)`,
    `  Ingest root  ${options.ingestRoot}`,
    `  Feed it      npm run ingest -- <file|folder>   (paths relative to where you run it)`,
    options.inbox
      ? `  Inbox        ${options.inbox}   (drop files here: each is ingested once, then moved to processed/ or failed/)`
      : '  Inbox        none (--no-inbox)',
    '  Verify       npm run kpi -- verify',
    '  Dead letters npm run dlq -- list',
    `  Metrics      ${api}/metrics   Health: ${api}/health`,
    `  Logs         ${logs}/<service>.log`,
    '',
  ].join('\n'),
);
