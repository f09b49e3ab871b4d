import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshLibsql, tempDir, writeMigrations } from '../tests/support/databases';

/** A team's repository using the embedded default: a libSQL project whose variable is unset, so its database is a file under `.data/`. */
function embeddedRepository(options: { git: boolean }): string {
  const dir = tempDir('dbdeck-embedded-repo-');
  if (options.git) execFileSync('git', ['init', '--quiet', dir]);
  writeMigrations('sqlite', [{ tag: '0000_notes', sql: 'CREATE TABLE `notes` (`id` integer PRIMARY KEY);' }], path.join(dir, 'drizzle'));
  writeFileSync(
    path.join(dir, 'dbdeck.config.json'),
    JSON.stringify({
      embedded: true,
      projects: [{ name: 'notes', dialect: 'turso', migrations: './drizzle', environments: [{ name: 'dev', url: { env: 'NOTES_DEV_URL' } }] }],
    }),
  );
  return dir;
}

const migrate = (dir: string) =>
  dbdeck(['migrate', '--config', path.join(dir, 'dbdeck.config.json'), '--project', 'notes', '--env', 'dev'], { NOTES_DEV_URL: '' }, { cwd: dir });

/** What git would commit of the repository: untracked files it does not ignore. */
const untracked = (dir: string) => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' });

describe("the embedded default's .data/ in a team's repository", () => {
  it('is added to the .gitignore it creates, and the user is told; git then leaves the database and its folder alone', async () => {
    const dir = embeddedRepository({ git: true });
    const run = await migrate(dir);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.data', 'notes-dev.db'))).toBe(true);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('.data/\n');
    expect(run.stderr).toContain(`added .data/ to ${path.join(dir, '.gitignore')}`);
    expect(untracked(dir)).not.toContain('.data');
  });

  it('is appended to an existing .gitignore (after its last line), once: a folder made again adds no second line', async () => {
    const dir = embeddedRepository({ git: true });
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n*.log');
    expect((await migrate(dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n*.log\n.data/\n');
    rmSync(path.join(dir, '.data'), { recursive: true });
    const again = await migrate(dir);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n*.log\n.data/\n');
    expect(again.stderr).not.toContain('added .data/');
  });

  it('is left alone when a rule of the repository ignores it already (here its root .gitignore, with the config in a subfolder)', async () => {
    const repo = tempDir('dbdeck-embedded-monorepo-');
    execFileSync('git', ['init', '--quiet', repo]);
    writeFileSync(path.join(repo, '.gitignore'), '**/.data\n');
    const dir = path.join(repo, 'services', 'notes');
    mkdirSync(dir, { recursive: true });
    const made = embeddedRepository({ git: false });
    for (const name of ['drizzle', 'dbdeck.config.json']) execFileSync('cp', ['-r', path.join(made, name), dir]);
    expect((await migrate(dir)).code).toBe(0);
    expect(existsSync(path.join(dir, '.data', 'notes-dev.db'))).toBe(true);
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(false);
    expect(readFileSync(path.join(repo, '.gitignore'), 'utf8')).toBe('**/.data\n');
  });

  it('is added as well when the schema-drift cache is what first needs it (every variable set, no embedded database opened)', async () => {
    const dir = embeddedRepository({ git: true });
    const notes = await freshLibsql();
    const config = ['--config', path.join(dir, 'dbdeck.config.json'), '--project', 'notes', '--env', 'dev'];
    try {
      expect((await dbdeck(['migrate', ...config], { NOTES_DEV_URL: notes.url }, { cwd: dir })).code).toBe(0);
      expect(existsSync(path.join(dir, '.data'))).toBe(false);
      const drift = await dbdeck(['drift', ...config], { NOTES_DEV_URL: notes.url }, { cwd: dir });
      expect(drift.code, drift.stderr).toBe(0);
      expect(existsSync(path.join(dir, '.data', 'schema-cache'))).toBe(true);
      expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('.data/\n');
    } finally {
      await notes.cleanup();
    }
  });

  it('outside a git work tree, writes no .gitignore', async () => {
    const dir = embeddedRepository({ git: false });
    const run = await migrate(dir);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.data', 'notes-dev.db'))).toBe(true);
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(false);
  });

  it('says so, and still migrates, when the .gitignore cannot be written', async () => {
    const dir = embeddedRepository({ git: true });
    mkdirSync(path.join(dir, '.gitignore'));
    const run = await migrate(dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`could not add .data/ to ${path.join(dir, '.gitignore')}`);
    expect(run.stderr).toContain('add it yourself');
  });
});
