import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../control/schema';
import { isDemo } from '../control/store-url';
import type { Workspace } from './workspace';

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.dbdeck', name: 'Ada Admin', role: 'admin' },
  { email: 'lead@demo.dbdeck', name: 'Lee Lead', role: 'lead' },
  { email: 'lead2@demo.dbdeck', name: 'Lou Lead', role: 'lead' },
  { email: 'qa@demo.dbdeck', name: 'Quinn QA', role: 'qa' },
  { email: 'support@demo.dbdeck', name: 'Sam Support', role: 'support' },
];

/**
 * AUTH_SECRET signs the session cookies. Outside the demo it must be given; the demo generates
 * one once and keeps it under the data folder, so sessions survive a restart (a config without a data
 * folder gets nothing written: it must be given).
 */
export function authSecret(workspace: Workspace, variables: Record<string, string | undefined>): string {
  if (variables.AUTH_SECRET) return variables.AUTH_SECRET;
  if (!isDemo(variables) || !workspace.dataDir) {
    throw new Error(
      'AUTH_SECRET is not set. It signs session cookies: set it to a long random value, e.g. `openssl rand -base64 33`, the same on every console instance.',
    );
  }
  mkdirSync(workspace.dataDir, { recursive: true });
  const file = path.join(workspace.dataDir, 'auth-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(33).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
