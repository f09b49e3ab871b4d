import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError } from '../engine/errors';

/** What the console's build is made from: a newer file in any of these means build again. */
const BUILD_SOURCES = [
  'app',
  'components',
  'lib',
  'public',
  'instrumentation.ts',
  'proxy.ts',
  'next.config.ts',
  'package-lock.json',
  'postcss.config.mjs',
  'scripts/serve-console.ts',
  'scripts/build-console.ts',
];

/**
 * Written last by scripts/build-console.ts, beside Next's own output: a build without it is
 * unfinished. It names the versions the console was built with, which must be the versions that
 * serve it (Next's build output runs only under the Next that wrote it).
 */
export const CONSOLE_MANIFEST = 'dbdeck-console.json';
/** dbdeck's server around Next (scripts/serve-console.ts), bundled to plain JavaScript. */
export const CONSOLE_SERVER = 'dbdeck-server.mjs';

export interface ConsoleManifest {
  dbdeck: string;
  next: string;
}

const manifestFile = (root: string) => path.join(root, '.next', CONSOLE_MANIFEST);

/** The prebuilt console's server script, as `node` runs it. */
export const consoleServerScript = (root: string) => path.join(root, '.next', CONSOLE_SERVER);

/** The versions this dbdeck runs with: its own, and the Next that node resolves from its folder. */
export function installedVersions(root: string): ConsoleManifest {
  const versionOf = (file: string) => String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version);
  let nextPackage: string | null = null;
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'next', 'package.json');
    if (existsSync(candidate)) {
      nextPackage = candidate;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return { dbdeck: versionOf(path.join(root, 'package.json')), next: nextPackage ? versionOf(nextPackage) : 'not installed' };
}

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Whether dbdeck's checkout at `root` has a finished console build newer than its sources (the config is read at run time, not built in). */
export function consoleBuildIsCurrent(root: string): boolean {
  const manifest = manifestFile(root);
  if (!existsSync(manifest)) return false;
  return statSync(manifest).mtimeMs > Math.max(...BUILD_SOURCES.map((s) => newestMtime(path.join(root, s))));
}

/**
 * What to run for a console build at `root`: in a checkout (its sources beside it), build it; an
 * installed package has no sources to build from, so it is replaced by a package that carries one.
 */
function remedy(root: string, version: string): string {
  if (existsSync(path.join(root, 'app')) && existsSync(path.join(root, 'next.config.ts'))) return `run \`npm run build\` in ${root}`;
  return `reinstall dbdeck ${version} from a tarball made by \`npm pack\` in a dbdeck checkout, or from its git URL (both build the console into the package), e.g. \`npm install ./dbdeck-${version}.tgz\``;
}

/**
 * Throws, saying what to run, unless `root` holds a finished console build made by this dbdeck
 * with the Next installed beside it. A package made by `npm pack` (or installed from git) carries
 * one; a checkout builds it with `npm run build`.
 */
export function requirePrebuiltConsole(root: string): void {
  const build = path.join(root, '.next');
  const installed = installedVersions(root);
  const what = remedy(root, installed.dbdeck);
  if (!existsSync(manifestFile(root)) || !existsSync(consoleServerScript(root)) || !existsSync(path.join(build, 'BUILD_ID'))) {
    throw new DbdeckError('config', `no prebuilt console in ${build}: ${what}; nothing was started`, { file: build });
  }
  let built: Partial<ConsoleManifest>;
  try {
    built = JSON.parse(readFileSync(manifestFile(root), 'utf8')) as Partial<ConsoleManifest>;
  } catch (error) {
    throw new DbdeckError('config', `cannot read ${manifestFile(root)} (${String(error)}): ${what}; nothing was started`, { file: manifestFile(root) });
  }
  if (built.dbdeck !== installed.dbdeck || built.next !== installed.next) {
    throw new DbdeckError(
      'config',
      `the console in ${build} was built by dbdeck ${built.dbdeck} with Next ${built.next}, but this is dbdeck ${installed.dbdeck} with Next ${installed.next}: ${what}; nothing was started`,
      { file: build },
    );
  }
}
