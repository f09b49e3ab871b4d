import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DbdeckError, messageOf } from './errors';
import { readMigrationFile } from './migration-file';
import { nonTransactionalReason, splitBreakpoints } from './sql-text';
import type { Dialect } from './types';

/** One migration as drizzle's migrator sees it, plus what dbdeck needs around it. */
export interface Migration {
  /** Position in the journal's array: the order in which drizzle runs migrations. */
  position: number;
  idx: number;
  tag: string;
  /** `when` of the journal entry: the `created_at` drizzle writes. */
  when: number;
  version: string;
  breakpoints: boolean;
  file: string;
  /** Where the down migration is (or would be): rollback runs it, and names it when it is missing. */
  downFile: string;
  /** null when the journal lists the entry but the file is gone (state missing-file). */
  sql: string | null;
  /** sha256 hex of the file's bytes: the hash drizzle stores. */
  hash: string | null;
  /** The pieces that will run, in order (whitespace-only pieces dropped). */
  statements: string[];
  /** Set when a statement can't run in a transaction: the migration then runs alone. */
  nonTransactional: string | null;
  down: DownMigration | null;
}

export interface DownMigration {
  file: string;
  sql: string;
  statements: string[];
}

/**
 * `journal`: drizzle-kit 0.x (`meta/_journal.json`, pending = `when` after the newest row).
 * `folders`: drizzle 1.0 (`<14 digits>_<name>/migration.sql`, pending = name not in the table).
 */
export type MigrationFormat = 'journal' | 'folders';

export interface MigrationSet {
  folder: string;
  format: MigrationFormat;
  dialect: Dialect;
  /** As the folder writes it: the journal's `pg`, `postgresql`, `sqlite`, `turso`, or a 1.0 snapshot's `postgres`. */
  journalDialect: string;
  migrations: Migration[];
  /**
   * Files drizzle never applies: `.sql` files the journal does not list (0.x); folders without
   * `migration.sql` and stray files (1.0, relative to the folder).
   */
  unlisted: string[];
}

/** Reads a migrations folder of one layout; `readMigrations` picks the layout per folder. */
export interface MigrationSource {
  read(folder: string, options?: { dialect?: Dialect }): MigrationSet;
}

const JOURNAL_DIALECTS: Record<string, Dialect> = {
  pg: 'postgresql',
  postgresql: 'postgresql',
  sqlite: 'sqlite',
  turso: 'sqlite',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface RawEntry {
  idx?: unknown;
  version?: unknown;
  when?: unknown;
  tag?: unknown;
  breakpoints?: unknown;
}

const BOM = [0xef, 0xbb, 0xbf];

/** A file of the migrations folder `folder` as text, with drizzle's hash of it; nothing outside the folder is read. */
export function readUtf8(file: string, kind: 'journal' | 'sql', folder: string): { text: string; hash: string } {
  const bytes = readMigrationFile(file, folder);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DbdeckError('journal', `${file}: is not valid UTF-8; drizzle would hash a different text than the file holds. Re-save it as UTF-8.`, { file });
  }
  if (kind === 'journal' && BOM.every((byte, i) => bytes[i] === byte)) {
    // drizzle-orm's readMigrationFiles parses Buffer#toString(), which keeps the BOM: JSON.parse refuses it.
    throw new DbdeckError(
      'journal',
      `${file}: starts with a UTF-8 byte order mark, which drizzle-orm's migrator cannot parse (JSON.parse: "Unexpected token"). Re-save it as UTF-8 without BOM.`,
      { file },
    );
  }
  const nul = kind === 'sql' ? text.indexOf('\u0000') : -1;
  if (nul !== -1) {
    // libSQL runs the text only up to a NUL; PostgreSQL refuses it: neither runs the file as written.
    const line = text.slice(0, nul).split('\n').length;
    throw new DbdeckError('journal', `${file}: contains a NUL byte (line ${line}); a database would run only the text before it, or refuse it. Remove it.`, {
      file,
    });
  }
  // The hash is drizzle's (sha256 of the text it decoded, BOM included, which for valid UTF-8
  // is the sha256 of the bytes). The text drops a leading BOM (TextDecoder does): drizzle would
  // send it to the server as part of the first statement, where it is a syntax error.
  return { text, hash: createHash('sha256').update(bytes).digest('hex') };
}

function parseJournal(journalFile: string, folder: string): { dialect: string; entries: RawEntry[] } {
  if (!existsSync(journalFile)) {
    throw new DbdeckError('journal', `${journalFile}: not found. Is this a drizzle-kit migrations folder ("out" in drizzle.config.ts)?`, { file: journalFile });
  }
  const { text } = readUtf8(journalFile, 'journal', folder);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DbdeckError('journal', `${journalFile}: malformed JSON (${messageOf(error)})`, { file: journalFile, cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { entries?: unknown }).entries)) {
    throw new DbdeckError('journal', `${journalFile}: expected an object with an "entries" array`, { file: journalFile });
  }
  const { dialect, entries } = parsed as { dialect?: unknown; entries: RawEntry[] };
  if (typeof dialect !== 'string' || !(dialect in JOURNAL_DIALECTS)) {
    throw new DbdeckError(
      'journal',
      `${journalFile}: unknown dialect ${JSON.stringify(dialect)}; expected one of ${Object.keys(JOURNAL_DIALECTS).join(', ')}`,
      { file: journalFile },
    );
  }
  return { dialect, entries };
}

function validEntry(entry: RawEntry, position: number, journalFile: string): { tag: string; when: number; idx: number; version: string; breakpoints: boolean } {
  const where = `${journalFile}: entry ${position}`;
  if (typeof entry !== 'object' || entry === null) throw new DbdeckError('journal', `${where} is not an object`, { file: journalFile });
  if (typeof entry.tag !== 'string' || entry.tag === '' || /[\\/]/.test(entry.tag)) {
    throw new DbdeckError('journal', `${where}: "tag" must be a file name without slashes, got ${JSON.stringify(entry.tag)}`, { file: journalFile });
  }
  // No file name can hold a NUL: the path would end there (Node refuses it, C libraries cut it).
  if (entry.tag.includes('\u0000')) {
    throw new DbdeckError('journal', `${where}: "tag" contains a NUL character, which no file name can hold: ${JSON.stringify(entry.tag)}`, {
      file: journalFile,
    });
  }
  if (typeof entry.when !== 'number' || !Number.isSafeInteger(entry.when)) {
    throw new DbdeckError('journal', `${where} (${entry.tag}): "when" must be an integer timestamp, got ${JSON.stringify(entry.when)}`, {
      file: journalFile,
      tag: entry.tag,
    });
  }
  return {
    tag: entry.tag,
    when: entry.when,
    idx: typeof entry.idx === 'number' ? entry.idx : position,
    version: entry.version === undefined ? '' : String(entry.version),
    breakpoints: entry.breakpoints !== false,
  };
}

/** drizzle-kit's `meta/_journal.json` layout (journal versions 5, 6 and 7). */
export const drizzleKitJournal: MigrationSource = {
  read(folderArg) {
    const folder = path.resolve(folderArg);
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = parseJournal(journalFile, folder);
    const dialect = JOURNAL_DIALECTS[journal.dialect]!;
    const seenTags = new Set<string>();
    const listing = folderListing(folder);
    let previousWhen = -Infinity;
    let previousTag = '';
    const migrations = journal.entries.map((raw, position): Migration => {
      const entry = validEntry(raw, position, journalFile);
      if (seenTags.has(entry.tag)) {
        throw new DbdeckError('journal', `${journalFile}: tag "${entry.tag}" appears twice; each migration must be listed once`, {
          file: journalFile,
          tag: entry.tag,
        });
      }
      seenTags.add(entry.tag);
      if (entry.when <= previousWhen) {
        throw new DbdeckError(
          'journal',
          `${journalFile}: "when" of ${entry.tag} (${entry.when}) is not after ${previousTag} (${previousWhen}); drizzle orders by "when" and would skip it. Give it a later timestamp.`,
          { file: journalFile, tag: entry.tag },
        );
      }
      previousWhen = entry.when;
      previousTag = entry.tag;
      const file = path.join(folder, `${entry.tag}.sql`);
      const downFile = path.join(folder, `${entry.tag}.down.sql`);
      const up = listing.exists(`${entry.tag}.sql`) ? readUtf8(file, 'sql', folder) : null;
      const statements = up ? splitBreakpoints(up.text) : [];
      let down: DownMigration | null = null;
      if (listing.exists(`${entry.tag}.down.sql`)) {
        const { text } = readUtf8(downFile, 'sql', folder);
        down = { file: downFile, sql: text, statements: splitBreakpoints(text) };
      }
      return {
        position,
        ...entry,
        file,
        downFile,
        sql: up?.text ?? null,
        hash: up?.hash ?? null,
        statements,
        nonTransactional: firstNonTransactional(statements, dialect),
        down,
      };
    });
    return { folder, format: 'journal', dialect, journalDialect: journal.dialect, migrations, unlisted: unlistedFiles(listing.names, seenTags) };
  },
};

export function firstNonTransactional(statements: string[], dialect: Dialect): string | null {
  for (const statement of statements) {
    const reason = nonTransactionalReason(statement, dialect);
    if (reason) return reason;
  }
  return null;
}

/**
 * The folder's entries, read once: whether `name` exists as existsSync would say (a link counts
 * when it leads somewhere), without a system call per migration for its up and down files.
 */
function folderListing(folder: string): { names: string[]; exists(name: string): boolean } {
  const entries = new Map(readdirSync(folder, { withFileTypes: true }).map((entry) => [entry.name, entry]));
  return {
    names: [...entries.keys()],
    exists(name) {
      const entry = entries.get(name);
      return entry !== undefined && (!entry.isSymbolicLink() || existsSync(path.join(folder, name)));
    },
  };
}

function unlistedFiles(names: string[], listed: Set<string>): string[] {
  return names
    .filter((name) => name.endsWith('.sql') && !name.endsWith('.down.sql'))
    .filter((name) => !listed.has(name.slice(0, -'.sql'.length)))
    .sort();
}

/** Reads a drizzle-kit 0.x migrations folder (its journal); `readMigrations` reads either layout. */
export function readJournal(folder: string): MigrationSet {
  return drizzleKitJournal.read(folder);
}
