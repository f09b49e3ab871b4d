import { inspect } from 'node:util';
import path from 'node:path';
import { vi } from 'vitest';
import type { Principal } from '../../lib/auth/current-user';
import { freePort } from '../../lib/embedded/embedded-postgres';
import { migrateControlStore } from '../../lib/control/store';
import { createUser } from '../../lib/control/users';
import { loadConsoleConfig } from '../../lib/runtime/console-workspace';
import { getControlStore } from '../../lib/runtime/console-control-store';
import { freshPostgres, tempDir } from './databases';

const root = path.resolve(import.meta.dirname, '../..');

export interface ConsoleEnv {
  /** The console's control store URL (audit rows, operations). */
  controlUrl: string;
  /** A lead, signed in as far as the guard is concerned. */
  lead: Principal;
  /** Every line the console logged (console.* is captured, not printed). */
  logged: string[];
  /** Puts process.env back, stops capturing and drops the control store. */
  close(): Promise<void>;
}

/**
 * The console's server side inside a test process: its own control store, `variables` added to
 * process.env (the environments' URLs), the config loaded as instrumentation.ts loads it at start,
 * a lead to act as, and the console's log lines captured.
 */
export async function startConsoleEnv(variables: Record<string, string>): Promise<ConsoleEnv> {
  const saved = { ...process.env };
  const control = await freshPostgres();
  await migrateControlStore(control.url, root);
  Object.assign(process.env, {
    DBDECK_DATABASE_URL: control.url,
    DBDECK_DATA_DIR: tempDir('dbdeck-data-'),
    DBDECK_EMBEDDED_PORT: String(await freePort()),
    ...variables,
  });
  await loadConsoleConfig();
  const user = await createUser((await getControlStore()).db, { email: 'lead@x.io', name: 'Lead', role: 'lead', password: 'pw' });
  const logged: string[] = [];
  for (const level of ['error', 'warn', 'log', 'info'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => inspect(a, { depth: 10 })).join(' ')));
  }
  return {
    controlUrl: control.url,
    lead: { kind: 'user', userId: user.id, actor: 'lead@x.io', name: 'Lead', role: 'lead' },
    logged,
    async close() {
      vi.restoreAllMocks();
      await (await getControlStore().catch(() => null))?.close();
      // The console's workspace keeps a reference to process.env itself: restore it in place.
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await control.cleanup();
    },
  };
}
