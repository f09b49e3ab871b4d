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

/** Below this, a captured session cookie's secret can be guessed offline. */
export const AUTH_SECRET_MIN_BYTES = 32;
const MAKE_A_SECRET = '`openssl rand -base64 32`';

/**
 * Why AUTH_SECRET cannot sign session cookies, or null when it can: unset, or too short to
 * withstand guessing (a one-character secret was recovered from one cookie, and an admin
 * session forged with it).
 */
export function authSecretProblem(secret: string | undefined): string | null {
  if (!secret)
    return `AUTH_SECRET is not set. It signs session cookies: set it to a long random value, made with ${MAKE_A_SECRET}, the same on every console instance.`;
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < AUTH_SECRET_MIN_BYTES)
    return `AUTH_SECRET is ${bytes} byte${bytes === 1 ? '' : 's'} long; it signs session cookies and must be at least ${AUTH_SECRET_MIN_BYTES} bytes of random: make one with ${MAKE_A_SECRET}, the same on every console instance.`;
  return null;
}

/**
 * AUTH_SECRET signs the session cookies. Outside the demo it must be given, and long enough; the
 * demo generates one once and keeps it under the data folder, so sessions survive a restart (a
 * config without a data folder gets nothing written: it must be given).
 */
export function authSecret(workspace: Pick<Workspace, 'dataDir'>, variables: Record<string, string | undefined>): string {
  if (variables.AUTH_SECRET || !isDemo(variables) || !workspace.dataDir) {
    const problem = authSecretProblem(variables.AUTH_SECRET);
    if (problem) throw new Error(problem);
    return variables.AUTH_SECRET!;
  }
  mkdirSync(workspace.dataDir, { recursive: true });
  const file = path.join(workspace.dataDir, 'auth-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(33).toString('base64'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}
