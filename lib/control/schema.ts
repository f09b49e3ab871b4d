/**
 * dbdeck's own state: users, API tokens, approvals, lint acknowledgements, operations and the
 * audit log. Everything lives in the `dbdeck` schema so that DBDECK_DATABASE_URL may point at
 * any PostgreSQL database without colliding with its tables.
 *
 * lib/control/migrations is generated from this file (`DBDECK_PROJECT=control npm run
 * db:generate -- --name …`) and applied by dbdeck's own engine at start.
 */
import { sql } from 'drizzle-orm';
import { ROLES } from '../roles';
import { bigserial, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const dbdeck = pgSchema('dbdeck');

export { ROLES, type Role } from '../roles';
export const roleEnum = dbdeck.enum('role', ROLES);

const createdAt = timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = dbdeck.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored trimmed and lower-cased (normaliseEmail): every look-up normalises its input alike. */
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: roleEnum('role').notNull(),
    /** argon2id; null for users who sign in through OIDC only. */
    passwordHash: text('password_hash'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /**
     * Carried in every session at sign-in; disabling the user bumps it, so sessions from before
     * stay dead even once the user is enabled again.
     */
    sessionVersion: integer('session_version').notNull().default(0),
    /**
     * The single sign-on identity this user is, as the provider names it (`iss` + `sub`): set on the
     * user's first SSO sign-in, and the only thing later SSO sign-ins are matched on. An e-mail can
     * change hands at a provider; a subject does not.
     */
    ssoIssuer: text('sso_issuer'),
    ssoSubject: text('sso_subject'),
    createdAt,
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_sso_identity').on(t.ssoIssuer, t.ssoSubject)],
);

/**
 * Sessions ended by signing out. Session cookies are self-contained (JWT), so a copy taken before
 * sign-out would live until it expires: every request checks its session id against this list.
 * Rows outlive the longest session by a little and are then deleted.
 */
export const endedSessions = dbdeck.table(
  'ended_sessions',
  {
    sessionId: uuid('session_id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ended_sessions_ended_at').on(t.endedAt)],
);

export const apiTokens = dbdeck.table('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** sha256 of the token: the token itself is shown once, at creation. */
  tokenHash: text('token_hash').notNull().unique(),
  /** First characters of the token, to recognise it in lists. */
  prefix: text('prefix').notNull(),
  role: roleEnum('role').notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt,
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** Refused from this time on; null: never expires (tokens from before expiry existed). */
  expiresAt: timestamp('expires_at', { withTimezone: true }),
});

export const DECISIONS = ['approved', 'rejected'] as const;
export const decisionEnum = dbdeck.enum('decision', DECISIONS);

/**
 * What a person decided about one version of a migration file for one environment (approvals,
 * lint acknowledgements). A function: drizzle column builders belong to one table each.
 */
const migrationVersionColumns = () => ({
  id: uuid('id').primaryKey().defaultRandom(),
  project: text('project').notNull(),
  environment: text('environment').notNull(),
  tag: text('tag').notNull(),
  /** The migration file's sha256 when decided: a changed file voids the decision. */
  sha256: text('sha256').notNull(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
});

/** One decision per person per version of a migration file for an environment. */
export const approvals = dbdeck.table(
  'approvals',
  {
    ...migrationVersionColumns(),
    decision: decisionEnum('decision').notNull(),
    comment: text('comment'),
    createdAt,
  },
  (t) => [
    uniqueIndex('approvals_one_per_person').on(t.project, t.environment, t.tag, t.sha256, t.userId),
    index('approvals_lookup').on(t.project, t.environment, t.tag),
  ],
);

/** A lead's acknowledgement of blocking lint findings, for one version of a migration file. */
export const lintAcknowledgements = dbdeck.table(
  'lint_acknowledgements',
  {
    ...migrationVersionColumns(),
    rules: text('rules').array().notNull(),
    createdAt,
  },
  (t) => [uniqueIndex('lint_acknowledgements_one').on(t.project, t.environment, t.tag, t.sha256)],
);

export const OPERATION_KINDS = ['apply', 'rollback', 'plan', 'seed', 'reset', 'copy', 'upgrade-bookkeeping'] as const;
export const OPERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const operationKindEnum = dbdeck.enum('operation_kind', OPERATION_KINDS);
export const operationStatusEnum = dbdeck.enum('operation_status', OPERATION_STATUSES);

export const operations = dbdeck.table(
  'operations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: operationKindEnum('kind').notNull(),
    project: text('project').notNull(),
    environment: text('environment').notNull(),
    status: operationStatusEnum('status').notNull().default('queued'),
    userId: uuid('user_id').references(() => users.id),
    actor: text('actor').notNull(),
    /** null for a run from the command line (`cli:<os user>`): the CLI signs in as no one. */
    role: roleEnum('role'),
    params: jsonb('params').notNull().default({}),
    migrations: text('migrations')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    progress: jsonb('progress'),
    result: jsonb('result'),
    error: text('error'),
    createdAt,
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** Touched with every progress report: an unfinished operation silent for long was abandoned. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    // At most one unfinished operation per environment, enforced by the database itself so
    // that two console instances cannot both start one.
    uniqueIndex('operations_one_active')
      .on(t.project, t.environment)
      .where(sql`status in ('queued', 'running')`),
    index('operations_recent').on(t.project, t.environment, t.createdAt),
  ],
);

export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const;
export const auditResultEnum = dbdeck.enum('audit_result', AUDIT_RESULTS);

/** Append-only: a trigger (see the custom migration) refuses UPDATE, DELETE and TRUNCATE. */
export const auditEvents = dbdeck.table(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    actor: text('actor').notNull(),
    role: text('role'),
    action: text('action').notNull(),
    project: text('project'),
    environment: text('environment'),
    migrations: text('migrations')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    durationMs: integer('duration_ms'),
    result: auditResultEnum('result').notNull(),
    error: text('error'),
    details: jsonb('details'),
  },
  (t) => [index('audit_events_at').on(t.at), index('audit_events_actor').on(t.actor), index('audit_events_environment').on(t.project, t.environment)],
);

export const SIGN_IN_THROTTLE_SCOPES = ['pair', 'address', 'account', 'global'] as const;
export const signInThrottleScopeEnum = dbdeck.enum('sign_in_throttle_scope', SIGN_IN_THROTTLE_SCOPES);

/**
 * Sign-in attempts per (e-mail, address) pair, per client address, per e-mail over all addresses
 * (`account`), and over all (`global`, key `*`): the backoff every console instance on this store shares. Attempts are counted before the
 * password is checked, under a row lock, so parallel guesses are counted one by one.
 */
export const signInThrottle = dbdeck.table(
  'sign_in_throttle',
  {
    scope: signInThrottleScopeEnum('scope').notNull(),
    key: text('key').notNull(),
    /** Failed (or still running) attempts since the window began. */
    attempts: integer('attempts').notNull().default(0),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** The next attempt is refused before this time. */
    nextAllowedAt: timestamp('next_allowed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('sign_in_throttle_last_attempt').on(t.lastAttemptAt)],
);

export type User = typeof users.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Approval = typeof approvals.$inferSelect;
export type Operation = typeof operations.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
