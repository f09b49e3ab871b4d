import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/support/databases';
import { readJournal } from './journal';
import { checkDrizzleKitUp } from './kit-up-check';

const root = path.resolve(import.meta.dirname, '../..');

/** The real drizzle-kit 1.0 `up`, on a folder: its output, and whether it succeeded. */
function kitUp(dialect: 'postgresql' | 'sqlite', out: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(process.execPath, [path.join(root, 'scripts/drizzle-kit-v1.mjs'), 'up', '--dialect', dialect, '--out', out], {
      cwd: out,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const copyOf = (project: string) => {
  const dir = tempDir('dbdeck-kit-up-');
  cpSync(path.join(root, 'migrations', project), dir, { recursive: true });
  return dir;
};

/** Removes a journal entry with its SQL and snapshot: a migration deleted in the middle of the history. */
function deleteEntry(dir: string, tag: string) {
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag !== tag);
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  rmSync(path.join(dir, `${tag}.sql`));
  rmSync(path.join(dir, 'meta', `${tag.split('_')[0]}_snapshot.json`));
}

describe('status says whether drizzle-kit up can convert a 0.x folder, as drizzle-kit 1.0 decides', () => {
  it('an intact history converts, into exactly the folders drizzle-kit up makes', () => {
    for (const [project, dialect] of [
      ['shop', 'postgresql'],
      ['edge', 'sqlite'],
    ] as const) {
      const dir = copyOf(project);
      const check = checkDrizzleKitUp(readJournal(dir));
      expect(check).toMatchObject({ convertible: true, problem: null, warnings: [] });
      expect(kitUp(dialect, dir).ok).toBe(true);
      const made = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      expect(check.folders.map((f) => f.folder)).toEqual(made);
    }
  });

  it('a migration deleted in the middle: the first break named, as drizzle-kit up refuses it, and nothing changed', () => {
    const dir = copyOf('shop');
    deleteEntry(dir, '0002_orders');
    const check = checkDrizzleKitUp(readJournal(dir));
    expect(check.convertible).toBe(false);
    const parentId = (JSON.parse(readFileSync(path.join(root, 'migrations/shop/meta/0002_snapshot.json'), 'utf8')) as { id: string }).id;
    expect(check.problem).toContain(
      `a migration was deleted in the middle of the history. Migration 0003_indexes follows the snapshot ${parentId}, and no migration in the folder has this snapshot.`,
    );

    const before = readdirSync(dir).sort();
    const run = kitUp('postgresql', dir);
    expect(run.ok).toBe(false);
    expect(run.output).toContain(`Migration 0003_indexes follows the snapshot ${parentId}, and no migration in the folder has this snapshot`);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('SQLite: drizzle-kit up converts a broken chain anyway; status converts too, with the break as a warning', () => {
    const dir = copyOf('edge');
    deleteEntry(dir, '0001_sessions');
    const check = checkDrizzleKitUp(readJournal(dir));
    expect(check.convertible).toBe(true);
    expect(check.warnings.join('\n')).toMatch(/snapshot chain is broken: .*Migration 0002_page_views_constraints follows the snapshot/);
    expect(kitUp('sqlite', dir).ok).toBe(true);
  });
});
