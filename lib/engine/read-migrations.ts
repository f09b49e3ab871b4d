import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError } from './errors';
import { drizzleKitJournal, type MigrationFormat, type MigrationSet } from './journal';
import { drizzleFolders } from './migration-folders';
import type { Dialect } from './types';

function migrationFolders(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(folder, entry.name, 'migration.sql')))
    .map((entry) => entry.name);
}

/**
 * Which layout a migrations folder is in: a journal means drizzle-kit 0.x, `<name>/migration.sql`
 * folders mean drizzle 1.0. A folder with both is half-converted: neither drizzle reads it as its
 * user expects (1.0 refuses a journal), so dbdeck refuses it too.
 */
export function detectFormat(folderArg: string): MigrationFormat {
  const folder = path.resolve(folderArg);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new DbdeckError('journal', `${folder}: not found. Is this a drizzle-kit migrations folder ("out" in drizzle.config.ts)?`, { file: folder });
  }
  if (!existsSync(path.join(folder, 'meta', '_journal.json'))) return 'folders';
  const folders = migrationFolders(folder);
  if (folders.length > 0) {
    throw new DbdeckError(
      'journal',
      `${folder}: holds both drizzle-kit 0.x's meta/_journal.json and drizzle 1.0 migration folders (${folders.slice(0, 3).join(', ')}${folders.length > 3 ? ', …' : ''}). Finish the upgrade with \`drizzle-kit up\` (it moves every journal entry into a folder and removes meta/), or remove the folders to stay on 0.x.`,
      { file: folder },
    );
  }
  return 'journal';
}

/** Reads a migrations folder in whichever layout it is (see {@link detectFormat}). */
export function readMigrations(folder: string, options: { dialect?: Dialect } = {}): MigrationSet {
  return detectFormat(folder) === 'journal' ? drizzleKitJournal.read(folder) : drizzleFolders.read(folder, options);
}

/**
 * A folder's migrations read as `dialect`, refusing a folder whose own journal or snapshot says
 * the other one. `claim` is who said `dialect`, as the user wrote it: `--dialect turso`,
 * `project "shop" is postgresql`. Without a dialect, the folder's own is taken.
 */
export function readMigrationsAs(folder: string, dialect: Dialect | undefined, claim: string): MigrationSet {
  const migrations = readMigrations(folder, { dialect });
  if (dialect && migrations.dialect !== dialect)
    throw new DbdeckError('config', `${claim} but ${migrations.folder} holds ${migrations.journalDialect} migrations`);
  return migrations;
}
