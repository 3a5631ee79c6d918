import { destinationName, isInboxCandidate, settledFiles, type FileSignature } from './inbox-files';

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
