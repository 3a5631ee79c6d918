import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LayoutDefinitionError, parseLayoutDefinition } from './layout-definition';
import { MappedLayout } from './mapped-layout';
import { SourceLayoutRegistry } from './source-layout-registry';

const LAYOUT_FILE = /\.(ya?ml|json)$/i;

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
      return new MappedLayout(parseLayoutDefinition(readFileSync(join(folder, file), 'utf8'), origin), origin);
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
