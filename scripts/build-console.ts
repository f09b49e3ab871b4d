/**
 * Builds the console so that it runs wherever dbdeck's folder ends up — this checkout, or
 * node_modules/dbdeck in a team's repository after `npm install` of a packed tarball or a git URL:
 *
 *   1. `next build`;
 *   2. turns Turbopack's hashed names of external packages back into the packages' own names
 *      (it writes `require("pg-587764f78a6c7a9c")` and a symlink .next/node_modules/pg-… → the
 *      package; npm pack drops symlinks, and the link's relative path is wrong once installed);
 *   3. bundles dbdeck's server around Next (scripts/serve-console.ts) to plain JavaScript, so
 *      serving needs no TypeScript compiler;
 *   4. writes .next/dbdeck-console.json last: the versions it was built with.
 *
 * Usage: tsx scripts/build-console.ts [--if-stale]   (--if-stale: nothing to do when current)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { CONSOLE_MANIFEST, CONSOLE_SERVER, consoleBuildIsCurrent, installedVersions } from '../lib/runtime/console-build';
import { holdProcessLock } from './process-lock';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, '.next');

/** Turbopack's aliases of external packages in .next/node_modules: `pg-587764f78a6c7a9c` → `pg`. */
function externalAliases(): Map<string, string> {
  const folder = path.join(dist, 'node_modules');
  const aliases = new Map<string, string>();
  if (!existsSync(folder)) return aliases;
  const entries = readdirSync(folder).flatMap((name) =>
    name.startsWith('@') ? readdirSync(path.join(folder, name)).map((inner) => `${name}/${inner}`) : [name],
  );
  for (const alias of entries) {
    const link = path.join(folder, alias);
    const name = /^(.+)-[0-9a-f]{16}$/.exec(alias)?.[1];
    if (!name || !lstatSync(link).isSymbolicLink()) throw new Error(`unexpected ${link}: Turbopack's aliases are symlinks named <package>-<16 hex digits>`);
    // The alias may stand for the package's own name only where that name finds the same folder.
    const target = realpathSync(path.resolve(path.dirname(link), readlinkSync(link)));
    const byName = path.join(root, 'node_modules', name);
    if (!existsSync(byName) || realpathSync(byName) !== target)
      throw new Error(`${link} points at ${target}, not at ${byName}: make ${name} a dependency of dbdeck's own so one copy serves both`);
    aliases.set(alias, name);
  }
  return aliases;
}

function serverFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return serverFiles(file);
    return entry.name.endsWith('.js') ? [file] : [];
  });
}

function useRealPackageNames(aliases: Map<string, string>): number {
  if (aliases.size === 0) return 0;
  const escaped = [...aliases.keys()].map((alias) => alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const pattern = new RegExp(`(["'\`])(${escaped.join('|')})(?=["'\`/])`, 'g');
  let rewritten = 0;
  for (const file of serverFiles(path.join(dist, 'server'))) {
    const text = readFileSync(file, 'utf8');
    const replaced = text.replace(pattern, (_, quote: string, alias: string) => quote + aliases.get(alias)!);
    if (replaced !== text) {
      writeFileSync(file, replaced);
      rewritten += 1;
    }
  }
  rmSync(path.join(dist, 'node_modules'), { recursive: true, force: true });
  return rewritten;
}

/**
 * One build of this folder at a time: `npm pack` (prepare), `npm start` and the tests may each
 * find the build stale at once, and two `next build`s in one .next break each other. A later
 * build waits for the first; a lock left by a dead build is taken over.
 */
function holdBuildLock(): void {
  holdProcessLock(path.join(root, 'node_modules', '.cache', 'dbdeck-console-build.lock'), 'another build of the console');
}

async function main(): Promise<number> {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && consoleBuildIsCurrent(root)) return 0;
  holdBuildLock();
  // Another build may have finished while this one waited.
  if (ifStale && consoleBuildIsCurrent(root)) return 0;
  rmSync(path.join(dist, CONSOLE_MANIFEST), { force: true });
  const next = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], { cwd: root, stdio: 'inherit' });
  if (next.status !== 0) {
    console.error('next build failed; see above');
    return 1;
  }
  const aliases = externalAliases();
  const files = useRealPackageNames(aliases);
  console.log(`  external packages by their own names in ${files} server file(s): ${[...new Set(aliases.values())].join(', ') || 'none'}`);
  await build({
    entryPoints: [path.join(root, 'scripts/serve-console.ts')],
    outfile: path.join(dist, CONSOLE_SERVER),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Next (and anything else from node_modules) is found at run time beside dbdeck, as the console's chunks find theirs.
    packages: 'external',
    logLevel: 'warning',
  });
  writeFileSync(path.join(dist, CONSOLE_MANIFEST), `${JSON.stringify(installedVersions(root), null, 2)}\n`);
  console.log(`  console built: ${path.relative(root, path.join(dist, CONSOLE_SERVER))}, ${path.relative(root, path.join(dist, CONSOLE_MANIFEST))}`);
  return 0;
}

process.exit(
  await main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }),
);
