import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the console's build is made from: a newer file in any of these means build again. */
const BUILD_SOURCES = ['app', 'components', 'lib', 'public', 'instrumentation.ts', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Whether dbdeck's checkout at `root` has a console build newer than its sources (the config is read at run time, not built in). */
export function consoleBuildIsCurrent(root: string): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  return statSync(buildId).mtimeMs > Math.max(...BUILD_SOURCES.map((s) => newestMtime(path.join(root, s))));
}
