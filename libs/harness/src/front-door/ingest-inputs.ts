import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** A file named on the command line (or found in a folder named there), resolved: what is sent, and how it is named in messages. */
export interface InputFile {
  display: string;
  path: string;
  bytes: number;
}

/** A file that cannot be sent (a link to nothing, a file removed since the listing, one without read permission): said, not skipped. */
export interface UnreadableInput {
  display: string;
  reason: string;
}

export type IngestInput = InputFile | UnreadableInput;

export interface IngestInputs {
  /** In command-line order, a folder's files by name. */
  inputs: IngestInput[];
  /** Files named more than once (typed twice, or typed and in a folder typed too): sent once, under their first name. */
  repeated: string[];
}

/** A path typed on the command line names nothing that can be ingested: the command line is at fault. */
export class InputPathProblem extends Error {}

export function isUnreadableInput(input: IngestInput): input is UnreadableInput {
  return 'reason' in input;
}

/** Why a file could not be listed or read, from its system error: what a person can act on, never its contents. */
export function unreadableReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no longer exists (removed since its folder was listed, or a link that leads nowhere)';
    case 'ELOOP':
      return 'is a symbolic link that leads back to itself';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'ENOTDIR':
      return 'no longer exists (a folder on its path was replaced by a file)';
    case 'FILE_CHANGED':
      return 'changed while it was being sent (still being written?): ingest it again once it is whole';
    default:
      return `cannot be read (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)})`;
  }
}

/** What a folder entry or typed path is when it is neither a file nor a folder. */
function kindOf(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/** The file at `path`, or why it cannot be sent. Links are followed: a link to a file is that file. */
async function inputFile(display: string, path: string): Promise<IngestInput | null> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return { display, reason: unreadableReason(error) };
  }
  // A folder inside a folder (or a link to one) is not descended into; a pipe or a device is never read.
  if (!info.isFile()) return null;
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    return { display, reason: unreadableReason(error) };
  }
  return { display, path, bytes: info.size };
}

/**
 * The files a command line names, each once: a file as typed, a folder as
 * the visible files in it (links to files included; subfolders, pipes and
 * devices left out). A folder entry that cannot be read (a link to nothing
 * or to itself, a file removed since the listing, one without read
 * permission) is kept as such, so the command says so and exits 1 rather
 * than leave it out unseen; the files after it are still sent.
 *
 * @throws InputPathProblem when a typed path does not exist, is neither a file nor a folder, or is a folder that cannot be listed or holds no file
 */
export async function ingestInputsOf(paths: readonly string[], cwd: string): Promise<IngestInputs> {
  const inputs: IngestInput[] = [];
  const repeated: string[] = [];
  const seen = new Set<string>();
  const add = async (input: IngestInput): Promise<void> => {
    if (!isUnreadableInput(input)) {
      const real = await realpath(input.path).catch(() => input.path);
      if (seen.has(real)) {
        repeated.push(input.display);
        return;
      }
      seen.add(real);
    }
    inputs.push(input);
  };
  for (const typed of paths) {
    const path = resolve(cwd, typed);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      throw new InputPathProblem(
        code === 'ENOENT' ? `no such file or folder: ${typed}` : `${typed}: ${unreadableReason(error)}`,
      );
    }
    if (info.isFile()) {
      const input = await inputFile(typed, path);
      if (input !== null) await add(input);
      continue;
    }
    if (!info.isDirectory()) throw new InputPathProblem(`${typed} is ${kindOf(info)}, not a file or folder`);
    let names: string[];
    try {
      names = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
    } catch (error) {
      throw new InputPathProblem(`the folder ${typed} ${unreadableReason(error)}`);
    }
    let found = 0;
    for (const name of names) {
      const input = await inputFile(join(typed, name), join(path, name));
      if (input === null) continue;
      found += 1;
      await add(input);
    }
    if (found === 0) throw new InputPathProblem(`no files in folder ${typed}`);
  }
  return { inputs, repeated };
}
