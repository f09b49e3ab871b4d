import { readFileSync } from 'node:fs';
import path from 'node:path';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import postgres from 'postgres';
import { DEMO, type DemoUser } from './auth';

/** The e2e console's data folder and embedded server (see playwright.config.ts). */
export function e2eEnvironment() {
  const dataDir = process.env.DBDECK_E2E_DATA_DIR!;
  const credentials = JSON.parse(readFileSync(path.join(dataDir, 'postgres.json'), 'utf8')) as { user: string; password: string };
  return { dataDir, credentials, controlUrl: `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:54391/dbdeck_control` };
}

/** Direct access to the console's control store, for assertions the UI can't make (audit rows). */
export function controlSql() {
  return postgres(e2eEnvironment().controlUrl, { max: 1, onnotice: () => {} });
}

/** An HTTP client signed in as a demo user through next-auth's credentials endpoint, or anonymous. */
export async function sessionFor(baseURL: string, who: DemoUser | 'anonymous'): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  if (who === 'anonymous') return context;
  const { csrfToken } = (await (await context.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const response = await context.post('/api/auth/callback/credentials', {
    form: { csrfToken, email: DEMO[who], password: 'demo', callbackUrl: '/' },
    maxRedirects: 0,
  });
  if (response.status() !== 302 || !(await context.storageState()).cookies.some((c) => c.name.includes('session-token'))) {
    throw new Error(`could not sign in as ${who}: HTTP ${response.status()}`);
  }
  return context;
}

export interface ServerAction {
  id: string;
  file: string;
  name: string;
  /** A page that can run it. */
  page: string;
}

/** Every server action of the build, from Next's own manifest. */
export function serverActions(): ServerAction[] {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).find((w) => w.startsWith('app/') && w.endsWith('/page')) ?? 'app/page';
    const page = worker.replace(/^app/, '').replace(/\/page$/, '') || '/';
    const concrete = page.replace('[project]', 'shop').replace('[environment]', 'development').replace('[tag]', '0000_users_products');
    return { id, file: entry.filename, name: entry.exportedName, page: concrete };
  });
}

/** Calls a server action the way a browser does (or anyone else could): a POST with its id. */
export async function callAction(context: APIRequestContext, action: ServerAction, input: unknown): Promise<string> {
  const response = await context.post(action.page, {
    headers: { 'Next-Action': action.id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify([input]),
    maxRedirects: 0,
  });
  return response.text();
}
