import {
  generateReusableFile,
  type GeneratedCarrierFile,
  type GeneratedFile,
  type GenerateReusableFileRequest,
} from '@claims/claims-generator';
import { mkdirSync } from 'node:fs';
import { progress } from '../bench-context';
import type { BenchOptions } from '../cli-options';
import { RECORD_COST_SAMPLE } from '../phases/record-cost.phase';

/** The DE-SynPUF claim layouts the benchmark measures (the generator writes more). */
export type BenchLayout = 'carrier' | 'inpatient' | 'outpatient' | 'rif-carrier';

/** The layouts whose ingest memory is measured at a small and a ≥ 1 GiB size. */
export const INGESTOR_MEMORY_LAYOUTS = ['carrier', 'inpatient', 'rif-carrier'] as const;
export type IngestorMemoryLayout = (typeof INGESTOR_MEMORY_LAYOUTS)[number];

/**
 * Claim-id ranges per purpose: files that meet in one database (a history and
 * its new claims) never share an id, and each freshness step brings new claims.
 */
const CLAIM_ID_START = {
  endToEnd: 100_000_000_000_000,
  inpatient: 200_000_000_000_000,
  outpatient: 250_000_000_000_000,
  smallIngest: 300_000_000_000_000,
  largeIngest: 400_000_000_000_000,
  freshness: 500_000_000_000_000,
  apiLoad: 600_000_000_000_000,
  /** The incremental history is written by SQL from this id up. */
  history: 800_000_000_000_000,
  incremental: 900_000_000_000_000,
} as const;
export const HISTORY_CLAIM_ID_START = CLAIM_ID_START.history;

const MEBIBYTE = 1024 * 1024;

export interface GenerationRecord {
  purpose: string;
  file: string;
  layout: BenchLayout;
  records: number;
  bytes: number;
  sha256: string;
  seconds: number;
  reused: boolean;
}

/** Generates each file the run needs once, on first use, and remembers how long it took. */
/**
 * Claims streamed at full speed before a latency is measured, so it meets a
 * pipeline that has been running: V8 compiles a function to optimized code
 * only after thousands of calls (about 6 s here).
 */
export const PIPELINE_WARM_UP_CLAIMS = 20_000;

export class FileCatalog {
  readonly generated: GenerationRecord[] = [];
  private readonly pending = new Map<string, Promise<GeneratedFile<BenchLayout>>>();

  constructor(
    private readonly directory: string,
    private readonly options: BenchOptions,
  ) {
    mkdirSync(directory, { recursive: true });
  }

  private file<Layout extends BenchLayout>(
    purpose: string,
    request: Omit<GenerateReusableFileRequest<Layout>, 'directory'>,
  ): Promise<GeneratedFile<Layout>> {
    const existing = this.pending.get(purpose);
    // A purpose always asks for the same layout, so its pending file is of that layout.
    if (existing) return existing as Promise<GeneratedFile<Layout>>;
    const created = generateReusableFile({ ...request, directory: this.directory }).then((file) => {
      this.generated.push({
        purpose,
        file: file.name,
        layout: file.layout,
        records: file.records,
        bytes: file.bytes,
        sha256: file.sha256,
        seconds: file.generationSeconds,
        reused: file.reused,
      });
      progress(
        `${purpose}: ${file.name} (${file.records} records, ${(file.bytes / MEBIBYTE).toFixed(1)} MiB) ` +
          (file.reused ? 'reused from an earlier run' : `generated in ${file.generationSeconds.toFixed(1)} s`),
      );
      return file;
    });
    this.pending.set(purpose, created);
    return created;
  }

  private carrier(
    purpose: string,
    request: Omit<GenerateReusableFileRequest<'carrier'>, 'directory' | 'layout'>,
  ): Promise<GeneratedCarrierFile> {
    return this.file(purpose, { ...request, layout: 'carrier' });
  }

  /** The ≥ 1 M-record carrier file run end to end and loaded the batch way. */
  endToEnd(): Promise<GeneratedCarrierFile> {
    return this.carrier('end-to-end', {
      seed: this.options.seed,
      records: this.options.records,
      claimIdStart: CLAIM_ID_START.endToEnd,
    });
  }

  /**
   * The record-cost phase's sample: the end-to-end file's generator, seed
   * and ids, cut to the sample size, so the phase never waits on a 1 M-record file.
   */
  recordCost(): Promise<GeneratedCarrierFile> {
    return this.carrier('record cost', {
      seed: this.options.seed,
      records: Math.min(RECORD_COST_SAMPLE, this.options.records),
      claimIdStart: CLAIM_ID_START.endToEnd,
    });
  }

  /**
   * The scale-out phase's file: the end-to-end file's generator, seed and
   * ids at its own size, replayed once per instance count into fresh databases.
   */
  scaleOut(): Promise<GeneratedCarrierFile> {
    return this.carrier('scale out', {
      seed: this.options.seed,
      records: this.options.scaleOutRecords,
      claimIdStart: CLAIM_ID_START.endToEnd,
    });
  }

  /** Inpatient and outpatient files: measured in the raw-transport phase until they have mappings. */
  institutional(layout: 'inpatient' | 'outpatient'): Promise<GeneratedFile<'inpatient' | 'outpatient'>> {
    return this.file(`raw transport ${layout}`, {
      layout,
      seed: this.options.seed + (layout === 'inpatient' ? 1 : 2),
      records: this.options.transportRecords,
      claimIdStart: CLAIM_ID_START[layout],
    });
  }

  /**
   * An input of the ingestor-memory phase. The carrier inputs keep their
   * seeds and ids, so files generated by earlier runs are reused.
   */
  ingestorInput(size: 'small' | 'large', layout: IngestorMemoryLayout = 'carrier'): Promise<GeneratedFile> {
    const mebibytes = size === 'small' ? this.options.smallFileMebibytes : this.options.largeFileMebibytes;
    const layoutOffset = INGESTOR_MEMORY_LAYOUTS.indexOf(layout) * 20;
    return this.file(`ingestor memory ${layout} ${mebibytes} MiB`, {
      layout,
      seed: this.options.seed + (size === 'small' ? 3 : 4) + layoutOffset,
      minimumBytes: mebibytes * MEBIBYTE,
      claimIdStart:
        (size === 'small' ? CLAIM_ID_START.smallIngest : CLAIM_ID_START.largeIngest) +
        INGESTOR_MEMORY_LAYOUTS.indexOf(layout) * 10_000_000_000_000,
    });
  }

  /** Each freshness step replays claims of its own, so every step's records are new to the fold. */
  freshnessStep(step: number, records: number): Promise<GeneratedCarrierFile> {
    return this.carrier(`freshness step ${step}`, {
      seed: this.options.seed + 10 + step,
      records,
      claimIdStart: CLAIM_ID_START.freshness + step * 10_000_000_000,
    });
  }

  /** The API load phase's replays: the first folded alone, the second under load; claims of their own each. */
  apiLoadReplay(replay: 'alone' | 'under-load', records: number): Promise<GeneratedCarrierFile> {
    const index = replay === 'alone' ? 0 : 1;
    return this.carrier(`api load: replay ${replay}`, {
      seed: this.options.seed + 20 + index,
      records,
      claimIdStart: CLAIM_ID_START.apiLoad + index * 10_000_000_000,
    });
  }

  /**
   * Claims folded just before the measured ones (PIPELINE_WARM_UP_CLAIMS):
   * with 200, the measured 1,000 ran mostly unoptimized (the normalizer's
   * batches took 4-5x as long).
   */
  incrementalWarmUp(): Promise<GeneratedCarrierFile> {
    return this.carrier('incremental warm-up', {
      seed: this.options.seed + 6,
      records: PIPELINE_WARM_UP_CLAIMS,
      claimIdStart: CLAIM_ID_START.incremental + 500_000_000,
    });
  }

  incremental(): Promise<GeneratedCarrierFile> {
    return this.carrier('incremental claims', {
      seed: this.options.seed + 5,
      records: this.options.incrementalClaims,
      claimIdStart: CLAIM_ID_START.incremental,
    });
  }
}
