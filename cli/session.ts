import type { EnvironmentConfig, ProjectConfig } from '../lib/config/define-config';
import { applySafetyOf } from '../lib/config/apply-safety-config';
import { NO_SAFETY, type ApplySafety } from '../lib/engine/apply-safety';
import { connect } from '../lib/engine/drivers';
import { assertDatabaseExists } from '../lib/engine/drivers/location';
import { redactUrl } from '../lib/engine/drivers/redact';
import type { Driver } from '../lib/engine/drivers/types';
import type { MigrationSet } from '../lib/engine/journal';
import { readMigrationsAs } from '../lib/engine/read-migrations';
import type { StepResult } from '../lib/engine/steps';
import { bookkeepingTable, type BookkeepingTable } from '../lib/engine/types';
import type { Workspace } from '../lib/runtime/workspace';
import type { OperationRequest } from '../lib/policy/request';
import type { CliArgs, Target } from './args';
import { confirmByName } from './confirm';
import { auditedDataChange } from './data-audit';
import { gateCliRequest } from './gated-run';
import type { HumanOutput } from './output';
import { cliWorkspace } from './workspace';

export interface Session {
  label: string;
  driver: Driver;
  migrations: MigrationSet;
  table: BookkeepingTable;
  protected: boolean;
  /** The environment's lock and statement timeouts (ad hoc targets: none), before --lock-timeout & co. */
  safety: ApplySafety;
  project: ProjectConfig | null;
  /** Config targets: the workspace that opened it (for the audit log) and the environment's name. */
  workspace: Workspace | null;
  environment: string | null;
  /** What the policy needs of the environment (ad hoc targets: unprotected, no approvals). */
  policy: Pick<EnvironmentConfig, 'name' | 'protected' | 'requiredApprovals'>;
  close(): Promise<void>;
}

export type Print = (value: unknown) => void;

/** A command run on one open environment: status, plan, check, migrate, rollback, seed, reset, upgrade-bookkeeping. */
export type SessionCommand = (session: Session, args: CliArgs, out: HumanOutput, print: Print) => Promise<number>;

/** Only migrate may create a missing `file:` or `pglite:` database: for anything else a missing one is a typo. */
export async function openSession(target: Target, out: HumanOutput, create: boolean): Promise<Session> {
  if (target.kind === 'adhoc') {
    const migrations = readMigrationsAs(target.migrations, target.dialect, `--dialect ${target.dialectGiven}`);
    if (!create) assertDatabaseExists(target.url);
    // A command's first request checks that a libSQL server answers: no `select 1` of its own.
    const driver = await connect({ url: target.url, authToken: target.authToken, probe: 'with-first-request' });
    return {
      label: redactUrl(target.url),
      driver,
      migrations,
      table: bookkeepingTable({ schema: target.migrationsSchema, table: target.migrationsTable }),
      protected: false,
      safety: NO_SAFETY,
      project: null,
      workspace: null,
      environment: null,
      policy: { name: 'ad hoc', protected: false, requiredApprovals: 0 },
      close: () => driver.close(),
    };
  }
  const workspace = await cliWorkspace(target.config, (message) => out.warn(message));
  try {
    const open = await workspace.open(target.project, target.env, { create, probe: 'with-first-request' });
    const label = `${open.project.name} / ${open.environment.name}`;
    return {
      label,
      driver: open.driver,
      migrations: open.migrations,
      table: open.table,
      protected: open.environment.protected,
      safety: applySafetyOf(open.environment),
      project: open.project,
      workspace,
      environment: open.environment.name,
      policy: open.environment,
      close: async () => {
        await open.driver.close();
        await workspace.close();
      },
    };
  } catch (error) {
    await workspace.close();
    throw error;
  }
}

/** Opens the command's environment, runs it, closes it; a seed or reset that cannot open its environment is audited all the same. */
export async function runOnSession(command: SessionCommand, args: CliArgs, out: HumanOutput, print: Print): Promise<number> {
  let session: Session;
  try {
    session = await openSession(args.target, out, args.command === 'migrate');
  } catch (error) {
    if ((args.command === 'seed' || args.command === 'reset') && args.target.kind === 'config') await auditUnopened(args, args.target, error, out);
    throw error;
  }
  try {
    return await command(session, args, out, print);
  } finally {
    await session.close();
  }
}

/** The policy's gates for this run (cli/gated-run.ts), confirming on the terminal as migrate, rollback and reset always did. */
export function gate(session: Session, args: CliArgs, request: OperationRequest, out: HumanOutput, options: { store: boolean }) {
  const why =
    request.kind === 'reset'
      ? args.mode === 'data'
        ? `reset data deletes every row of ${session.label}`
        : `reset full drops everything in ${session.label}`
      : `${session.label} is protected`;
  return gateCliRequest(session, request, {
    store: options.store,
    overrides: { skipApprovals: args.skipApprovals, acceptLint: args.acceptLint },
    confirm: () => confirmByName({ name: session.label.split(' / ').at(-1)!, where: session.label, why, verb: args.command, yes: args.yes, json: args.json }),
    warn: (text) => out.warn(text),
  });
}

/** A migrate's or rollback's steps: as JSON under `key` (tag, time, statement count, withheld transaction control), or as lines. */
export function reportSteps(to: HumanOutput | ((value: unknown) => void), key: 'applied' | 'rolledBack', steps: StepResult[], durationMs: number): void {
  if (typeof to === 'function')
    to({
      [key]: steps.map((s) => ({ tag: s.tag, durationMs: s.durationMs, statements: s.statements.length, ...(s.withheld ? { withheld: s.withheld } : {}) })),
      durationMs,
    });
  else to.steps(key === 'applied' ? 'apply' : 'roll back', steps, durationMs);
}

/** The request the console would send for this command, naming the target as the policy and the log do. */
export function requestOf(session: Session, args: CliArgs): OperationRequest {
  const scope = { project: session.project?.name ?? session.label, environment: session.policy.name };
  switch (args.command) {
    case 'migrate':
      return { kind: 'apply', ...scope, to: args.to };
    case 'plan':
      return { kind: 'plan', ...scope };
    case 'rollback':
      return { kind: 'rollback', ...scope, steps: args.steps, drafted: args.drafted };
    case 'seed':
      return { kind: 'seed', ...scope, profile: args.profile ?? 'demo' };
    case 'upgrade-bookkeeping':
      return { kind: 'upgrade-bookkeeping', ...scope };
    default:
      return { kind: 'reset', ...scope, mode: args.mode! };
  }
}

/** Seed and reset, recorded in the audit log when it can be reached. */
export function audited<T>(
  session: Session,
  action: 'data.seed' | 'data.reset',
  out: HumanOutput,
  details: (value: T | null) => Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T> {
  if (!session.workspace) return run();
  return auditedDataChange({ workspace: session.workspace, project: session.project!.name, environment: session.environment!, action }, details, run, (text) =>
    out.warn(text),
  );
}

/** A seed or reset that cannot even open its environment is still an attempt, and the audit log records it. */
async function auditUnopened(args: CliArgs, target: Extract<Target, { kind: 'config' }>, error: unknown, out: HumanOutput): Promise<void> {
  const workspace = await cliWorkspace(target.config, (message) => out.warn(message)).catch(() => null);
  if (!workspace) return;
  const action = args.command === 'seed' ? 'data.seed' : 'data.reset';
  const details = () => (args.command === 'seed' ? { profile: args.profile ?? 'demo' } : { mode: args.mode });
  try {
    await auditedDataChange(
      { workspace, project: target.project, environment: target.env, action },
      details,
      () => Promise.reject(error),
      (text) => out.warn(text),
    ).catch(() => {});
  } finally {
    await workspace.close();
  }
}

/** The environment's lock and statement timeouts, overridden by --lock-timeout & co. */
export function safetyOf(session: Session, args: CliArgs): ApplySafety {
  return { ...session.safety, ...args.safety };
}
