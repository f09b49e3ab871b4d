import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TeamProject } from './team-project';

const root = path.resolve(import.meta.dirname, '../..');

/** billing's drizzle schema, as its migrations (BILLING_MIGRATIONS) create it. */
export const BILLING_SCHEMA = `import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';

export const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
});

export const invoices = pgTable('invoices', {
  id: serial('id').primaryKey(),
  accountId: integer('account_id')
    .notNull()
    .references(() => accounts.id),
  cents: integer('cents').notNull(),
});
`;

/**
 * Gives billing (which has no seeds) its drizzle schema, as `dbdeck init` records it, and the
 * generated seed's settings: drizzle-orm installed beside it (linked to dbdeck's), as in a team's
 * repository.
 */
export function addBillingSchema(team: TeamProject, seed: string): void {
  symlinkSync(path.join(root, 'node_modules'), path.join(team.dir, 'node_modules'));
  writeFileSync(path.join(team.dir, 'billing-schema.ts'), BILLING_SCHEMA);
  const anchor = "migrationsSchema: 'billing_drizzle',";
  const text = readFileSync(team.configFile, 'utf8');
  if (!text.includes(anchor)) throw new Error(`${team.configFile} no longer has ${anchor}`);
  writeFileSync(team.configFile, text.replace(anchor, `${anchor}\n      schema: './billing-schema.ts',\n      seed: ${seed},`));
}
