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
