import { waitFor } from '@claims/harness';
import { PipelineKafka } from '@claims/kafka';
import { loggerOptions } from '@claims/observability';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { IngestJobsService } from '../ingest-jobs/ingest-jobs.service';
import { FileIngestionService } from '../ingestion/file-ingestion.service';
import { loadIngestorConfig } from '../ingestor.config';
import { InboxWatcher } from './inbox-watcher.service';

const POLL_MILLISECONDS = 50;

/**
 * The inbox door as the service wires it (watcher, jobs, ingestion use case), on an inbox in a
 * fresh folder. Only files the door refuses before a job runs are dropped here, so nothing is
 * published and no broker is needed; `messages` are its log lines, as they are written.
 */
function inboxUnderTest(): {
  inbox: string;
  root: string;
  jobs: IngestJobsService;
  watcher: InboxWatcher;
  messages: string[];
} {
  const root = mkdtempSync(join(tmpdir(), 'claims-inbox-'));
  const inbox = join(root, 'inbox');
  mkdirSync(inbox);
  const config = loadIngestorConfig({
    KAFKA_BROKERS: '127.0.0.1:9',
    INGEST_ROOT: root,
    INGEST_INBOX: inbox,
    INGEST_INBOX_POLL_MILLISECONDS: String(POLL_MILLISECONDS),
  });
  const messages: string[] = [];
  const lines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      messages.push(String((JSON.parse(chunk.toString('utf8')) as { msg?: unknown }).msg));
      done();
    },
  });
  const logger = pino(loggerOptions({ service: 'ingestor', level: 'info' }), lines);
  const ingestion = new FileIngestionService(config, logger, new PipelineKafka(config.kafka, 'ingestor', logger));
  const jobs = new IngestJobsService(config, logger, ingestion);
  return { inbox, root, jobs, watcher: new InboxWatcher(config, logger, jobs), messages };
}

describe('InboxWatcher', () => {
  let under: ReturnType<typeof inboxUnderTest>;

  beforeEach(() => {
    under = inboxUnderTest();
  });

  afterEach(() => {
    under.watcher.onModuleDestroy();
    rmSync(under.root, { recursive: true, force: true });
  });

  const listing = (folder: string): string[] => readdirSync(join(under.inbox, folder)).sort();
  const inboxEnded = (): Promise<string[]> =>
    waitFor(
      'the inbox to be done with the file',
      async () => under.messages,
      (messages) => messages.some((message) => /moved to failed|left to settle/.test(message)),
      { timeoutMs: 4_000, intervalMs: 20 },
    );

  it('moves a file the door refuses as a whole to failed/, with the reason beside it', async () => {
    writeFileSync(join(under.inbox, 'notes.csv'), 'WHATEVER,THIS,IS\n1,2,3\n');
    await under.watcher.onApplicationBootstrap();

    await inboxEnded();
    expect(listing('failed')).toEqual(['notes.csv', 'notes.csv.reason.txt']);
    expect(readFileSync(join(under.inbox, 'failed', 'notes.csv.reason.txt'), 'utf8')).toMatch(/^LAYOUT_UNKNOWN: /);
  });

  it('leaves in the inbox a file written to while the door refused it, its writer having only paused', async () => {
    // The writer paused past a listing with the header row half written; it goes on once the file was taken.
    const path = join(under.inbox, 'claims.csv');
    writeFileSync(path, 'DESYNPUF_ID,CLM');
    const start = under.jobs.start.bind(under.jobs);
    under.jobs.start = async (...args) => {
      try {
        return await start(...args);
      } catch (error) {
        appendFileSync(path, '_ID,CLM_FROM_DT\n');
        // One take is what this test is about: the next listings would take the file, now whole, to a broker.
        under.watcher.onModuleDestroy();
        throw error;
      }
    };
    await under.watcher.onApplicationBootstrap();

    await inboxEnded();
    expect(readdirSync(under.inbox).filter((name) => name.endsWith('.csv'))).toEqual(['claims.csv']);
    expect(listing('failed')).toEqual([]);
  });

  it('moves a file whose name is not UTF-8 to failed/ under its Latin-1 reading, rather than leave it unseen', async () => {
    const latin1Name = Buffer.from('réclamations.csv', 'latin1');
    writeFileSync(Buffer.concat([Buffer.from(`${under.inbox}${sep}`), latin1Name]), 'CLM_ID\n1\n');
    await under.watcher.onApplicationBootstrap();

    await inboxEnded();
    expect(listing('failed')).toEqual(['réclamations.csv', 'réclamations.csv.reason.txt']);
    expect(readFileSync(join(under.inbox, 'failed', 'réclamations.csv.reason.txt'), 'utf8')).toMatch(
      /^FILE_NAME_INVALID: /,
    );
    expect(readdirSync(under.inbox, { encoding: 'buffer' }).some((name) => name.equals(latin1Name))).toBe(false);
  });
});
