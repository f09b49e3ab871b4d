import type { ControlStore } from '../lib/control/store';
import { redactUrlsIn } from '../lib/engine/drivers/redact';
import { messageOf } from '../lib/engine/errors';
import type { ControlAccess } from '../lib/policy/gates';
import { controlStoreUrl, isDemo, reachableControlStoreUrl } from '../lib/control/store-url';
import type { Workspace } from '../lib/runtime/workspace';
import { PACKAGE_ROOT } from './package-root';

export interface CliControl {
  access: ControlAccess;
  store: ControlStore | null;
  close(): Promise<void>;
}

export const NO_CONTROL = (reason: string): CliControl => ({ access: { unreachable: reason }, store: null, close: async () => {} });

/**
 * The control store for one CLI run: DBDECK_DATABASE_URL, or the embedded server's. The demo's
 * embedded server is started for the run only when the operation is gated (approvals required, or
 * a protected environment): a migrate of a libSQL file does not start PostgreSQL just to be
 * recorded, but a gate is never skipped because the demo's store happened to be stopped. Never
 * throws: a store that cannot be reached is a value (the policy fails closed on it).
 */
export async function openCliControl(workspace: Workspace, variables: Record<string, string | undefined>, options: { start: boolean }): Promise<CliControl> {
  let url: string | null;
  try {
    url = await reachableControlStoreUrl(workspace, variables);
    if (!url && isDemo(variables) && workspace.config.embedded && options.start) url = await controlStoreUrl(workspace, variables);
    if (!url)
      return NO_CONTROL(
        workspace.config.embedded
          ? 'DBDECK_DATABASE_URL is unset and the embedded server is not running'
          : `DBDECK_DATABASE_URL is unset (and ${workspace.config.file} does not use the embedded default)`,
      );
    // postgres.js, drizzle-orm and graphile-worker load only for a run that has a store to record in.
    const { migrateControlStore, openControlStore } = await import('../lib/control/store');
    await migrateControlStore(url, PACKAGE_ROOT);
    // One connection holds the operation's advisory lock while the others record.
    const store = openControlStore(url, { max: 3 });
    return { access: { db: store.db }, store, close: () => store.close() };
  } catch (error) {
    return NO_CONTROL(
      `the control store ${isDemo(variables) ? '(the embedded server) ' : '(DBDECK_DATABASE_URL) '}cannot be reached: ${redactUrlsIn(messageOf(error))}`,
    );
  }
}
