import { waitFor } from '@claims/harness';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startIngestorUnderTest, type IngestorUnderTest } from '../__tests__/ingestor-under-test';
import type { StartedIngestJob } from '../ingest-jobs/ingest-jobs.service';

const CARRIER = readFileSync(
  join(__dirname, '../../../../data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv'),
);
const POLL_MILLISECONDS = 200;
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The header and `rows` data rows of a carrier file, each with a claim id of its own (`tag` keeps files apart). */
function carrierRows(rows: number, tag: string): { header: string; records: string[] } {
  const [header = '', ...records] = CARRIER.toString('utf8').trimEnd().split('\n');
  return {
    header,
    records: Array.from({ length: rows }, (_, index) =>
      (records[index % records.length] ?? '').replace(/^(\w+),(\d+)/, (_whole, member: string, claim: string) =>
        [member, `${claim}${tag}${index}`].join(','),
      ),
    ),
  };
}

function carrierFile(rows: number, tag: string): string {
  const { header, records } = carrierRows(rows, tag);
  return `${[header, ...records].join('\n')}\n`;
}

describe('InboxWatcher against a real broker', () => {
  let ingestor: IngestorUnderTest;
  let inbox: string;

  beforeEach(async () => {
    ingestor = await startIngestorUnderTest();
    inbox = join(ingestor.root, 'inbox');
    await mkdir(inbox, { recursive: true });
  });
  afterEach(() => ingestor.close());

  const listing = async (folder: string): Promise<string[]> => (await readdir(join(inbox, folder))).sort();

  it('takes the files after an entry it cannot read (a link to a folder) instead of stopping at it', async () => {
    await mkdir(join(inbox, 'kept'));
    await symlink(join(inbox, 'kept'), join(inbox, 'a-link-to-a-folder'));
    const file = carrierFile(20, 'after-link');
    await writeFile(join(inbox, 'b-claims.csv'), file);
    await ingestor.startInbox(POLL_MILLISECONDS);

    await waitFor(
      'b-claims.csv to be ingested',
      () => listing('processed'),
      (names) => names.includes('b-claims.csv'),
      {
        timeoutMs: 20_000,
        intervalMs: 100,
      },
    );
    expect(await ingestor.reportOf(sha256(file))).toMatchObject({ recordsRead: 20, recordsPublished: 20 });
  });

  it('waits for a file written to while another file was being ingested to settle again', async () => {
    const { header, records } = carrierRows(60, 'late-writer');
    const whole = `${[header, ...records].join('\n')}\n`;
    // Both files settle in the same listings; the first one's job is held until the test lets it end.
    await writeFile(join(inbox, 'a-first.csv'), carrierFile(10, 'first'));
    await writeFile(join(inbox, 'b-written-late.csv'), `${header}\n${records.slice(0, 20).join('\n')}\n`);
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted = false;
    const start = ingestor.jobs.start.bind(ingestor.jobs);
    ingestor.jobs.start = async (...args): Promise<StartedIngestJob> => {
      const started = await start(...args);
      if (args[0] !== 'a-first.csv') return started;
      firstStarted = true;
      return { ...started, finished: started.finished.then(async (view) => (await firstHeld, view)) };
    };
    await ingestor.startInbox(POLL_MILLISECONDS);
    await waitFor('the first file to be taken', async () => firstStarted, Boolean, {
      timeoutMs: 20_000,
      intervalMs: 50,
    });

    // While the inbox waits on the first file, the writer of the second one goes on, and is still writing
    // when the first one ends: the second file is not whole until the writer stops.
    await appendFile(join(inbox, 'b-written-late.csv'), `${records.slice(20, 30).join('\n')}\n`);
    releaseFirst();
    for (let from = 30; from < records.length; from += 5) {
      await sleep(POLL_MILLISECONDS / 4);
      await appendFile(join(inbox, 'b-written-late.csv'), `${records.slice(from, from + 5).join('\n')}\n`);
    }

    await waitFor(
      'the second file to leave the inbox',
      async () => [...(await listing('processed')), ...(await listing('failed'))],
      (names) => names.some((name) => name.startsWith('b-written-late')),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(await listing('failed')).toEqual([]);
    expect(await ingestor.reportOf(sha256(whole))).toMatchObject({ recordsRead: 60, recordsPublished: 60 });
  });
});
