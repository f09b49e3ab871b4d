import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../errors';
import type { Dialect } from '../types';

export type KitV1Diff = { ok: true; statements: string[] } | { ok: false; message: string; missingHints: unknown[] | null };

/**
 * Runs in a child process: drizzle-kit 1.0 (installed as drizzle-kit-v1) imports `drizzle-orm/…`
 * and needs 1.0's, while this process has 0.45 under that name; the resolve hook points its
 * requests at drizzle-orm-v1, as scripts/drizzle-kit-v1.mjs does, without touching this process's.
 * PostgreSQL 1.0 snapshots may hold only one migration's changes, so both ends are reconstructed
 * from the folder's snapshots; SQLite's are whole schemas.
 */
const CHILD = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`export async function resolve(specifier, context, next) {
  const to = specifier === 'drizzle-orm' || specifier.startsWith('drizzle-orm/') ? 'drizzle-orm-v1' + specifier.slice('drizzle-orm'.length) : specifier;
  return next(to, context);
}\`));
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { module, files, afterFolder, beforeFolder } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
let answer;
try {
  const api = await import(module);
  const state = async (folder) =>
    folder === null ? api.generateDrizzleJson({}) : api.reconstruct ? api.reconstruct(files, files[folder].id) : files[folder];
  const statements = await api.generateMigration(await state(afterFolder), await state(beforeFolder));
  answer = { ok: true, statements };
} catch (error) {
  answer = { ok: false, message: String(error?.message ?? error), missingHints: Array.isArray(error?.missingHints) ? error.missingHints : null };
}
process.stdout.write(JSON.stringify(answer));
`;

/**
 * The files of drizzle-kit 1.0 holding each dialect's `generateMigration`. SQLite's is in a file
 * its package does not export (its `api-sqlite` holds only Studio), so the child imports files,
 * not package subpaths.
 */
const API_FILES: Record<Dialect, string> = { postgresql: 'api-postgres.mjs', sqlite: 'payload-sqlite.mjs' };

/** Resolved through an exported entry, never imported here: the specifier is no literal, or bundlers would pull drizzle-kit 1.0 into the console. */
const PACKAGE_ENTRY = ['drizzle-kit-v1', 'api-postgres'].join('/');

/** drizzle-kit 1.0's folder in node_modules. */
function packageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve(PACKAGE_ENTRY));
}

/**
 * drizzle-kit 1.0's own diff from the schema after `afterFolder` to the one after `beforeFolder`
 * (null: the empty schema). It raises MissingHintsError instead of asking about renames: those
 * come back as `missingHints`, never as a prompt.
 */
export function kitV1Diff(
  dialect: Dialect,
  files: Record<string, Record<string, unknown>>,
  afterFolder: string,
  beforeFolder: string | null,
): Promise<KitV1Diff> {
  let dir: string;
  try {
    dir = packageDir();
  } catch (error) {
    return Promise.resolve({ ok: false, message: `drizzle-kit 1.0 (npm drizzle-kit-v1) is not installed: ${messageOf(error)}`, missingHints: null });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', CHILD], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout) as KitV1Diff);
      } catch {
        resolve({ ok: false, message: `drizzle-kit 1.0 exited with ${code}: ${stderr.trim() || stdout.trim() || 'no output'}`, missingHints: null });
      }
    });
    child.stdin.end(JSON.stringify({ module: pathToFileURL(path.join(dir, API_FILES[dialect])).href, files, afterFolder, beforeFolder }));
  });
}
