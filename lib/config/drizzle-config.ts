import path from 'node:path';
import { DbdeckError, isDbdeckError, messageOf } from '../engine/errors';
import { importUserModule, typescriptLoader } from './user-module';

/** What `dbdeck init` takes from a drizzle.config.ts. */
export interface DrizzleConfigFacts {
  file: string;
  dialect: 'postgresql' | 'turso' | 'sqlite';
  /** drizzle-kit's `out`, as written (relative to the config's folder, where drizzle-kit runs). */
  out: string;
  migrationsTable?: string;
  migrationsSchema?: string;
  /** The environment variable `dbCredentials.url` comes from; null when no single one does. */
  urlVariable: string | null;
  /** Why urlVariable is null: a URL written literally, host/user fields, or composed of several variables. */
  urlProblem: string | null;
  authTokenVariable: string | null;
  /** drizzle-kit's `schema`: files or folders as written (relative to the config's folder); null when absent or a glob. */
  schema: string[] | null;
  /** Why schema is null when the config has one: a glob dbdeck does not expand. */
  schemaProblem: string | null;
}

const MARKER = /__dbdeck_env_([A-Za-z_][A-Za-z0-9_]*)__/g;
const marker = (name: string) => `__dbdeck_env_${name}__`;
const MAX_ATTEMPTS = 6;

/**
 * Loads a drizzle.config.ts the way drizzle-kit does (it is code: `process.env.X!`, dotenv,
 * helpers, branches), with `process.env` swapped for a proxy that answers every read with a
 * marker naming the variable. `dbCredentials.url` then *is* the marker of the variable it comes
 * from, however the config spells the read — which static analysis of the source can't promise.
 * A config that branches on a variable (`switch (process.env.PROJECT ?? 'shop')`) can throw on a
 * marker: the variables read before it are then given their real values, one more per attempt,
 * and the load retried. Real values never come out of here: only variable names.
 */
export async function readDrizzleConfig(file: string): Promise<DrizzleConfigFacts> {
  const absolute = path.resolve(file);
  const real = new Set<string>();
  // Made before process.env is swapped: jiti reads its own settings from the real environment.
  await typescriptLoader({ fresh: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const reads: string[] = [];
    let value: unknown;
    try {
      value = await withMarkedEnvironment(real, reads, () => importUserModule(absolute, { fresh: true }));
    } catch (error) {
      if (isDbdeckError(error, 'config')) throw error;
      lastError = error;
      const next = reads.find((name) => !real.has(name));
      if (next === undefined) break;
      real.add(next);
      continue;
    }
    return factsOf((value as { default?: unknown }).default, absolute);
  }
  throw new DbdeckError('config', `cannot load ${absolute}: ${messageOf(lastError)}`, { file: absolute, cause: lastError });
}

async function withMarkedEnvironment<T>(real: Set<string>, reads: string[], load: () => Promise<T>): Promise<T> {
  const original = process.env;
  const written: Record<string, string> = {};
  process.env = new Proxy(written, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      // dotenv's own settings (DOTENV_KEY, DOTENV_CONFIG_*) are the process's, never a credential: a
      // marker there made dotenv look for a vault and warn about a DOTENV_KEY nobody set.
      if (name.startsWith('DOTENV_') || readByLoader()) return original[name];
      if (!reads.includes(name)) reads.push(name);
      return real.has(name) ? original[name] : marker(name);
    },
    // dotenv and friends write here: kept away from the real environment, and never read back.
    set(target, name, value) {
      if (typeof name === 'string') target[name] = String(value);
      return true;
    },
    has(target, name) {
      return typeof name === 'string' && (!readByLoader() || name in original);
    },
  }) as NodeJS.ProcessEnv;
  try {
    return await load();
  } finally {
    process.env = original;
  }
}

const LOADER_FRAME = `${path.sep}node_modules${path.sep}jiti${path.sep}`;

/**
 * Whether the variable is read by the TypeScript loader itself (jiti and its compiler read their
 * settings while they compile the config's imports), not by the config: the loader gets the real
 * environment, and its reads name no credential.
 */
function readByLoader(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 4;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  // Frames: the message, this function, the proxy's trap, then whoever read process.env.
  return (stack.split('\n')[3] ?? '').includes(LOADER_FRAME);
}

/** The variable a credential comes from, when it is exactly one variable's marker. */
function variableOf(value: unknown, field: string): { variable: string | null; problem: string | null } {
  if (value === undefined || value === null) return { variable: null, problem: `it has no dbCredentials.${field}` };
  if (typeof value !== 'string') return { variable: null, problem: `its dbCredentials.${field} is not a string` };
  const names = [...value.matchAll(MARKER)].map((m) => m[1]!);
  if (names.length === 1 && value === marker(names[0]!)) return { variable: names[0]!, problem: null };
  if (names.length === 0) return { variable: null, problem: `its dbCredentials.${field} is written into the file, not read from an environment variable` };
  return { variable: null, problem: `its dbCredentials.${field} is built from several variables (${[...new Set(names)].join(', ')})` };
}

function factsOf(raw: unknown, file: string): DrizzleConfigFacts {
  // A config in a CommonJS folder, or one exporting a function-made object: both end up here as objects.
  const config = raw as Record<string, unknown> | undefined;
  if (!config || typeof config !== 'object') throw new DbdeckError('config', `${file} has no default export (export default defineConfig({ … }))`, { file });
  const where = (field: string) => `${file}: ${field}`;
  const dialect = config.dialect;
  if (dialect !== 'postgresql' && dialect !== 'turso' && dialect !== 'sqlite') {
    throw new DbdeckError(
      'config',
      `${where('dialect')} is ${dialect === undefined ? 'missing' : JSON.stringify(dialect)}; dbdeck operates postgresql, turso and sqlite`,
      { file },
    );
  }
  const driver = config.driver;
  if (driver !== undefined && driver !== 'pglite') {
    throw new DbdeckError(
      'config',
      `${where('driver')} is ${JSON.stringify(driver)}; dbdeck connects by URL (postgres.js, libSQL or PGlite) and cannot reach a ${String(driver)} database`,
      { file },
    );
  }
  const out = config.out ?? './drizzle';
  if (typeof out !== 'string' || out.includes('__dbdeck_env_'))
    throw new DbdeckError('config', `${where('out')} must be a folder written into the config`, { file });
  const migrations = (config.migrations ?? {}) as { table?: unknown; schema?: unknown };
  if (typeof migrations !== 'object') throw new DbdeckError('config', `${where('migrations')} must be an object`, { file });
  for (const field of ['table', 'schema'] as const) {
    const value = migrations[field];
    if (value !== undefined && (typeof value !== 'string' || value === '' || value.includes('__dbdeck_env_')))
      throw new DbdeckError('config', `${where(`migrations.${field}`)} must be a name written into the config`, { file });
  }
  const schema = schemaOf(config.schema, where('schema'), file);
  const credentials = (config.dbCredentials ?? {}) as Record<string, unknown>;
  const url = variableOf(credentials.url, 'url');
  const authToken = credentials.authToken === undefined ? { variable: null } : variableOf(credentials.authToken, 'authToken');
  return {
    file,
    dialect,
    out,
    migrationsTable: migrations.table as string | undefined,
    migrationsSchema: migrations.schema as string | undefined,
    urlVariable: url.variable,
    urlProblem: url.problem,
    authTokenVariable: authToken.variable,
    ...schema,
  };
}

/** drizzle-kit's `schema` (a path, or several); globs are for drizzle-kit to expand, not dbdeck. */
function schemaOf(value: unknown, where: string, file: string): { schema: string[] | null; schemaProblem: string | null } {
  if (value === undefined) return { schema: null, schemaProblem: null };
  const entries = Array.isArray(value) ? value : [value];
  if (entries.length === 0 || entries.some((entry) => typeof entry !== 'string' || entry === '' || entry.includes('__dbdeck_env_')))
    throw new DbdeckError('config', `${where} must be a path, or a list of paths, written into the config`, { file });
  const glob = (entries as string[]).find((entry) => /[*?{}[\]]/.test(entry));
  if (glob) return { schema: null, schemaProblem: `its schema "${glob}" is a glob` };
  return { schema: entries as string[], schemaProblem: null };
}
