import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * dbdeck's own folder (the control store's migrations ship in it, wherever the config is): the
 * nearest folder above this module with a package.json, whether this module runs from its source
 * (cli/) or from the built CLI (dist/cli/).
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}: dbdeck's files are incomplete`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);
