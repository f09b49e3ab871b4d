import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../lib/roles';
import { parseDuration } from '../lib/config/apply-safety-config';
import type { ResetMode } from '../lib/engine/reset-types';
import type { Dialect } from '../lib/engine/types';
import { workerArgs, type WorkerArgs } from './worker-args';
import { schemaArgs, type SchemaArgs } from './schema-args';
import { dialectOption, parseTarget, type Target, type TargetOptionValues } from './target-args';
import { defaultConfigFile, usage } from './usage';

export { USAGE } from './usage';
export type { Target } from './target-args';

export const COMMANDS = ['status', 'plan', 'migrate', 'rollback', 'seed', 'reset', 'lint', 'upgrade-bookkeeping', 'check'] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * lint reads a migrations folder: from a config project, or given directly; with --pending, only
 * what an environment (of the config, or ad hoc) would apply, which needs its database.
 */
export type LintTarget =
  | { kind: 'project'; config: string; project: string }
  | { kind: 'folder'; migrations: string; dialect?: Dialect; dialectGiven?: string }
  | { kind: 'pending'; target: Target };

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
  /** reset only: leave the tables empty instead of seeding them. */
  noSeed: boolean;
  /** check only: also run the pending statements in a transaction that is rolled back. */
  dryRun: boolean;
  /** --lock-timeout / --statement-timeout / --lock-retries: override the environment's settings. */
  safety: SafetyOverrides;
  /** migrate: apply although approvals are missing or cannot be checked (audited as such). */
  skipApprovals: boolean;
  /** migrate: apply although blocking lint findings are not acknowledged (audited as such). */
  acceptLint: boolean;
  /** rollback: run the drafted down SQL of steps without a down file. */
  drafted: boolean;
  /** check: roll the last --steps back and apply them again on a scratch database (cli/rollback-test.ts). */
  rollbackTest: boolean;
}

export interface SafetyOverrides {
  lockTimeoutMs?: number | null;
  statementTimeoutMs?: number | null;
  lockRetries?: number;
}

/** `dbdeck users …`: the control store's users, e.g. the first admin of a fresh installation. */
export const USERS_ACTIONS = ['add', 'list', 'disable', 'enable', 'sso-only', 'tokens'] as const;

export type UsersArgs = { command: 'users'; config: string; json: boolean } & (
  | { action: 'add'; email: string; role: Role; name?: string; passwordStdin: boolean }
  | { action: 'list' | 'tokens' }
  | { action: 'disable' | 'enable' | 'sso-only'; email: string }
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
        'no-seed': { type: 'boolean', default: false },
        tag: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        'lock-timeout': { type: 'string' },
        'statement-timeout': { type: 'string' },
        'lock-retries': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-approvals': { type: 'boolean', default: false },
        'accept-lint': { type: 'boolean', default: false },
        drafted: { type: 'boolean', default: false },
        'rollback-test': { type: 'boolean', default: false },
        pending: { type: 'boolean', default: false },
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
  if (values.pending) usage('--pending goes with lint');

  const target = parseTarget(values);

  let steps = 1;
  if (values.steps !== undefined) {
    if (command !== 'rollback' && !(command === 'check' && values['rollback-test'])) usage('--steps goes with rollback and check --rollback-test');
    steps = Number(values.steps);
    if (!/^\d+$/.test(values.steps) || steps < 1) usage(`--steps must be a positive whole number, got "${values.steps}"`);
  }
  if (values.to !== undefined && command !== 'migrate') usage('--to goes with migrate');
  if (values.profile !== undefined && command !== 'seed') usage('--profile goes with seed');
  if ((command === 'seed' || command === 'reset') && target.kind === 'adhoc')
    usage(`${command} needs a project from the config (--project/--env): the seed module is found there`);
  if (values.mode !== undefined && command !== 'reset') usage('--mode goes with reset');
  let mode: ResetMode | undefined;
  if (command === 'reset') {
    if (values.mode !== 'data' && values.mode !== 'full')
      usage(
        values.mode === undefined
          ? 'reset needs --mode data (empty the tables) or --mode full (drop everything and migrate again)'
          : `--mode must be data or full, got "${values.mode}"`,
      );
    mode = values.mode;
  }
  if (values['no-seed'] && command !== 'reset') usage('--no-seed goes with reset');
  const safety = safetyOptions(values);
  if (Object.keys(safety).length > 0 && !['plan', 'migrate', 'rollback', 'reset'].includes(command!))
    usage('--lock-timeout, --statement-timeout and --lock-retries go with plan, migrate, rollback and reset');
  if (values['dry-run'] && command !== 'check') usage('--dry-run goes with check (plan is the dry run of its own)');
  // A drafted rollback's drafts meet Apply's gates: the same overrides, audited the same way.
  const draftedRollback = command === 'rollback' && values.drafted;
  if (values['accept-lint'] && command !== 'migrate' && !draftedRollback) usage('--accept-lint goes with migrate and rollback --drafted');
  // A full reset re-applies migrations within Apply's approval gates: the same override, audited the same way.
  if (values['skip-approvals'] && command !== 'migrate' && !(command === 'reset' && mode === 'full') && !draftedRollback)
    usage('--skip-approvals goes with migrate, rollback --drafted and reset --mode full');
  if (values.drafted && command !== 'rollback') usage('--drafted goes with rollback');
  if (values['rollback-test'] && command !== 'check') usage('--rollback-test goes with check');
  if (values['rollback-test'] && values['dry-run']) usage('--rollback-test and --dry-run are two different checks: run them one at a time');
  return {
    command: command as CliArgs['command'],
    target,
    json: values.json,
    yes: values.yes,
    to: values.to,
    steps,
    profile: values.profile,
    mode,
    noSeed: values['no-seed'],
    dryRun: values['dry-run'],
    safety,
    skipApprovals: values['skip-approvals'],
    acceptLint: values['accept-lint'],
    drafted: values.drafted,
    rollbackTest: values['rollback-test'],
  };
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
    if (!/^\d+$/.test(values['lock-retries']) || Number(values['lock-retries']) > 100)
      usage(`--lock-retries must be a whole number from 0 to 100, got "${values['lock-retries']}"`);
    safety.lockRetries = Number(values['lock-retries']);
  }
  return safety;
}

interface LintOptionValues extends TargetOptionValues {
  pending: boolean;
  tag?: string;
  json: boolean;
  to?: string;
  steps?: string;
  profile?: string;
  mode?: string;
}

/**
 * lint opens no database, so --env is optional (accepted, so the target of other commands can
 * be reused as is) and so are --url/--auth-token of an ad hoc target. --pending opens the
 * target's database to read what it would apply: then the target is a whole one, as for status.
 */
function lintArgs(values: LintOptionValues): LintArgs {
  for (const option of ['to', 'steps', 'profile', 'mode'] as const) if (values[option] !== undefined) usage(`--${option} does not go with lint`);
  if (values.pending) {
    if (values.tag !== undefined) usage('give lint either --pending or --tag, not both');
    return { command: 'lint', target: { kind: 'pending', target: parseTarget(values) }, json: values.json };
  }
  if (values.project !== undefined && values.migrations !== undefined) usage('give lint either --project or --migrations, not both');
  let target: LintTarget;
  if (values.project !== undefined) target = { kind: 'project', config: values.config ?? defaultConfigFile(), project: values.project };
  else if (values.migrations !== undefined)
    target = {
      kind: 'folder',
      migrations: values.migrations,
      dialect: values.dialect === undefined ? undefined : dialectOption(values.dialect),
      dialectGiven: values.dialect,
    };
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
  if (!USERS_ACTIONS.includes(action as (typeof USERS_ACTIONS)[number]))
    usage(
      action === undefined
        ? 'users needs an action: add, list, disable, enable, sso-only or tokens'
        : `unknown users action "${action}"; actions: add, list, disable, enable, sso-only, tokens`,
    );
  if (rest.length > 0) usage(`unexpected argument "${rest[0]}"`);
  const allowed: Record<(typeof USERS_ACTIONS)[number], string[]> = {
    add: ['email', 'name', 'role', 'password-stdin'],
    list: [],
    disable: ['email'],
    enable: ['email'],
    'sso-only': ['email'],
    tokens: [],
  };
  for (const [option, value] of Object.entries(values)) {
    if (value === undefined || value === false || ['json', 'config', 'help'].includes(option)) continue;
    if (!allowed[action as (typeof USERS_ACTIONS)[number]].includes(option)) usage(`--${option} does not go with users ${action}`);
  }
  const common = { command: 'users' as const, config: values.config ?? defaultConfigFile(), json: values.json };
  if (action === 'list' || action === 'tokens') return { ...common, action };
  if (!values.email) usage(`users ${action} needs --email`);
  if (action === 'disable' || action === 'enable' || action === 'sso-only') return { ...common, action, email: values.email };
  if (!values.role) usage(`users add needs --role (${ROLES.join(', ')})`);
  if (!ROLES.includes(values.role as Role)) usage(`--role must be one of ${ROLES.join(', ')}, got "${values.role}"`);
  return { ...common, action: 'add', email: values.email, role: values.role as Role, name: values.name, passwordStdin: values['password-stdin'] };
}

function copyArgs(values: Record<string, string | boolean | undefined>, extra: string[]): CopyArgs {
  if (extra.length > 0) usage(`unexpected argument "${extra[0]}"`);
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  for (const option of ['env', 'url', 'dialect', 'migrations', 'steps', 'profile', 'mode', 'tag'])
    if (values[option] !== undefined) usage(`--${option} does not go with copy: name --project, --from and --to`);
  const project = text('project');
  const from = text('from');
  const to = text('to');
  if (!project || !from || !to) usage('copy needs --project P --from E1 --to E2');
  if (values.mask && values['no-mask']) usage('give --mask or --no-mask, not both');
  const tables = text('tables')
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
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
