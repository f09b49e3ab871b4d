/**
 * crm: the PostgreSQL twin of ./crm-lite.ts — the same tables and columns in PostgreSQL's own
 * types (timestamptz, boolean, jsonb, bytea, date, numeric), with serial ids, as a team writes
 * them when it moves from SQLite/Turso to PostgreSQL.
 */
import { boolean, date, customType, index, integer, jsonb, numeric, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const accounts = pgTable(
  'accounts',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    active: boolean('active').notNull().default(true),
    apiToken: text('api_token'),
    settings: jsonb('settings').$type<{ plan: string; seats: number; contactPhone?: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('accounts_email_unique').on(t.email)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    fullName: text('full_name').notNull(),
    phone: text('phone'),
    bornOn: date('born_on'),
    score: numeric('score', { precision: 8, scale: 3 }),
    avatar: bytea('avatar'),
    updatedAt: timestamp('updated_at', { withTimezone: false, precision: 3 }).notNull(),
  },
  (t) => [index('contacts_account_id_idx').on(t.accountId)],
);
