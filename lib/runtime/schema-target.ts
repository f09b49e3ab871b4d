import path from 'node:path';
import {
  canCreateDatabase,
  connect,
  DbdeckError,
  fileSchemaCache,
  memorySchemaCache,
  messageOf,
  pgliteScratch,
  postgresScratch,
  sqliteScratch,
  type BookkeepingTable,
  type Driver,
  type MigrationSet,
  type SchemaCache,
  type ScratchProvider,
} from '../engine';
import type { Workspace } from './workspace';

/** An environment opened for reading its schema: unlike `Workspace.open`, nothing is written to it (no protection marker). */
export interface SchemaTarget {
  label: string;
  driver: Driver;
  url: string;
  migrations: MigrationSet;
  table: BookkeepingTable;
  protected: boolean;
  close(): Promise<void>;
}

export async function openSchemaTarget(workspace: Workspace, project: string, environment: string): Promise<SchemaTarget> {
  const resolved = workspace.resolve(project, environment);
  const label = `${resolved.project.name} / ${resolved.environment.name}`;
  const unset = workspace.unsetError(resolved);
  if (unset) throw unset;
  const migrations = workspace.migrations(resolved);
  let url: { url: string; authToken?: string };
  try {
    url = await workspace.url(resolved);
  } catch (error) {
    throw new DbdeckError('connection', `${label}: cannot be reached: ${messageOf(error)}`, { environment: label, cause: error });
  }
  const driver = await connect(url);
  return { label, driver, url: url.url, migrations, table: resolved.table, protected: resolved.environment.protected, close: () => driver.close() };
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
  if (options.scratchUrl) return postgresScratch(options.scratchUrl);
  let allowed: boolean;
  try {
    allowed = await canCreateDatabase(target.driver);
  } catch (error) {
    throw new DbdeckError('connection', `${target.label}: cannot be reached: ${messageOf(error)}`, { environment: target.label, cause: error });
  }
  if (allowed) return postgresScratch(target.url);
  if (!options.embeddedServerUrl)
    throw new DbdeckError(
      'config',
      `${target.label}: its role may not create databases, so the migrations cannot be replayed on its server; name a PostgreSQL server whose role may (${options.setting})`,
      { environment: target.label },
    );
  return postgresScratch(await options.embeddedServerUrl());
}

/** Where an environment of the config replays its migrations: `override` is the CLI's --scratch-url. */
export function workspaceScratch(workspace: Workspace, target: SchemaTarget, override?: string): Promise<ScratchProvider> {
  return scratchFor(target, {
    scratchUrl: override,
    setting: 'pass --scratch-url',
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
