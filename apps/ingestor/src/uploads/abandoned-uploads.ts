import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** An upload's bytes land in `<uploads>/.incoming-<uuid>` until the body is whole. */
export const INCOMING_UPLOAD_PREFIX = '.incoming-';

/**
 * Removes the partial files of uploads that can no longer finish: those not
 * written for `idleMilliseconds`. A live upload writes more often than that or
 * is dropped (the controller's idle limit), so a file this stale belongs to an
 * upload whose ingestor was killed mid-body, and nothing else would remove it.
 * Younger files are left: another ingestor sharing the folder may be writing
 * them. Returns how many were removed; a missing folder is none.
 */
export async function removeAbandonedUploads(
  uploadsFolder: string,
  idleMilliseconds: number,
  now: Date = new Date(),
): Promise<number> {
  const names = await readdir(uploadsFolder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(INCOMING_UPLOAD_PREFIX)) continue;
    const path = join(uploadsFolder, name);
    const written = await stat(path).catch(() => null);
    // Gone meanwhile (its upload finished or failed), or not a plain file: not ours to remove.
    if (written === null || !written.isFile()) continue;
    if (now.getTime() - written.mtimeMs < idleMilliseconds) continue;
    await rm(path, { force: true });
    removed += 1;
  }
  return removed;
}
