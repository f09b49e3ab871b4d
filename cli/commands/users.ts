import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { recordAudit } from '../../lib/control/audit';
import { migrateControlStore, openControlStore, type ControlDb } from '../../lib/control/store';
import { addUser, listUserSummaries, makeSsoOnly, normaliseEmail, setUserDisabled, type UserSummary } from '../../lib/control/users';
import { DbdeckError, isDbdeckError } from '../../lib/engine/errors';
import { listApiTokens, tokenStatus, type ApiTokenListing } from '../../lib/control/tokens';
import { controlStoreUrl } from '../../lib/control/store-url';
import { describeIssues, newUserSchema } from '../../lib/server/admin-schemas';
import type { UsersArgs } from '../args';
import type { HumanOutput } from '../output';
import { cliActor } from '../actor';
import { PACKAGE_ROOT } from '../package-root';
import { cliWorkspace } from '../workspace';

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** A line typed on the terminal without echo. */
async function askHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  rl.on('SIGINT', () => {
    rl.close();
    process.stderr.write('\n');
    process.exit(130);
  });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

async function newPassword(args: { passwordStdin: boolean }): Promise<string> {
  // One trailing newline is the pipe's (`echo`, a file), not the password's.
  if (args.passwordStdin) return (await readStdin()).replace(/\r?\n$/, '');
  if (!process.stdin.isTTY)
    throw new DbdeckError('usage', 'users add needs a password: pipe it in with --password-stdin, or run the command on a terminal to be asked for it');
  const password = await askHidden('Password for the new user: ');
  if ((await askHidden('Once more: ')) !== password) throw new DbdeckError('usage', 'the two passwords differ; nothing was changed');
  return password;
}

/** The control store as the console finds it, with its migrations applied (idempotent). */
async function openStore(configFile: string, warn: (message: string) => void): Promise<{ db: ControlDb; close(): Promise<void> }> {
  const workspace = await cliWorkspace(configFile, warn);
  try {
    const url = await controlStoreUrl(workspace, process.env);
    await migrateControlStore(url, PACKAGE_ROOT);
    const store = openControlStore(url, { max: 1 });
    return {
      db: store.db,
      close: async () => {
        await store.close();
        await workspace.close();
      },
    };
  } catch (error) {
    await workspace.close();
    throw error;
  }
}

/** Runs a change and appends its outcome to the audit log, as the console's guard does. */
async function audited<T>(db: ControlDb, action: string, details: Record<string, unknown>, change: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const record = (result: 'ok' | 'denied' | 'failed', error: string | null) =>
    recordAudit(db, { actor: cliActor(), action, details, durationMs: performance.now() - started, result, error });
  try {
    const value = await change();
    await record('ok', null);
    return value;
  } catch (error) {
    await record(isDbdeckError(error, 'refused') ? 'denied' : 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}

const asJson = (user: UserSummary) => ({
  email: user.email,
  name: user.name,
  role: user.role,
  status: user.disabledAt ? 'disabled' : 'active',
  createdAt: user.createdAt.toISOString(),
  disabledAt: user.disabledAt?.toISOString() ?? null,
});

const tokenAsJson = (token: ApiTokenListing, now: Date) => ({
  name: token.name,
  prefix: token.prefix,
  role: token.role,
  createdBy: token.createdByEmail,
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt?.toISOString() ?? null,
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  status: tokenStatus(token, now),
});

export async function runUsers(args: UsersArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  // Everything that can be refused without a database is refused before one is opened.
  let newUser = null;
  if (args.action === 'add') {
    const password = await newPassword(args);
    const parsed = newUserSchema.safeParse({ email: args.email, name: args.name ?? args.email.split('@')[0], role: args.role, password });
    if (!parsed.success) throw new DbdeckError('usage', `cannot add ${args.email}: ${describeIssues(parsed.error)}`);
    newUser = parsed.data;
  }
  const store = await openStore(args.config, (message) => out.warn(message));
  try {
    switch (args.action) {
      case 'add': {
        const user = await audited(store.db, 'users.add', { target: newUser!.email, role: newUser!.role }, () => addUser(store.db, newUser!));
        if (args.json) print({ user: asJson(user) });
        else out.line(`added ${user.email} (${user.role}); they can sign in now`);
        return 0;
      }
      case 'list': {
        const users = await listUserSummaries(store.db);
        if (args.json) print({ users: users.map(asJson) });
        else out.users(users);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const disabled = args.action === 'disable';
        const user = await audited(store.db, `users.${args.action}`, { target: normaliseEmail(args.email) }, () =>
          setUserDisabled(store.db, { email: args.email, disabled }),
        );
        if (args.json) print({ user: asJson(user) });
        else out.line(`${user.email} is ${disabled ? 'disabled: they cannot sign in' : 'enabled: they can sign in again'}`);
        return 0;
      }
      case 'tokens': {
        const tokens = await listApiTokens(store.db);
        if (args.json) print({ tokens: tokens.map((token) => tokenAsJson(token, new Date())) });
        else out.tokens(tokens, new Date());
        return 0;
      }
      case 'sso-only': {
        const user = await audited(store.db, 'users.sso-only', { target: normaliseEmail(args.email) }, () => makeSsoOnly(store.db, { email: args.email }));
        if (args.json) print({ user: asJson(user) });
        else
          out.line(
            `${user.email} signs in through single sign-on only now: the password is removed and their sessions ended; their next single sign-on with this e-mail becomes this account, with the role DBDECK_OIDC_ROLES maps`,
          );
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}
