import { IngestionError } from '../ingestion/ingestion.errors';
import { IngestJobRegistry, type NewIngestJob } from './ingest-job-registry';

const job = (source: string): NewIngestJob => ({
  origin: 'request',
  source,
  layout: 'desynpuf.carrier',
  dryRun: false,
  bytesTotal: 1000,
});

const report = (source: string) => ({
  schemaVersion: 1 as const,
  source,
  fileId: 'f'.repeat(64),
  layout: 'desynpuf.carrier',
  recordsRead: 10,
  recordsPublished: 9,
  recordsDeadLettered: 1,
  blankLinesSkipped: 0,
  durationSeconds: 0.5,
  completedAt: '2026-01-02T03:04:05.000Z',
});

const codeOf = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    if (error instanceof IngestionError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('IngestJobRegistry', () => {
  it('shows a running job with its progress, then its report once completed', () => {
    const registry = new IngestJobRegistry({ maxRunning: 4, history: 10 });
    const { ingestId, state } = registry.start(job('a.csv'), () => undefined);
    expect(state).toBe('running');

    registry.progress(ingestId, {
      phase: 'reading',
      bytesRead: 400,
      bytesTotal: 1000,
      recordsRead: 4,
      recordsPublished: 3,
      recordsDeadLettered: 0,
    });
    expect(registry.get(ingestId)).toMatchObject({ state: 'running', bytesRead: 400, recordsRead: 4 });

    registry.complete(ingestId, report('a.csv'));
    expect(registry.get(ingestId)).toMatchObject({
      state: 'completed',
      bytesRead: 1000,
      recordsRead: 10,
      recordsPublished: 9,
      recordsDeadLettered: 1,
      report: { source: 'a.csv' },
      error: null,
    });
    expect(registry.get(ingestId).finishedAt).not.toBeNull();
  });

  it('refuses a job beyond the running limit with INGEST_BUSY, and takes one again once a job has finished', () => {
    const registry = new IngestJobRegistry({ maxRunning: 2, history: 10 });
    const first = registry.start(job('a.csv'), () => undefined);
    registry.start(job('b.csv'), () => undefined);

    expect(codeOf(() => registry.start(job('c.csv'), () => undefined))).toBe('INGEST_BUSY');
    registry.fail(first.ingestId, { code: 'INGEST_TIMEOUT', message: 'over the limit' });
    expect(registry.start(job('c.csv'), () => undefined).state).toBe('running');
  });

  it('forgets the oldest finished jobs beyond its history, never a running one', () => {
    const registry = new IngestJobRegistry({ maxRunning: 10, history: 2 });
    const longRunning = registry.start(job('long.csv'), () => undefined);
    const finished = ['a.csv', 'b.csv', 'c.csv'].map((source) => {
      const { ingestId } = registry.start(job(source), () => undefined);
      registry.complete(ingestId, report(source));
      return ingestId;
    });

    expect(codeOf(() => registry.get(finished[0] ?? ''))).toBe('INGEST_NOT_FOUND');
    expect(registry.list().map((view) => view.source)).toEqual(['c.csv', 'b.csv', 'long.csv']);
    expect(registry.get(longRunning.ingestId).state).toBe('running');
  });

  it('cancels a running job through its own stop function with INGEST_CANCELLED', () => {
    const registry = new IngestJobRegistry({ maxRunning: 4, history: 10 });
    const reasons: string[] = [];
    const { ingestId } = registry.start(job('a.csv'), (reason) => reasons.push(reason.code));

    registry.cancel(ingestId);
    expect(reasons).toEqual(['INGEST_CANCELLED']);
    registry.fail(ingestId, { code: 'INGEST_CANCELLED', message: 'cancelled' });
    registry.cancel(ingestId);
    expect(reasons).toEqual(['INGEST_CANCELLED']);
    expect(registry.get(ingestId)).toMatchObject({ state: 'failed', error: { code: 'INGEST_CANCELLED' } });
  });

  it('answers INGEST_NOT_FOUND for an id it never gave', () => {
    const registry = new IngestJobRegistry({ maxRunning: 4, history: 10 });
    expect(codeOf(() => registry.get('no-such-job'))).toBe('INGEST_NOT_FOUND');
    expect(codeOf(() => registry.cancel('no-such-job'))).toBe('INGEST_NOT_FOUND');
  });

  it('records a duplicate inbox file as completed, naming the earlier ingestion, without a running slot', () => {
    const registry = new IngestJobRegistry({ maxRunning: 1, history: 10 });
    const view = registry.recordDuplicate(
      { ...job('again.csv'), origin: 'inbox' },
      { fileId: 'f'.repeat(64), source: 'first.csv', ingestedAt: '2026-01-02T03:04:05.000Z' },
    );
    expect(view).toMatchObject({ state: 'completed', report: null, duplicateOf: { source: 'first.csv' } });
    expect(registry.hasCapacity).toBe(true);
  });

  it('keeps a finished job as it ended when a late progress report arrives', () => {
    const registry = new IngestJobRegistry({ maxRunning: 4, history: 10 });
    const { ingestId } = registry.start(job('a.csv'), () => undefined);
    registry.complete(ingestId, report('a.csv'));
    registry.progress(ingestId, {
      phase: 'reading',
      bytesRead: 1,
      bytesTotal: 1000,
      recordsRead: 1,
      recordsPublished: 0,
      recordsDeadLettered: 0,
    });
    expect(registry.get(ingestId)).toMatchObject({ bytesRead: 1000, recordsRead: 10 });
  });

  it('tells its listener once when each running job ends, completed or failed, and never for a recorded duplicate', () => {
    const ended: string[] = [];
    const registry = new IngestJobRegistry({ maxRunning: 4, history: 10 }, undefined, (view) =>
      ended.push(`${view.source}:${view.state}`),
    );
    const completed = registry.start(job('a.csv'), () => undefined);
    const failed = registry.start(job('b.csv'), () => undefined);
    registry.start(job('still-running.csv'), () => undefined);
    registry.complete(completed.ingestId, report('a.csv'));
    registry.fail(failed.ingestId, { code: 'INGEST_CANCELLED', message: 'the ingestion of b.csv was cancelled' });
    // A late failure of a job that already completed changes nothing.
    registry.fail(completed.ingestId, { code: 'INGEST_FAILED', message: 'late' });
    registry.recordDuplicate(
      { ...job('again.csv'), origin: 'inbox' },
      { fileId: 'f'.repeat(64), source: 'a.csv', ingestedAt: '2026-01-02T03:04:05.000Z' },
    );
    expect(ended).toEqual(['a.csv:completed', 'b.csv:failed']);
  });
});
