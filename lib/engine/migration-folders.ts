import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { DbdeckError, messageOf } from './errors';
import { readMigrationFile } from './migration-file';
import { firstNonTransactional, readUtf8, type DownMigration, type Migration, type MigrationSource } from './journal';
import { splitBreakpoints } from './sql-text';
import type { Dialect } from './types';

/** The files drizzle 1.0 and dbdeck read inside a migration's folder; anything else is stray. */
const KNOWN_FILES = new Set(['migration.sql', 'snapshot.json', 'down.sql']);

const FOLDER_NAME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_./;

/** drizzle-kit 1.0 snapshots say `postgres` or `sqlite` (`turso` for Turso projects). */
const SNAPSHOT_DIALECTS: Record<string, Dialect> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  sqlite: 'sqlite',
  turso: 'sqlite',
};

/**
 * drizzle 1.0's `created_at` for a folder: `Date.UTC` of the name's first 14 digits. A name whose
 * digits are not a real UTC time (month 13, second 60) is refused: drizzle would silently roll it
 * over into another time.
 */
export function folderMillis(name: string, where: string): number {
  const match = FOLDER_NAME.exec(name);
  if (!match) {
    throw new DbdeckError(
      'journal',
      `${where}: folder name must be <YYYYMMDDHHMMSS>_<name> (14 digits, an underscore, a name), as drizzle-kit 1.0 writes it. Rename the folder; nothing was changed.`,
      { file: where, tag: name },
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(millis);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    throw new DbdeckError(
      'journal',
      `${where}: ${name.slice(0, 14)} is not a valid UTC time (YYYYMMDDHHMMSS); drizzle would read it as another time. Rename the folder; nothing was changed.`,
      { file: where, tag: name },
    );
  }
  return millis;
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new DbdeckError('journal', `${dir}: cannot be read (${messageOf(error)})`, { file: dir, cause: error });
  }
}

function snapshotDialect(file: string, folder: string): string | null {
  const bytes = readMigrationFile(file, folder);
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { dialect?: unknown };
    return typeof parsed.dialect === 'string' ? parsed.dialect : null;
  } catch (error) {
    throw new DbdeckError('journal', `${file}: malformed snapshot (${messageOf(error)})`, { file, cause: error });
  }
}

interface FolderEntry {
  name: string;
  files: Set<string>;
}

/** The dialect of a 1.0 folder: its newest snapshot's, else the caller's (the project config). */
function dialectOf(folder: string, entries: FolderEntry[], fallback: Dialect | undefined): { dialect: Dialect; named: string } {
  const withSnapshot = entries.findLast((entry) => entry.files.has('snapshot.json'));
  if (withSnapshot) {
    const file = path.join(folder, withSnapshot.name, 'snapshot.json');
    const named = snapshotDialect(file, folder);
    const dialect = named === null ? undefined : SNAPSHOT_DIALECTS[named];
    if (dialect) return { dialect, named: named! };
    throw new DbdeckError('journal', `${file}: unknown dialect ${JSON.stringify(named)}; expected one of ${Object.keys(SNAPSHOT_DIALECTS).join(', ')}`, {
      file,
    });
  }
  if (fallback) return { dialect: fallback, named: fallback };
  throw new DbdeckError(
    'journal',
    `${folder}: no snapshot.json says which dialect these migrations are for; name it (--dialect, or the project's dialect in dbdeck.config.ts)`,
    { file: folder },
  );
}

/** drizzle 1.0's layout: one `<YYYYMMDDHHMMSS>_<name>/migration.sql` folder per migration, no journal. */
export const drizzleFolders: MigrationSource = {
  read(folderArg, options = {}) {
    const folder = path.resolve(folderArg);
    const unlisted: string[] = [];
    const entries: FolderEntry[] = [];
    for (const entry of listDir(folder)) {
      if (!entry.isDirectory()) {
        unlisted.push(entry.name);
        continue;
      }
      const files = new Set(listDir(path.join(folder, entry.name)).map((file) => file.name));
      // drizzle 1.0 reads exactly the subfolders holding a migration.sql, and nothing else.
      if (!files.has('migration.sql')) {
        unlisted.push(`${entry.name}/`);
        continue;
      }
      for (const file of files) if (!KNOWN_FILES.has(file)) unlisted.push(`${entry.name}/${file}`);
      entries.push({ name: entry.name, files });
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));

    const bySecond = new Map<number, string>();
    const millis = entries.map((entry) => {
      const when = folderMillis(entry.name, path.join(folder, entry.name));
      const other = bySecond.get(when);
      if (other !== undefined) {
        throw new DbdeckError(
          'journal',
          `${folder}: folders ${other} and ${entry.name} have the same timestamp ${entry.name.slice(0, 14)}; drizzle 1.0 records the second as created_at, and its upgrade of a 0.x table cannot tell them apart. Give ${entry.name} a later timestamp; nothing was changed.`,
          { file: path.join(folder, entry.name), tag: entry.name },
        );
      }
      bySecond.set(when, entry.name);
      return when;
    });

    const { dialect, named } = dialectOf(folder, entries, options.dialect);
    const migrations = entries.map((entry, position): Migration => {
      const dir = path.join(folder, entry.name);
      const file = path.join(dir, 'migration.sql');
      const downFile = path.join(dir, 'down.sql');
      const up = readUtf8(file, 'sql', folder);
      const statements = splitBreakpoints(up.text);
      let down: DownMigration | null = null;
      if (entry.files.has('down.sql')) {
        const { text } = readUtf8(downFile, 'sql', folder);
        down = { file: downFile, sql: text, statements: splitBreakpoints(text) };
      }
      return {
        position,
        idx: position,
        tag: entry.name,
        when: millis[position]!,
        version: '',
        breakpoints: true,
        file,
        downFile,
        sql: up.text,
        hash: up.hash,
        statements,
        nonTransactional: firstNonTransactional(statements, dialect),
        down,
      };
    });
    return { folder, format: 'folders', dialect, journalDialect: named, migrations, unlisted: unlisted.sort() };
  },
};
