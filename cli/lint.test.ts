import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { dbdeck } from '../tests/support/cli';
import { describe, expect, it } from 'vitest';
import { tempDir, writeMigrations } from '../tests/support/databases';

const root = path.resolve(import.meta.dirname, '..');
const BP = '\n--> statement-breakpoint\n';

describe('dbdeck lint', () => {
  it('lints a drizzle 1.0 project (migration folders) by folder name, from the config or the folder itself', async () => {
    const folders = readdirSync(path.join(root, 'migrations/helpdesk'))
      .filter((name) => /^\d{14}_/.test(name))
      .sort();
    expect(folders.length).toBeGreaterThanOrEqual(3);
    const fromConfig = await dbdeck(['lint', '--project', 'helpdesk', '--json']);
    expect([0, 1]).toContain(fromConfig.code);
    expect(fromConfig.json().migrations.map((m: { tag: string }) => m.tag)).toEqual(folders);
    const fromFolder = await dbdeck(['lint', '--migrations', path.join(root, 'migrations/helpdesk'), '--json']);
    expect(fromFolder.json()).toEqual(fromConfig.json());
  });

  it('lints a migrations folder: exit 1 when a finding is an error, 0 for a clean --tag', async () => {
    const folder = writeMigrations('postgresql', [
      {
        tag: '0000_users',
        sql: `CREATE TABLE "users" ("id" serial PRIMARY KEY, "email" text NOT NULL);${BP}CREATE INDEX "users_email_idx" ON "users" ("email");`,
      },
      { tag: '0001_cleanup', sql: `CREATE INDEX CONCURRENTLY "users_id_idx" ON "users" ("id");${BP}ALTER TABLE "users" DROP COLUMN "email";` },
    ]);

    const json = await dbdeck(['lint', '--migrations', folder, '--json']);
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({
      migrations: [
        { tag: '0000_users', findings: [] },
        {
          tag: '0001_cleanup',
          findings: [
            expect.objectContaining({ rule: 'non-transactional/statement', severity: 'info', statementIndex: 0 }),
            expect.objectContaining({
              rule: 'destructive/drop-column',
              severity: 'error',
              statementIndex: 1,
              excerpt: 'ALTER TABLE "users" DROP COLUMN "email"',
            }),
          ],
        },
      ],
      counts: { error: 1, warning: 0, info: 1, acknowledged: 0 },
    });

    const human = await dbdeck(['lint', '--migrations', folder, '--dialect', 'postgresql']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('✓ 0000_users');
    expect(human.stdout).toMatch(/error\s+destructive\/drop-column {2}statement 2\n\s+Dropping column "users"\."email" deletes its data/);
    expect(human.stdout).toContain('1 error(s), 0 warning(s), 1 info');

    const clean = await dbdeck(['lint', '--migrations', folder, '--tag', '0000_users', '--json']);
    expect(clean.code).toBe(0);
    expect(clean.json().migrations).toEqual([{ tag: '0000_users', findings: [] }]);
  });

  it('lints a config project without opening any database (--env is optional)', async () => {
    const dataDir = tempDir('dbdeck-lint-data-');
    const env = { DBDECK_DATA_DIR: dataDir, SHOP_PRODUCTION_URL: 'postgres://nobody@127.0.0.1:1/unreachable' };
    const run = await dbdeck(['lint', '--project', 'shop', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const report = run.json();
    expect(report.counts).toEqual({ error: 0, warning: 7, info: 0, acknowledged: 0 });
    expect(report.migrations.map((m: { tag: string }) => m.tag)).toEqual([
      '0000_users_products',
      '0001_carts',
      '0002_orders',
      '0003_indexes',
      '0004_billing_address_and_phone',
    ]);
    expect(report.migrations[3].findings.every((f: { rule: string }) => f.rule === 'locking/create-index')).toBe(true);

    const human = await dbdeck(['lint', '--project', 'shop', '--env', 'production'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/0003_indexes\n\s+warning locking\/create-index {2}statement 1/);
    // The embedded server would have created its data folder here.
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);

    const edge = await dbdeck(['lint', '--project', 'edge', '--tag', '0002_page_views_constraints', '--json'], env);
    expect(edge.code).toBe(0);
    expect(edge.json().migrations[0].findings.map((f: { rule: string }) => f.rule)).toEqual([
      'sqlite/pragma-in-transaction',
      'sqlite/table-recreate',
      'sqlite/pragma-in-transaction',
    ]);
  });

  it('exit 2 for usage errors', async () => {
    const none = await dbdeck(['lint']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name what to lint: --project P, or --migrations DIR');
    const unknownTag = await dbdeck(['lint', '--project', 'shop', '--tag', '9999_nope']);
    expect(unknownTag.code).toBe(2);
    expect(unknownTag.stderr).toMatch(/no migration "9999_nope" in .*migrations\/shop; tags: 0000_users_products, /);
    const wrongDialect = await dbdeck(['lint', '--migrations', path.join(root, 'migrations/edge'), '--dialect', 'postgresql']);
    expect(wrongDialect.code).toBe(2);
    expect(wrongDialect.stderr).toContain('holds sqlite migrations');
    expect((await dbdeck(['status', '--tag', 'x', '--project', 'shop', '--env', 'development'])).code).toBe(2);
    const help = await dbdeck(['--help']);
    expect(help.stdout).toContain('lint [--tag TAG]');
  });
});
