import { progress, type BenchContext } from '../bench-context';
import { INGESTOR_MEMORY_LAYOUTS, type FileCatalog } from '../generator/file-catalog';
import type { GeneratedFile } from '@claims/claims-generator';
import { readProcessMemory } from '@claims/harness';
import { cpuSeconds, readProcessCpu } from '../measure/process-stats';
import { IngestRefusedError, type LocalPipeline } from '@claims/harness';

export interface IngestorRun {
  file: string;
  layout: string;
  fileBytes: number;
  status: 'measured' | 'refused';
  note?: string;
  records?: number;
  seconds?: number;
  recordsPerSecond?: number;
  megabytesPerSecond?: number;
  cpuSecondsPer1000?: number;
  /** VmRSS of the freshly started ingestor, before the file. */
  idleRssBytes?: number;
  /** VmHWM after the file: the peak resident set of the whole ingest. */
  peakRssBytes?: number;
}

export interface IngestorMemoryResult {
  runs: IngestorRun[];
  /** Per layout, peak RSS on the large input minus on the small one: ~0 means memory is flat in the file size. */
  peakGrowthBytes: Record<string, number | null>;
}

/** A fresh ingestor per input, so each VmHWM belongs to one file alone. */
async function ingestAlone(pipeline: LocalPipeline, file: GeneratedFile): Promise<IngestorRun> {
  const ingestor = pipeline.services.ingestor;
  await ingestor.stop();
  await ingestor.start();
  const pid = ingestor.pid;
  if (pid === null) throw new Error('the ingestor is not running');
  const idleRssBytes = readProcessMemory(pid)?.rssBytes ?? 0;
  const cpuBefore = cpuSeconds(readProcessCpu(pid));
  const base = { file: file.name, layout: file.layout, fileBytes: file.bytes };
  try {
    const report = await pipeline.ingest(file.name);
    const cpu = cpuSeconds(readProcessCpu(pid)) - cpuBefore;
    const run: IngestorRun = {
      ...base,
      status: 'measured',
      records: report.recordsPublished,
      seconds: report.durationSeconds,
      recordsPerSecond: report.recordsPublished / report.durationSeconds,
      megabytesPerSecond: file.bytes / 1e6 / report.durationSeconds,
      cpuSecondsPer1000: (cpu / report.recordsPublished) * 1000,
      idleRssBytes,
      peakRssBytes: readProcessMemory(pid)?.peakRssBytes ?? 0,
    };
    progress(
      `ingestor alone, ${file.name}: ${Math.round(run.recordsPerSecond ?? 0)} records/s, peak RSS ${((run.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`,
    );
    return run;
  } catch (error) {
    if (!(error instanceof IngestRefusedError)) throw error;
    return {
      ...base,
      status: 'refused',
      note: `awaits its mapping: the ingestor answered ${error.status} ${error.body}`,
    };
  }
}

/**
 * (5), the ingestor half, and the ingest-only measurements: the ingestor
 * alone (no downstream services competing for the two cores) on a 10 MiB and
 * a ≥ 1 GiB file of each measured layout (DE-SynPUF carrier, DE-SynPUF
 * inpatient with its multi-segment claims, RIF carrier with one row per line).
 */
export async function runIngestorMemoryPhase(
  context: BenchContext,
  catalog: FileCatalog,
): Promise<IngestorMemoryResult> {
  const inputs = await Promise.all(
    INGESTOR_MEMORY_LAYOUTS.map(async (layout) => ({
      layout,
      small: await catalog.ingestorInput('small', layout),
      large: await catalog.ingestorInput('large', layout),
    })),
  );
  return context.phase('ingestor memory', async () => {
    // The ingestor needs no database; the admin URL only fills the other services' unused settings.
    const pipeline = await context.pipeline('ingestor-memory', context.adminDatabaseUrl);
    const runs: IngestorRun[] = [];
    const peakGrowthBytes: Record<string, number | null> = {};
    for (const { layout, small, large } of inputs) {
      const smallRun = await ingestAlone(pipeline, small);
      const largeRun = await ingestAlone(pipeline, large);
      runs.push(smallRun, largeRun);
      peakGrowthBytes[layout] =
        smallRun.peakRssBytes !== undefined && largeRun.peakRssBytes !== undefined
          ? largeRun.peakRssBytes - smallRun.peakRssBytes
          : null;
    }
    return { runs, peakGrowthBytes };
  });
}
