// @long-running: about four minutes of faults and recoveries; jest.sequencer.js starts it first.
import { generateEdiScenario, generateFile } from '@claims/claims-generator';
import {
  REPO_ROOT,
  failureReasons,
  plannedKills,
  planChaos,
  runChaos,
  servicesPastMemoryLimit,
  type ChaosRunResult,
} from '@claims/harness';
import { join } from 'node:path';

/** Fixed, so a failing run is replayed fault for fault with `npm run chaos -- --profile short --seed 20261202`. */
const SEED = 20_261_202;

/**
 * `npm run chaos -- --profile short` inside `npm test`: a private broker and
 * Postgres, the five services, generated files of several layouts with
 * fuzzed records and bad files among them, and a handful of faults of each
 * kind. The runner makes every check; this spec holds it to its verdicts.
 */
describe('the short chaos profile: service kills, rebalances, broker and Postgres restarts under a mixed replay', () => {
  let result: ChaosRunResult;

  beforeAll(async () => {
    result = await runChaos({
      seed: SEED,
      profile: 'short',
      generators: { generateFile, generateEdiScenario },
      workDirectory: join(REPO_ROOT, '.cache', 'test-logs', `chaos-short-${Date.now()}`),
    });
  }, 1_500_000);

  it('injects every planned fault, a kill of each service among them', () => {
    const plan = planChaos(SEED, 'short');
    expect(result.scenarios.map((scenario) => scenario.faults.length)).toEqual(
      plan.scenarios.map((scenario) => scenario.faults.length),
    );
    expect(plannedKills(plan)).toBeGreaterThanOrEqual(7);
  });

  it('ends every scenario with each record folded or dead-lettered once, KPIs as the manifests say and replays changing nothing', () => {
    const failures = result.scenarios.flatMap((scenario) =>
      failureReasons(scenario).map((reason) => `${scenario.name}: ${reason}`),
    );
    expect(failures).toEqual([]);
    expect(result.rows.map((row) => [row.scenario, row.lost, row.doubled, row.verdict])).toEqual(
      result.rows.map((row) => [row.scenario, 0, 0, 'PASS']),
    );
  });

  it('dead-letters fuzzed records and refuses bad files while every clean record folds', () => {
    const files = result.scenarios.flatMap((scenario) => scenario.files);
    expect(files.filter((file) => file.kind === 'fuzzed').some((file) => file.deadLettered > 0)).toBe(true);
    expect(files.filter((file) => file.kind === 'bad-file').every((file) => file.folded === 0)).toBe(true);
    const clean = files.filter((file) => file.kind === 'clean');
    // A clean record is folded, or found duplicate of the same bytes replayed before: never dead-lettered.
    expect(clean.every((file) => file.deadLettered === 0 && file.folded + file.duplicates === file.recordsRead)).toBe(
      true,
    );
  });

  it('samples every service through the long Postgres outage and finds its memory flat', () => {
    const outages = result.scenarios.flatMap((scenario) =>
      scenario.faults.filter((outcome) => outcome.fault.kind === 'postgres-outage'),
    );
    expect(outages).toHaveLength(1);
    const [outage] = outages;
    expect(outage?.memory?.map((entry) => entry.service).sort()).toEqual(
      ['api', 'enricher', 'ingestor', 'metrics', 'normalizer'].sort(),
    );
    expect(servicesPastMemoryLimit(outage?.memory ?? [])).toEqual([]);
    expect(outage?.recordsArrivedDuringOutage).toEqual(expect.any(Number));
  });

  it('measures a recovery time for every fault', () => {
    for (const scenario of result.scenarios) {
      for (const outcome of scenario.faults) expect(outcome.recoverySeconds).toEqual(expect.any(Number));
    }
  });
});
