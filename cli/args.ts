import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../lib/control/schema';
import { parseDuration } from '../lib/config/apply-safety-config';
import { DEFAULT_CONFIG_FILE } from '../lib/config/load-config-file';
import { DbdeckError, type Dialect, type ResetMode } from '../lib/engine';
import { workerArgs, type WorkerArgs } from './worker';
import { schemaArgs, type SchemaArgs } from './schema-args';

export const COMMANDS = ['status', 'plan', 'migrate', 'rollback', 'seed', 'reset', 'lint', 'upgrade-bookkeeping', 'check'] as const;
export type Command = (typeof COMMANDS)[number];

export type Target =
  | { kind: 'config'; config: string; project: string; env: string }
  | { kind: 'adhoc'; dialect: 'postgresql' | 'sqlite'; /** As typed (`turso`, `pg`, …), for messages. */ dialectGiven: string; url: string; authToken?: string; migrations: string; migrationsTable?: string; migrationsSchema?: string };

/** lint reads only a migrations folder: from a config project, or given directly. */
export type LintTarget = { kind: 'project'; config: string; project: string } | { kind: 'folder'; migrations: string; dialect?: Dialect; dialectGiven?: string };

export interface LintArgs {
  command: 'lint';
  target: LintTarget;
  json: boolean;
  tag?: string;
}

export interface CliArgs {
  command: Exclude<Command, 'lint'>;
  target: Target;
  json: boolean;
  yes: boolean;
  to?: string;
  steps: number;
  profile?: string;
  /** reset only. */
  mode?: ResetMode;
  /** check only: also run the pending statements in a transaction that is rolled back. */
  dryRun: boolean;
  /** --lock-timeout / --statement-timeout / --lock-retries: override the environment's settings. */
  safety: SafetyOverrides;
}

export interface SafetyOverrides {
  lockTimeoutMs?: number | null;
  statementTimeoutMs?: number | null;
  lockRetries?: number;
}

/** `dbdeck users …`: the control store's users, e.g. the first admin of a fresh installation. */
export const USERS_ACTIONS = ['add', 'list', 'disable', 'enable'] as const;

export type UsersArgs = { command: 'users'; config: string; json: boolean } & (
  | { action: 'add'; email: string; role: Role; name?: string; passwordStdin: boolean }
  | { action: 'list' }
  | { action: 'disable' | 'enable'; email: string }
);

const USERS_OPTIONS = ['email', 'name', 'role', 'password-stdin'] as const;

/** `dbdeck copy`: one environment's data into another (another project's, across dialects). */
export interface CopyArgs {
  command: 'copy';
  config: string;
  project: string;
  from: string;
  toProject: string;
  to: string;
  tables?: string[];
  /** undefined: on when the source is protected. */
  mask?: boolean;
  yes: boolean;
  json: boolean;
}

export const USAGE = `Usage: dbdeck <command> [target] [options]

Commands:
  status                 migration states of an environment (exit 3 when drifted)
  plan                   dry run: pending migrations inside a transaction that is rolled back
  migrate [--to TAG]     apply pending migrations, in one transaction, under a lock
  rollback [--steps N]   run the down files of the last N applied migrations (default 1)
  seed [--profile P]     run the project's seed: demo (default) or load (a million rows);
                         refused on protected environments
  reset --mode data|full empty every table (data) or drop everything and re-apply every
                         migration (full), then seed demo; refused on protected environments,
                         asks for the environment's name to be typed (or --yes)
  upgrade-bookkeeping    a drizzle 1.0 folder over a 0.x bookkeeping table: add name and
                         applied_at and name each row after its folder, as drizzle 1.0's
                         next migrate would, in one transaction under dbdeck's lock; refused,
                         changing nothing, when a row matches no folder (status shows which)
  lint [--tag TAG]       check migrations for destructive, breaking and locking statements;
                         needs only the migrations folder, never a database
                         (exit 1 when a finding has severity error)
  check [--dry-run]      is this deploy safe? no drift, no unacknowledged blocking lint
                         finding in what is pending, approvals complete (when the control
                         store is reachable), and what a migrate would apply; --dry-run also
                         runs it in a transaction that is rolled back.
                         exit 0 safe, 3 drift, 5 lint errors, 4 approvals missing, 1 failed
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
  worker [--concurrency N]
                         run the console's queued operations (apply, rollback, dry run,
                         seed, reset) in this process until SIGTERM; N at a time (default 2)
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
Target of lint: --project P [--env E] [--config FILE], or --migrations DIR [--dialect D]
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

export function usage(message: string): never {
  throw new DbdeckError('usage', `${message}\n\n${USAGE}`);
}

export function parseCliArgs(argv: string[]): CliArgs | LintArgs | UsersArgs | SchemaArgs | CopyArgs | WorkerArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        project: { type: 'string' },
        env: { type: 'string' },
        config: { type: 'string' },
        dialect: { type: 'string' },
        url: { type: 'string' },
        'auth-token': { type: 'string' },
        migrations: { type: 'string' },
        'migrations-table': { type: 'string' },
        'migrations-schema': { type: 'string' },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        to: { type: 'string' },
        steps: { type: 'string' },
        profile: { type: 'string' },
        mode: { type: 'string' },
        tag: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        'lock-timeout': { type: 'string' },
        'statement-timeout': { type: 'string' },
        'lock-retries': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        from: { type: 'string' },
        'to-project': { type: 'string' },
        tables: { type: 'string' },
        mask: { type: 'boolean' },
        'no-mask': { type: 'boolean' },
        help: { type: 'boolean', short: 'h', default: false },
        against: { type: 'string' },
        'scratch-url': { type: 'string' },
      },
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [command, ...extra] = positionals;
  if (command === 'users') return usersArgs(values, extra);
  if (command === 'worker') return workerArgs(values, extra, usage);
  if (values.concurrency !== undefined) usage('--concurrency goes with worker');
  if (command === 'drift' || command === 'diff') return schemaArgs(command, values, extra);
  for (const option of ['against', 'scratch-url'] as const) if (values[option] !== undefined) usage(`--${option} goes with drift and diff`);
  if (command === 'copy') return copyArgs(values, extra);
  for (const option of ['from', 'to-project', 'tables', 'mask', 'no-mask'] as const) if (values[option] !== undefined) usage(`--${option} goes with copy`);
  for (const option of USERS_OPTIONS) if (values[option]) usage(`--${option} goes with users`);
  if (!COMMANDS.includes(command as Command)) usage(`unknown command "${command}"`);
  if (extra.length > 0) usage(`unexpected argument "${extra[0]}"`);
  if (command === 'lint') return lintArgs(values);
  if (values.tag !== undefined) usage('--tag goes with lint');

  const target = parseTarget(values);

  let steps = 1;
  if (values.steps !== undefined) {
    if (command !== 'rollback') usage('--steps goes with rollback');
    steps = Number(values.steps);
    if (!/^\d+$/.test(values.steps) || steps < 1) usage(`--steps must be a positive whole number, got "${values.steps}"`);
  }
  if (values.to !== undefined && command !== 'migrate') usage('--to goes with migrate');
  if (values.profile !== undefined && command !== 'seed') usage('--profile goes with seed');
  if ((command === 'seed' || command === 'reset') && target.kind === 'adhoc') usage(`${command} needs a project from the config (--project/--env): the seed module is found there`);
  if (values.mode !== undefined && command !== 'reset') usage('--mode goes with reset');
  let mode: ResetMode | undefined;
  if (command === 'reset') {
    if (values.mode !== 'data' && values.mode !== 'full') usage(values.mode === undefined ? 'reset needs --mode data (empty the tables) or --mode full (drop everything and migrate again)' : `--mode must be data or full, got "${values.mode}"`);
    mode = values.mode;
  }
  const safety = safetyOptions(values);
  if (Object.keys(safety).length > 0 && !['plan', 'migrate', 'rollback', 'reset'].includes(command!)) usage('--lock-timeout, --statement-timeout and --lock-retries go with plan, migrate, rollback and reset');
  if (values['dry-run'] && command !== 'check') usage('--dry-run goes with check (plan is the dry run of its own)');
  return { command: command as CliArgs['command'], target, json: values.json, yes: values.yes, to: values.to, steps, profile: values.profile, mode, dryRun: values['dry-run'], safety };
}

function safetyOptions(values: { 'lock-timeout'?: string; 'statement-timeout'?: string; 'lock-retries'?: string }): SafetyOverrides {
  const duration = (option: 'lock-timeout' | 'statement-timeout') => {
    const text = values[option]!;
    const parsed = parseDuration(/^\d+$/.test(text) ? Number(text) : text);
    if (!parsed.ok) usage(`--${option}: ${parsed.problem}; write 5s, 800ms, 2min, 1h, or 0 for none`);
    return parsed.ms;
  };
  const safety: SafetyOverrides = {};
  if (values['lock-timeout'] !== undefined) safety.lockTimeoutMs = duration('lock-timeout');
  if (values['statement-timeout'] !== undefined) safety.statementTimeoutMs = duration('statement-timeout');
  if (values['lock-retries'] !== undefined) {
    if (!/^\d+$/.test(values['lock-retries']) || Number(values['lock-retries']) > 100) usage(`--lock-retries must be a whole number from 0 to 100, got "${values['lock-retries']}"`);
    safety.lockRetries = Number(values['lock-retries']);
  }
  return safety;
}

interface TargetOptionValues {
  project?: string;
  env?: string;
  config?: string;
  dialect?: string;
  url?: string;
  'auth-token'?: string;
  migrations?: string;
  'migrations-table'?: string;
  'migrations-schema'?: string;
}

/** The database a command works on: an environment of the config, or an ad hoc URL and folder. */
export function parseTarget(values: TargetOptionValues): Target {
  const adhoc = values.url !== undefined || values.dialect !== undefined || values.migrations !== undefined;
  const fromConfig = values.project !== undefined || values.env !== undefined;
  if (adhoc && fromConfig) usage('give either --project/--env or --dialect/--url/--migrations, not both');
  if (adhoc) {
    if (!values.dialect || !values.url || !values.migrations) usage('an ad hoc target needs --dialect, --url and --migrations');
    const dialect = dialectOption(values.dialect);
    return { kind: 'adhoc', dialect, dialectGiven: values.dialect, url: values.url, authToken: values['auth-token'], migrations: values.migrations, migrationsTable: values['migrations-table'], migrationsSchema: values['migrations-schema'] };
  }
  if (!values.project || !values.env) usage('name the target: --project P --env E (or an ad hoc --dialect/--url/--migrations)');
  return { kind: 'config', config: values.config ?? defaultConfigFile(), project: values.project, env: values.env };
}

function dialectOption(value: string): Dialect {
  if (value === 'postgresql' || value === 'pg') return 'postgresql';
  if (value === 'turso' || value === 'sqlite') return 'sqlite';
  usage(`--dialect must be postgresql or turso, got "${value}"`);
}

interface LintOptionValues {
  project?: string;
  config?: string;
  dialect?: string;
  migrations?: string;
  tag?: string;
  json: boolean;
  to?: string;
  steps?: string;
  profile?: string;
  mode?: string;
}

/**
 * lint opens no database, so --env is optional (accepted, so the target of other commands can
 * be reused as is) and so are --url/--auth-token of an ad hoc target.
 */
function lintArgs(values: LintOptionValues): LintArgs {
  for (const option of ['to', 'steps', 'profile', 'mode'] as const) if (values[option] !== undefined) usage(`--${option} does not go with lint`);
  if (values.project !== undefined && values.migrations !== undefined) usage('give lint either --project or --migrations, not both');
  let target: LintTarget;
  if (values.project !== undefined) target = { kind: 'project', config: values.config ?? defaultConfigFile(), project: values.project };
  else if (values.migrations !== undefined) target = { kind: 'folder', migrations: values.migrations, dialect: values.dialect === undefined ? undefined : dialectOption(values.dialect), dialectGiven: values.dialect };
  else usage('name what to lint: --project P, or --migrations DIR');
  return { command: 'lint', target, json: values.json, tag: values.tag };
}

interface UsersOptionValues {
  [option: string]: string | boolean | undefined;
  email?: string;
  name?: string;
  role?: string;
  'password-stdin': boolean;
  config?: string;
  json: boolean;
}

function usersArgs(values: UsersOptionValues, extra: string[]): UsersArgs {
  const [action, ...rest] = extra;
  if (!USERS_ACTIONS.includes(action as (typeof USERS_ACTIONS)[number])) usage(action === undefined ? 'users needs an action: add, list, disable or enable' : `unknown users action "${action}"; actions: add, list, disable, enable`);
  if (rest.length > 0) usage(`unexpected argument "${rest[0]}"`);
  const allowed: Record<(typeof USERS_ACTIONS)[number], string[]> = { add: ['email', 'name', 'role', 'password-stdin'], list: [], disable: ['email'], enable: ['email'] };
  for (const [option, value] of Object.entries(values)) {
    if (value === undefined || value === false || ['json', 'config', 'help'].includes(option)) continue;
    if (!allowed[action as (typeof USERS_ACTIONS)[number]].includes(option)) usage(`--${option} does not go with users ${action}`);
  }
  const common = { command: 'users' as const, config: values.config ?? defaultConfigFile(), json: values.json };
  if (action === 'list') return { ...common, action };
  if (!values.email) usage(`users ${action} needs --email`);
  if (action === 'disable' || action === 'enable') return { ...common, action, email: values.email };
  if (!values.role) usage(`users add needs --role (${ROLES.join(', ')})`);
  if (!ROLES.includes(values.role as Role)) usage(`--role must be one of ${ROLES.join(', ')}, got "${values.role}"`);
  return { ...common, action: 'add', email: values.email, role: values.role as Role, name: values.name, passwordStdin: values['password-stdin'] };
}

function copyArgs(values: Record<string, string | boolean | undefined>, extra: string[]): CopyArgs {
  if (extra.length > 0) usage(`unexpected argument "${extra[0]}"`);
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  for (const option of ['env', 'url', 'dialect', 'migrations', 'steps', 'profile', 'mode', 'tag']) if (values[option] !== undefined) usage(`--${option} does not go with copy: name --project, --from and --to`);
  const project = text('project');
  const from = text('from');
  const to = text('to');
  if (!project || !from || !to) usage('copy needs --project P --from E1 --to E2');
  if (values.mask && values['no-mask']) usage('give --mask or --no-mask, not both');
  const tables = text('tables')?.split(',').map((t) => t.trim()).filter(Boolean);
  if (text('tables') !== undefined && !tables?.length) usage('--tables needs table names, e.g. --tables users,orders');
  const toProject = text('to-project') ?? project;
  if (toProject === project && from === to) usage(`--from and --to name the same environment (${project} / ${from})`);
  return {
    command: 'copy',
    config: text('config') ?? defaultConfigFile(),
    project,
    from,
    toProject,
    to,
    tables,
    mask: values.mask ? true : values['no-mask'] ? false : undefined,
    yes: Boolean(values.yes),
    json: Boolean(values.json),
  };
}
