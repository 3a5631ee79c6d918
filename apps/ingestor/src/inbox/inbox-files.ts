import { extname } from 'node:path';

/** What the inbox knows of a file between two listings: a file still being written changes one or the other. */
export interface FileSignature {
  bytes: number;
  modifiedMilliseconds: number;
}

/**
 * The files of a listing that have not changed since the previous one: a
 * file is taken only once its writer has let it be for a whole interval, so a
 * copy in progress is never read half-written. A file seen for the first
 * time waits for the next listing.
 */
export function settledFiles(
  previous: ReadonlyMap<string, FileSignature>,
  current: ReadonlyMap<string, FileSignature>,
): string[] {
  const settled: string[] = [];
  for (const [name, signature] of current) {
    const before = previous.get(name);
    if (before && before.bytes === signature.bytes && before.modifiedMilliseconds === signature.modifiedMilliseconds) {
      settled.push(name);
    }
  }
  return settled.sort();
}

/**
 * The endings file transfer tools and browsers give a file while they write
 * it, renaming it when it is whole: WinSCP `.filepart`, Firefox and curl-like
 * tools `.part`/`.partial`, Chrome `.crdownload`, Safari `.download`, rsync's
 * and many scripts' `.tmp`. A stalled transfer must not be taken half-written.
 */
const IN_PROGRESS_ENDINGS = ['.filepart', '.part', '.partial', '.crdownload', '.download', '.tmp'];

/**
 * Whether the inbox takes a folder entry: a visible regular file (dotfiles are
 * the inbox's own, or copies in progress), not named as a transfer in progress.
 */
export function isInboxCandidate(name: string, isFile: boolean): boolean {
  const lower = name.toLowerCase();
  return isFile && !name.startsWith('.') && !IN_PROGRESS_ENDINGS.some((ending) => lower.endsWith(ending));
}

/**
 * A folder entry's name as text, or null when its bytes are not UTF-8 (a
 * name written in Latin-1 or a Windows code page): decoded, such a name
 * holds U+FFFD where its bytes were and names no file, so the inbox could
 * neither read, move nor report it.
 */
export function utf8NameOf(name: Buffer): string | null {
  const text = name.toString('utf8');
  return Buffer.from(text, 'utf8').equals(name) ? text : null;
}

/** A name that is not UTF-8 as a name that is: each byte as its Latin-1 character, control characters as `_`. */
export function latin1ReadingOf(name: Buffer): string {
  return name.toString('latin1').replace(/\p{Cc}/gu, '_');
}

/**
 * The name a file gets in processed/ or failed/: its own, or, when a file of
 * that name is there already (the same name dropped again), the name with
 * the time it was moved before its extension, so nothing there is overwritten.
 */
export function destinationName(name: string, taken: (candidate: string) => boolean, movedAt: Date): string {
  if (!taken(name)) return name;
  const extension = name.endsWith('.gz') ? `${extname(name.slice(0, -3))}.gz` : extname(name);
  const stem = name.slice(0, name.length - extension.length);
  const stamp = movedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  for (let attempt = 1; ; attempt += 1) {
    const candidate = `${stem}.${stamp}${attempt > 1 ? `-${attempt}` : ''}${extension}`;
    if (!taken(candidate)) return candidate;
  }
}

/** Where an inbox file goes once the inbox is done with it; `inbox`: it stays, to be taken again. */
export type InboxDestination = 'processed' | 'failed' | 'inbox';

/**
 * Where a file goes once its job has ended (or the file was refused before
 * one started). A file written to since it was listed settled stays, whatever
 * its job made of it: its writer had only paused for longer than a listing
 * interval, so a refusal (FILE_CHANGED, a gzip file or a header row cut
 * short) was of a file not yet whole, and a move would leave the writer's
 * next bytes in processed/ or failed/, read by nobody. It is taken again once
 * it settles; records it shares with what was read fold as duplicates.
 */
export function inboxDestination(outcome: {
  completed: boolean;
  /** The shutdown stopped its job: the next start takes it. */
  stoppedByShutdown: boolean;
  changedSinceListed: boolean;
}): InboxDestination {
  if (outcome.changedSinceListed || outcome.stoppedByShutdown) return 'inbox';
  return outcome.completed ? 'processed' : 'failed';
}
