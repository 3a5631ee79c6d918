import { CLAIM_TOPICS, namespacedTopic } from '@claims/contracts';
import { REPO_ROOT, type ServiceName } from '@claims/harness';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { TopicOffsetReader } from '../infra/kafka-topics';
import { SamplingPause } from './sampling-pause';
import { readProcessMemory } from '@claims/harness';
import {
  cpuSeconds,
  findProcesses,
  machineCpuSince,
  readMachineCpu,
  readProcessCpu,
  type MachineCpu,
} from './process-stats';

export interface PipelineSample {
  atSeconds: number;
  rawRecords: number;
  normalizedRecords: number;
  enrichedRecords: number;
  deadLetterRecords: number;
  foldedRecords: number;
  /** Cumulative CPU seconds of each service (summed over its instances) since the sampler started. */
  serviceCpuSeconds: Partial<Record<ServiceName, number>>;
  serviceRssBytes: Partial<Record<ServiceName, number>>;
  /** Cumulative CPU of the Postgres backends serving each application_name (claims-metrics, claims-enricher, ...). */
  postgresCpuSecondsByApplication: Record<string, number>;
  brokerCpuSeconds: number | null;
  /** Busy and elapsed CPU time of the whole machine (every core, every process) since the sampler started. */
  machineCpu: MachineCpu;
}

/** Records on each claim topic, and enriched events the fold has committed (its offsets in consumer_offset). */
export type PipelineCounts = Pick<
  PipelineSample,
  'rawRecords' | 'normalizedRecords' | 'enrichedRecords' | 'deadLetterRecords' | 'foldedRecords'
>;

/** One read of every count, side by side; the fold's is 0 until its offsets table exists. */
export async function readPipelineCounts(
  topics: TopicOffsetReader,
  database: Client,
  namespace: string,
): Promise<PipelineCounts> {
  const topic = (name: (typeof CLAIM_TOPICS)[keyof typeof CLAIM_TOPICS]): string => namespacedTopic(name, namespace);
  const [rawRecords, normalizedRecords, enrichedRecords, deadLetterRecords, foldedRecords] = await Promise.all([
    topics.recordCount(topic(CLAIM_TOPICS.raw)),
    topics.recordCount(topic(CLAIM_TOPICS.normalized)),
    topics.recordCount(topic(CLAIM_TOPICS.enriched)),
    topics.recordCount(topic(CLAIM_TOPICS.deadLetter)),
    database
      .query<{ total: string | null }>(`SELECT sum(next_offset)::text AS total FROM consumer_offset WHERE topic = $1`, [
        topic(CLAIM_TOPICS.enriched),
      ])
      .then(({ rows }) => Number(rows[0]?.total ?? 0))
      .catch(() => 0),
  ]);
  return { rawRecords, normalizedRecords, enrichedRecords, deadLetterRecords, foldedRecords };
}

/** A service's process, or all its instances' processes. */
export type ServicePids = Partial<Record<ServiceName, number | readonly number[]>>;

/** The broker's pid when it runs on this machine (scripts/kafka/kafka.mjs records it); null under Docker. */
export function findBrokerPid(): number | null {
  try {
    const state = JSON.parse(readFileSync(join(REPO_ROOT, '.cache', 'kafka', 'state.json'), 'utf8')) as {
      mode?: string;
      pid?: number;
    };
    if (state.mode === 'local' && typeof state.pid === 'number') return state.pid;
  } catch {
    // No state file: the broker came from KAFKA_BROKERS.
  }
  return findProcesses((commandLine) => commandLine.includes('kafka.Kafka'))[0] ?? null;
}

/**
 * Samples a running pipeline every `intervalMs`: records on each topic, the
 * fold's committed offsets, and CPU and memory of every service, of the
 * Postgres backends by the service they serve, and of the broker. Counters
 * start at zero when the sampler starts, so a phase measures only itself.
 */
export class PipelineSampler {
  readonly samples: PipelineSample[] = [];
  private readonly startedAtMs = Date.now();
  private readonly serviceCpuBaseline = new Map<number, number>();
  private readonly machineCpuBaseline = readMachineCpu();
  private readonly backendCpu = new Map<number, { application: string; baseline: number; latest: number }>();
  private brokerCpuBaseline = 0;
  private running = true;
  private readonly pause = new SamplingPause();
  private loop: Promise<void> = Promise.resolve();
  private peakRss = new Map<ServiceName, number>();
  private readonly pids: Array<[ServiceName, readonly number[]]>;

  private constructor(
    private readonly topics: TopicOffsetReader,
    private readonly namespace: string,
    private readonly database: Client,
    pids: ServicePids,
    private readonly brokerPid: number | null,
  ) {
    this.pids = (Object.entries(pids) as Array<[ServiceName, number | readonly number[]]>).map(([name, ids]) => [
      name,
      typeof ids === 'number' ? [ids] : ids,
    ]);
  }

  static async start(input: {
    brokers: string;
    namespace: string;
    databaseUrl: string;
    /** One pid per service, or every instance's: CPU is summed over a service's instances. */
    pids: ServicePids;
    intervalMs?: number;
  }): Promise<PipelineSampler> {
    const database = new Client({ connectionString: input.databaseUrl, application_name: 'claims-bench-sampler' });
    database.on('error', () => undefined);
    await database.connect();
    const topics = await TopicOffsetReader.connect(input.brokers);
    const sampler = new PipelineSampler(topics, input.namespace, database, input.pids, findBrokerPid());
    for (const [, pids] of sampler.pids) {
      for (const pid of pids) sampler.serviceCpuBaseline.set(pid, cpuSeconds(readProcessCpu(pid)));
    }
    sampler.brokerCpuBaseline = sampler.brokerPid === null ? 0 : cpuSeconds(readProcessCpu(sampler.brokerPid));
    await sampler.trackBackends(true);
    await sampler.sample();
    sampler.loop = sampler.run(input.intervalMs ?? 500);
    return sampler;
  }

  latest(): PipelineSample | undefined {
    return this.samples[this.samples.length - 1];
  }

  /** Takes a last sample and closes the sampler's connection. */
  async stop(): Promise<PipelineSample[]> {
    if (!this.running) return this.samples;
    this.running = false;
    this.pause.end();
    await this.loop;
    await this.sample();
    await this.database.end();
    await this.topics.disconnect();
    return this.samples;
  }

  /**
   * The highest VmRSS seen and the kernel's VmHWM, whichever is larger, per
   * service: of its largest instance, what one process of it must be given.
   */
  peakRssBytes(): Partial<Record<ServiceName, number>> {
    const peaks: Partial<Record<ServiceName, number>> = {};
    for (const [name, pids] of this.pids) {
      const kernelPeaks = pids.map((pid) => readProcessMemory(pid)?.peakRssBytes ?? 0);
      peaks[name] = Math.max(this.peakRss.get(name) ?? 0, ...kernelPeaks);
    }
    return peaks;
  }

  private async run(intervalMs: number): Promise<void> {
    while (this.running) {
      await this.pause.wait(intervalMs);
      if (!this.running) break;
      await this.sample().catch(() => undefined);
    }
  }

  /** Backends connect and disconnect (pools); one first seen after the start began after it, so its baseline is 0. */
  private async trackBackends(atStart: boolean): Promise<void> {
    const { rows } = await this.database.query<{ pid: number; application_name: string }>(
      `SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    for (const row of rows) {
      const cpu = cpuSeconds(readProcessCpu(row.pid));
      const known = this.backendCpu.get(row.pid);
      if (known) known.latest = Math.max(known.latest, cpu);
      else
        this.backendCpu.set(row.pid, {
          application: row.application_name || '(none)',
          baseline: atStart ? cpu : 0,
          latest: cpu,
        });
    }
  }

  private async sample(): Promise<void> {
    const [counts] = await Promise.all([
      readPipelineCounts(this.topics, this.database, this.namespace),
      this.trackBackends(false).catch(() => undefined),
    ]);
    const serviceCpuSeconds: Partial<Record<ServiceName, number>> = {};
    const serviceRssBytes: Partial<Record<ServiceName, number>> = {};
    for (const [name, pids] of this.pids) {
      for (const pid of pids) {
        const cpu = readProcessCpu(pid);
        if (cpu) {
          serviceCpuSeconds[name] =
            (serviceCpuSeconds[name] ?? 0) + cpuSeconds(cpu) - (this.serviceCpuBaseline.get(pid) ?? 0);
        }
        const memory = readProcessMemory(pid);
        if (memory) {
          // RSS of the largest instance: one process's memory, comparable whatever the instance count.
          serviceRssBytes[name] = Math.max(serviceRssBytes[name] ?? 0, memory.rssBytes);
          this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, memory.rssBytes, memory.peakRssBytes));
        }
      }
    }
    const postgresCpuSecondsByApplication: Record<string, number> = {};
    for (const backend of this.backendCpu.values()) {
      postgresCpuSecondsByApplication[backend.application] =
        (postgresCpuSecondsByApplication[backend.application] ?? 0) + (backend.latest - backend.baseline);
    }
    this.samples.push({
      atSeconds: (Date.now() - this.startedAtMs) / 1000,
      ...counts,
      serviceCpuSeconds,
      serviceRssBytes,
      postgresCpuSecondsByApplication,
      brokerCpuSeconds:
        this.brokerPid === null ? null : cpuSeconds(readProcessCpu(this.brokerPid)) - this.brokerCpuBaseline,
      machineCpu: machineCpuSince(this.machineCpuBaseline, readMachineCpu()),
    });
  }
}
