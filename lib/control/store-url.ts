import { portAnswers, type EmbeddedServer } from '../embedded/embedded-postgres';
import { DbdeckError } from '../engine/errors';

type Variables = Record<string, string | undefined>;

/** Name of the control store's database on the embedded server. */
export const EMBEDDED_CONTROL_DATABASE = 'dbdeck_control';

/** Where the embedded PostgreSQL server comes from: a Workspace's, started on first use. */
export interface EmbeddedServerSource {
  /** Only a config with `embedded: true` has an embedded server (and so a demo control store). */
  config: { embedded: boolean; file: string };
  embeddedPort: number;
  embeddedServer(): Promise<EmbeddedServer>;
}

/** The control store is the demo one when DBDECK_DATABASE_URL is unset: the embedded server's. */
export function isDemo(variables: Variables): boolean {
  return !variables.DBDECK_DATABASE_URL;
}

/**
 * The one answer to "where is the control store?", for the console, its worker, `npm start` and
 * the CLI: DBDECK_DATABASE_URL, else the `dbdeck_control` database of the embedded server (started
 * if need be, the database created if missing) of a config with `embedded: true`; else an error naming the variable.
 */
export async function controlStoreUrl(source: EmbeddedServerSource, variables: Variables): Promise<string> {
  if (!isDemo(variables)) return variables.DBDECK_DATABASE_URL!;
  if (!source.config.embedded)
    throw new DbdeckError(
      'config',
      `DBDECK_DATABASE_URL is not set: it names dbdeck's control store (users, approvals, operations, audit), and ${source.config.file} does not use the embedded default that would stand in for it`,
      { file: source.config.file },
    );
  const server = await source.embeddedServer();
  await server.createDatabase(EMBEDDED_CONTROL_DATABASE);
  return server.url(EMBEDDED_CONTROL_DATABASE);
}

/**
 * The control store's URL when it can be reached without starting anything: DBDECK_DATABASE_URL,
 * or the embedded server when it runs already (`npm start`, or this run's own for an embedded
 * environment). null otherwise: a seed of a libSQL file does not start PostgreSQL to be audited.
 */
export async function reachableControlStoreUrl(source: EmbeddedServerSource, variables: Variables): Promise<string | null> {
  if (isDemo(variables) && (!source.config.embedded || !(await portAnswers(source.embeddedPort)))) return null;
  return controlStoreUrl(source, variables);
}
