import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import { DbdeckError } from '../engine/errors';

type UserModule = { default?: unknown };

const TYPESCRIPT = /\.[cm]?tsx?$/;

const loaders = new Map<string, Promise<Jiti>>();

/**
 * The TypeScript loader, made once per process and only when a `.ts` file is loaded: jiti compiles
 * each file of the user's (a config, its seeds, what they import) as it is imported, caches the
 * result on disk by content, and loads everything else natively. It reads its own settings from
 * the environment when made, so it is made before a caller swaps `process.env` (drizzle-config.ts).
 */
export function typescriptLoader(options: { fresh?: boolean; tsconfig?: string } = {}): Promise<Jiti> {
  const fresh = options.fresh ?? false;
  const key = `${fresh}:${options.tsconfig ?? ''}`;
  let loader = loaders.get(key);
  if (!loader) {
    // fresh: every import evaluates the module again, where a cached one would answer (readDrizzleConfig's retries).
    // tsconfig: its `paths` resolve the module's imports (`@/db/…`), as they do in the user's repository.
    loader = import('jiti').then(({ createJiti }) =>
      createJiti(pathToFileURL(`${process.cwd()}/`).href, { interopDefault: false, moduleCache: !fresh, tsconfigPaths: options.tsconfig ?? false }),
    );
    loaders.set(key, loader);
  }
  return loader;
}

/**
 * A user's module as it loads, with every export: JavaScript natively, TypeScript through jiti
 * (`tsconfig`: its `paths` resolve the module's imports). What the module's libraries print while
 * it loads (dotenv's tips and warnings) is not the user's output, and would break --json: the
 * console is silent meanwhile. A module in a CommonJS folder (no "type": "module" above it) comes
 * back wrapped once more by the interop, `{ default: { __esModule, … } }`: unwrapped here.
 */
async function loadUserModule(file: string, options: { fresh?: boolean; tsconfig?: string }): Promise<Record<string, unknown>> {
  const load = TYPESCRIPT.test(file)
    ? await typescriptLoader(options).then((loader) => () => loader.import<Record<string, unknown>>(file))
    : () => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
  const loaded = await withSilentConsole(load);
  const inner = loaded.default as Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' && inner.__esModule ? inner : loaded;
}

/**
 * Imports a TypeScript or JavaScript module of the user's (a config, a seed) at run time, outside
 * any bundle, for its default export. A module it imports that is not installed names the module.
 */
export async function importUserModule(file: string, options: { fresh?: boolean } = {}): Promise<UserModule> {
  try {
    return await loadUserModule(file, options);
  } catch (error) {
    throw missingDependency(error, file) ?? error;
  }
}

/**
 * Every export of a user's module (a drizzle schema), ESM or CommonJS alike. With `tsconfig`, its
 * imports resolve through that file's `paths`. Failures go to the caller as they are: it names the
 * file and what could not be resolved.
 */
export function importUserModuleExports(file: string, tsconfig?: string): Promise<Record<string, unknown>> {
  return loadUserModule(file, { tsconfig });
}

const CONSOLE_METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const;

async function withSilentConsole<T>(run: () => Promise<T>): Promise<T> {
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  for (const method of CONSOLE_METHODS) console[method] = () => {};
  try {
    return await run();
  } finally {
    for (const [method, original] of saved) console[method] = original;
  }
}

/** A package the file imports that is not installed: the user's project needs its dependencies installed first. */
function missingDependency(error: unknown, file: string): DbdeckError | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if ((code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') || typeof message !== 'string') return null;
  const name = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
  // A missing relative file is a mistake in the user's code, not a dependency to install.
  if (!name || name.startsWith('.') || name.startsWith('/') || name.startsWith('file:')) return null;
  const packageName = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
  return new DbdeckError(
    'config',
    `${file} imports "${packageName}", which is not installed: install your project's dependencies first (npm install), then run dbdeck again`,
    { file, cause: error },
  );
}
