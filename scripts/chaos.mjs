// `npm run chaos`: the five services as processes against a private Kafka
// broker and a private Postgres of the run's own, fed generated files of
// several layouts (DE-SynPUF carrier, RIF, billing and pended-queue exports,
// an X12 EDI scenario) with hostile input mixed in, while seeded faults
// strike: service SIGKILLs, broker and Postgres crashes, rebalances. After
// each scenario every record, KPI and replay is checked; prints a table,
// writes chaos/results/*.json, exits 1 if a scenario failed.
//
//   npm run chaos                          the default profile (200 kills and the rest; under 30 minutes)
//   npm run chaos -- --profile short       a handful of faults of each kind (a few minutes)
//   npm run chaos -- --seed 42             replays the run of seed 42 fault for fault
//   npm run chaos -- --skip-build          reuse dist/ as it is
//   npm run chaos -- --help                every option
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ensureDependencies, repoRoot } from './lib/bootstrap.mjs';

const args = process.argv.slice(2);
if (!args.includes('--help')) {
  ensureDependencies();
  if (!args.includes('--skip-build')) build();
}
process.env.TZ = 'UTC';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const load = (lib) => import(pathToFileURL(join(repoRoot, 'dist', 'libs', lib, 'src', 'index.js')).href);
const harness = await load('harness');
const generator = await load('claims-generator');
const code = await harness.runChaosCommand(args, {
  generateFile: generator.generateFile,
  generateEdiScenario: generator.generateEdiScenario,
});
process.exit(code);
