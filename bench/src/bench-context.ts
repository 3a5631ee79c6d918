import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions } from './cli-options';
import { createBenchDatabase, type BenchDatabase } from './infra/bench-database';
import { CleanupStack } from './infra/cleanup';
import { BENCH_NAMESPACE_PREFIX, TopicAdmin, pipelineTopics } from './infra/kafka-topics';
import { LocalPipeline, REPO_ROOT, type LocalPipelineOptions } from '@claims/harness';

/** Prints progress to stderr, so stdout carries only the results table. */
export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Everything a phase needs from the run: infrastructure, folders, options, and the cleanup stack. */
export class BenchContext {
  readonly runId = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase()}-${randomBytes(2).toString('hex')}`;
  /** The ingestor's INGEST_ROOT: generated files live here (gitignored). */
  readonly ingestRoot = join(REPO_ROOT, '.cache', 'bench');
  readonly logRoot: string;
  readonly cleanup = new CleanupStack();

  constructor(
    readonly options: BenchOptions,
    readonly brokers: string,
    readonly adminDatabaseUrl: string,
    readonly topics: TopicAdmin,
  ) {
    this.logRoot = join(this.ingestRoot, 'logs', this.runId);
    mkdirSync(this.logRoot, { recursive: true });
  }

  /** Every topic of this run starts with this. */
  get topicPrefix(): string {
    return `${BENCH_NAMESPACE_PREFIX}${this.runId.replace(/[^a-z0-9]/g, '')}-`;
  }

  /** A topic namespace of the phase's own (must match the contracts' pattern: lower-case, digits, dashes). */
  namespace(phase: string): string {
    return `${this.topicPrefix}${phase}`.slice(0, 41);
  }

  async database(label: string): Promise<BenchDatabase> {
    const database = await createBenchDatabase(this.adminDatabaseUrl, label);
    this.cleanup.push(`drop database ${database.name}`, () => database.drop());
    return database;
  }

  /**
   * A pipeline in its own namespace on `databaseUrl`, stopped and its topics
   * deleted when the phase unwinds; `shape` overrides --partitions and the
   * one instance per consumer service.
   */
  async pipeline(
    phase: string,
    databaseUrl: string,
    shape: Pick<LocalPipelineOptions, 'topicPartitions' | 'instances'> = {},
  ): Promise<LocalPipeline> {
    const namespace = this.namespace(phase);
    const logDirectory = join(this.logRoot, phase);
    const pipeline = await LocalPipeline.create({
      brokers: this.brokers,
      databaseUrl,
      topicNamespace: namespace,
      ingestRoot: this.ingestRoot,
      logDirectory,
      extraEnv: {
        ...(this.options.fetchMebibytes === undefined
          ? {}
          : { KAFKA_FETCH_MAX_BYTES_PER_PARTITION: String(this.options.fetchMebibytes * 1024 * 1024) }),
        ...(this.options.fetchGatherMs === undefined
          ? {}
          : { KAFKA_FETCH_GATHER_MS: String(this.options.fetchGatherMs) }),
      },
      // Every process a service starts as (restarts and replicas too) writes its own profile when it exits.
      ...(this.options.cpuProfile
        ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${join(logDirectory, 'cpu-profiles')}`] }
        : {}),
      topicPartitions: shape.topicPartitions ?? this.options.topicPartitions,
      instances: shape.instances,
    });
    this.cleanup.push(`delete topics of ${namespace}`, () => this.topics.deleteTopics(pipelineTopics(namespace)));
    this.cleanup.push(`stop the ${phase} services`, () => pipeline.stop());
    return pipeline;
  }

  /** Runs a phase and unwinds what it set up, whether it succeeded or not. */
  async phase<T>(name: string, body: () => Promise<T>): Promise<T> {
    const mark = this.cleanup.depth();
    const started = Date.now();
    progress(`${name}: started`);
    try {
      return await body();
    } finally {
      await this.cleanup.unwindTo(mark, (description, error) =>
        progress(`${name}: cleanup "${description}" failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      progress(`${name}: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
}
