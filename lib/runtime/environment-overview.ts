import type { ProjectConfig, EnvironmentConfig } from '../config/define-config';
import { redactUrlsIn } from '../engine/drivers/redact';
import { readEnvironmentStatus } from '../engine/environment-status';
import { messageOf } from '../engine/errors';
import type { MigrationFormat } from '../engine/journal';
import { readMigrations } from '../engine/read-migrations';
import type { MigrationStatusReport, StatusCounts } from '../engine/status-report';
import type { MigrationState } from '../engine/types';
import { projectDialect, type OpenEnvironment, type Workspace } from './workspace';

export const DEFAULT_OVERVIEW_TIMEOUT_MS = 5_000;

export interface EnvironmentCounts extends StatusCounts {
  /**
   * Bookkeeping drift: the status's drift findings (modified, skipped, missing-file, orphan, a 0.x
   * table under a 1.0 folder), what blocks migrate and what the environment page's Drift section
   * counts. Unlisted files are not drift (drizzle never runs them); schema drift is counted apart.
   */
  drift: number;
}

export interface EnvironmentOverview {
  name: string;
  protected: boolean;
  requiredApprovals: number;
  reachable: boolean;
  serverVersion: string | null;
  latencyMs: number | null;
  /** Why the environment could not be read; never holds credentials. */
  error: string | null;
  counts: EnvironmentCounts | null;
  /** State of every journal entry by tag, for the migrations × environments matrix. */
  states: Record<string, MigrationState> | null;
}

/** Driver and config errors may quote a connection string: strip credentials from every URL in the text. */
function safeMessage(error: unknown): string {
  return redactUrlsIn(messageOf(error));
}

/** The one definition of an environment's drift count, for the overview and the environment page alike. */
export function driftCount(status: Pick<MigrationStatusReport, 'drift'>): number {
  return status.drift.length;
}

/** One environment's row of the overview, under its own deadline. */
export async function readEnvironmentOverview(
  workspace: Workspace,
  project: ProjectConfig,
  environment: EnvironmentConfig,
  timeoutMs = DEFAULT_OVERVIEW_TIMEOUT_MS,
  options: { shared?: boolean } = {},
): Promise<EnvironmentOverview> {
  const described = { name: environment.name, protected: environment.protected, requiredApprovals: environment.requiredApprovals };
  const unreachable = (error: string): EnvironmentOverview => ({
    ...described,
    reachable: false,
    serverVersion: null,
    latencyMs: null,
    error,
    counts: null,
    states: null,
  });

  let opened: OpenEnvironment | undefined;
  let timedOut = false;
  const read = (async (): Promise<EnvironmentOverview> => {
    const open = await workspace.open(project.name, environment.name, { shared: options.shared });
    opened = open;
    try {
      // Opened after the deadline: nobody waits for the answer any more.
      if (timedOut) return unreachable('timed out');
      const status = await readEnvironmentStatus(open.driver, open.migrations, open.table);
      if (!status.reachable || !status.status) return unreachable(safeMessage(status.error ?? 'unreachable'));
      return {
        ...described,
        reachable: true,
        serverVersion: status.serverVersion,
        latencyMs: status.latencyMs,
        error: null,
        counts: { ...status.status.counts, drift: driftCount(status.status) },
        states: Object.fromEntries(status.status.migrations.map((m) => [m.tag, m.state])),
      };
    } finally {
      await open.release().catch(() => {});
    }
  })();

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<EnvironmentOverview>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      // Closing the driver ends a query that hangs (a shared one too: its server hangs for
      // everyone); one that is still connecting stops on its own.
      void opened?.discard().catch(() => {});
      resolve(unreachable(`no answer within ${timeoutMs / 1000} s: check that the database is running and reachable from this machine`));
    }, timeoutMs);
  });

  try {
    return await Promise.race([read.catch((error: unknown) => unreachable(safeMessage(error))), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function countMigrations(project: ProjectConfig): { migrationsCount: number | null; format: MigrationFormat | null; journalError: string | null } {
  try {
    const set = readMigrations(project.migrations, { dialect: projectDialect(project) });
    return { migrationsCount: set.migrations.length, format: set.format, journalError: null };
  } catch (error) {
    return { migrationsCount: null, format: null, journalError: safeMessage(error) };
  }
}
