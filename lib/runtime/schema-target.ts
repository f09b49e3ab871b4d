import path from 'node:path';
import {
  assertDatabaseExists,
  canCreateDatabase,
  connect,
  DbdeckError,
  fileSchemaCache,
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
  const migrations = workspace.migrations(resolved);
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
  const driver = await connect(url);
  return { label, driver, url: url.url, migrations, table: resolved.table, protected: resolved.environment.protected, close: () => driver.close() };
}

/**
 * Where the migrations are replayed. SQLite: an in-memory database; PGlite: an in-memory PGlite.
 * PostgreSQL: `scratchUrl` when given; else the target's own server when its role may create
 * databases (the same server version prints the definitions, so nothing differs by version);
 * else dbdeck's embedded server. Only a throwaway database is created there, and always dropped:
 * the environment's own database is never written.
 */
export async function scratchFor(
  target: Pick<SchemaTarget, 'driver' | 'url' | 'label'>,
  options: { scratchUrl?: string; embeddedServerUrl: () => Promise<string> },
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
  return postgresScratch(allowed ? target.url : await options.embeddedServerUrl());
}

const caches = new Map<string, SchemaCache>();

/** Expected schemas kept under `<dataDir>/schema-cache`, shared by every check of this process and by later runs. */
export function schemaCacheIn(dataDir: string): SchemaCache {
  const dir = path.join(dataDir, 'schema-cache');
  let cache = caches.get(dir);
  if (!cache) caches.set(dir, (cache = fileSchemaCache(dir)));
  return cache;
}
