/**
 * The "helpdesk" demo project: support tickets on PostgreSQL, in drizzle 1.0's migration layout
 * (one `<YYYYMMDDHHMMSS>_<name>/` folder per migration, no journal), beside the 0.x demos.
 *
 * migrations/helpdesk was generated from this file step by step with drizzle-kit 0.31, then
 * converted with drizzle-kit 1.0's `up` (`node scripts/drizzle-kit-v1.mjs up --dialect
 * postgresql --out migrations/helpdesk`); each folder has a hand-written `down.sql`:
 *   20261201103037_agents_tickets   agents (unique email), tickets
 *   20261201103040_comments         comments on tickets
 *   20261201103044_ticket_priority  tickets.priority
 */
import { index, integer, pgTable, serial, smallint, text, timestamp, varchar } from 'drizzle-orm/pg-core';

export const agents = pgTable('agents', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 120 }).notNull(),
  email: varchar('email', { length: 254 }).notNull().unique(),
});

export const tickets = pgTable(
  'tickets',
  {
    id: serial('id').primaryKey(),
    subject: varchar('subject', { length: 200 }).notNull(),
    body: text('body').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('open'),
    priority: smallint('priority').notNull().default(3),
    assigneeId: integer('assignee_id').references(() => agents.id),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tickets_assignee_idx').on(t.assigneeId)],
);

export const comments = pgTable(
  'comments',
  {
    id: serial('id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => agents.id),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('comments_ticket_idx').on(t.ticketId)],
);
