/**
 * The "edge" demo project: page-view analytics on SQLite / libSQL (Turso).
 *
 * migrations/edge was generated from this file step by step with drizzle-kit
 * (`DBDECK_PROJECT=edge npm run db:generate -- --name …`); each migration has a
 * hand-written `<tag>.down.sql`:
 *   0000_sites_page_views        sites, page_views
 *   0001_sessions                sessions, page_views.session_id, page_views index
 *   0002_page_views_constraints  page_views foreign keys + country check: SQLite can't add
 *                                those in place, so drizzle-kit recreates the table
 *                                (__new_page_views, copy, drop, rename)
 * Timestamps are integer seconds since the epoch (drizzle's `mode: 'timestamp'`).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const sites = sqliteTable('sites', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  domain: text('domain').notNull().unique(),
  name: text('name').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp' })
    .notNull()
    .default(sql`(unixepoch())`),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    device: text('device', { enum: ['desktop', 'mobile', 'tablet'] }).notNull(),
    /** ISO 3166-1 alpha-2, or null when unknown. */
    country: text('country'),
    startedAt: integer('started_at', { mode: 'timestamp' }).notNull(),
    endedAt: integer('ended_at', { mode: 'timestamp' }),
  },
  (t) => [index('sessions_site_started_idx').on(t.siteId, t.startedAt)],
);

export const pageViews = sqliteTable(
  'page_views',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    path: text('path').notNull(),
    referrer: text('referrer'),
    /** ISO 3166-1 alpha-2, or null when unknown. */
    country: text('country'),
    viewedAt: integer('viewed_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [index('page_views_site_viewed_idx').on(t.siteId, t.viewedAt), check('page_views_country_iso', sql`${t.country} IS NULL OR length(${t.country}) = 2`)],
);

export type Site = typeof sites.$inferSelect;
export type NewSite = typeof sites.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type PageView = typeof pageViews.$inferSelect;
export type NewPageView = typeof pageViews.$inferInsert;
