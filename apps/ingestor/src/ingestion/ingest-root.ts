import { realpath } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { IngestionError } from './ingestion.errors';

function isWithin(directory: string, path: string): boolean {
  const fromDirectory = relative(directory, path);
  return !isAbsolute(fromDirectory) && fromDirectory !== '..' && !fromDirectory.startsWith(`..${sep}`);
}

/**
 * The real path of a file requested through any door (relative to the ingest
 * root, or absolute), provided it lies under the root once every symbolic
 * link is resolved: a link inside the root that points outside it is refused
 * like a `../` path. The path is checked as written first, so that a caller
 * cannot learn whether a file outside the root exists from the error code.
 *
 * @throws IngestionError PATH_OUTSIDE_INGEST_ROOT, FILE_NOT_FOUND
 */
export async function confineToIngestRoot(ingestRoot: string, requestedPath: string): Promise<string> {
  const outside = new IngestionError(
    'PATH_OUTSIDE_INGEST_ROOT',
    `${basename(requestedPath)} is not under the ingest root`,
  );
  const root = resolve(ingestRoot);
  const realRoot = await realpath(root).catch(() => {
    throw new IngestionError('FILE_NOT_FOUND', 'the ingest root does not exist');
  });
  const lexicalPath = resolve(root, requestedPath);
  if (!isWithin(root, lexicalPath) && !isWithin(realRoot, lexicalPath)) throw outside;
  const realPath = await realpath(lexicalPath).catch(() => {
    throw new IngestionError('FILE_NOT_FOUND', `no such file: ${basename(requestedPath)}`);
  });
  if (!isWithin(realRoot, realPath)) throw outside;
  return realPath;
}
