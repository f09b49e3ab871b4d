/**
 * crm-lite: a small CRM on SQLite/libSQL, in drizzle's usual SQLite column modes — integer
 * timestamps (seconds and milliseconds), 0/1 booleans, JSON in text, a blob — the shapes a team
 * moving to PostgreSQL has to convert. Its PostgreSQL twin is ./crm.ts; `dbdeck copy` moves the
 * data across (see docs/copy.md).
 */
import { blob, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    apiToken: text('api_token'),
    settings: text('settings', { mode: 'json' }).$type<{ plan: string; seats: number; contactPhone?: string }>(),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [uniqueIndex('accounts_email_unique').on(t.email)],
);

export const contacts = sqliteTable(
  'contacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    fullName: text('full_name').notNull(),
    phone: text('phone'),
    bornOn: text('born_on'),
    score: real('score'),
    avatar: blob('avatar', { mode: 'buffer' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('contacts_account_id_idx').on(t.accountId)],
);
