import { isDbdeckError, messageOf } from '../lib/engine/errors';
import { reachableControlStoreUrl } from '../lib/control/store-url';
import type { Workspace } from '../lib/runtime/workspace';
import { cliActor } from './actor';
import { PACKAGE_ROOT } from './package-root';

export interface DataChange {
  workspace: Workspace;
  project: string;
  environment: string;
  action: 'data.seed' | 'data.reset' | 'data.copy';
}

/**
 * Runs a seed, reset or copy from the command line and appends its outcome to the console's audit log
 * (actor `cli:<os user>`), as the console does for its own. Recording is best effort: the change
 * has happened either way, so a store that cannot be written gets a warning, not a failure.
 */
export async function auditedDataChange<T>(
  change: DataChange,
  details: (value: T | null) => Record<string, unknown>,
  run: () => Promise<T>,
  warn: (text: string) => void,
): Promise<T> {
  const started = performance.now();
  let value: T | null = null;
  let outcome: { result: 'ok' | 'denied' | 'failed'; error: string | null } = { result: 'ok', error: null };
  try {
    value = await run();
    return value;
  } catch (error) {
    // Refused (protected, marked, not confirmed) and malformed requests are denied attempts.
    outcome = { result: isDbdeckError(error, 'refused') || isDbdeckError(error, 'usage') ? 'denied' : 'failed', error: messageOf(error) };
    throw error;
  } finally {
    const durationMs = performance.now() - started;
    try {
      const url = await reachableControlStoreUrl(change.workspace, process.env);
      if (url) {
        const [{ recordAudit }, { migrateControlStore, openControlStore }] = await Promise.all([
          import('../lib/control/audit'),
          import('../lib/control/store'),
        ]);
        await migrateControlStore(url, PACKAGE_ROOT);
        const store = openControlStore(url, { max: 1 });
        try {
          await recordAudit(store.db, {
            actor: cliActor(),
            action: change.action,
            project: change.project,
            environment: change.environment,
            durationMs,
            ...outcome,
            details: details(value),
          });
        } finally {
          await store.close();
        }
      }
    } catch (error) {
      warn(`${change.action} on ${change.project} / ${change.environment} was not recorded in the audit log: ${messageOf(error)}`);
    }
  }
}
