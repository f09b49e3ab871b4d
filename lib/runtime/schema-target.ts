import path from 'node:path';
import { assertDatabaseExists } from '../engine/drivers/location';
import type { Driver } from '../engine/drivers/types';
import { DbdeckError, messageOf } from '../engine/errors';
import type { MigrationSet } from '../engine/journal';
import { fileSchemaCache, memorySchemaCache, type SchemaCache } from '../engine/schema/cache';
import { canCreateDatabase, pgliteScratch, postgresScratch, sqliteScratch, type ScratchProvider } from '../engine/schema/scratch';
import type { BookkeepingTable } from '../engine/types';
import type { Workspace } from './workspace';

/** An environment opened for reading its schema: unlike `Workspace.open`, nothing is written to it (no protection marker). */
export interface SchemaTarget {
  label: string;
  project: string;
  environment: string;
  driver: Driver;
  url: string;
  migrations: MigrationSet;
  table: BookkeepingTable;
  protected: boolean;
  close(): Promise<void>;
}

/**
 * `migrations`: the project's folder when the caller has read it already for another of its
 * environments (they share it), so that comparing two of them reads 150 files once, not twice.
 * `shared`: the console's pages, on the connection it keeps to the server (see DriverShelf).
 */
export async function openSchemaTarget(
  workspace: Workspace,
  project: string,
  environment: string,
  migrations?: MigrationSet,
  options: { shared?: boolean } = {},
): Promise<SchemaTarget> {
  const resolved = workspace.resolve(project, environment);
  const label = `${resolved.project.name} / ${resolved.environment.name}`;
  const unset = workspace.unsetError(resolved);
  if (unset) throw unset;
  migrations ??= workspace.migrations(resolved);
  let url: { url: string; authToken?: string };
  try {
    url = await workspace.url(resolved);
  } catch (error) {
    throw new DbdeckError('connection', `${label}: cannot be reached: ${messageOf(error)}`, { environment: label, cause: error });
  }
  // Opening a missing file: or pglite: database creates it, empty, and its schema then shows "no
  // drift": a typo in a variable's URL is refused instead, as every command but migrate does.
  if (resolved.source.kind === 'variable') {
    try {
      assertDatabaseExists(url.url);
    } catch (error) {
      throw new DbdeckError('connection', `${label}: ${messageOf(error)}`, { environment: label, cause: error });
    }
  }
  const { driver, release } = await workspace.connection(url, label, { shared: options.shared });
  return {
    label,
    project: resolved.project.name,
    environment: resolved.environment.name,
    driver,
    url: url.url,
    migrations,
    table: resolved.table,
    protected: resolved.environment.protected,
    close: release,
  };
}

/**
 * Where the migrations are replayed. SQLite: an in-memory database; PGlite: an in-memory PGlite.
 * PostgreSQL: `scratchUrl` when given; else the target's own server when its role may create
 * databases (the same server version prints the definitions, so nothing differs by version);
 * else dbdeck's embedded server, for a config that uses the embedded default (`embeddedServerUrl`);
 * else an error naming `setting`. Only a throwaway database is created there, and always dropped:
 * the environment's own database is never written.
 */
export async function scratchFor(
  target: Pick<SchemaTarget, 'driver' | 'url' | 'label'>,
  options: { scratchUrl?: string; setting: string; embeddedServerUrl: (() => Promise<string>) | null },
): Promise<ScratchProvider> {
  if (target.driver.kind === 'libsql') return sqliteScratch();
  if (target.driver.kind === 'pglite') return pgliteScratch();
  if (options.scratchUrl) return postgresScratch(options.scratchUrl, options.setting);
  let allowed: boolean;
  try {
    allowed = await canCreateDatabase(target.driver);
  } catch (error) {
    throw new DbdeckError('connection', `${target.label}: cannot be reached: ${messageOf(error)}`, { environment: target.label, cause: error });
  }
  if (allowed) return postgresScratch(target.url, options.setting);
  if (!options.embeddedServerUrl)
    throw new DbdeckError(
      'config',
      `${target.label}: its role may not create databases, so the migrations cannot be replayed on its server; name a PostgreSQL server whose role may (${options.setting})`,
      { environment: target.label },
    );
  return postgresScratch(await options.embeddedServerUrl(), options.setting);
}

/**
 * Where an environment of the config replays its migrations: `override` (the CLI's --scratch-url),
 * else the environment's `scratchUrl`, else its project's, else scratchFor's defaults. Messages
 * that only another scratch server can cure name the setting to change.
 */
export async function workspaceScratch(workspace: Workspace, target: SchemaTarget, override?: string): Promise<ScratchProvider> {
  const resolved = workspace.resolve(target.project, target.environment);
  const { file } = workspace.config;
  const own = resolved.environment.scratchUrl;
  const reference = own ?? resolved.project.scratchUrl;
  const where = own ? `environment "${target.environment}" of project "${target.project}"` : `project "${target.project}"`;
  const setting = reference
    ? `scratchUrl: env('${reference.env}') of ${where} in ${file}, or --scratch-url`
    : `set scratchUrl: env('NAME') on project "${target.project}" in ${file} to such a server's URL, or pass --scratch-url`;
  let scratchUrl = override;
  if (!scratchUrl && reference) {
    scratchUrl = workspace.variable(reference.env);
    if (!scratchUrl)
      throw new DbdeckError(
        'config',
        `${reference.env} is not set: ${file} names it as the scratch server (scratchUrl) of ${where}, where ${target.label}'s migrations are replayed; set it to a PostgreSQL URL whose role may create databases`,
        { file, environment: target.label },
      );
    if (!/^postgres(ql)?:\/\//i.test(scratchUrl))
      throw new DbdeckError(
        'config',
        `${reference.env} (scratchUrl of ${where} in ${file}) must be a postgres:// URL of a server where dbdeck may create databases`,
        {
          file,
          environment: target.label,
        },
      );
  }
  return scratchFor(target, {
    scratchUrl,
    setting,
    embeddedServerUrl: workspace.config.embedded ? async () => (await workspace.embeddedServer()).url('postgres') : null,
  });
}

const caches = new Map<string | null, SchemaCache>();

/**
 * Expected schemas kept under `<dataDir>/schema-cache`, shared by every check of this process and by
 * later runs; without a data folder (a team's config, nothing written into its repository) in memory,
 * for this process only.
 */
export function schemaCacheIn(dataDir: string | null): SchemaCache {
  if (dataDir === null) {
    let cache = caches.get(null);
    if (!cache) caches.set(null, (cache = memorySchemaCache()));
    return cache;
  }
  const dir = path.join(dataDir, 'schema-cache');
  let cache = caches.get(dir);
  if (!cache) caches.set(dir, (cache = fileSchemaCache(dir)));
  return cache;
}
