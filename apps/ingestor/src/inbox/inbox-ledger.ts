import { appendFile, readFile } from 'node:fs/promises';
import { z } from 'zod';

/** One file the inbox has ingested: its identity is the SHA-256 of its bytes, whatever its name. */
export const InboxLedgerEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.string().min(1),
  ingestedAt: z.iso.datetime(),
  ingestId: z.string().min(1),
  recordsRead: z.number().int().nonnegative(),
});
export type InboxLedgerEntry = z.infer<typeof InboxLedgerEntrySchema>;

/**
 * The inbox's memory of what it has ingested (`<inbox>/.ingested`, one JSON
 * object per line, appended once a file's job has completed), so that the
 * same bytes dropped again, under any name and after any restart, are
 * reported as a duplicate instead of published twice. A line cut short by a
 * crash mid-append is skipped; the file it stood for is ingested again, which
 * downstream recognises record by record.
 */
export class InboxLedger {
  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, InboxLedgerEntry>,
    /** Lines that did not parse when the ledger was read. */
    readonly unreadableLines: number,
  ) {}

  static async open(path: string): Promise<InboxLedger> {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries = new Map<string, InboxLedgerEntry>();
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let parsed: ReturnType<typeof InboxLedgerEntrySchema.safeParse>;
      try {
        parsed = InboxLedgerEntrySchema.safeParse(JSON.parse(line));
      } catch {
        unreadable += 1;
        continue;
      }
      if (parsed.success) entries.set(parsed.data.sha256, parsed.data);
      else unreadable += 1;
    }
    return new InboxLedger(path, entries, unreadable);
  }

  /** The earlier ingestion of these bytes, if any. */
  find(sha256: string): InboxLedgerEntry | undefined {
    return this.entries.get(sha256);
  }

  get size(): number {
    return this.entries.size;
  }

  async record(entry: InboxLedgerEntry): Promise<void> {
    const valid = InboxLedgerEntrySchema.parse(entry);
    // A leading newline ends any line a crash left cut short, so this entry stays readable.
    await appendFile(this.path, `\n${JSON.stringify(valid)}\n`, { mode: 0o600 });
    this.entries.set(valid.sha256, valid);
  }
}
