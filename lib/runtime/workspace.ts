import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { findEnvironment, findProject, type LoadedConfig } from '../config/load-config';
import { loadConfigFile } from '../config/load-config-file';
import type { EnvironmentConfig, ProjectConfig } from '../config/define-config';
import { ensureEmbeddedPostgres, type EmbeddedServer } from '../embedded/embedded-postgres';
import { DriverShelf, isNetworkUrl } from './driver-shelf';
import { ensureEmbeddedSqld, type EmbeddedSqld } from './embedded-sqld';
import { ignoreInGit } from './git-ignore';
import { connect } from '../engine/drivers';
import { assertDatabaseExists } from '../engine/drivers/location';
import type { ConnectOptions, Driver } from '../engine/drivers/types';
import { DbdeckError, isDbdeckError } from '../engine/errors';
import type { MigrationSet } from '../engine/journal';
import { writeProtectionMarker } from '../engine/protection';
import { readMigrationsAs } from '../engine/read-migrations';
import { bookkeepingTable, type BookkeepingTable, type Dialect } from '../engine/types';

export const DEFAULT_EMBEDDED_PORT = 54329;

export interface WorkspaceOptions {
  /** Environment variables to resolve `{ env: NAME }` references against. */
  variables: Record<string, string | undefined>;
  /** Where embedded databases live (default `<config root>/.data` for a config with `embedded: true`). */
  dataDir?: string;
  embeddedPort?: number;
  onLog?: (line: string) => void;
  /** Something the user should know that does not stop the work (e.g. a marker not written). */
  onWarning?: (message: string) => void;
}

export type EnvironmentSource =
  | { kind: 'variable'; name: string }
  | { kind: 'unset'; name: string; why: string }
  | { kind: 'embedded-postgres'; database: string }
  | { kind: 'embedded-file'; file: string }
  /** A protected libSQL environment: a local libSQL server (sqld) reached over HTTP, as Turso would be. */
  | { kind: 'embedded-sqld'; dir: string };

export interface ResolvedEnvironment {
  project: ProjectConfig;
  environment: EnvironmentConfig;
  dialect: Dialect;
  table: BookkeepingTable;
  source: EnvironmentSource;
}

export interface OpenEnvironment extends ResolvedEnvironment {
  driver: Driver;
  migrations: MigrationSet;
  /** Done with the driver: closes it, or gives a shared one back (never call `driver.close()` on one opened `shared`). */
  release(): Promise<void>;
  /** Closes the driver even when shared: its server hangs, nobody should wait on it. */
  discard(): Promise<void>;
}

export function projectDialect(project: ProjectConfig): Dialect {
  return project.dialect === 'postgresql' ? 'postgresql' : 'sqlite';
}

/** A project's migrations folder, read and checked against the dialect its config names. */
export function projectMigrations(project: ProjectConfig): MigrationSet {
  return readMigrationsAs(project.migrations, projectDialect(project), `project "${project.name}" is ${project.dialect}`);
}

/**
 * The bridge between dbdeck.config.ts and the engine: resolves environments to URLs (from the
 * variables the config names, or the embedded default) and opens drivers. Shared by the CLI,
 * the console and `npm start`.
 */
export class Workspace {
  readonly config: LoadedConfig;
  /**
   * dbdeck's own files (embedded databases, the demo's secret, the schema cache): `DBDECK_DATA_DIR`,
   * else `.data` beside a config with `embedded: true`. null for a team's config without
   * DBDECK_DATA_DIR: nothing is written into its repository.
   */
  readonly dataDir: string | null;
  readonly embeddedPort: number;
  private readonly options: WorkspaceOptions;
  private server: Promise<EmbeddedServer> | null = null;
  private readonly sqldServers = new Map<string, Promise<EmbeddedSqld>>();
  /** Protected environments whose database carries the marker already (written once per process). */
  private readonly marked = new Set<string>();
  private readonly shelf = new DriverShelf();
  /** Embedded databases known to exist: created once per process, not checked per request. */
  private readonly createdDatabases = new Set<string>();
  private dataDirReady = false;

  constructor(config: LoadedConfig, options: WorkspaceOptions) {
    this.config = config;
    this.options = options;
    this.dataDir = options.dataDir ? path.resolve(config.root, options.dataDir) : config.embedded ? path.resolve(config.root, '.data') : null;
    this.embeddedPort = options.embeddedPort ?? DEFAULT_EMBEDDED_PORT;
  }

  resolve(projectName: string, environmentName: string): ResolvedEnvironment {
    const project = findProject(this.config, projectName);
    const environment = findEnvironment(this.config, project, environmentName);
    const dialect = projectDialect(project);
    const table = bookkeepingTable({ schema: project.migrationsSchema, table: project.migrationsTable });
    const variable = this.options.variables[environment.url.env];
    const name = environment.url.env;
    const dataDir = this.dataDir!;
    let source: EnvironmentSource;
    if (variable !== undefined && variable !== '') source = { kind: 'variable', name };
    else if (!this.config.embedded) source = { kind: 'unset', name, why: 'the config does not use the embedded default' };
    else if (environment.protected && !environment.embedded)
      source = { kind: 'unset', name, why: 'it is protected, and the embedded default never stands in for a protected environment' };
    else if (dialect === 'postgresql') source = { kind: 'embedded-postgres', database: `${project.name}_${environment.name}`.replace(/-/g, '_') };
    else if (environment.protected) source = { kind: 'embedded-sqld', dir: path.join(dataDir, 'sqld', `${project.name}-${environment.name}`) };
    else source = { kind: 'embedded-file', file: path.join(dataDir, `${project.name}-${environment.name}.db`) };
    return { project, environment, dialect, table, source };
  }

  /**
   * The error an environment whose variable is unset gets, before anything is opened or created.
   * Thrown by `url()`; the console lists it as the environment's reason to be unreachable.
   */
  unsetError(resolved: ResolvedEnvironment): DbdeckError | null {
    const { source, project, environment } = resolved;
    if (source.kind !== 'unset') return null;
    return new DbdeckError(
      'config',
      `${source.name} is not set: ${this.config.file} names it as the URL of ${project.name} / ${environment.name} (${source.why}); set it in the environment dbdeck runs in`,
      { file: this.config.file, environment: `${project.name} / ${environment.name}` },
    );
  }

  /** A variable the config names (a URL, a token, a scratch server), as this process sees it; unset and empty are both undefined. */
  variable(name: string): string | undefined {
    return this.options.variables[name] || undefined;
  }

  /** Every environment whose variable is unset with no embedded default for it: what a long-running process warns about at start. */
  unsetEnvironments(): DbdeckError[] {
    return this.config.projects.flatMap((project) =>
      project.environments.flatMap((environment) => this.unsetError(this.resolve(project.name, environment.name)) ?? []),
    );
  }

  /** The embedded PostgreSQL server, started on first use (or found running). */
  embeddedServer(): Promise<EmbeddedServer> {
    if (!this.config.embedded || !this.dataDir)
      return Promise.reject(
        new DbdeckError('config', `${this.config.file} does not use the embedded default (\`embedded: true\`): dbdeck starts no embedded server for it`, {
          file: this.config.file,
        }),
      );
    if (!this.server) {
      this.server = ensureEmbeddedPostgres({
        dir: this.ensureDataDir(),
        port: this.embeddedPort,
        runtimeDir: this.options.variables.DBDECK_EMBEDDED_RUNTIME_DIR,
        onLog: this.options.onLog,
        onNotice: this.options.onWarning,
      });
      // A failed start is not remembered: the next request tries again.
      this.server.catch(() => (this.server = null));
    }
    return this.server;
  }

  async url(resolved: ResolvedEnvironment): Promise<{ url: string; authToken?: string }> {
    const { source, environment } = resolved;
    switch (source.kind) {
      case 'variable': {
        const authToken = environment.authToken ? this.options.variables[environment.authToken.env] : undefined;
        return { url: this.options.variables[source.name]!, authToken };
      }
      case 'unset':
        throw this.unsetError(resolved)!;
      case 'embedded-postgres': {
        const server = await this.embeddedServer();
        if (!this.createdDatabases.has(source.database)) {
          await server.createDatabase(source.database);
          this.createdDatabases.add(source.database);
        }
        return { url: server.url(source.database) };
      }
      case 'embedded-file':
        this.ensureDataDir();
        return { url: `file:${source.file}` };
      case 'embedded-sqld': {
        let server = this.sqldServers.get(source.dir);
        if (!server) {
          this.ensureDataDir();
          server = ensureEmbeddedSqld(source.dir);
          this.sqldServers.set(source.dir, server);
          server.catch(() => this.sqldServers.delete(source.dir));
        }
        return { url: (await server).url };
      }
    }
  }

  /**
   * The data folder, made when something is first kept there (an embedded database, the schema
   * cache); null without one. The embedded default's `.data/` is made in the team's repository:
   * when this creates it, it is added to the repository's .gitignore (or the user is told why it
   * could not be).
   */
  dataFolder(): string | null {
    return this.dataDir === null ? null : this.ensureDataDir();
  }

  private ensureDataDir(): string {
    const dir = this.dataDir!;
    if (this.dataDirReady) return dir;
    const creating = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    if (creating && !this.options.dataDir) {
      const note = ignoreInGit(dir);
      if (note) this.options.onWarning?.(note);
    }
    this.dataDirReady = true;
    return dir;
  }

  /** The project's migrations folder, read and checked against its dialect. */
  migrations(resolved: ResolvedEnvironment): MigrationSet {
    return projectMigrations(resolved.project);
  }

  /**
   * Opens an environment's database. A `file:` or `pglite:` URL from a variable must name a
   * database that exists unless `create` is set (migrate): a typo must not make a new one.
   */
  async open(
    projectName: string,
    environmentName: string,
    options: { create?: boolean; probe?: ConnectOptions['probe']; shared?: boolean } = {},
  ): Promise<OpenEnvironment> {
    const resolved = this.resolve(projectName, environmentName);
    const unset = this.unsetError(resolved);
    if (unset) throw unset;
    const migrations = this.migrations(resolved);
    const location = await this.url(resolved);
    if (resolved.source.kind === 'variable' && !options.create) assertDatabaseExists(location.url);
    const label = `${projectName} / ${environmentName}`;
    const { driver, release, discard } = await this.connection(location, label, { probe: options.probe, shared: options.shared && !options.create });
    if (resolved.environment.protected) await this.markProtected(driver, label, discard);
    return { ...resolved, driver, migrations, release, discard };
  }

  /**
   * A driver for an environment's database, its errors naming `label`: a new one, or with
   * `shared` and a server across a network, one kept between the console's read requests (see
   * DriverShelf), given back by `release`.
   */
  async connection(
    location: { url: string; authToken?: string },
    label: string,
    options: { probe?: ConnectOptions['probe']; shared?: boolean } = {},
  ): Promise<Pick<OpenEnvironment, 'driver' | 'release' | 'discard'>> {
    const open = () =>
      connect({ ...location, probe: options.probe, name: label }).catch((error: unknown) => {
        // Name the environment: the driver knows only its (redacted) URL.
        throw isDbdeckError(error, 'connection')
          ? new DbdeckError('connection', `${label}: ${error.message}`, { ...error.details, environment: label })
          : error;
      });
    if (!options.shared || !isNetworkUrl(location.url)) {
      const driver = await open();
      return { driver, release: () => driver.close(), discard: () => driver.close() };
    }
    const shelved = await this.shelf.take(JSON.stringify([location.url, location.authToken ?? null, options.probe ?? null, label]), open);
    return { driver: shelved.driver, release: async () => shelved.release(), discard: () => shelved.discard() };
  }

  /** Closes the connections the console's read paths kept (`open(…, { shared: true })`). */
  closeSharedConnections(): Promise<void> {
    return this.shelf.closeAll();
  }

  /**
   * Every protected environment's database gets dbdeck's protection marker when it is opened, by
   * the CLI, the console or `npm start`, so that the engine refuses to reset it even through a
   * wrong configuration. Best effort: a read-only role cannot write it, and status must still work.
   */
  private async markProtected(driver: Driver, label: string, discard: () => Promise<void>): Promise<void> {
    if (this.marked.has(label)) return;
    try {
      await writeProtectionMarker(driver, { environment: label });
      this.marked.add(label);
    } catch (error) {
      // A server never reached (its check deferred to the first request, see ConnectOptions.probe) is no read-only role.
      if (isDbdeckError(error, 'connection')) {
        await discard().catch(() => {});
        throw error;
      }
      this.options.onWarning?.(`could not write dbdeck's protection marker into ${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stops the embedded servers (PostgreSQL, libSQL) that this workspace started. */
  async close(): Promise<void> {
    if (this.server) await (await this.server).stop();
    this.server = null;
    for (const server of this.sqldServers.values())
      await server.then(
        (started) => started.stop(),
        () => {},
      );
    this.sqldServers.clear();
  }
}

/**
 * The one way every entry point — the CLI's commands, `dbdeck worker`, the console and its worker,
 * `npm start` — builds its Workspace: the process's variables decide the data folder
 * (DBDECK_DATA_DIR) and the embedded port (DBDECK_EMBEDDED_PORT); the config alone decides whether
 * the embedded default may serve anything.
 */
export function createWorkspace(config: LoadedConfig, variables: Record<string, string | undefined>, onWarning?: (message: string) => void): Workspace {
  return new Workspace(config, {
    variables,
    dataDir: variables.DBDECK_DATA_DIR || undefined,
    embeddedPort: Number(variables.DBDECK_EMBEDDED_PORT) || undefined,
    onWarning,
  });
}

/** {@link createWorkspace} on a config file (loaded and validated first). */
export async function loadWorkspace(
  configFile: string,
  variables: Record<string, string | undefined>,
  onWarning?: (message: string) => void,
): Promise<Workspace> {
  return createWorkspace(await loadConfigFile(configFile), variables, onWarning);
}
