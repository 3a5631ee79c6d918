// `node scripts/x12-throughput.mjs`: how fast the X12 reader turns a generated 837P into claim
// events, and how much memory it takes. Compiles libs/x12 and libs/claims-generator (only those,
// into .cache/x12-throughput, leaving dist/ alone), writes a seeded EDI scenario (reused when an
// identical one is there), then reads its 837P in a fresh process the way the ingestor and the
// normalizer do: the envelope-verdict pass, the transaction-set pass, a raw event per set and
// normalizeX12Record. Prints claims/s, MiB/s and the reading process's peak RSS.
//
//   node scripts/x12-throughput.mjs                 100,000 claims, seed 1
//   node scripts/x12-throughput.mjs --claims 20000 --seed 7 --json
//   node scripts/x12-throughput.mjs --skip-build    reuse the last compilation
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, say } from './lib/bootstrap.mjs';

const { values: options } = parseArgs({
  options: {
    claims: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'skip-build': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    measure: { type: 'string' },
  },
});
const cache = join(repoRoot, '.cache', 'x12-throughput');
const compiled = join(cache, 'dist');
const load = (lib) => createRequire(import.meta.url)(join(compiled, 'libs', lib, 'src', 'index.js'));

/** Only the two libs and what they import: a broken file elsewhere in the tree does not stop a measurement. */
function compile() {
  mkdirSync(cache, { recursive: true });
  const config = join(cache, 'tsconfig.json');
  const fromCache = (path) => relative(cache, join(repoRoot, path));
  writeFileSync(
    config,
    `${JSON.stringify(
      {
        extends: fromCache('tsconfig.build.json'),
        compilerOptions: { rootDir: fromCache('.'), outDir: './dist', sourceMap: false },
        include: [fromCache('libs/x12/src/**/*.ts'), fromCache('libs/claims-generator/src/**/*.ts')],
        exclude: [fromCache('**/*.spec.ts'), fromCache('**/__tests__/**')],
      },
      null,
      2,
    )}\n`,
  );
  const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
  say('compiling libs/x12 and libs/claims-generator (tsc)');
  execFileSync(bin('tsc'), ['-p', config], { cwd: repoRoot, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', config], { cwd: repoRoot, stdio: 'inherit' });
}

/** Runs in its own process, so the peak RSS is the reader's and not the generator's. */
async function measure(path) {
  const x12 = load('x12');
  const { rawRecordEvent } = load('source-layouts');
  const { sha256Hex } = load('contracts');
  const open = () => x12.x12TokensOf(createReadStream(path, { highWaterMark: 64 * 1024 }));
  const started = process.hrtime.bigint();
  const cpuAtStart = process.cpuUsage();
  const verdicts = await x12.x12EnvelopeVerdictsOf(open());
  const firstPassSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  let transactionSets = 0;
  let claims = 0;
  let failures = 0;
  for await (const item of x12.x12TransactionSetsOf(open(), { verdicts, maxTransactionChars: 921_600 })) {
    if (item.kind === 'failure') {
      failures += 1;
      continue;
    }
    const transaction = item.transaction;
    const raw = rawRecordEvent({
      layout: x12.x12LayoutOf(transaction),
      record: x12.transactionSetText(transaction),
      recordNumber: transaction.recordNumber,
      source: path,
      fileId: sha256Hex(path),
      publishedAt: new Date().toISOString(),
      claimId: null,
      header: JSON.stringify(x12.x12RecordContextOf(transaction)),
    });
    transactionSets += 1;
    claims += x12.normalizeX12Record(raw, { patientTokenKey: 'x12-throughput' }).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // On a shared machine the wall clock counts other processes' turns: CPU time is the reader's own.
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // ru_maxrss is the kernel's own high-water mark (KiB on Linux): no sample can miss the peak.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ transactionSets, claims, failures, seconds, cpuSeconds, firstPassSeconds, peakRssBytes })}\n`,
  );
}

async function main() {
  if (options.measure) return measure(options.measure);
  const claims = Number(options.claims);
  const seed = Number(options.seed);
  if (!Number.isSafeInteger(claims) || claims < 1) throw new Error(`--claims must be a positive whole number`);
  if (!options['skip-build'] || !existsSync(join(compiled, 'libs', 'x12', 'src', 'index.js'))) compile();
  const { generateScenario } = load('claims-generator');
  const directory = join(cache, `edi-scenario-s${seed}-n${claims}`);
  const manifestPath = join(directory, 'manifest.json');
  let manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  if (
    !manifest ||
    statSync(manifest.files.claims.path, { throwIfNoEntry: false })?.size !== manifest.files.claims.bytes
  ) {
    say(`generating an EDI scenario of ${claims} claims (seed ${seed}) in ${relative(repoRoot, directory)}`);
    manifest = await generateScenario({ scenario: 'x12.edi-scenario', seed, claims, directory });
    say(`generated in ${manifest.generationSeconds.toFixed(1)} s`);
  }
  const file = manifest.files.claims;
  const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--measure', file.path], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the measuring process exited with ${child.status}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop());
  if (result.claims !== manifest.expected.claimsSubmitted || result.failures > 0) {
    throw new Error(
      `read ${result.claims} claims and ${result.failures} failures, the manifest says ${manifest.expected.claimsSubmitted} claims`,
    );
  }
  const mebibytes = file.bytes / 2 ** 20;
  const figures = {
    file: relative(repoRoot, file.path),
    fileMebibytes: Number(mebibytes.toFixed(1)),
    claims: result.claims,
    transactionSets: result.transactionSets,
    seconds: Number(result.seconds.toFixed(2)),
    envelopePassSeconds: Number(result.firstPassSeconds.toFixed(2)),
    cpuSeconds: Number(result.cpuSeconds.toFixed(2)),
    claimsPerSecond: Math.round(result.claims / result.seconds),
    claimsPerCpuSecond: Math.round(result.claims / result.cpuSeconds),
    mebibytesPerSecond: Number((mebibytes / result.seconds).toFixed(1)),
    peakRssMebibytes: Number((result.peakRssBytes / 2 ** 20).toFixed(0)),
    node: process.version,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else {
    process.stdout.write(
      [
        `837P ${figures.file}: ${figures.claims} claims in ${figures.transactionSets} transaction sets, ${figures.fileMebibytes} MiB`,
        `read (two passes, raw events, normalizeX12Record) in ${figures.seconds} s (envelope pass ${figures.envelopePassSeconds} s)`,
        `${figures.claimsPerSecond} claims/s wall clock, ${figures.claimsPerCpuSecond} claims per CPU second (${figures.cpuSeconds} s CPU)`,
        `${figures.mebibytesPerSecond} MiB/s, peak RSS ${figures.peakRssMebibytes} MiB (${figures.node})`,
        '',
      ].join('\n'),
    );
  }
}

main().catch((error) => {
  process.stderr.write(`x12-throughput: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
