import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_CONFIG_FILE } from '../lib/config/config-file';
import { DbdeckError } from '../lib/engine/errors';

export const USAGE = `Usage: dbdeck <command> [target] [options]

Commands:
  status                 migration states of an environment (exit 3 when drifted)
  plan                   dry run: pending migrations inside a transaction that is rolled back
  migrate [--to TAG]     apply pending migrations, in one transaction, under a lock; refused
                         while the environment's approvals are missing or a protected one's
                         blocking lint findings unacknowledged (the console's rules), unless
                         --skip-approvals / --accept-lint (each recorded in the audit log)
  rollback [--steps N] [--drafted]
                         run the down files of the last N applied migrations (default 1);
                         --drafted: the down SQL drafted from drizzle-kit's snapshots where a
                         down file is missing (see \`dbdeck down\`), refused when incomplete;
                         each draft needs the environment's approvals (and, protected, its
                         lint acknowledged) unless --skip-approvals / --accept-lint (audited)
  seed [--profile P]     run the project's seed: demo (default) or load (a million rows);
                         a project without seeds gets rows drizzle-seed generates from its
                         drizzle schema (docs/seeds.md); refused on protected environments
  reset --mode data|full empty every table (data) or drop everything and re-apply every
  [--no-seed]            migration (full), then seed (not with --no-seed: the tables stay
                         empty); refused on protected environments,
                         asks for the environment's name to be typed (or --yes); full meets
                         migrate's approval gate for every migration not applied here in this
                         version (or --skip-approvals, recorded in the audit log)
  down [--tag TAG] [--write]
                         the down SQL of a migration (default: the last): its down file, else
                         a draft from drizzle-kit's snapshots, linted, destructive statements
                         marked; an incomplete draft says what it can't reverse (exit 1);
                         --write writes the draft as the down file (never over one); reads
                         only the folder (see \`dbdeck down --help\`)
  upgrade-bookkeeping    a drizzle 1.0 folder over a 0.x bookkeeping table: add name and
                         applied_at and name each row after its folder, as drizzle 1.0's
                         next migrate would, in one transaction under dbdeck's lock; refused,
                         changing nothing, when a row matches no folder (status shows which);
                         recorded as an operation and audited, confirmed on protected ones
  lint [--tag TAG]       check migrations for destructive, breaking and locking statements;
                         needs only the migrations folder, never a database
                         (exit 1 when a finding has severity error)
  lint --pending         only what the target environment would apply (reads its database)
  check [--dry-run]      would migrate go ahead, and is the schema what the migrations say?
                         migrate's own gates (approvals, lint as migrate applies it, fail
                         closed without the control store where migrate is) for what it
                         would apply, bookkeeping drift, and schema drift as \`drift\` computes
                         it; --dry-run also runs the policy's dry run (recorded, audited).
                         exit 0 safe, 3 drift, 5 lint, 4 approvals, 1 failed
  check --rollback-test [--steps N]
                         on drift's scratch database: apply every migration, roll the last N
                         (default 1) back one at a time (down file, else the draft), compare
                         schema and bookkeeping with the replay of the ones before, apply them
                         again and compare with the full replay; the environment is not touched.
                         exit 0 every step round-trips, 6 names the first that doesn't, 1 failed
  drift                  the live schema against the schema its applied migrations produce,
                         replayed into a scratch database (exit 3 when they differ)
                         [--scratch-url URL: a PostgreSQL server to replay on]
  diff --against E2      the schema of --env against E2's: the migrations that explain the
                         differences, those none explains, drizzle-kit's draft SQL
  users add --email E --role admin|lead|qa|support [--name N] [--password-stdin]
                         add a user (the first admin of a fresh installation, too); the
                         password is read from stdin with --password-stdin, else asked
                         for on a terminal (at least 8 characters)
  copy --project P --from E1 --to E2 [--to-project P2] [--tables a,b] [--mask|--no-mask]
                         empty E2's tables and fill them with E1's rows, in one transaction;
                         masked by default from a protected source; never into a protected
                         environment; SQLite/libSQL into PostgreSQL with --to-project
  users list             every user with role and status
  users disable --email E, users enable --email E
                         a disabled user cannot sign in; a session ends on its next request
  users sso-only --email E
                         remove the user's password: their next single sign-on with that
                         (verified) e-mail becomes this account, with the role DBDECK_OIDC_ROLES maps
  users tokens           every API token: role, creator, expiry, last use, status
  worker [--concurrency N]
                         run the console's queued operations (apply, rollback, dry run,
                         seed, reset) in this process until SIGTERM; N at a time (default 2)
  approve --project P --env E [--through TAG] [--reject --comment TEXT]
                         approve (or reject) the pending set in one decision, through the
                         console's API: DBDECK_URL and DBDECK_TOKEN (a lead's API token)
  init [--drizzle-config FILE] [--project NAME]
                         write dbdeck.config.ts beside your drizzle.config.ts (never overwrites)
  serve [--host H] [--port P]
                         serve the built console for a team (needs DBDECK_DATABASE_URL and
                         AUTH_SECRET; see \`dbdeck serve --help\`)

Target, from dbdeck.config.ts:
  --project P --env E    [--config FILE]  (default $DBDECK_CONFIG, else ./dbdeck.config.ts)
Target, ad hoc (no config; for CI pipelines):
  --dialect postgresql|turso --url URL --migrations DIR
                         [--auth-token T] [--migrations-table T] [--migrations-schema S]
Target of lint and down: --project P [--env E] [--config FILE], or --migrations DIR [--dialect D];
                         lint --pending: a whole target as above (config or ad hoc)
Target of users: the console's control store: DBDECK_DATABASE_URL, else the embedded
                         server's dbdeck_control database [--config FILE]

PostgreSQL safety (plan, migrate, rollback, reset; override the environment's settings):
  --lock-timeout D       longest wait for one lock: 5s, 800ms, 2min, or 0 for none
  --statement-timeout D  longest run of one statement (0: none)
  --lock-retries N       times a set rolled back on the lock timeout is tried again

Options:
  --json                 print one JSON document
  --yes                  confirm without asking: migrate/rollback on a protected environment,
                         reset and copy on any
  -h, --help             this help

Exit codes: 0 success, 1 operation failed, 2 usage or configuration error, 3 blocked by drift.`;

/** --config, else DBDECK_CONFIG, else ./dbdeck.config.ts: what the console reads too. */
export function defaultConfigFile(): string {
  return process.env.DBDECK_CONFIG || DEFAULT_CONFIG_FILE;
}

/** A usage error: the message, then the whole help. */
export function usage(message: string): never {
  return commandUsage(message, USAGE);
}

/** A usage error of a command with a help text of its own: the message, then that text. */
export function commandUsage(message: string, help: string): never {
  throw new DbdeckError('usage', `${message}\n\n${help}`);
}

/** Options of a command with a help text of its own: an unknown or malformed option is a usage error showing that text. */
export function parseCommandOptions<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, help: string) {
  try {
    return parseArgs({ args: argv, options }).values;
  } catch (error) {
    return commandUsage(error instanceof Error ? error.message : String(error), help);
  }
}
