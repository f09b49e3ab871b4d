import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { is, Relations, Table } from 'drizzle-orm';
import { importUserModuleExports } from '../config/user-module';
import { DbdeckError, messageOf } from '../engine/errors';
import type { DrizzleSchema } from '../engine/generated-seed-plan';

const MODULE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** The files of the `schema` setting: files as given, folders read through (as drizzle-kit does), tests and declarations left out. */
function schemaFiles(entries: string[]): string[] {
  const files: string[] = [];
  const walk = (entry: string) => {
    let stats;
    try {
      stats = statSync(entry);
    } catch {
      throw new DbdeckError('config', `the drizzle schema ${entry} does not exist (the project's \`schema\` in the config, relative to it)`, { file: entry });
    }
    if (stats.isDirectory()) {
      for (const name of readdirSync(entry).sort()) walk(path.join(entry, name));
    } else if (MODULE_EXTENSIONS.test(entry) && !/\.(test|spec)\.[cm]?[jt]s$|\.d\.[cm]?ts$/.test(entry)) files.push(entry);
  };
  for (const entry of entries) walk(entry);
  return files;
}

/** The module an import failure could not find, from Node's and tsx's messages. */
function unresolvedModule(error: unknown): string | null {
  const message = messageOf(error);
  const match = /Cannot find (?:module|package) '([^']+)'/.exec(message) ?? /Cannot find (?:module|package) "([^"]+)"/.exec(message);
  return match ? match[1]! : null;
}

/** Schemas imported once per process: every run-time import registers a compiler hook of its own. */
const loaded = new Map<string, Promise<Record<string, unknown>>>();

/** The tsconfig.json nearest above a file: the one its repository compiles it with. */
function nearestTsconfig(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function importSchemaFile(file: string): Promise<Record<string, unknown>> {
  let loading = loaded.get(file);
  if (!loading) {
    loading = importUserModuleExports(file, nearestTsconfig(file));
    loaded.set(file, loading);
    loading.catch(() => loaded.delete(file));
  }
  try {
    return await loading;
  } catch (error) {
    const missing = unresolvedModule(error);
    throw new DbdeckError(
      'config',
      missing
        ? `cannot load the drizzle schema ${file}: it imports "${missing}", which cannot be resolved from ${path.dirname(file)} (install it there, or fix the import)`
        : `cannot load the drizzle schema ${file}: importing it threw: ${messageOf(error).split('\n')[0]}`,
      { file, cause: error },
    );
  }
}

/**
 * A team's drizzle schema, loaded with the loader dbdeck loads its config with: every table and
 * relation the files export, each table once (a table exported under two names is one table).
 */
export async function loadDrizzleSchema(entries: string[]): Promise<DrizzleSchema> {
  const files = schemaFiles(entries);
  if (files.length === 0) throw new DbdeckError('config', `the drizzle schema ${entries.join(', ')} holds no .ts or .js files`, { file: entries[0] });
  const schema: DrizzleSchema = { files, tables: {}, relations: {} };
  const seen = new Set<unknown>();
  const fileOf = new Map<string, string>();
  for (const file of files) {
    for (const [name, value] of Object.entries(await importSchemaFile(file))) {
      if (seen.has(value) || !(is(value, Table) || is(value, Relations))) continue;
      // drizzle-seed keys tables by export name: two files exporting the same name would lose one.
      if (fileOf.has(name))
        throw new DbdeckError('config', `the drizzle schema exports "${name}" twice, from ${fileOf.get(name)} and ${file}: rename one of them`, { file });
      fileOf.set(name, file);
      seen.add(value);
      if (is(value, Table)) schema.tables[name] = value;
      else schema.relations[name] = value as Relations;
    }
  }
  return schema;
}
