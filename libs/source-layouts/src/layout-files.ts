import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LayoutDefinitionError, parseLayoutDefinition } from './layout-definition';
import { MappedLayout } from './mapped-layout';
import { SourceLayoutRegistry } from './source-layout-registry';

const LAYOUT_FILE = /\.(ya?ml|json)$/i;
/**
 * The largest mapping file read: the largest shipped one is a few KiB. A
 * larger file is a mistake (a data file named .yaml) that would be read
 * whole into memory at every service's boot.
 */
const MAX_LAYOUT_FILE_BYTES = 1024 * 1024;

/** A mapping file's text. @throws LayoutDefinitionError naming the file when it is no file, too large or unreadable. */
function readLayoutText(path: string, origin: string): string {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new LayoutDefinitionError(`${origin}: not a file`);
    if (stats.size > MAX_LAYOUT_FILE_BYTES) {
      throw new LayoutDefinitionError(
        `${origin}: ${stats.size} bytes; a mapping file is at most ${MAX_LAYOUT_FILE_BYTES} bytes`,
      );
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof LayoutDefinitionError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new LayoutDefinitionError(`${origin}: cannot be read (${code})`);
  }
}

/**
 * A folder the repository ships beside the code (`layouts/`, `data/codes`):
 * found by walking up from this file, because the same code runs from
 * libs/source-layouts/src under the tests and from dist/libs/… once built.
 */
export function shippedFolder(...relative: string[]): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, ...relative);
    if (existsSync(join(directory, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) {
      throw new LayoutDefinitionError(`no ${join(...relative)} folder above ${__dirname}`);
    }
  }
}

/** The mapping files of one folder, in name order; a file that does not validate stops the load. */
export function readLayoutFolder(folder: string): MappedLayout[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new LayoutDefinitionError(`${folder}: not a folder of layout files`);
  }
  return readdirSync(folder)
    .filter((file) => LAYOUT_FILE.test(file))
    .sort()
    .map((file) => {
      const origin = `${basename(folder)}/${file}`;
      return new MappedLayout(parseLayoutDefinition(readLayoutText(join(folder, file), origin), origin), origin);
    });
}

/**
 * The layouts a service knows: the shipped `layouts/` folder, plus an extra
 * folder (LAYOUTS_DIR) where an operator onboards a source without a build.
 * @throws LayoutDefinitionError naming the file and key at fault.
 */
export function loadSourceLayouts(extraFolder?: string): SourceLayoutRegistry {
  const folders = [shippedFolder('layouts'), ...(extraFolder ? [extraFolder] : [])];
  return new SourceLayoutRegistry(folders.flatMap(readLayoutFolder));
}
