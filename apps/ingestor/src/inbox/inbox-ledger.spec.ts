import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InboxLedger, type InboxLedgerEntry } from './inbox-ledger';

const entry = (digit: string, source: string): InboxLedgerEntry => ({
  sha256: digit.repeat(64),
  source,
  ingestedAt: '2026-01-02T03:04:05.000Z',
  ingestId: `job-${digit}`,
  recordsRead: 10,
});

describe('InboxLedger', () => {
  let folder: string;
  let path: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'claims-inbox-ledger-'));
    path = join(folder, '.ingested');
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('starts empty when the inbox has never ingested a file', async () => {
    const ledger = await InboxLedger.open(path);
    expect(ledger.size).toBe(0);
    expect(ledger.find('a'.repeat(64))).toBeUndefined();
  });

  it('finds a recorded file by its SHA-256 after the ledger is read again, as after a restart', async () => {
    const ledger = await InboxLedger.open(path);
    await ledger.record(entry('a', 'claims-2024-03.csv'));
    expect(ledger.find('a'.repeat(64))?.source).toBe('claims-2024-03.csv');

    const reopened = await InboxLedger.open(path);
    expect(reopened.find('a'.repeat(64))).toEqual(entry('a', 'claims-2024-03.csv'));
  });

  it('skips a line cut short by a crash and keeps every entry around it', async () => {
    const ledger = await InboxLedger.open(path);
    await ledger.record(entry('a', 'first.csv'));
    appendFileSync(path, '{"sha256":"bbbb');
    await (await InboxLedger.open(path)).record(entry('c', 'third.csv'));

    const reopened = await InboxLedger.open(path);
    expect(reopened.unreadableLines).toBe(1);
    expect(reopened.find('a'.repeat(64))?.source).toBe('first.csv');
    expect(reopened.find('c'.repeat(64))?.source).toBe('third.csv');
  });
});
