import type { IngestReport } from '@claims/contracts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IngestFailedError, IngestRefusedError, LocalPipeline, PIPELINE_SERVICES } from '../local-pipeline';
import { PrivateKafkaBroker } from '../private-kafka-broker';
import { PrivatePostgres } from '../private-postgres';
import type { RestartPolicy, ServiceName, ServiceProcess } from '../service-process';
import { createIsolatedDatabase, type IsolatedDatabase } from '../test-environment';
import { waitFor } from '../wait-for';
import { writeWave, type ChaosGenerators, type ChaosInput, type EdiExpectations } from './chaos-inputs';
import { chaosRandomFor } from './chaos-random';
import {
  failureReasons,
  runPassed,
  scenarioRow,
  type FaultOutcome,
  type FileOutcome,
  type ScenarioResult,
  type ScenarioRow,
} from './chaos-report';
import {
  describeFault,
  planChaos,
  plannedKills,
  type ChaosPlan,
  type ChaosProfileName,
  type Fault,
  type ScenarioPlan,
} from './fault-schedule';
import { servicesPastMemoryLimit, startMemorySampler, type ServiceMemory } from './memory-sampler';
import { kpiSnapshot, settledVerification, waitUntilQuiet, type Verification } from './pipeline-settling';
import { ProgressProbe, type Stage, type StageCounts } from './progress-probe';

export interface ChaosRunOptions {
  seed: number;
  profile: ChaosProfileName;
  generators: ChaosGenerators;
  /** Where the private broker and Postgres, the inputs and the service logs go; kept logs stay after the run. */
  workDirectory: string;
  /** Progress lines (stderr by default). */
  report?: (line: string) => void;
  /** On Ctrl-C or SIGTERM, stop the services, the broker and Postgres, then exit (the command; never a test). */
  cleanUpOnSignals?: boolean;
}

export interface ChaosRunResult {
  seed: number;
  profile: ChaosProfileName;
  startedAt: string;
  durationSeconds: number;
  plannedKills: number;
  scenarios: ScenarioResult[];
  rows: ScenarioRow[];
  passed: boolean;
  /** The services' logs, the broker's and Postgres's, for a post-mortem. */
  logDirectory: string;
}

/** A short, flat restart: the faults are the test, not a crash loop to back off from (as in the crash-point spec). */
const CHAOS_RESTART_POLICY: RestartPolicy = {
  initialRestartDelayMs: 200,
  maxRestartDelayMs: 2_000,
  stableRunMs: 5_000,
};
const RECOVERY_DEADLINE_MS = 120_000;
/** With nothing left to replay, a stage that does not move for this long had nothing to do. */
const NOTHING_IN_FLIGHT_MS = 10_000;
const PROBE_INTERVAL_MS = 250;
/** A file the ingestor kills keep cutting short is replayed again; once the faults stop, its next attempt completes. */
const INGEST_ATTEMPTS = 100;

/** The output that shows a service's stage working again. */
const STAGE_OF: Record<ServiceName, Stage | null> = {
  ingestor: 'raw',
  normalizer: 'normalized',
  enricher: 'enriched',
  metrics: 'folded',
  api: null,
};

interface TrackedFile extends ChaosInput {
  attempts: number;
  report: IngestReport | null;
  refused: string | null;
}

interface ClaimLifecycleFigures {
  functionalAcknowledgementRejectionRate: { numerator: number; denominator: number };
  claimAcknowledgementRejectionRate: { numerator: number; denominator: number };
}

interface Baseline {
  claimsReceived: number;
  lifecycle: ClaimLifecycleFigures;
}

/** Everything a scenario needs from the run: the pipeline, its standby instances, the infrastructure to fault. */
class ChaosContext {
  /** Files replayed so far in the current scenario. */
  activeIngestions = 0;

  constructor(
    readonly options: ChaosRunOptions,
    readonly plan: ChaosPlan,
    readonly broker: PrivateKafkaBroker,
    readonly postgres: PrivatePostgres,
    readonly database: IsolatedDatabase,
    readonly namespace: string,
    readonly ingestRoot: string,
    readonly pipeline: LocalPipeline,
    /** One more instance of each service, same settings: what a second consumer in the group is started from. */
    readonly standby: LocalPipeline,
    readonly probe: ProgressProbe,
    readonly killTrigger: string,
  ) {}

  say(line: string): void {
    (this.options.report ?? ((text: string) => process.stderr.write(`${text}\n`)))(`[chaos] ${line}`);
  }

  groupOf(service: ServiceName): string {
    return `${this.namespace}.claims-${service}`;
  }
}

/**
 * `npm run chaos`: the five services as processes against a private broker
 * and a private Postgres, fed generated files of several layouts with
 * hostile input mixed in, while seeded faults strike; after each scenario
 * the pipeline drains and every record, KPI and replay is checked.
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const started = Date.now();
  const plan = planChaos(options.seed, options.profile);
  const runId = `${options.seed}-${randomBytes(3).toString('hex')}`;
  const namespace = `chaos-${runId}`.toLowerCase().slice(0, 40);
  const directory = options.workDirectory;
  const logDirectory = join(directory, 'logs');
  const ingestRoot = join(directory, 'ingest');
  mkdirSync(ingestRoot, { recursive: true });
  const say = (line: string): void =>
    (options.report ?? ((text: string) => process.stderr.write(`${text}\n`)))(`[chaos] ${line}`);

  const cleanup: Array<() => Promise<unknown>> = [];
  const runCleanup = async (): Promise<void> => {
    for (const step of cleanup.splice(0)) await step().catch((error: unknown) => say(`cleanup: ${String(error)}`));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    say(`${signal}: stopping the services, the broker and Postgres`);
    void runCleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  if (options.cleanUpOnSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    say(`seed ${options.seed}, profile ${options.profile}: starting a private broker and a private Postgres`);
    const [broker, postgres] = await Promise.all([
      PrivateKafkaBroker.start(join(directory, 'kafka')),
      PrivatePostgres.start(join(directory, 'postgres')),
    ]);
    cleanup.push(
      () => broker.destroy(),
      () => postgres.destroy(),
    );
    const database = await createIsolatedDatabase('chaos', postgres.adminUrl);
    const killTrigger = join(directory, 'kill-after-fold-commit');
    const patientTokenKey = randomBytes(24).toString('hex');
    const common = {
      brokers: broker.brokers,
      databaseUrl: database.url,
      topicNamespace: namespace,
      ingestRoot,
      logLevel: 'warn',
      patientTokenKey,
      restartPolicy: CHAOS_RESTART_POLICY,
      // The broker's floor: a frozen or killed consumer's partitions move on sooner.
      extraEnv: { KAFKA_SESSION_TIMEOUT_MS: '6000' },
      report: (line: string) => say(line.replace(/^\[harness\] /, '')),
    };
    const pipeline = await LocalPipeline.create({
      ...common,
      logDirectory,
      serviceEnv: { metrics: { FAULT_KILL_AFTER_FOLD_COMMIT_FILE: killTrigger } },
    });
    const standby = await LocalPipeline.create({ ...common, logDirectory: join(logDirectory, 'second-instances') });
    cleanup.unshift(
      () => pipeline.stop(),
      () => standby.stop(),
    );
    say('starting the five services');
    await pipeline.start();
    const probe = new ProgressProbe(broker.brokers, namespace, database.url);
    cleanup.unshift(() => probe.close());
    const context = new ChaosContext(
      options,
      plan,
      broker,
      postgres,
      database,
      namespace,
      ingestRoot,
      pipeline,
      standby,
      probe,
      killTrigger,
    );

    const scenarios: ScenarioResult[] = [];
    for (const [index, scenario] of plan.scenarios.entries()) {
      say(`scenario ${scenario.name}: ${scenario.faults.length} faults (${scenario.description})`);
      const result = await runScenario(context, scenario, index);
      const row = scenarioRow(result);
      say(
        `scenario ${scenario.name}: ${row.verdict}${row.verdict === 'FAIL' ? `: ${failureReasons(result).join('; ')}` : ''}`,
      );
      scenarios.push(result);
    }
    const rows = scenarios.map(scenarioRow);
    return {
      seed: options.seed,
      profile: options.profile,
      startedAt: new Date(started).toISOString(),
      durationSeconds: (Date.now() - started) / 1000,
      plannedKills: plannedKills(plan),
      scenarios,
      rows,
      passed: runPassed(rows),
      logDirectory,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runCleanup();
    rmSync(ingestRoot, { recursive: true, force: true });
  }
}

async function baselineOf(context: ChaosContext): Promise<Baseline> {
  const [summary, lifecycle] = await Promise.all([
    context.pipeline.api<{ claimsReceived: number }>('/v1/kpis/summary'),
    context.pipeline.api<ClaimLifecycleFigures>('/v1/kpis/claim-lifecycle'),
  ]);
  return { claimsReceived: summary.claimsReceived, lifecycle };
}

async function runScenario(context: ChaosContext, scenario: ScenarioPlan, index: number): Promise<ScenarioResult> {
  const started = Date.now();
  const problems: string[] = [];
  const baseline = await baselineOf(context);
  const random = chaosRandomFor(context.plan.seed, `inputs-${scenario.name}`);
  const files: TrackedFile[] = [];
  const ediExpected: EdiExpectations[] = [];
  let faultsDone = false;

  // Waves of new files until every fault has struck, so the faults always land in a flowing stream.
  const feeding = (async () => {
    for (let wave = 0; wave === 0 || !faultsDone; wave += 1) {
      const written = await writeWave({
        generators: context.options.generators,
        ingestRoot: context.ingestRoot,
        folder: join(`s${index}-${scenario.name}`, `w${wave}`),
        scenarioIndex: index,
        waveIndex: wave,
        size: context.plan.wave,
        random,
      });
      if (written.edi) ediExpected.push(written.edi);
      const tracked = written.lanes.map((lane) =>
        lane.map((input): TrackedFile => ({ ...input, attempts: 0, report: null, refused: null })),
      );
      files.push(...tracked.flat());
      await Promise.all(
        tracked.map(async (lane) => {
          for (const file of lane) await ingestFile(context, file, file.ratePerSecond);
        }),
      );
    }
  })();
  feeding.catch(() => undefined);

  const faults: FaultOutcome[] = [];
  try {
    // Let records reach the fold before the first fault.
    await waitFor(
      'the first records to be folded',
      () => context.probe.counts(),
      (counts) => (counts?.folded ?? 0) > 0,
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch(() => problems.push('no record was folded within 180 s of the first replay'));
    // A killed service is restarted while the next fault strikes another: kills overlap as they would in a bad hour,
    // and 200 of them fit the default profile's budget. A service is killed again only once it is back; the other
    // faults (rebalances, broker, Postgres) wait until every kill before them has recovered.
    const recovering = new Map<ServiceName, Promise<void>>();
    const outcomes: Array<Promise<FaultOutcome>> = [];
    const logged = (outcome: FaultOutcome): FaultOutcome => {
      const recovery = outcome.recoverySeconds === null ? 'did not recover' : `${outcome.recoverySeconds.toFixed(1)} s`;
      context.say(`  ${outcome.description}: ${recovery}${outcome.note ? ` (${outcome.note})` : ''}`);
      return outcome;
    };
    for (const fault of scenario.faults) {
      await sleep(fault.gapMs);
      if (fault.kind === 'service-kill' || fault.kind === 'kill-after-fold-commit') {
        // Killed again once it is back, not only once its progress has been seen: recoveries overlap too.
        await recovering.get(fault.service);
        let back: () => void = () => undefined;
        const isBack = new Promise<void>((resolve) => (back = resolve));
        const outcome = injectFault(context, fault, started, () => back()).then(logged);
        recovering.set(fault.service, Promise.race([isBack, outcome.then(() => undefined)]));
        outcomes.push(outcome);
        // The kill itself has happened once the process is gone; its recovery is measured meanwhile.
        await waitFor(
          `the ${fault.service} to be down`,
          async () => context.pipeline.services[fault.service].pid,
          (pid) => pid === null,
          { timeoutMs: 65_000, intervalMs: 50 },
        ).catch(() => undefined);
      } else {
        await Promise.all(outcomes);
        const outcome = await injectFault(context, fault, started).then(logged);
        outcomes.push(Promise.resolve(outcome));
      }
    }
    faults.push(...(await Promise.all(outcomes)));
  } catch (error) {
    problems.push(`fault injection stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    faultsDone = true;
    await stopStandbys(context);
  }
  await feeding.catch((error: unknown) => problems.push(`replay stopped: ${String(error)}`));
  context.say(`  ${files.length} files replayed; draining`);

  const settled = await settle(context, files, baseline, ediExpected, problems);
  const restartsBeforeReplay = context.pipeline.restartCounts();
  const replay = await replayChangesNothing(context, files, problems);
  const restartsAfter = context.pipeline.restartCounts();
  const healthy = await allHealthy(context);
  const crashLooping = PIPELINE_SERVICES.filter((name) => restartsAfter[name] !== restartsBeforeReplay[name]);
  if (crashLooping.length > 0) problems.push(`restarted after the faults ended: ${crashLooping.join(', ')}`);
  if (!healthy) problems.push('a service was not healthy at the end');

  const unrecovered = faults.filter((outcome) => outcome.recoverySeconds === null);
  return {
    name: scenario.name,
    description: scenario.description,
    durationSeconds: (Date.now() - started) / 1000,
    faults,
    files: settled.files,
    expectedClaims: settled.expectedClaims,
    claimsReceivedDelta: settled.claimsReceivedDelta,
    checks: {
      ...settled.checks,
      replayChangedNothing: replay,
      noCrashLoop: crashLooping.length === 0 && healthy,
      faultsRecovered: unrecovered.length === 0 && faults.length === scenario.faults.length,
      memoryFlat: faults.every((outcome) => servicesPastMemoryLimit(outcome.memory ?? []).length === 0),
    },
    problems,
  };
}

/** Replays a file until it has a report, the ingestor refuses it, or (hostile files) its job fails. */
async function ingestFile(context: ChaosContext, file: TrackedFile, ratePerSecond?: number): Promise<void> {
  const hostile = file.kind === 'bad-file' || file.kind === 'broken-x12';
  context.activeIngestions += 1;
  try {
    for (; file.attempts < INGEST_ATTEMPTS; ) {
      file.attempts += 1;
      try {
        file.report = await context.pipeline.ingest(file.name, ratePerSecond);
        file.refused = null;
        return;
      } catch (error) {
        if (error instanceof IngestRefusedError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          file.refused = `${error.status} ${error.body.slice(0, 200)}`;
          return;
        }
        if (error instanceof IngestFailedError && hostile) {
          file.refused = `${error.code}: ${error.reason.slice(0, 200)}`;
          return;
        }
        // A fault ended the job (the ingestor restarted, the broker went away): replay it once the ingestor is back.
        file.refused = error instanceof Error ? error.message.slice(0, 200) : String(error);
        await context.pipeline.services.ingestor.waitUntilHealthy(RECOVERY_DEADLINE_MS).catch(() => undefined);
        await sleep(1_000);
      }
    }
  } finally {
    context.activeIngestions -= 1;
  }
}

async function stopStandbys(context: ChaosContext): Promise<void> {
  await Promise.all(PIPELINE_SERVICES.map((name) => context.standby.services[name].stop()));
}

async function allHealthy(context: ChaosContext): Promise<boolean> {
  try {
    await Promise.all(PIPELINE_SERVICES.map((name) => context.pipeline.services[name].waitUntilHealthy(60_000)));
    return true;
  } catch {
    return false;
  }
}

async function untilRestarted(service: ServiceProcess, restartsBefore: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `the supervisor to restart the ${service.name}`,
    async () => service.restarts,
    (restarts) => restarts > restartsBefore,
    { timeoutMs, intervalMs: 50 },
  );
  await service.waitUntilHealthy(RECOVERY_DEADLINE_MS);
}

/** Injects one fault; a fault the harness could not inject or bring back is an outcome without recovery, not an end. */
async function injectFault(
  context: ChaosContext,
  fault: Fault,
  scenarioStarted: number,
  onBack: () => void = () => undefined,
): Promise<FaultOutcome> {
  const injectedAt = Date.now();
  try {
    return await injectAndRecover(context, fault, scenarioStarted, onBack);
  } catch (error) {
    return {
      fault,
      description: describeFault(fault),
      injectedAtMs: injectedAt - scenarioStarted,
      recoverySeconds: null,
      duringFlow: context.activeIngestions > 0,
      note: error instanceof Error ? error.message.slice(0, 300) : String(error),
    };
  }
}

/** Injects one fault, brings the faulted part back as a deployment would, and measures the time to progress. */
async function injectAndRecover(
  context: ChaosContext,
  fault: Fault,
  scenarioStarted: number,
  /** Called once the faulted service is healthy again, before its progress is awaited. */
  onBack: () => void,
): Promise<FaultOutcome> {
  const before = await context.probe.counts();
  let faultAt = Date.now();
  const duringFlow = context.activeIngestions > 0;
  let stage: Stage | null = 'folded';
  let note: string | undefined;
  const primary = (name: ServiceName): ServiceProcess => context.pipeline.services[name];
  let standbyToStop: ServiceProcess | null = null;
  let memory: ServiceMemory[] | undefined;
  let recordsArrivedDuringOutage: number | undefined;

  switch (fault.kind) {
    case 'service-kill': {
      stage = STAGE_OF[fault.service];
      const service = primary(fault.service);
      const restarts = service.restarts;
      faultAt = Date.now();
      await service.kill('SIGKILL');
      await untilRestarted(service, restarts);
      onBack();
      break;
    }
    case 'kill-after-fold-commit': {
      const service = primary('metrics');
      const restarts = service.restarts;
      writeFileSync(context.killTrigger, '');
      try {
        await waitFor(
          'a fold commit to trigger the kill',
          async () => service.restarts,
          (n) => n > restarts,
          {
            timeoutMs: 60_000,
            intervalMs: 50,
          },
        );
        faultAt = service.restartHistory[service.restartHistory.length - 1]?.at.getTime() ?? Date.now();
        await service.waitUntilHealthy(RECOVERY_DEADLINE_MS);
        onBack();
      } catch {
        rmSync(context.killTrigger, { force: true });
        note = 'no fold committed within 60 s: the kill did not happen';
        return {
          fault,
          description: describeFault(fault),
          injectedAtMs: faultAt - scenarioStarted,
          recoverySeconds: null,
          duringFlow,
          note,
        };
      }
      break;
    }
    case 'kill-during-rebalance': {
      stage = STAGE_OF[fault.service];
      const second = context.standby.services[fault.service];
      const service = primary(fault.service);
      await second.start();
      standbyToStop = second;
      // The newcomer's join has started a rebalance: the first instance dies in the middle of it.
      const restarts = service.restarts;
      faultAt = Date.now();
      await service.kill('SIGKILL');
      await untilRestarted(service, restarts);
      break;
    }
    case 'second-instance': {
      stage = STAGE_OF[fault.service];
      const second = context.standby.services[fault.service];
      await second.start();
      // The second instance's stay is the fault being injected, not a wait for some state.
      await sleep(fault.runMs);
      faultAt = Date.now();
      await second.stop();
      break;
    }
    case 'freeze-until-moved': {
      stage = STAGE_OF[fault.service];
      const second = context.standby.services[fault.service];
      const service = primary(fault.service);
      const group = context.groupOf(fault.service);
      await second.start();
      standbyToStop = second;
      await waitFor(
        `two members in ${group}`,
        () => context.probe.group(group),
        (found) => found?.state === 'Stable' && found.members === 2,
        {
          timeoutMs: 90_000,
          intervalMs: 500,
        },
      );
      faultAt = Date.now();
      service.pause();
      try {
        await waitFor(
          `the frozen ${fault.service}'s partitions to move`,
          () => context.probe.group(group),
          (g) => g !== null && g.members === 1,
          { timeoutMs: 120_000, intervalMs: 500 },
        );
      } finally {
        service.resume();
      }
      break;
    }
    case 'broker-kill': {
      faultAt = Date.now();
      await context.broker.kill();
      // The outage's length is the fault being injected.
      await sleep(fault.downMs);
      await context.broker.startAgain();
      break;
    }
    case 'postgres-stop': {
      faultAt = Date.now();
      await context.postgres.stopImmediately();
      await sleep(fault.downMs);
      await context.postgres.startAgain();
      break;
    }
    case 'postgres-outage': {
      const sampler = startMemorySampler(() => PIPELINE_SERVICES.map((name) => [name, primary(name).pid] as const));
      const endsBefore = await context.probe.topicEnds();
      faultAt = Date.now();
      try {
        await context.postgres.stopImmediately();
        // The outage's length is the fault being injected.
        await sleep(fault.downMs);
      } finally {
        memory = sampler.stop();
      }
      const ends = await context.probe.topicEnds();
      if (ends && endsBefore) recordsArrivedDuringOutage = Math.max(ends.raw - endsBefore.raw, 0);
      await context.postgres.startAgain();
      break;
    }
  }

  const progress = await progressResumed(context, stage, before);
  if (progress.note) note = progress.note;
  if (standbyToStop) await standbyToStop.stop();
  return {
    fault,
    description: describeFault(fault),
    injectedAtMs: faultAt - scenarioStarted,
    recoverySeconds: progress.at === null ? null : (progress.at - faultAt) / 1000,
    duringFlow,
    ...(note ? { note } : {}),
    ...(memory ? { memory } : {}),
    ...(recordsArrivedDuringOutage === undefined ? {} : { recordsArrivedDuringOutage }),
  };
}

/**
 * Waits until `stage` has moved past where it stood before the fault, or,
 * with nothing left to replay, has stood still for a while (it had nothing
 * to do). Answers when that happened, null past the deadline.
 */
async function progressResumed(
  context: ChaosContext,
  stage: Stage | null,
  before: StageCounts | null,
): Promise<{ at: number | null; note?: string }> {
  if (stage === null) return { at: Date.now() };
  const deadline = Date.now() + RECOVERY_DEADLINE_MS;
  let idleSince: number | null = null;
  let baseline = before?.[stage] ?? null;
  while (Date.now() < deadline) {
    const counts = await context.probe.counts();
    if (counts) {
      baseline ??= counts[stage];
      if (counts[stage] > baseline) return { at: Date.now() };
      if (context.activeIngestions === 0) {
        idleSince ??= Date.now();
        if (Date.now() - idleSince >= NOTHING_IN_FLIGHT_MS) {
          return { at: idleSince, note: 'nothing left in flight: back when healthy' };
        }
      } else {
        idleSince = null;
      }
    }
    await sleep(PROBE_INTERVAL_MS);
  }
  return { at: null, note: `the ${stage} stage did not move within ${RECOVERY_DEADLINE_MS / 1000} s` };
}

/** Drains the scenario's input and checks accounting, verification and KPI totals against the manifests. */
async function settle(
  context: ChaosContext,
  files: TrackedFile[],
  baseline: Baseline,
  ediExpected: EdiExpectations[],
  problems: string[],
): Promise<{
  files: FileOutcome[];
  expectedClaims: number;
  claimsReceivedDelta: number;
  checks: Omit<ScenarioResult['checks'], 'replayChangedNothing' | 'noCrashLoop' | 'faultsRecovered' | 'memoryFlat'>;
}> {
  const reported = files.filter((file) => file.report !== null);
  const fileIds = [...new Set(reported.map((file) => file.report?.fileId ?? ''))];
  const verification = await settledVerification(context.pipeline, { fileIds, timeoutMs: 300_000 });
  const outcomes = files.map((file) => fileOutcome(file, verification));

  const hostileClaims = files.reduce((sum, file, index) => {
    const outcome = outcomes[index];
    return sum + (file.expectedClaims === null && outcome ? outcome.folded * file.claimsPerFoldedRecord : 0);
  }, 0);
  const expectedClaims = files.reduce((sum, file) => sum + (file.expectedClaims ?? 0), 0) + hostileClaims;
  const summary = await waitFor(
    `claims received to grow by ${expectedClaims}`,
    () => context.pipeline.api<{ claimsReceived: number }>('/v1/kpis/summary'),
    (answer) => answer.claimsReceived - baseline.claimsReceived >= expectedClaims,
    { timeoutMs: 120_000, intervalMs: 1_000 },
  ).catch(() => context.pipeline.api<{ claimsReceived: number }>('/v1/kpis/summary'));
  const claimsReceivedDelta = summary.claimsReceived - baseline.claimsReceived;

  const everyRecordAccountedOnce = outcomes.every(
    (file) =>
      file.recordsRead === null ||
      (file.status === 'accounted' &&
        file.unaccounted === 0 &&
        file.folded + file.duplicates + file.deadLettered === file.recordsRead),
  );
  const unreported = outcomes.filter(
    (file) => file.kind !== 'bad-file' && file.kind !== 'broken-x12' && file.recordsRead === null,
  );
  for (const file of unreported) problems.push(`${file.name} has no ingest report (${file.refused ?? 'no reason'})`);
  const cleanFilesAsGenerated = outcomes.every(
    (file) =>
      file.kind !== 'clean' ||
      (file.recordsRead !== null &&
        file.deadLettered === 0 &&
        file.folded + file.duplicates === file.recordsRead &&
        (file.expectedRecords === null || file.recordsRead === file.expectedRecords)),
  );
  const badFilesRefused = outcomes.every((file) => file.kind !== 'bad-file' || file.folded === 0);
  for (const file of outcomes.filter((entry) => entry.kind === 'bad-file' && entry.folded > 0)) {
    problems.push(`bad file ${file.name} folded ${file.folded} records`);
  }

  const lifecycle = await context.pipeline.api<ClaimLifecycleFigures>('/v1/kpis/claim-lifecycle');
  const edi = ediExpected.reduce(
    (sum, expected) => ({
      rejectedBy999: sum.rejectedBy999 + expected.transactionSetsRejectedBy999,
      acknowledgedBy277ca:
        sum.acknowledgedBy277ca + expected.claimsAcknowledgedBy277ca + expected.claimsRejectedBy277ca,
      rejectedBy277ca: sum.rejectedBy277ca + expected.claimsRejectedBy277ca,
    }),
    { rejectedBy999: 0, acknowledgedBy277ca: 0, rejectedBy277ca: 0 },
  );
  const served = {
    rejectedBy999:
      lifecycle.functionalAcknowledgementRejectionRate.numerator -
      baseline.lifecycle.functionalAcknowledgementRejectionRate.numerator,
    acknowledgedBy277ca:
      lifecycle.claimAcknowledgementRejectionRate.denominator -
      baseline.lifecycle.claimAcknowledgementRejectionRate.denominator,
    rejectedBy277ca:
      lifecycle.claimAcknowledgementRejectionRate.numerator -
      baseline.lifecycle.claimAcknowledgementRejectionRate.numerator,
  };
  const ediAsManifest = JSON.stringify(served) === JSON.stringify(edi);
  if (!ediAsManifest) problems.push(`EDI figures ${JSON.stringify(served)}, manifest ${JSON.stringify(edi)}`);
  if (claimsReceivedDelta !== expectedClaims) {
    problems.push(`claims received grew by ${claimsReceivedDelta}, the manifests say ${expectedClaims}`);
  }
  if (!verification.consistent) {
    problems.push(`verification: ${JSON.stringify(verification.mismatches).slice(0, 400)}`);
  }
  return {
    files: outcomes,
    expectedClaims,
    claimsReceivedDelta,
    checks: {
      everyRecordAccountedOnce: everyRecordAccountedOnce && unreported.length === 0,
      cleanFilesAsGenerated,
      badFilesRefused,
      verificationConsistent: verification.consistent,
      kpiTotalsAsManifest: ediAsManifest && claimsReceivedDelta === expectedClaims,
    },
  };
}

function fileOutcome(file: TrackedFile, verification: Verification): FileOutcome & { detail?: string } {
  const entry = file.report ? verification.files.find((listed) => listed.fileId === file.report?.fileId) : undefined;
  return {
    name: file.name,
    kind: file.kind,
    expectedRecords: file.expectedRecords,
    expectedClaims: file.expectedClaims,
    fileId: file.report?.fileId ?? null,
    attempts: file.attempts,
    refused: file.report ? null : file.refused,
    recordsRead: file.report ? (entry?.recordsRead ?? file.report.recordsRead) : null,
    folded: entry?.folded ?? 0,
    duplicates: entry?.duplicates ?? 0,
    deadLettered: entry?.deadLettered ?? 0,
    unaccounted: entry ? (entry.unaccounted ?? 0) : file.report ? file.report.recordsRead : 0,
    status: entry?.status ?? (file.report ? 'not listed' : 'refused'),
    ...(file.detail ? { detail: file.detail } : {}),
  };
}

/** Replays every file that had a report again, at full speed: no KPI may move. */
async function replayChangesNothing(context: ChaosContext, files: TrackedFile[], problems: string[]): Promise<boolean> {
  try {
    const before = await kpiSnapshot(context.pipeline);
    const again = files
      .filter((file) => file.report !== null)
      .map((file): TrackedFile => ({ ...file, attempts: 0, report: null, refused: null }));
    // Three at a time: the ingestor runs four jobs at most.
    const queue = [...again];
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let file = queue.shift(); file; file = queue.shift()) await ingestFile(context, file);
      }),
    );
    await waitUntilQuiet({
      brokers: context.broker.brokers,
      namespace: context.namespace,
      databaseUrl: context.database.url,
    });
    const fileIds = again.flatMap((file) => (file.report ? [file.report.fileId] : []));
    const verification = await settledVerification(context.pipeline, { fileIds, timeoutMs: 120_000 });
    const after = await kpiSnapshot(context.pipeline);
    const unchanged = JSON.stringify(after) === JSON.stringify(before);
    if (!unchanged) problems.push('replaying the inputs again changed a KPI');
    if (!verification.consistent) problems.push('the verification was inconsistent after the replay');
    return unchanged && verification.consistent;
  } catch (error) {
    problems.push(`replay check failed: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
