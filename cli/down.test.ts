import { spawn } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { freshLibsql, tempDir, writeMigrations } from '../tests/support/databases';
import { readJournal } from '../lib/engine/journal';

const root = path.resolve(import.meta.dirname, '..');

/** A demo project's migrations without their down files: the folder of a team that never wrote one. */
function withoutDownFiles(project: string): string {
  const dir = tempDir('dbdeck-down-cli-');
  cpSync(path.join(root, 'migrations', project), dir, { recursive: true });
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && /(^|\.)down\.sql$/.test(entry.name)) rmSync(path.join(entry.parentPath, entry.name));
  return dir;
}

/**
 * Runs a command on a pseudo-terminal (script(1)). A command still running after 50 s is waiting
 * for an answer: its process group is killed and `status` is null, so a prompt fails the test
 * instead of hanging the run (a finished run takes about 2 s).
 */
function onTerminal(command: string): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const waiting = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 50_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(waiting);
      resolve({ status: code, stdout });
    });
  });
}

describe('dbdeck down', () => {
  it("prints a project's down file for --tag, from the config, as SQL and as JSON", async () => {
    const printed = await dbdeck(['down', '--project', 'shop', '--env', 'development', '--tag', '0001_carts']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('-- 0001_carts: down file migrations/shop/0001_carts.down.sql');
    expect(printed.stdout).toContain(readFileSync(path.join(root, 'migrations/shop/0001_carts.down.sql'), 'utf8').trimEnd());

    const json = await dbdeck(['down', '--project', 'shop', '--env', 'development', '--tag', '0001_carts', '--json']);
    expect(json.json()).toMatchObject({ tag: '0001_carts', source: 'file', complete: true, file: path.join(root, 'migrations/shop/0001_carts.down.sql') });
  });

  it('prints the draft of the last migration of an ad hoc folder, destructive statements marked', async () => {
    const folder = withoutDownFiles('edge');
    const printed = await dbdeck(['down', '--migrations', folder, '--dialect', 'turso']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain("-- 0002_page_views_constraints: drafted from drizzle-kit's snapshots");
    expect(printed.stdout).toContain('ALTER TABLE `__new_page_views` RENAME TO `page_views`;');

    const json = (await dbdeck(['down', '--migrations', folder, '--tag', '0001_sessions', '--json'])).json();
    expect(json).toMatchObject({ tag: '0001_sessions', source: 'drafted', complete: true, gaps: [], file: path.join(folder, '0001_sessions.down.sql') });
    const dropColumn = json.statements.find((s: { sql: string }) => s.sql.includes('DROP COLUMN'));
    expect(dropColumn.destructive).toContain('Dropping column "page_views"."session_id"');
  });

  it('--write writes <tag>.down.sql that rollback will read, and refuses to overwrite it', async () => {
    const folder = withoutDownFiles('shop');
    const downFile = path.join(folder, '0004_billing_address_and_phone.down.sql');
    const written = await dbdeck(['down', '--migrations', folder, '--dialect', 'postgresql', '--write']);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(`wrote ${downFile} (2 statement(s))`);
    const text = readFileSync(downFile, 'utf8');
    expect(text).toContain('ALTER TABLE "orders" DROP COLUMN "billing_address";\n--> statement-breakpoint\n');
    expect(text).toContain('-- destructive: Dropping column "users"."phone"');
    expect(readJournal(folder).migrations.at(-1)!.down!.statements).toHaveLength(2);

    writeFileSync(downFile, '-- the team edited this\n');
    const again = await dbdeck(['down', '--migrations', folder, '--write', '--json']);
    expect(again.code).toBe(1);
    expect(again.json().error).toMatchObject({ code: 'refused', message: `${downFile} exists; nothing was written` });
    expect(readFileSync(downFile, 'utf8')).toBe('-- the team edited this\n');
  });

  it('--write writes <folder>/down.sql for drizzle 1.0', async () => {
    const folder = withoutDownFiles('helpdesk');
    const written = await dbdeck(['down', '--migrations', folder, '--tag', '20261201103040_comments', '--write']);
    expect(written.code).toBe(0);
    expect(readFileSync(path.join(folder, '20261201103040_comments/down.sql'), 'utf8')).toContain('DROP TABLE "comments";');
  });

  it('an incomplete draft is printed with what it cannot reverse (exit 1), and --write refuses it, naming the file', async () => {
    const folder = withoutDownFiles('shop');
    const snapshot = path.join(folder, 'meta/0004_snapshot.json');
    writeFileSync(snapshot, 'not json');
    const printed = await dbdeck(['down', '--migrations', folder]);
    expect(printed.code).toBe(1);
    expect(printed.stdout).toContain(`-- INCOMPLETE: the snapshot of 0004_billing_address_and_phone does not parse`);
    expect(printed.stdout).toContain(snapshot);

    const refused = await dbdeck(['down', '--migrations', folder, '--write']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the drafted down of 0004_billing_address_and_phone is incomplete');
    expect(refused.stderr).toContain(snapshot);
    expect(readdirSync(folder).filter((name) => name.endsWith('.down.sql'))).toEqual([]);
  });

  it('on a terminal, a rename drizzle-kit would ask about is named, not asked: the command ends without input', async () => {
    const folder = writeMigrations('postgresql', [
      { tag: '0000_users', sql: 'CREATE TABLE "users" ("id" integer, "name" text);' },
      { tag: '0001_rename', sql: 'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";' },
    ]);
    const first = await generateDrizzleJson({ users: pgTable('users', { id: integer('id'), name: text('name') }) });
    writeFileSync(path.join(folder, 'meta/0000_snapshot.json'), JSON.stringify(first));
    const second = await generateDrizzleJson({ users: pgTable('users', { id: integer('id'), fullName: text('full_name') }) }, first.id);
    writeFileSync(path.join(folder, 'meta/0001_snapshot.json'), JSON.stringify(second));
    // script(1) gives the CLI a real terminal on stdin and stdout, where drizzle-kit 0.31 would prompt and wait.
    const run = await onTerminal(`${process.execPath} ${path.join(root, 'cli/bin.mjs')} down --migrations ${folder}`);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('-- INCOMPLETE: drizzle-kit would have to ask what the down does, so it is not asked');
    expect(run.stdout).toContain('column "full_name" of table "public.users" dropped while "name" is created: a rename?');
  });

  it('an unknown tag or environment is a usage error (exit 2)', async () => {
    expect((await dbdeck(['down', '--project', 'shop', '--tag', '0009_nope'])).code).toBe(2);
    const env = await dbdeck(['down', '--project', 'shop', '--env', 'nowhere']);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('project "shop" has no environment "nowhere"');
  });
});

describe('dbdeck rollback --drafted', () => {
  it('rolls back an ad hoc libSQL database with drafts where no down file exists; without --drafted it is refused', async () => {
    const folder = withoutDownFiles('edge');
    const { url, cleanup } = await freshLibsql();
    try {
      const target = ['--dialect', 'turso', '--url', url, '--migrations', folder];
      expect((await dbdeck(['migrate', ...target])).code).toBe(0);
      const refused = await dbdeck(['rollback', ...target, '--json']);
      expect(refused.code).toBe(1);
      expect(refused.json().error).toMatchObject({ code: 'refused', tag: '0002_page_views_constraints' });

      const rolledBack = await dbdeck(['rollback', ...target, '--steps', '2', '--drafted', '--json']);
      expect(rolledBack.code).toBe(0);
      expect(rolledBack.json().rolledBack.map((s: { tag: string }) => s.tag)).toEqual(['0002_page_views_constraints', '0001_sessions']);
      const status = (await dbdeck(['status', ...target, '--json'])).json();
      expect(status.migrations.map((m: { tag: string; state: string }) => [m.tag, m.state])).toEqual([
        ['0000_sites_page_views', 'applied'],
        ['0001_sessions', 'pending'],
        ['0002_page_views_constraints', 'pending'],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('--drafted goes with rollback only', async () => {
    const run = await dbdeck(['migrate', '--project', 'shop', '--env', 'development', '--drafted']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--drafted goes with rollback');
  });
});
