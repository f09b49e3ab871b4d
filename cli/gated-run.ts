import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../lib/control/audit';
import type { ControlDb } from '../lib/control/store';
import type { EnvironmentConfig, ProjectConfig } from '../lib/config/define-config';
import { lintSettingsOf } from '../lib/config/lint-config';
import type { Driver } from '../lib/engine/drivers/types';
import { messageOf } from '../lib/engine/errors';
import type { MigrationSet } from '../lib/engine/journal';
import type { LintSettings } from '../lib/engine/lint';
import { readMigrationStatus } from '../lib/engine/migrate';
import type { MigrationStatusReport } from '../lib/engine/status-report';
import type { BookkeepingTable, Dialect } from '../lib/engine/types';
import { requestAuditEntries, type Requester } from '../lib/policy/audit-entries';
import { checkOperation, type PolicyDecision } from '../lib/policy/check-operation';
import { confirmationReason } from '../lib/policy/confirmation';
import type { GateOverrides } from '../lib/policy/gates';
import { assertNotMarked, assertNotProtected } from '../lib/policy/protection-refusals';
import { REQUEST_ACTIONS, type OperationRequest } from '../lib/policy/request';
import type { Workspace } from '../lib/runtime/workspace';
import { NO_CONTROL, openCliControl, type CliControl } from './control-access';
import { cliActor } from './actor';

/** The CLI's names for the console's overrides, quoted in refusals. */
export const CLI_HINTS = { skipApprovals: '--skip-approvals', acceptLint: '--accept-lint' };

export interface CliPolicyTarget {
  environment: Pick<EnvironmentConfig, 'name' | 'protected' | 'requiredApprovals'>;
  dialect: Dialect;
  lintSettings?: LintSettings;
  migrations: MigrationSet;
  status: MigrationStatusReport | null;
}

export const cliRequester = (): Requester => ({ userId: null, actor: cliActor(), role: null });

/**
 * The console's policy (lib/policy) for a command-line request, after the terminal confirmation
 * (so `confirm` carries the name): refusals are recorded in the audit log as denied attempts when
 * the store can be reached, passes as `ok` with any override used. `warn` says what could not be
 * recorded or checked.
 */
export async function checkCliRequest(
  request: OperationRequest,
  target: CliPolicyTarget,
  control: CliControl,
  overrides: GateOverrides,
  warn: (text: string) => void,
  /** Seed and reset record their request's event themselves, with its outcome (cli/data-audit.ts): only overrides here. */
  outcomeAudited = false,
): Promise<PolicyDecision> {
  const started = performance.now();
  const store = control.store?.db ?? null;
  const db = store && {
    entries: (entries: AuditEntry[]) => (outcomeAudited ? entries.filter((e) => e.action !== REQUEST_ACTIONS[request.kind]) : entries),
    store,
  };
  const where = `${request.project} / ${request.environment}`;
  let decision: PolicyDecision;
  try {
    decision = await checkOperation(request, target, {
      control: control.access,
      applierId: null,
      overrides,
      hints: CLI_HINTS,
      nothingPending: 'allow',
      verbs: { apply: 'migrate', plan: 'plan' },
    });
  } catch (error) {
    if (db)
      await record(
        db.store,
        db.entries(requestAuditEntries(cliRequester(), request, { error, durationMs: performance.now() - started }, { via: 'cli' })),
        warn,
        where,
      );
    throw error;
  }
  if (db)
    await record(
      db.store,
      db.entries(requestAuditEntries(cliRequester(), request, { decision, durationMs: performance.now() - started }, { via: 'cli' })),
      warn,
      where,
    );
  else if ('unreachable' in control.access) {
    const skipped = decision.skippedApprovals.length > 0 || decision.acceptedLint.length > 0;
    warn(
      `${request.kind === 'apply' ? 'migrate' : request.kind} on ${where} is not recorded in the control store${skipped ? ', and the overrides used are recorded nowhere' : ''}: ${control.access.unreachable}`,
    );
  }
  return decision;
}

/** What the gate needs of the CLI's open target. */
export interface GateSession {
  label: string;
  driver: Driver;
  migrations: MigrationSet;
  table: BookkeepingTable;
  policy: CliPolicyTarget['environment'];
  /** Config targets only: where the control store is found. */
  workspace: Workspace | null;
  /** Config targets only: the project, whose lint settings the gates apply. */
  project: { lint?: ProjectConfig['lint'] } | null;
}

/**
 * The console's policy for one CLI run: protection (configuration, then the database's marker)
 * before anything is asked, confirmation on the terminal (`confirm` prompts or takes --yes), the
 * migration states, then checkOperation with the control store when `store` asks for one (see
 * openCliControl for when the demo's is started). The returned store records the run; the caller
 * closes it. The status read is returned too: the engine starts from it rather than reading it again.
 */
export async function gateCliRequest(
  session: GateSession,
  request: OperationRequest,
  options: { store: boolean; overrides: GateOverrides; confirm: () => Promise<void>; warn: (text: string) => void },
): Promise<{ decision: PolicyDecision; control: CliControl; status: MigrationStatusReport | null }> {
  const where = { project: request.project, environment: session.policy.name, protected: session.policy.protected };
  assertNotProtected(request.kind, where);
  await assertNotMarked(request.kind, session.driver);
  if (confirmationReason(request.kind, where)) {
    await options.confirm();
    Object.assign(request, { confirm: session.policy.name });
  }
  const fullReset = request.kind === 'reset' && request.mode === 'full';
  const status = request.kind === 'reset' && !fullReset ? null : await readMigrationStatus(session.driver, session.migrations, session.table);
  // The demo's store is started only to check approvals that are not skipped. (Without a store a
  // protected environment's blocking lint findings cannot be seen acknowledged: refused unless --accept-lint.)
  // (A drafted rollback's drafts need approvals like migrations: rollback.drafted below.)
  const gated = request.kind === 'apply' || fullReset || (request.kind === 'rollback' && request.drafted === true);
  const start = gated && session.policy.requiredApprovals > 0 && !options.overrides.skipApprovals;
  let control = NO_CONTROL('not needed');
  if (!session.workspace) control = NO_CONTROL('an ad hoc target (--url) is no environment of the control store');
  else if (options.store) control = await openCliControl(session.workspace, process.env, { start });
  try {
    const target = {
      environment: session.policy,
      dialect: session.migrations.dialect,
      lintSettings: lintSettingsOf(session.project),
      migrations: session.migrations,
      status,
    };
    const warn = session.workspace && options.store ? options.warn : () => {};
    const outcomeAudited = request.kind === 'seed' || request.kind === 'reset';
    return { decision: await checkCliRequest(request, target, control, options.overrides, warn, outcomeAudited), control, status };
  } catch (error) {
    await control.close();
    throw error;
  }
}

async function record(db: ControlDb, entries: AuditEntry[], warn: (text: string) => void, where: string): Promise<void> {
  if (entries.length === 0) return;
  try {
    const { recordAudit } = await import('../lib/control/audit');
    for (const entry of entries) await recordAudit(db, entry);
  } catch (error) {
    warn(`${entries[0]!.action} on ${where} was not recorded in the audit log: ${messageOf(error)}`);
  }
}

export interface RunOutcome<T> {
  value: T;
  ok: boolean;
  /** What the console's operation record keeps (steps and durations, as its runner writes them). */
  result: unknown;
  error?: string;
}

/**
 * Runs a migrate, rollback or plan as an operation of the control store when it can be reached —
 * recorded as running under its advisory lock (a killed CLI shows as abandoned, as a killed worker
 * does), then succeeded or failed, with the outcome's audit event — so that the console lists it
 * and shows "applied by cli:<user>". Another operation running on the environment refuses it.
 */
export async function runRecorded<T>(
  control: CliControl,
  request: OperationRequest,
  migrations: string[],
  run: () => Promise<RunOutcome<T>>,
  /** For work that runs no migration (the bookkeeping upgrade): recorded all the same. */
  options: { evenWithoutMigrations?: boolean } = {},
): Promise<T> {
  const db = control.store?.db;
  // Nothing to do (a pipeline's migrate on an up-to-date database) is in the audit log already, not an operation.
  if (!db || (migrations.length === 0 && !options.evenWithoutMigrations)) return (await run()).value;
  const [{ operationOutcomeEntry, recordAudit }, { finishOperation, OPERATION_LOCK_SPACE, startRecordedOperation }] = await Promise.all([
    import('../lib/control/audit'),
    import('../lib/control/operations'),
  ]);
  const id = randomUUID();
  const connection = await db.$client.reserve();
  try {
    await connection`select pg_advisory_lock(${OPERATION_LOCK_SPACE}, hashtext(${id}))`;
    try {
      const operation = await startRecordedOperation(db, {
        id,
        kind: request.kind,
        project: request.project,
        environment: request.environment,
        userId: null,
        actor: cliActor(),
        role: null,
        params: { ...request, via: 'cli' },
        migrations,
      });
      const started = performance.now();
      let outcome: { ok: boolean; result?: unknown; error?: string };
      try {
        const done = await run();
        outcome = { ok: done.ok, result: done.result, error: done.error };
        return done.value;
      } catch (error) {
        outcome = { ok: false, error: messageOf(error) };
        throw error;
      } finally {
        await finishOperation(db, id, outcome!);
        await recordAudit(db, operationOutcomeEntry(operation, outcome!, performance.now() - started, { runBy: 'cli' }));
      }
    } finally {
      await connection`select pg_advisory_unlock(${OPERATION_LOCK_SPACE}, hashtext(${id}))`;
    }
  } finally {
    connection.release();
  }
}
