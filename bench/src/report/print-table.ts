import type { BenchDirectory } from '../pipeline/bench-directory';
import { endToEndInpatientShareOfRawOneHop, transportFloorOf, type BenchResults } from './results';
import { PIPELINE_KAFKA_HOPS, type TransportFloor } from '../capacity/transport-floor';
import type { EndToEndResult } from '../phases/end-to-end.phase';
import type { RecordCostResult } from '../phases/record-cost.phase';
import type { BurstCpu, IncrementalResult } from '../phases/incremental.phase';
import { PIPELINE_STAGES, POSTGRES_APPLICATION_OF, type PipelineStageName } from '../pipeline/pipeline-stages';
import type { FreshnessStep } from '../phases/freshness.phase';
import { HOP_STAGES } from '../measure/hop-timeline';
import { PIPELINE_WARM_UP_CLAIMS } from '../generator/file-catalog';

type Cell = string | number | null | undefined;

const MIB = 2 ** 20;

function cell(value: Cell): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '–';
  return String(value);
}

const integer = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : Math.round(value).toLocaleString('en-US');
const fixed = (value: number | null | undefined, digits: number): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
const mebibytes = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / MIB).toFixed(0)} MiB`;
const percent = (share: number | null): string => (share === null ? '–' : `${fixed(share * 100, 0)} %`);

/** A plain, aligned text table: readable in a terminal and in a pasted report. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const text = rows.map((row) => row.map(cell));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...text.map((row) => (row[column] ?? '').length)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((value, column) => value.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...text.map(line)].join('\n');
}

function section(title: string, body: string): string {
  return `\n== ${title}\n${body}\n`;
}

function header(results: BenchResults): string {
  const { machine, versions, git } = results.environment;
  return [
    `claims pipeline benchmark — ${results.mode} run ${results.runId} — ${results.status.toUpperCase()}`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB; ` +
      `node ${versions.node}, kafka ${versions.kafka ?? '?'}, postgres ${versions.postgres}, kafkajs ${versions.kafkajs}` +
      (versions.librdkafka
        ? `, librdkafka ${versions.librdkafka} (@confluentinc/kafka-javascript ${versions.librdkafkaClient})`
        : ''),
    `commit: ${git.commit ?? `none (${git.note ?? 'unknown'})`}${git.dirty ? ' (work tree has changes)' : ''}`,
    `consumer fetch: ${
      results.options.fetchMebibytes === undefined
        ? "the services' default"
        : `${results.options.fetchMebibytes} MiB per partition (--fetch-mib)`
    }${
      results.options.fetchGatherMs === undefined
        ? ''
        : `; the claim stages gather for ${results.options.fetchGatherMs} ms (--fetch-gather-ms)`
    }${results.options.cpuProfile ? '; services CPU-profiled (--cpu-profile): not figures to compare' : ''}`,
  ].join('\n');
}

function rawTransportTable(results: BenchResults): string {
  if (!results.rawTransport) return '(not run)';
  return formatTable(
    [
      'client',
      'layout',
      'records',
      'bytes/rec',
      'one-hop rec/s',
      'MB/s',
      'produce rec/s',
      'prod CPU s/1k',
      'cons CPU s/1k',
      'broker CPU s/1k',
      'note',
    ],
    (results.rawTransport ?? []).map((row) => [
      row.client,
      row.layout,
      integer(row.records),
      integer(row.bytesPerRecord),
      integer(row.oneHopRecordsPerSecond),
      fixed(row.oneHopMegabytesPerSecond, 1),
      integer(row.produceRecordsPerSecond),
      fixed(row.producerCpuSecondsPer1000, 3),
      fixed(row.consumerCpuSecondsPer1000, 3),
      row.brokerCpuSecondsPer1000 === null ? 'elsewhere' : fixed(row.brokerCpuSecondsPer1000, 3),
      row.note ?? '',
    ]),
  );
}

/** The per-record steps; with the services' measured CPU per record, each step's share of it. */
function recordCostTable(recordCost: RecordCostResult, measuredMicroseconds?: ReadonlyMap<string, number>): string {
  const headers = ['stage', 'per-record step (product functions, timed alone)', 'µs/record'];
  return formatTable(
    measuredMicroseconds ? [...headers, "share of the stage's measured CPU"] : headers,
    recordCost.steps.map((step) => {
      const row = [step.stage, step.step, fixed(step.microsecondsPerRecord, 1)];
      if (!measuredMicroseconds) return row;
      const share = step.microsecondsPerRecord / (measuredMicroseconds.get(step.stage) ?? Number.NaN);
      return [...row, `${fixed(share * 100, 0)} %`];
    }),
  );
}

function recordCostSection(results: BenchResults): string {
  const recordCost = results.recordCost;
  if (!recordCost) return '(not run)';
  const payload = recordCost.payloadBytes;
  return [
    `${integer(recordCost.records)} records`,
    recordCostTable(recordCost),
    `payload bytes per record: raw ${integer(payload.raw)}, normalized ${integer(payload.normalized)}, enriched ${integer(payload.enriched)}`,
  ].join('\n');
}

/** Named costs per 1,000 folded records, largest first, those of at least 1 % of their sum. */
function foldCosts(costs: ReadonlyArray<{ name: string; msPer1000: number; share: number }> | undefined): string {
  return (
    costs
      ?.filter((cost) => cost.share >= 0.01)
      .map((cost) => `${cost.name} ${fixed(cost.msPer1000, 1)} (${fixed(cost.share * 100, 0)} %)`)
      .join(', ') ?? 'not reported'
  );
}

/** One end-to-end run's tables; `shareOfRawOneHop` against KafkaJS's one hop of the same layout's file. */
function endToEndTables(
  run: EndToEndResult | undefined,
  shareOfRawOneHop: number | undefined,
  floor: TransportFloor | undefined,
): string {
  if (!run) return '(not run)';
  const summary = formatTable(
    ['records', 'seconds', 'records/s', 'file MB/s', 'share of raw one-hop', 'first KPI after', 'correct'],
    [
      [
        integer(run.records),
        fixed(run.durationSeconds, 1),
        integer(run.recordsPerSecond),
        fixed(run.fileMegabytesPerSecond, 1),
        shareOfRawOneHop === undefined ? '–' : `${(shareOfRawOneHop * 100).toFixed(1)} %`,
        `${fixed(run.firstKpiSeconds, 2)} s`,
        run.correctness.passed
          ? 'yes (verification consistent, KPIs = generator)'
          : `NO: ${run.correctness.differences.join('; ')}`,
      ],
    ],
  );
  const stages = formatTable(
    [
      'stage',
      'records',
      'busy s',
      'records/s',
      'svc CPU s/1k',
      'PG CPU s/1k',
      'CPU s/1k',
      '1-core cap rec/s',
      'peak backlog',
      'rec/batch',
      'ms/batch',
      'GC ms/1k',
      'peak RSS',
    ],
    run.stages.map((stage) => [
      stage.stage,
      integer(stage.records),
      fixed(stage.busySeconds, 1),
      integer(stage.recordsPerSecond),
      fixed(stage.serviceCpuSecondsPer1000, 3),
      fixed(stage.postgresCpuSecondsPer1000, 3),
      fixed(stage.cpuSecondsPer1000, 3),
      integer(stage.oneCoreCapacityRecordsPerSecond),
      integer(stage.peakBacklogRecords),
      fixed(stage.batches?.recordsPerBatch, 0),
      fixed((stage.batches?.secondsPerBatch ?? Number.NaN) * 1000, 1),
      fixed(stage.gcPauseMsPer1000, 0),
      mebibytes(run.peakRssBytes[stage.stage]),
    ]),
  );
  const topics = Object.entries(run.topicBytesPerRecord)
    .map(([topic, bytes]) => `${topic} ${integer(bytes)} B`)
    .join(', ');
  const measuredMicroseconds = new Map(run.stages.map((stage) => [stage.stage, stage.serviceCpuSecondsPer1000 * 1000]));
  const recordCost = run.recordCost;
  const cost = recordCost
    ? [
        recordCostTable(recordCost, measuredMicroseconds),
        `payload bytes per record: raw ${integer(recordCost.payloadBytes.raw)}, normalized ${integer(recordCost.payloadBytes.normalized)}, ` +
          `enriched ${integer(recordCost.payloadBytes.enriched)} ` +
          `(the rest of each stage's CPU is KafkaJS, commits, Postgres client and framework)`,
        '',
      ]
    : [];
  return [
    summary,
    '',
    stages,
    '',
    ...cost,
    `fold transaction by step, ms per 1,000 folded records (share): ${foldCosts(
      run.foldSteps?.map(({ step, ...cost }) => ({ name: step, ...cost })),
    )}`,
    `its writes by table, ms per 1,000 folded records (share): ${foldCosts(
      run.foldWrites?.map(({ table, ...cost }) => ({ name: table, ...cost })),
    )}`,
    '',
    `slowest stage: ${run.slowestStage.stage} — ${run.slowestStage.evidence}`,
    `CPU budget: ${fixed(run.cpuBudget.totalCpuSecondsPer1000, 3)} CPU s per 1,000 records in all (services + Postgres + broker) → ` +
      `${integer(run.cpuBudget.ceilingRecordsPerSecond)} records/s ceiling on ${run.cpuBudget.cores} cores; ` +
      `the run reached ${fixed(run.cpuBudget.shareOfCeiling * 100, 0)} % of it`,
    ...(floor ? [transportFloorLine(floor)] : []),
    `infrastructure: broker ${fixed(run.brokerCpuSecondsPer1000, 3)} CPU s/1k, Postgres (all backends) ${fixed(run.postgresCpuSecondsPer1000, 3)} CPU s/1k; ` +
      `api peak RSS ${mebibytes(run.peakRssBytes.api)}`,
    `bytes per record in the broker's log: ${topics}`,
    directoryLine(run.directory),
  ].join('\n');
}

/** The layout's three hops at the raw hop's cost, and how far above that floor the run's CPU per record is. */
function transportFloorLine(floor: TransportFloor): string {
  const broker =
    floor.brokerCpuSecondsPer1000 === null
      ? 'the broker runs elsewhere'
      : `broker ${fixed(floor.brokerCpuSecondsPer1000, 3)} of it`;
  const above =
    floor.pipelineOverFloor === null ? '' : `; this run cost ${fixed(floor.pipelineOverFloor, 1)}× its floor`;
  return (
    `transport floor: ${PIPELINE_KAFKA_HOPS} hops at the raw one hop's ${fixed(floor.hopCpuSecondsPer1000, 3)} CPU s/1k ` +
    `(producer + consumer + broker; ${broker}) = ${fixed(floor.floorCpuSecondsPer1000, 3)} CPU s/1k → at most ` +
    `${integer(floor.ceilingRecordsPerSecond)} records/s on ${floor.cores} cores if the stages did nothing else${above}`
  );
}

/** The directory the enricher judged the replay against, and what holding it costs the enricher. */
function directoryLine(directory: BenchDirectory): string {
  const memory = directory.enricherMemory;
  return (
    `provider directory: ${integer(directory.providers)} providers (${integer(directory.versions)} reference events), ` +
    `loaded in ${fixed(directory.loadSeconds, 1)} s; enricher RSS holding it before the replay ` +
    `${memory ? `${mebibytes(memory.rssBytes)} (peak ${mebibytes(memory.peakRssBytes)} since start-up, the load included)` : 'not read'}`
  );
}

function ediTable(results: BenchResults): string {
  const edi = results.edi;
  if (!edi) return 'not measured';
  const megabytes = (bytes: number | undefined): string =>
    bytes === undefined ? '–' : `${fixed(bytes / 1048576, 0)} MiB`;
  return [
    formatTable(
      [
        'claims',
        'X12 bytes',
        'events folded',
        'duration',
        'claims/s',
        'CPU s per 1,000 claims',
        'lifecycle = generator',
      ],
      [
        [
          integer(edi.scenario.claims),
          `${fixed(edi.scenario.bytes / 1e6, 1)} MB`,
          integer(edi.eventsFolded),
          `${fixed(edi.durationSeconds, 1)} s`,
          integer(Math.round(edi.claimsPerSecond)),
          fixed(edi.cpuSecondsPer1000Claims, 3),
          edi.correct ? 'yes' : 'NO',
        ],
      ],
    ),
    formatTable(
      ['figure', 'generator counted', 'served'],
      edi.checks.map((check) => [check.figure, integer(check.expected), integer(check.served)]),
    ),
    `peak RSS: ${Object.entries(edi.peakRssBytes)
      .map(([service, bytes]) => `${service} ${megabytes(bytes)}`)
      .join(', ')}`,
  ].join('\n');
}

/** Postgres CPU of backends that serve no pipeline stage (the bench's KPI reader, the API). */
function otherPostgres(cpu: FreshnessStep['cpuPer1000']): number {
  const serving = new Set(Object.values(POSTGRES_APPLICATION_OF));
  return Object.entries(cpu.postgres).reduce(
    (sum, [application, seconds]) => (serving.has(application) ? sum : sum + seconds),
    0,
  );
}

function freshnessTable(results: BenchResults): string {
  const freshness = results.freshness;
  if (!freshness) return '(not run)';
  const table = formatTable(
    [
      'offered rec/s',
      'achieved rec/s',
      'records',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'fold p99 ms',
      'mean ms in normalizer / enricher / fold',
      'backlog growth rec/s',
      'drain s',
      'lag',
    ],
    freshness.steps.map((step) => [
      integer(step.offeredRecordsPerSecond),
      integer(step.achievedRecordsPerSecond),
      integer(step.records),
      fixed(step.publishToReadable.p50Ms, 0),
      fixed(step.publishToReadable.p95Ms, 0),
      fixed(step.publishToReadable.p99Ms, 0),
      fixed(step.publishToReadable.maxMs, 0),
      fixed(step.publishToFold.p99Ms, 0),
      step.meanHopLatency
        ? [step.meanHopLatency.normalizerMs, step.meanHopLatency.enricherMs, step.meanHopLatency.foldMs]
            .map((ms) => fixed(ms, 0))
            .join(' / ')
        : '–',
      fixed(step.backlogGrowthPerSecond, 1),
      fixed(step.drainSeconds, 2),
      step.lagFlat ? 'flat' : 'GROWING',
    ]),
  );
  const highest = freshness.highestFlatRate;
  const batchLines = freshness.steps.map((step) => {
    const stages = Object.entries(step.batches)
      .map(([stage, stats]) =>
        stats
          ? `${stage} ${integer(stats.batches)} × ${fixed(stats.recordsPerBatch, 0)} rec, ${fixed(stats.secondsPerBatch * 1000, 1)} ms`
          : `${stage} –`,
      )
      .join('; ');
    const fold =
      step.foldSteps
        ?.filter((cost) => cost.share >= 0.03)
        .map((cost) => `${cost.step} ${fixed(cost.msPer1000, 0)}`)
        .join(', ') ?? 'not reported';
    const cpu = step.cpuPer1000;
    const cpuLine =
      Object.entries(cpu.services)
        .map(([service, seconds]) => {
          const application = POSTGRES_APPLICATION_OF[service as PipelineStageName];
          const postgres = application === undefined ? undefined : cpu.postgres[application];
          return `${service} ${fixed(seconds ?? 0, 3)}${postgres === undefined ? '' : ` + Postgres ${fixed(postgres, 3)}`}`;
        })
        .join(', ') +
      `, other Postgres ${fixed(otherPostgres(cpu), 3)}` +
      `${cpu.broker === null ? '' : `, broker ${fixed(cpu.broker, 3)}`}; all ${fixed(cpu.total, 3)}, ` +
      `machine ${fixed(cpu.machineBusyShare * 100, 0)} % busy`;
    const pended = `${fixed((step.pendedClaims / step.records) * 100, 1)} % of claims pended; `;
    const requests = step.kafkaRequestsPer1000
      ? Object.entries(step.kafkaRequestsPer1000)
          .map(([stage, byApi]) =>
            byApi
              ? `${stage} ${
                  byApi
                    .filter((entry) => entry.per1000 >= 0.5)
                    .map((entry) => `${entry.api} ${fixed(entry.per1000, 1)}`)
                    .join(', ') || 'none'
                }`
              : `${stage} –`,
          )
          .join('; ')
      : 'not reported';
    return (
      `at ${integer(step.offeredRecordsPerSecond)}/s: ${pended}batches (count × mean records, mean time) ${stages}\n` +
      `  CPU-s per 1,000 records: ${cpuLine}\n` +
      `  Kafka requests per 1,000 records: ${requests}\n` +
      `  fold transaction by step, ms per 1,000 folded records: ${fold}`
    );
  });
  return [
    table,
    ...batchLines,
    directoryLine(freshness.directory),
    `highest rate with flat lag: ${highest ? `${integer(highest.offeredRecordsPerSecond)} records/s (p99 ${fixed(highest.publishToReadable.p99Ms, 0)} ms)` : 'none of the rates tried'}`,
    `measured: ${freshness.measured}`,
  ].join('\n');
}

function apiLoadTable(results: BenchResults): string {
  const apiLoad = results.apiLoad;
  if (!apiLoad) return '(not run)';
  const loads = [
    ['nothing folding', apiLoad.idle],
    ['while a replay folds', apiLoad.duringFold],
  ] as const;
  return [
    formatTable(
      ['API read load', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'skipped'],
      loads.map(([label, load]) => [
        label,
        integer(load.requests),
        fixed(load.achievedPerSecond, 1),
        fixed(load.latency.p50Ms, 1),
        fixed(load.latency.p95Ms, 1),
        fixed(load.latency.p99Ms, 1),
        fixed(load.latency.maxMs, 1),
        integer(load.errors),
        integer(load.skipped),
      ]),
    ),
    formatTable(
      ['fold at full speed', 'records', 'seconds', 'records/s'],
      [
        [
          'alone',
          integer(apiLoad.foldAlone.records),
          fixed(apiLoad.foldAlone.seconds, 1),
          integer(apiLoad.foldAlone.recordsPerSecond),
        ],
        [
          'under the read load',
          integer(apiLoad.foldUnderLoad.records),
          fixed(apiLoad.foldUnderLoad.seconds, 1),
          integer(apiLoad.foldUnderLoad.recordsPerSecond),
        ],
      ],
    ),
    `routes (round-robin, at most ${apiLoad.maxInFlight} in flight): ${apiLoad.routes.join(', ')}; ` +
      `fold rate under load ${(apiLoad.foldRateUnderLoadShare * 100).toFixed(0)} % of alone`,
    `p99 by route while folding: ${apiLoad.duringFold.routes.map((route) => `${route.route} ${fixed(route.p99Ms, 0)} ms`).join(', ')}`,
  ].join('\n');
}

function memoryTable(results: BenchResults): string {
  const memory = results.ingestorMemory;
  if (!memory) return '(not run)';
  return [
    formatTable(
      [
        'ingestor alone on',
        'layout',
        'file',
        'records',
        'records/s',
        'MB/s',
        'CPU s/1k',
        'idle RSS',
        'peak RSS',
        'note',
      ],
      memory.runs.map((run) => [
        run.file,
        run.layout,
        mebibytes(run.fileBytes),
        integer(run.records),
        integer(run.recordsPerSecond),
        fixed(run.megabytesPerSecond, 1),
        fixed(run.cpuSecondsPer1000, 3),
        mebibytes(run.idleRssBytes),
        mebibytes(run.peakRssBytes),
        run.note ?? '',
      ]),
    ),
    `peak RSS growth from the small to the large input: ${Object.entries(memory.peakGrowthBytes)
      .map(([layout, growth]) => `${layout} ${growth === null ? '–' : mebibytes(growth)}`)
      .join(', ')}`,
  ].join('\n');
}

function batchTable(results: BenchResults): string {
  const batch = results.batch;
  const stream = results.endToEnd;
  const rows: Cell[][] = [];
  if (stream)
    rows.push([
      'streaming (5 services)',
      integer(stream.records),
      `${fixed(stream.firstKpiSeconds, 2)} s`,
      `${fixed(stream.durationSeconds, 1)} s`,
      '',
      stream.correctness.passed ? 'yes' : 'NO',
    ]);
  if (batch) {
    rows.push([
      'batch (COPY + SQL + KPI SQL)',
      integer(batch.records),
      `${fixed(batch.timeToFirstKpiSeconds, 1)} s`,
      `${fixed(batch.timeToFirstKpiSeconds, 1)} s`,
      `COPY ${fixed(batch.copySeconds, 1)} s, SQL ${fixed(batch.transformSeconds, 1)} s, KPI SQL ${fixed(batch.kpiSqlSeconds, 2)} s`,
      batch.summaryMatchesGenerator ? 'yes' : 'NO',
    ]);
  }
  const incremental = results.incremental;
  const lines = [formatTable(['same file, loaded', 'records', 'first KPI', 'all KPIs', 'detail', 'correct'], rows)];
  if (incremental) {
    lines.push(
      '',
      formatTable(
        [
          'incremental: history',
          'history load',
          `${integer(incremental.newClaims)} new claims streamed`,
          'fold only',
          'batch full recompute',
          'speedup',
          'correct',
        ],
        [
          [
            `${integer(incremental.historyClaims)} claims / ${integer(incremental.historyLines)} lines`,
            `${fixed(incremental.historyLoadSeconds, 1)} s`,
            `${fixed(incremental.streamingSeconds, 3)} s`,
            `${fixed(incremental.streamingFoldSeconds, 3)} s`,
            `${fixed(incremental.batchRecomputeSeconds, 3)} s`,
            `${fixed(incremental.speedup, 1)}×`,
            incremental.correctness.passed ? 'yes' : 'NO',
          ],
        ],
      ),
      `history: ${incremental.historyLoadedBy}`,
      `warm-up: ${integer(PIPELINE_WARM_UP_CLAIMS)} claims streamed first; directory: ${integer(incremental.directory.providers)} providers; ${integer(incremental.newClaimsPended)} of the new claims pended`,
      `the new claims' path, ms after the POST (first-last output of each stage, sampled every 20 ms): ${describeHops(incremental)}`,
      `CPU seconds from the POST to readable: ${describeBurstCpu(incremental.cpu)}`,
    );
  }
  return lines.join('\n');
}

function scaleOutTables(results: BenchResults): string {
  const scaleOut = results.scaleOut;
  if (!scaleOut) return '(not run)';
  const runs = formatTable(
    [
      'instances',
      'records',
      'seconds',
      'records/s',
      'predicted rec/s',
      'bound by',
      'measured/predicted',
      'pipeline cores busy',
      'machine CPU busy',
      'correct',
    ],
    scaleOut.runs.map((run) => [
      run.instances,
      integer(run.records),
      fixed(run.durationSeconds, 1),
      integer(run.recordsPerSecond),
      integer(run.predicted.recordsPerSecond),
      run.predicted.boundBy,
      fixed(run.recordsPerSecond / run.predicted.recordsPerSecond, 2),
      `${fixed(run.pipelineCoresBusy, 2)} of ${scaleOut.cores}`,
      percent(run.machineCpuBusyShare),
      run.correctness.passed ? 'yes' : `NO: ${run.correctness.differences.slice(0, 2).join('; ')}`,
    ]),
  );
  const stageCpu = (stage: { serviceCpuSecondsPer1000: number; postgresCpuSecondsPer1000: number }): string =>
    stage.postgresCpuSecondsPer1000 > 0
      ? `${fixed(stage.serviceCpuSecondsPer1000, 3)} + PG ${fixed(stage.postgresCpuSecondsPer1000, 3)}`
      : fixed(stage.serviceCpuSecondsPer1000, 3);
  const cpu = formatTable(
    [
      'instances',
      ...scaleOut.modelCost.stages.map((stage) => stage.stage),
      'broker',
      'all (incl. api)',
      'peak RSS n/e/m',
    ],
    scaleOut.runs.map((run) => [
      run.instances,
      ...run.stages.map(stageCpu),
      fixed(run.cpu.brokerCpuSecondsPer1000, 3),
      fixed(run.cpu.totalCpuSecondsPer1000, 3),
      [run.peakRssBytes.normalizer, run.peakRssBytes.enricher, run.peakRssBytes.metrics].map(mebibytes).join(' / '),
    ]),
  );
  const plans = scaleOut.capacity.map((plan) => {
    const table = formatTable(
      [
        'stage',
        'CPU s/1k',
        '1-instance cap rec/s',
        'instances',
        'service cores',
        'PG cores',
        'input topic',
        'partitions',
      ],
      plan.stages.map((stage) => [
        stage.stage,
        fixed(stage.cpuSecondsPer1000, 3),
        integer(stage.instanceCeilingRecordsPerSecond),
        stage.stage === 'ingestor' ? `${stage.instances} (files at once)` : stage.instances,
        fixed(stage.serviceCores, 1),
        fixed(stage.postgresCores, 1),
        stage.inputTopic ?? '(files)',
        stage.partitions ?? '–',
      ]),
    );
    return [
      `${plan.target.label}: ${integer(plan.target.recordsPerSecond)} claims/s, each core planned at ${fixed(plan.plannedUtilisation * 100, 0)} %`,
      table,
      `cores: services ${fixed(plan.serviceCores, 1)}, Postgres ${fixed(plan.postgresCores, 1)}, broker ${fixed(plan.brokerCores, 1)}; ` +
        `${fixed(plan.totalCores, 1)} in all`,
    ].join('\n');
  });
  return [
    `${scaleOut.partitions} partitions per topic, ${integer(scaleOut.file.records)} carrier records per run, ${scaleOut.cores} cores shared by every process ` +
      '(services, Postgres, broker): the rates are CPU-bound, not a measure of what more instances buy on more cores',
    runs,
    '',
    'CPU s per 1,000 source records, each stage summed over its instances (service + its Postgres backends):',
    cpu,
    '',
    'capacity model (computed from the 1-instance run above; see docs/capacity-model.md):',
    ...plans.flatMap((plan) => [plan, '']),
  ]
    .join('\n')
    .trimEnd();
}

function targetsTable(results: BenchResults): string {
  return formatTable(
    ['target (reported, not asserted)', 'measured', 'met'],
    (results.targets ?? []).map((target) => [
      target.target,
      target.measured,
      target.met === null ? '–' : target.met ? 'yes' : 'no',
    ]),
  );
}

export function printResultsTable(results: BenchResults): void {
  const seconds = Object.entries(results.phaseSeconds)
    .map(([phase, value]) => `${phase} ${fixed(value, 0)} s`)
    .join(', ');
  const out = [
    header(results),
    section(
      '1 + 7. raw transport: one hop, no processing (same serialized raw events, same broker)',
      rawTransportTable(results),
    ),
    section('per-record cost: the product functions alone, no services', recordCostSection(results)),
    section(
      '2 + 3. end to end: file → KPI committed in Postgres, five services as processes',
      endToEndTables(results.endToEnd, results.endToEndShareOfRawOneHop, transportFloorOf(results, 'carrier')),
    ),
    section('2b. EDI end to end: 837P, 999, 277CA, 835 → claim lifecycle', ediTable(results)),
    section(
      "2c. end to end, inpatient: the raw-transport phase's inpatient file",
      endToEndTables(
        results.endToEndInpatient,
        endToEndInpatientShareOfRawOneHop(results),
        transportFloorOf(results, 'inpatient'),
      ),
    ),
    section('4. freshness: publish → KPI readable', freshnessTable(results)),
    section('4b. API under read load, idle and while a replay folds', apiLoadTable(results)),
    section('5. memory: ingestor alone (services under load: see peak RSS above)', memoryTable(results)),
    section('6. batch comparison', batchTable(results)),
    section('5b. scale-out: 1, 2, 3 instances per consumer service, and the capacity model', scaleOutTables(results)),
    section('targets', targetsTable(results)),
    ...(results.notes?.length ? [section('notes', results.notes.map((note) => `- ${note}`).join('\n'))] : []),
    `\nphases: ${seconds}`,
    results.failures.length > 0
      ? `\nFAILED:\n${results.failures.map((failure) => `- ${failure}`).join('\n')}`
      : '\nstatus: passed',
  ].join('\n');
  process.stdout.write(`${out}\n`);
}

function describeHops(incremental: IncrementalResult): string {
  const spans = HOP_STAGES.map((stage) => {
    const span = incremental.hops[stage];
    return `${stage} ${span === null ? 'none' : `${span.firstMs}-${span.lastMs}`}`;
  });
  return [
    `ingest answered ${incremental.ingestAnsweredMs}`,
    ...spans,
    `readable ${Math.round(incremental.streamingSeconds * 1000)}`,
  ].join(', ');
}

/** CPU seconds of each process over the burst, a stage's Postgres backends beside it. */
function describeBurstCpu(cpu: BurstCpu): string {
  const stages = PIPELINE_STAGES.map((stage) => {
    const application = POSTGRES_APPLICATION_OF[stage];
    const own = `${stage} ${fixed(cpu.serviceCpuSeconds[stage], 2)}`;
    return application ? `${own} + Postgres ${fixed(cpu.postgresCpuSecondsByApplication[application], 2)}` : own;
  });
  const { busySeconds, totalSeconds } = cpu.machineCpu;
  return [
    ...stages,
    `broker ${fixed(cpu.brokerCpuSeconds, 2)}`,
    `machine ${fixed(busySeconds, 2)} busy of ${fixed(totalSeconds, 2)} (${percent(totalSeconds > 0 ? busySeconds / totalSeconds : null)})`,
  ].join(', ');
}
