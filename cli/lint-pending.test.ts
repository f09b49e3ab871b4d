import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbdeck } from '../tests/support/cli';
import { freshDatabases, freshPostgres, tempDir, writeMigrations } from '../tests/support/databases';

const BP = '\n--> statement-breakpoint\n';
const adhoc = (url: string, folder: string) => ['--dialect', 'postgresql', '--url', url, '--migrations', folder];

const MIGRATIONS = [
  { tag: '0000_users', sql: 'CREATE TABLE "users" ("id" serial PRIMARY KEY, "email" text);' },
  { tag: '0001_retire_legacy', sql: 'DROP TABLE IF EXISTS "legacy_orders";' },
  { tag: '0002_email_index', sql: 'CREATE INDEX "users_email_idx" ON "users" ("email");' },
];

/** A team's config with one PostgreSQL project whose staging URL comes from the environment. */
function writeConfig(migrations: typeof MIGRATIONS, lint: string): { configFile: string } {
  const dir = tempDir('dbdeck-lint-pending-');
  writeMigrations('postgresql', migrations, path.join(dir, 'drizzle'));
  const configFile = path.join(dir, 'dbdeck.config.ts');
  writeFileSync(
    configFile,
    `export default { projects: [{ name: 'app', dialect: 'postgresql', migrations: './drizzle', environments: [{ name: 'staging', url: { env: 'APP_STAGING_URL' } }], ${lint} }] };\n`,
  );
  return { configFile };
}

describe('dbdeck lint --pending: only what the environment would apply', () => {
  const fresh = freshDatabases();

  it('ad hoc: lints the pending migrations as migrate selects them, and nothing once all are applied', async () => {
    const db = await fresh(freshPostgres);
    const folder = writeMigrations('postgresql', MIGRATIONS);
    const migrate = await dbdeck(['migrate', '--to', '0000_users', ...adhoc(db.url, folder)]);
    expect(migrate.code, migrate.stderr).toBe(0);

    const pending = await dbdeck(['lint', '--pending', '--json', ...adhoc(db.url, folder)]);
    expect(pending.code, pending.stderr).toBe(1);
    const report = pending.json();
    expect(report.environment).not.toContain(db.url.split('@')[0]); // the URL's credentials are redacted
    expect(report.migrations.map((m: { tag: string }) => m.tag)).toEqual(['0001_retire_legacy', '0002_email_index']);
    expect(report.counts).toEqual({ error: 1, warning: 1, info: 0, acknowledged: 0 });

    // The whole folder lints 0000 too: --pending is what narrows it.
    expect((await dbdeck(['lint', '--json', '--migrations', folder])).json().migrations).toHaveLength(3);

    expect((await dbdeck(['migrate', ...adhoc(db.url, folder)])).code).toBe(0);
    const none = await dbdeck(['lint', '--pending', ...adhoc(db.url, folder)]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain(': 0 pending');
    expect(none.stdout).toContain('0 error(s), 0 warning(s), 0 info');

    // An applied file edited since: migrate would refuse, and lint --pending says so on stderr.
    appendFileSync(path.join(folder, '0000_users.sql'), '\n-- edited after it was applied\n');
    const drifted = await dbdeck(['lint', '--pending', ...adhoc(db.url, folder)]);
    expect(drifted.code, drifted.stderr).toBe(0);
    expect(drifted.stderr).toMatch(/has 1 drift finding\(s\): migrate refuses until they are resolved \(run status\)/);
  });

  it("a config environment: the project's rule settings apply, and the file's acknowledgement is shown and unblocks", async () => {
    const db = await fresh(freshPostgres);
    const migrations = MIGRATIONS.map((m) =>
      m.tag === '0001_retire_legacy' ? { ...m, sql: `-- dbdeck-lint-ignore destructive/drop-table: emptied by 0000's release, unused since${BP}${m.sql}` } : m,
    );
    // The comment sits in a piece of its own here: it acknowledges nothing there.
    const misplaced = writeConfig(migrations, `lint: { rules: { 'locking/create-index': 'off' } }`);
    const env = { APP_STAGING_URL: db.url };
    const warned = await dbdeck(['lint', '--pending', '--json', '--config', misplaced.configFile, '--project', 'app', '--env', 'staging'], env);
    expect(warned.code, warned.stderr).toBe(1);
    const retire = warned.json().migrations.find((m: { tag: string }) => m.tag === '0001_retire_legacy');
    expect(retire.findings.map((f: { rule: string; statementIndex: number }) => `${f.statementIndex}:${f.rule}`)).toEqual([
      '0:ignore/unused',
      '1:destructive/drop-table',
    ]);

    const placed = writeConfig(
      MIGRATIONS.map((m) =>
        m.tag === '0001_retire_legacy' ? { ...m, sql: `-- dbdeck-lint-ignore destructive/drop-table: unused since release 41\n${m.sql}` } : m,
      ),
      `lint: { rules: { 'locking/create-index': 'off' } }`,
    );
    const json = await dbdeck(['lint', '--pending', '--json', '--config', placed.configFile, '--project', 'app', '--env', 'staging'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toMatchObject({
      environment: 'app / staging',
      migrations: [
        { tag: '0000_users', findings: [] },
        { tag: '0001_retire_legacy', findings: [{ rule: 'destructive/drop-table', severity: 'error', acknowledged: { reason: 'unused since release 41' } }] },
        { tag: '0002_email_index', findings: [] },
      ],
      counts: { error: 0, warning: 0, info: 0, acknowledged: 1 },
    });
    const human = await dbdeck(['lint', '--pending', '--config', placed.configFile, '--project', 'app', '--env', 'staging'], env);
    expect(human.stdout).toContain('lint app / staging: 3 pending');
    expect(human.stdout).toContain('acknowledged in the file: unused since release 41');
    expect(human.stdout).toContain('0 error(s), 0 warning(s), 0 info, 1 acknowledged');
  });

  it('a rule setting naming an unknown rule is a config error (exit 2), not silence', async () => {
    const { configFile } = writeConfig(MIGRATIONS, `lint: { rules: { 'create-index': 'off' } }`);
    const run = await dbdeck(['lint', '--config', configFile, '--project', 'app']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no lint rule "create-index" (did you mean locking/create-index?)');
  });

  it('usage: --pending needs a whole target, does not go with --tag, and goes with lint only', async () => {
    const noEnv = await dbdeck(['lint', '--pending', '--project', 'shop']);
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toContain('name the target: --project P --env E');
    const withTag = await dbdeck(['lint', '--pending', '--project', 'shop', '--env', 'development', '--tag', '0001_carts']);
    expect(withTag.code).toBe(2);
    expect(withTag.stderr).toContain('give lint either --pending or --tag, not both');
    const status = await dbdeck(['status', '--pending', '--project', 'shop', '--env', 'development']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--pending goes with lint');
  });
});
