import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A team's own repository, outside dbdeck's checkout: its drizzle output for a PostgreSQL project
 * (`drizzle/`) and a libSQL one (`edge/`), a seed, and a dbdeck.config.ts that imports only types
 * from dbdeck (erased when it is compiled), as `dbdeck init` writes it. Shared by the vitest and
 * Playwright tests; plain Node, no test framework.
 */
export interface TeamProject {
  dir: string;
  configFile: string;
  /** Adds a migration to the PostgreSQL project's journal, as `drizzle-kit generate` would. */
  addBillingMigration(tag: string, sql: string): void;
  /** Adds billing's `staging` (BILLING_STAGING_URL): unprotected, so QA may reset it, and gated by one approval, so only a lead may apply. */
  addBillingStaging(): void;
}

interface Entry {
  tag: string;
  sql: string;
}

function writeJournal(folder: string, dialect: string, entries: Entry[]): void {
  mkdirSync(path.join(folder, 'meta'), { recursive: true });
  const base = 1_700_000_000_000;
  const journal = { version: '7', dialect, entries: entries.map((e, i) => ({ idx: i, version: '7', when: base + i * 60_000, tag: e.tag, breakpoints: true })) };
  writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify(journal, null, 2));
  for (const e of entries) writeFileSync(path.join(folder, `${e.tag}.sql`), e.sql);
}

export const BILLING_MIGRATIONS: Entry[] = [
  { tag: '0000_accounts', sql: 'CREATE TABLE "accounts" ("id" serial PRIMARY KEY NOT NULL, "name" text NOT NULL);' },
  {
    tag: '0001_invoices',
    sql: 'CREATE TABLE "invoices" ("id" serial PRIMARY KEY NOT NULL, "account_id" integer NOT NULL REFERENCES "accounts"("id"), "cents" integer NOT NULL);',
  },
];

export const NOTES_MIGRATIONS: Entry[] = [{ tag: '0000_notes', sql: 'CREATE TABLE `notes` (`id` integer PRIMARY KEY NOT NULL, `body` text NOT NULL);' }];

export const TEAM_CONFIG = `import type { DbdeckConfigInput } from 'dbdeck/config';

// Folders are relative to this file.
export default {
  projects: [
    {
      name: 'billing',
      title: 'Billing',
      dialect: 'postgresql',
      migrations: './drizzle',
      migrationsSchema: 'billing_drizzle',
      environments: [
        { name: 'development', url: { env: 'BILLING_DEVELOPMENT_URL' } },
        { name: 'production', url: { env: 'BILLING_PRODUCTION_URL' }, protected: true, requiredApprovals: 2 },
      ],
    },
    {
      name: 'notes',
      title: 'Notes',
      dialect: 'turso',
      migrations: './edge',
      seeds: './edge-seeds',
      environments: [{ name: 'development', url: { env: 'NOTES_DEVELOPMENT_URL' }, authToken: { env: 'NOTES_DEVELOPMENT_TOKEN' } }],
    },
  ],
} satisfies DbdeckConfigInput;
`;

/** Idempotent: a second run inserts nothing. */
const NOTES_SEED = `import type { SeedModule } from 'dbdeck/config';

const seed: SeedModule = {
  name: 'notes',
  profiles: ['demo'],
  async run({ driver, progress }) {
    const before = await driver.query<{ n: number }>('select count(*) as n from notes');
    await driver.run("insert or ignore into notes (id, body) values (1, 'first'), (2, 'second'), (3, 'third')");
    const after = await driver.query<{ n: number }>('select count(*) as n from notes');
    const inserted = Number(after[0]!.n) - Number(before[0]!.n);
    progress('notes', inserted);
    return { notes: inserted };
  },
};
export default seed;
`;

export function writeTeamProject(dir = mkdtempSync(path.join(os.tmpdir(), 'dbdeck-team-'))): TeamProject {
  const billing: Entry[] = [...BILLING_MIGRATIONS];
  writeJournal(path.join(dir, 'drizzle'), 'postgresql', billing);
  writeJournal(path.join(dir, 'edge'), 'sqlite', NOTES_MIGRATIONS);
  mkdirSync(path.join(dir, 'edge-seeds'), { recursive: true });
  writeFileSync(path.join(dir, 'edge-seeds', 'index.ts'), NOTES_SEED);
  const configFile = path.join(dir, 'dbdeck.config.ts');
  writeFileSync(configFile, TEAM_CONFIG);
  return {
    dir,
    configFile,
    addBillingMigration(tag, sql) {
      billing.push({ tag, sql });
      writeJournal(path.join(dir, 'drizzle'), 'postgresql', billing);
    },
    addBillingStaging() {
      const development = "{ name: 'development', url: { env: 'BILLING_DEVELOPMENT_URL' } },";
      const staging = "{ name: 'staging', url: { env: 'BILLING_STAGING_URL' }, requiredApprovals: 1 },";
      writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(development, `${development}\n        ${staging}`));
    },
  };
}
