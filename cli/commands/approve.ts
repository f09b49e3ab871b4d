import { DbdeckError, type DbdeckErrorCode } from '../../lib/engine/errors';
import type { HumanOutput } from '../output';
import { commandUsage, parseCommandOptions } from '../usage';

export const APPROVE_USAGE = `Usage: dbdeck approve --project P --env E [--through TAG] [--reject --comment TEXT] [--json]

Approves (or, with --reject and a reason, rejects) the environment's pending set in one
decision: all of it, or everything up to and including --through TAG. It asks the console,
as an API token's holder: DBDECK_URL (the console's address) and DBDECK_TOKEN (a lead's or
an admin's API token). Each approval is recorded per migration, bound to the file's SHA-256
the console reports; a file changed in between refuses the whole decision, recording nothing.`;

const DECIDING_CODES: readonly string[] = ['usage', 'config', 'not-found', 'journal', 'connection', 'drift', 'migration', 'refused'];

interface ApproveOptions {
  project: string;
  environment: string;
  through?: string;
  reject: boolean;
  comment?: string;
  json: boolean;
  help: boolean;
}

function usageError(message: string): never {
  return commandUsage(message, APPROVE_USAGE);
}

function approveOptions(argv: string[]): ApproveOptions {
  const values = parseCommandOptions(
    argv,
    {
      project: { type: 'string' },
      env: { type: 'string' },
      through: { type: 'string' },
      reject: { type: 'boolean', default: false },
      comment: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    APPROVE_USAGE,
  );
  if (values.help) return { project: '', environment: '', reject: false, json: false, help: true };
  if (!values.project || !values.env) usageError('approve needs --project P --env E');
  if (values.reject && !values.comment?.trim()) usageError('a rejection needs --comment saying why');
  if (!values.reject && values.comment !== undefined) usageError('--comment goes with --reject');
  return {
    project: values.project,
    environment: values.env,
    through: values.through,
    reject: values.reject,
    comment: values.comment,
    json: values.json,
    help: false,
  };
}

/** The console's answer as a DbdeckError, so that exit codes and --json read as for any other command. */
function failure(body: { code?: string; error?: string }, status: number): DbdeckError {
  const code: DbdeckErrorCode = DECIDING_CODES.includes(body.code ?? '')
    ? (body.code as DbdeckErrorCode)
    : body.code === 'invalid'
      ? 'usage'
      : body.code === 'unauthenticated' || body.code === 'forbidden'
        ? 'refused'
        : 'connection';
  return new DbdeckError(code, `the console refused (HTTP ${status}): ${body.error ?? 'no reason given'}`);
}

async function callConsole<T>(base: string, token: string, path: string, init: { method: 'GET' } | { method: 'POST'; body: unknown }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      body: init.method === 'POST' ? JSON.stringify(init.body) : undefined,
    });
  } catch (error) {
    throw new DbdeckError('connection', `cannot reach the console at ${base}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; data?: T; code?: string; error?: string };
  if (!response.ok || body.ok !== true) throw failure(body, response.status);
  return body.data as T;
}

interface StatusData {
  migrations: { tag: string; hash: string | null; state: string }[];
}

/** `dbdeck approve`: one decision on the pending set, through the console's API. */
export async function runApprove(argv: string[], out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const options = approveOptions(argv);
  if (options.help) {
    out.line(APPROVE_USAGE);
    return 0;
  }
  const base = process.env.DBDECK_URL;
  const token = process.env.DBDECK_TOKEN;
  if (!base || !token)
    throw new DbdeckError('config', 'approve asks the console: set DBDECK_URL (its address) and DBDECK_TOKEN (an API token of a lead or admin)');
  const environmentPath = `/api/v1/environments/${encodeURIComponent(options.project)}/${encodeURIComponent(options.environment)}`;
  const status = await callConsole<StatusData>(base, token, `${environmentPath}/status`, { method: 'GET' });
  // The hashes bound are those the console reads now: its files are the ones migrate will run.
  const pending = status.migrations.filter((m) => m.state === 'pending' && m.hash !== null).map((m) => ({ tag: m.tag, sha256: m.hash! }));
  if (pending.length === 0) throw new DbdeckError('usage', `nothing is pending in ${options.project} / ${options.environment}: there is nothing to decide on`);
  if (options.through !== undefined && !pending.some((m) => m.tag === options.through))
    usageError(
      `--through ${options.through}: not a pending migration of ${options.project} / ${options.environment} (pending: ${pending.map((m) => m.tag).join(', ')})`,
    );
  const decision = options.reject ? 'rejected' : 'approved';
  const result = await callConsole<{ decided: { tag: string; sha256: string }[] }>(base, token, `${environmentPath}/approvals`, {
    method: 'POST',
    body: { decision, migrations: pending, ...(options.through ? { through: options.through } : {}), ...(options.comment ? { comment: options.comment } : {}) },
  });
  if (options.json) print({ ok: true, decision, project: options.project, environment: options.environment, decided: result.decided });
  else {
    out.line(`${decision === 'approved' ? 'Approved' : 'Rejected'} ${result.decided.length} migration(s) for ${options.project} / ${options.environment}:`);
    for (const m of result.decided) out.line(`  ${m.tag}  sha256 ${m.sha256.slice(0, 12)}…`);
  }
  return 0;
}
