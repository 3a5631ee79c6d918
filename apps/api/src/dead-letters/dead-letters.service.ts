import { Injectable } from '@nestjs/common';
import { DeadLettersRepository, type DeadLetterFilter, type DeadLetterRow } from './dead-letters.repository';

/** One dead letter as listed: its reason names fields, never values; its bytes stay on the dead-letter topic. */
export interface DeadLetterEntry {
  deadLetterId: string;
  stage: string;
  errorCode: string;
  reason: string;
  failedAt: string;
  fileId: string | null;
  recordNumber: number | null;
  source: string | null;
  originTopic: string | null;
  /** Where the source record ended since: `dead_lettered` still, or `folded` once a replay of it folded. */
  recordOutcome: string;
}

export interface DeadLetterListing {
  /** Dead letters whose record is still a dead letter. */
  open: number;
  /** Dead letters whose record has folded since (a replay after a fix). */
  resolved: number;
  byStageAndReason: Array<{ stage: string; errorCode: string; open: number; resolved: number; replayable: number }>;
  latest: DeadLetterEntry[];
}

/** Why an open dead letter cannot be replayed from the dead-letter topic, and what to do instead. */
export type NotReplayableReason = 'INGESTOR_STAGE' | 'ORIGINAL_TRUNCATED' | 'FOLD_REFUSED';

export interface ReplayPlan {
  /** Open dead letters whose original message is whole on the dead-letter topic, in topic order. */
  replayable: Array<{
    deadLetterId: string;
    stage: string;
    errorCode: string;
    fileId: string | null;
    recordNumber: number | null;
    originTopic: string;
    dlqPartition: number;
    dlqOffset: string;
  }>;
  notReplayable: Array<{ reason: NotReplayableReason; records: number; advice: string }>;
  /** True when more replayable dead letters match than one plan holds: replay again once these are accounted. */
  more: boolean;
}

const ADVICE: Record<NotReplayableReason, string> = {
  INGESTOR_STAGE:
    'the ingestor refused these before publishing them (too large, not text, a row repeated): fix the source file and ingest it again',
  ORIGINAL_TRUNCATED:
    'the dead letter does not hold the original exactly (only its first bytes, or a key or header it could not ' +
    'carry as sent): ingest the source file the lineage names again',
  FOLD_REFUSED:
    "Postgres refused the event's own data, and the fold keeps its event id so that it is accounted once: " +
    'the same bytes replayed would be a duplicate. Correct the source file and ingest it again',
};

function entryOf(row: DeadLetterRow): DeadLetterEntry {
  return {
    deadLetterId: row.dead_letter_id,
    stage: row.stage,
    errorCode: row.error_code,
    reason: row.reason,
    failedAt: row.failed_at.toISOString(),
    fileId: row.file_id,
    recordNumber: row.record_number,
    source: row.source,
    originTopic: row.origin_topic,
    recordOutcome: row.record_outcome,
  };
}

@Injectable()
export class DeadLettersService {
  constructor(private readonly repository: DeadLettersRepository) {}

  async list(filter: DeadLetterFilter, limit: number): Promise<DeadLetterListing> {
    const [counts, latest] = await Promise.all([this.repository.counts(filter), this.repository.latest(filter, limit)]);
    const byStageAndReason = counts.map((row) => ({
      stage: row.stage,
      errorCode: row.error_code,
      open: Number(row.open),
      resolved: Number(row.resolved),
      replayable: Number(row.replayable),
    }));
    return {
      open: byStageAndReason.reduce((sum, row) => sum + row.open, 0),
      resolved: byStageAndReason.reduce((sum, row) => sum + row.resolved, 0),
      byStageAndReason,
      latest: latest.map(entryOf),
    };
  }

  async replayPlan(filter: DeadLetterFilter, limit: number): Promise<ReplayPlan> {
    // One more than asked, to tell whether more remain. Letters a replay cannot re-publish are counted
    // apart: on the page they would stand, never accounted, before the ones it can.
    const [rows, [counts]] = await Promise.all([
      this.repository.openReplayable(filter, limit + 1),
      this.repository.openNotReplayable(filter),
    ]);
    const more = rows.length > limit;
    const replayable: ReplayPlan['replayable'] = [];
    const refused = new Map<NotReplayableReason, number>();
    if (Number(counts?.ingestor_stage ?? 0) > 0) refused.set('INGESTOR_STAGE', Number(counts?.ingestor_stage));
    if (Number(counts?.original_truncated ?? 0) > 0) {
      refused.set('ORIGINAL_TRUNCATED', Number(counts?.original_truncated));
    }
    if (Number(counts?.fold_refused ?? 0) > 0) refused.set('FOLD_REFUSED', Number(counts?.fold_refused));
    for (const row of rows.slice(0, limit)) {
      const originTopic = row.origin_topic;
      // Selected with an origin kept whole; checked again for the type.
      if (originTopic === null || row.original_truncated) continue;
      replayable.push({
        deadLetterId: row.dead_letter_id,
        stage: row.stage,
        errorCode: row.error_code,
        fileId: row.file_id,
        recordNumber: row.record_number,
        originTopic,
        dlqPartition: row.dlq_partition,
        dlqOffset: row.dlq_offset,
      });
    }
    return {
      replayable,
      notReplayable: [...refused].map(([reason, records]) => ({ reason, records, advice: ADVICE[reason] })),
      more,
    };
  }
}
