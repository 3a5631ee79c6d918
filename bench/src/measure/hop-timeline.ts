import type { Client } from 'pg';
import type { TopicOffsetReader } from '../infra/kafka-topics';
import { readPipelineCounts, type PipelineCounts } from './pipeline-sampler';
import { SamplingPause } from './sampling-pause';

/** The pipeline's counts at one point of a burst, `atMs` since the epoch. */
export type HopCounts = PipelineCounts & { atMs: number };

export const HOP_STAGES = ['raw', 'normalized', 'enriched', 'folded'] as const;
export type HopStage = (typeof HOP_STAGES)[number];

/** The count whose growth is each stage's output: records on its topic, or enriched events the fold committed. */
const STAGE_OUTPUT: Record<HopStage, keyof PipelineCounts> = {
  raw: 'rawRecords',
  normalized: 'normalizedRecords',
  enriched: 'enrichedRecords',
  folded: 'foldedRecords',
};

/** When a stage's output began and finished growing, in ms after the burst was posted. */
export interface StageSpan {
  firstMs: number;
  lastMs: number;
}

export type HopTimeline = Record<HopStage, StageSpan | null>;

/**
 * Where a burst's time went: for each stage, when its first output appeared
 * and when its last did, relative to the post. The gaps between one stage's
 * last and the next's last are each hop's share of the end-to-end time; a
 * stage that never grew is null. Read from samples, so each time is late by
 * at most one sampling interval.
 */
export function hopTimeline(samples: readonly HopCounts[], postedAtMs: number): HopTimeline {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const spanOf = (stage: HopStage): StageSpan | null => {
    if (first === undefined || last === undefined) return null;
    const output = STAGE_OUTPUT[stage];
    const grew = samples.find((sample) => sample[output] > first[output]);
    const done = samples.find((sample) => sample[output] >= last[output]);
    return grew === undefined || done === undefined
      ? null
      : { firstMs: grew.atMs - postedAtMs, lastMs: done.atMs - postedAtMs };
  };
  return {
    raw: spanOf('raw'),
    normalized: spanOf('normalized'),
    enriched: spanOf('enriched'),
    folded: spanOf('folded'),
  };
}

/**
 * Polls topic ends and the fold's committed offsets every `intervalMs` until
 * stopped: a burst's path through the hops, without touching its records.
 */
export class HopCountPoller {
  readonly samples: HopCounts[] = [];
  private running = true;
  private readonly loop: Promise<void>;
  private readonly pause = new SamplingPause();

  constructor(
    private readonly topics: TopicOffsetReader,
    private readonly database: Client,
    private readonly namespace: string,
    intervalMs: number,
  ) {
    this.loop = this.run(intervalMs);
  }

  /** Takes a last sample; a second stop answers the same samples. */
  async stop(): Promise<HopCounts[]> {
    if (!this.running) return this.samples;
    this.running = false;
    this.pause.end();
    await this.loop;
    await this.sample();
    return this.samples;
  }

  private async run(intervalMs: number): Promise<void> {
    while (this.running) {
      await this.sample();
      await this.pause.wait(intervalMs);
    }
  }

  private async sample(): Promise<void> {
    const counts = await readPipelineCounts(this.topics, this.database, this.namespace);
    this.samples.push({ atMs: Date.now(), ...counts });
  }
}
