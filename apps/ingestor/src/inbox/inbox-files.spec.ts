import {
  destinationName,
  inboxDestination,
  isInboxCandidate,
  latin1ReadingOf,
  settledFiles,
  utf8NameOf,
  type FileSignature,
} from './inbox-files';

const listing = (entries: Record<string, [number, number]>): Map<string, FileSignature> =>
  new Map(
    Object.entries(entries).map(([name, [bytes, modifiedMilliseconds]]) => [name, { bytes, modifiedMilliseconds }]),
  );

describe('settledFiles', () => {
  it('takes a file whose size and time did not change between two listings', () => {
    expect(settledFiles(listing({ 'a.csv': [10, 1] }), listing({ 'a.csv': [10, 1] }))).toEqual(['a.csv']);
  });

  it('leaves a file that is still growing, or was touched, for a later listing', () => {
    const previous = listing({ 'growing.csv': [10, 1], 'touched.csv': [10, 1] });
    const current = listing({ 'growing.csv': [20, 2], 'touched.csv': [10, 3] });
    expect(settledFiles(previous, current)).toEqual([]);
  });

  it('waits one listing before taking a file seen for the first time', () => {
    expect(settledFiles(listing({}), listing({ 'new.csv': [10, 1] }))).toEqual([]);
  });
});

describe('isInboxCandidate', () => {
  it('takes visible regular files and leaves dotfiles and folders alone', () => {
    expect(isInboxCandidate('claims.csv', true)).toBe(true);
    expect(isInboxCandidate('.ingested', true)).toBe(false);
    expect(isInboxCandidate('.claims.csv.part', true)).toBe(false);
    expect(isInboxCandidate('processed', false)).toBe(false);
  });

  it('leaves alone a file named as a transfer still in progress, whatever the tool (WinSCP, browsers, rsync)', () => {
    for (const name of ['claims.csv.filepart', 'claims.csv.part', 'claims.CSV.PARTIAL', 'claims.csv.crdownload']) {
      expect({ name, taken: isInboxCandidate(name, true) }).toEqual({ name, taken: false });
    }
    expect(isInboxCandidate('claims.csv.download', true)).toBe(false);
    expect(isInboxCandidate('claims.csv.tmp', true)).toBe(false);
    expect(isInboxCandidate('claims-part-2.csv', true)).toBe(true);
    expect(isInboxCandidate('claims.837', true)).toBe(true);
  });
});

describe('destinationName', () => {
  const movedAt = new Date('2026-03-04T05:06:07.890Z');

  it('keeps the name when nothing there has it', () => {
    expect(destinationName('claims.csv', () => false, movedAt)).toBe('claims.csv');
  });

  it('puts the move time before the extension, gzip included, when the name is taken', () => {
    const taken = new Set(['claims.csv', 'claims.csv.gz']);
    expect(destinationName('claims.csv', (name) => taken.has(name), movedAt)).toBe('claims.20260304T050607Z.csv');
    expect(destinationName('claims.csv.gz', (name) => taken.has(name), movedAt)).toBe('claims.20260304T050607Z.csv.gz');
  });

  it('counts on when the stamped name is taken too', () => {
    const taken = new Set(['claims.csv', 'claims.20260304T050607Z.csv']);
    expect(destinationName('claims.csv', (name) => taken.has(name), movedAt)).toBe('claims.20260304T050607Z-2.csv');
  });
});

describe('inboxDestination', () => {
  const unchanged = { stoppedByShutdown: false, changedSinceListed: false };

  it('moves a file to processed/ once its job completed, and to failed/ once it was refused', () => {
    expect(inboxDestination({ ...unchanged, completed: true })).toBe('processed');
    expect(inboxDestination({ ...unchanged, completed: false })).toBe('failed');
  });

  it('keeps in the inbox a file written to while it was being ingested, whatever its job made of it', () => {
    // A writer that paused past one listing: the job read part of the file (FILE_CHANGED, a gzip cut short).
    expect(inboxDestination({ completed: false, stoppedByShutdown: false, changedSinceListed: true })).toBe('inbox');
    // Or resumed once the job had read it: moved, its new bytes would be read by nobody.
    expect(inboxDestination({ completed: true, stoppedByShutdown: false, changedSinceListed: true })).toBe('inbox');
  });

  it('keeps in the inbox a file whose job the shutdown stopped, for the next start', () => {
    expect(inboxDestination({ completed: false, stoppedByShutdown: true, changedSinceListed: false })).toBe('inbox');
  });
});

describe('utf8NameOf', () => {
  it('reads a UTF-8 name, spaces and accents included, as its text', () => {
    expect(utf8NameOf(Buffer.from('réclamations mars 2026.csv'))).toBe('réclamations mars 2026.csv');
  });

  it('tells a name whose bytes are not UTF-8 (café.csv saved in Latin-1), which no text path names', () => {
    const latin1 = Buffer.from('café.csv', 'latin1');
    expect(utf8NameOf(latin1)).toBeNull();
    expect(latin1ReadingOf(latin1)).toBe('café.csv');
    expect(latin1ReadingOf(Buffer.from([0x61, 0x85, 0x62]))).toBe('a_b');
  });
});
