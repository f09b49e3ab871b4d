// Builds the `dbdeck` CLI into plain JavaScript (dist/cli/), so that no TypeScript compiler runs
// when it starts: `npm run build:cli`, run by `prepack` and by the tests' global setup. Plain
// JavaScript itself, so that it runs before anything is built. cli/bin.mjs runs the build while
// it is at least as new as every source it was built from (dist/cli/inputs.json), else the sources.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
export const CLI_OUT_DIR = path.join(root, 'dist', 'cli');
const INPUTS = path.join(CLI_OUT_DIR, 'inputs.json');

/** Whether dist/cli holds a build at least as new as each of the sources it was built from. */
export function cliBuildIsFresh() {
  // Installed from a tarball or a git URL: the build that came with the package is the CLI (npm
  // gives every file of a tarball the same date, so the dates would tell nothing anyway).
  if (root.split(path.sep).includes('node_modules')) return existsSync(path.join(CLI_OUT_DIR, 'main.mjs'));
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(path.join(CLI_OUT_DIR, 'main.mjs')).mtimeMs;
    inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
  } catch {
    return false;
  }
  return inputs.every((file) => {
    try {
      return statSync(path.join(root, file)).mtimeMs <= builtAt;
    } catch {
      return false;
    }
  });
}

/**
 * One ES module per command, loaded when the command runs (esbuild's code splitting of cli/main.ts's
 * dynamic imports); packages stay in node_modules. The SQLite reader thread of `dbdeck copy` is an
 * entry of its own, beside the chunks, where lib/engine/copy/sqlite-worker-reader.ts looks for it.
 */
export async function buildCli() {
  const esbuild = await import('esbuild');
  rmSync(CLI_OUT_DIR, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'cli/main.ts', 'sqlite-copy-worker': 'lib/engine/copy/sqlite-copy-worker.ts' },
    outdir: CLI_OUT_DIR,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownModulesArePure],
  });
  const sources = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'));
  writeFileSync(INPUTS, `${JSON.stringify(sources.sort(), null, 1)}\n`);
  return result.metafile;
}

/**
 * dbdeck's own modules do their work when called, never when imported: esbuild may leave out the
 * ones a command doesn't use, and with them their packages (lib/engine's index re-exports modules
 * that import libpg-query, pg and drizzle-kit; `status` needs none of them).
 */
const ownModulesArePure = {
  name: 'own-modules-are-pure',
  setup(build) {
    build.onResolve({ filter: /^(\.\.?\/|@\/)/ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length > 0 || resolved.external || resolved.path.includes(`${path.sep}node_modules${path.sep}`)) return resolved;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

/** Builds unless the build is fresh; says which. */
export async function ensureCliBuilt() {
  if (cliBuildIsFresh()) return false;
  await buildCli();
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const metafile = await buildCli();
  const outputs = Object.entries(metafile.outputs);
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(
    `built ${path.relative(root, CLI_OUT_DIR)}/: ${outputs.length} files, ${Math.round(bytes / 1024)} KB, in ${Math.round(performance.now() - started)} ms`,
  );
}
