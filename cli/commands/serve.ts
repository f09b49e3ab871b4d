import { configFilePath, loadConfigFile } from '../../lib/config/load-config-file';
import { migrateControlStore, openControlStore } from '../../lib/control/store';
import { countUsers } from '../../lib/control/users';
import { redactUrlsIn } from '../../lib/engine/drivers/redact';
import { DbdeckError } from '../../lib/engine/errors';
import { requirePrebuiltConsole } from '../../lib/runtime/console-build';
import { startConsoleServer } from '../../lib/runtime/console-server';
import { authSecretProblem } from '../../lib/runtime/console-setup';
import { CONSOLE_SERVER_ENV } from '../../lib/runtime/shutdown';
import { createWorkspace } from '../../lib/runtime/workspace';
import type { HumanOutput } from '../output';
import { parseCommandOptions } from '../usage';
import { PACKAGE_ROOT } from '../package-root';

export const SERVE_USAGE = `Usage: dbdeck serve [--config FILE] [--host H] [--port P]

Serves the console prebuilt in dbdeck's package (in a checkout, \`npm run build\` first) for a team,
on its own control store. The config is --config, else DBDECK_CONFIG, else ./dbdeck.config.ts, read
now (one build serves any config); an environment whose variable is unset is unreachable, named
(unless the config says \`embedded: true\`).

Needs:  DBDECK_DATABASE_URL  the control store (PostgreSQL): users, approvals, operations, audit
        AUTH_SECRET          signs session cookies: 32+ random bytes (openssl rand -base64 32),
                             the same on every console instance
Where:  --host / HOST (127.0.0.1; 0.0.0.0 in a container), --port / PORT (3000)
Health: GET /api/health (liveness), GET /api/health/ready (control store reachable: 200, else 503)`;

/** What `serve` refuses to start without, each with what it is for. */
const REQUIRED: Record<string, string> = {
  DBDECK_DATABASE_URL: 'the control store, a PostgreSQL URL (users, approvals, operations, audit)',
  AUTH_SECRET: 'signs session cookies: at least 32 random bytes, made with `openssl rand -base64 32`, the same on every console instance',
};

function serveOptions(argv: string[], variables: Record<string, string | undefined>) {
  const values = parseCommandOptions(
    argv,
    { config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    SERVE_USAGE,
  );
  const portText = values.port ?? variables.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    throw new DbdeckError('usage', `${values.port !== undefined ? '--port' : 'PORT'} must be a port number (1–65535), got "${portText}"`);
  return { help: values.help, config: values.config ?? configFilePath(variables), host: values.host ?? variables.HOST ?? '127.0.0.1', port };
}

/**
 * `dbdeck serve`: checks what a team's console needs before anything starts (variables, config,
 * build), brings the control store's schema up to date, then serves the console in this process
 * until SIGTERM or SIGINT.
 */
export async function runServe(argv: string[], out: HumanOutput): Promise<number> {
  const variables = process.env;
  const options = serveOptions(argv, variables);
  if (options.help) {
    out.line(SERVE_USAGE);
    return 0;
  }
  const missing = Object.keys(REQUIRED).filter((name) => !variables[name]);
  if (missing.length > 0) {
    throw new DbdeckError(
      'config',
      `dbdeck serve needs ${missing.join(' and ')}; nothing was started:\n${missing.map((name) => `  ${name} is not set: ${REQUIRED[name]}`).join('\n')}`,
    );
  }
  const secretProblem = authSecretProblem(variables.AUTH_SECRET);
  if (secretProblem) throw new DbdeckError('config', `dbdeck serve refuses this AUTH_SECRET; nothing was started:\n  ${secretProblem}`);
  const config = await loadConfigFile(options.config);
  requirePrebuiltConsole(PACKAGE_ROOT);

  const controlUrl = variables.DBDECK_DATABASE_URL!;
  let applied: number;
  try {
    applied = await migrateControlStore(controlUrl, PACKAGE_ROOT);
  } catch (error) {
    throw new DbdeckError(
      'connection',
      `cannot prepare the control store (DBDECK_DATABASE_URL): ${redactUrlsIn(error instanceof Error ? error.message : String(error))}`,
      { cause: error },
    );
  }
  const store = openControlStore(controlUrl, { max: 1 });
  const users = await countUsers(store.db).finally(() => store.close());

  out.line(`dbdeck  config ${config.file}`);
  if (applied > 0) out.line(`  control store: ${applied} migration(s) of dbdeck applied`);
  for (const unset of createWorkspace(config, variables).unsetEnvironments())
    out.warn(`${unset.message}; the console shows ${unset.details.environment} as unreachable until it is`);
  if (variables.DBDECK_OIDC_ISSUER && !variables.AUTH_URL)
    out.warn(
      "DBDECK_OIDC_ISSUER is set but AUTH_URL is not: set AUTH_URL to the console's public URL (e.g. https://dbdeck.example.com); single sign-on builds its redirect URI from it",
    );
  if (variables.AUTH_URL?.startsWith('https://') && !variables.DBDECK_TRUSTED_PROXIES)
    out.warn(
      "AUTH_URL is https but DBDECK_TRUSTED_PROXIES is not set: the console believes no proxy's X-Forwarded-Proto, so it sends no Strict-Transport-Security header; set DBDECK_TRUSTED_PROXIES to your TLS proxy's address",
    );
  if (users === 0) out.warn('no users yet: create the first admin with `npx dbdeck users add --email you@example.com --role admin`');

  // The console's own config loading (instrumentation.ts) reads the same file, by absolute path.
  const server = startConsoleServer({
    root: PACKAGE_ROOT,
    host: options.host,
    port: options.port,
    env: { ...variables, ...CONSOLE_SERVER_ENV, DBDECK_CONFIG: config.file, NODE_ENV: 'production' },
  });
  out.line(`  console: ${server.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    out.line(`${signal}: stopping the console`);
    void server.close();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const code = await server.exited;
  // Stopped when asked: a clean exit. Stopped by itself (a bad config, a port in use): its code.
  return stopping ? 0 : code || 1;
}
