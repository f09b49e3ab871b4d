import path from 'node:path';
import { DbdeckError, type DbdeckErrorCode } from '../../lib/engine/errors';
import { readMigrations } from '../../lib/engine/read-migrations';
import type { HumanOutput } from '../output';
import { commandUsage, parseCommandOptions } from '../usage';

export const APPROVE_USAGE = `Usage: dbdeck approve --project P --env E [--through TAG] [--migrations DIR] [--reject --comment TEXT] [--json]

Approves (or, with --reject and a reason, rejects) the environment's pending set in one
decision: all of it, or everything up to and including --through TAG. It asks the console,
as an API token's holder: DBDECK_URL (the console's address) and DBDECK_TOKEN (a lead's or
an admin's API token). Each approval is recorded per migration, bound to a SHA-256 of its
file; a file the console reads differently refuses the whole decision, recording nothing.

  --migrations DIR  the migrations folder you reviewed (your checkout's): the decision is bound
                    to your files, and refused, naming each, where the console would run a file
                    that differs from yours or that you don't have. Without it the decision is
                    bound to the files the console reports, and says so.`;

const DECIDING_CODES: readonly string[] = ['usage', 'config', 'not-found', 'journal', 'connection', 'drift', 'migration', 'refused'];

interface ApproveOptions {
  project: string;
  environment: string;
  through?: string;
  migrations?: string;
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
      migrations: { type: 'string' },
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
    migrations: values.migrations,
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

/**
 * The chosen migrations bound to the reviewer's own files: each must be in `folder` and read
 * there exactly as the console reads it, else nothing is sent — approving a file you did not
 * read is no approval. The console checks the hashes against its files once more.
 */
function boundToReviewedFiles(chosen: { tag: string; sha256: string }[], folder: string): void {
  const yours = new Map(readMigrations(folder).migrations.map((m) => [m.tag, m.hash]));
  const differing = chosen.flatMap(({ tag, sha256 }) => {
    const hash = yours.get(tag);
    if (!hash) return [{ tag, why: `${tag} is not in ${folder}` }];
    return hash === sha256 ? [] : [{ tag, why: `${tag}: yours is sha256 ${hash.slice(0, 12)}…, the console's ${sha256.slice(0, 12)}…` }];
  });
  if (differing.length > 0)
    throw new DbdeckError(
      'refused',
      `the console would run files other than the ones you reviewed: ${differing.map((d) => d.why).join('; ')}. Nothing was recorded; review the console's files (or update your checkout) and decide again.`,
      { tag: differing[0]!.tag },
    );
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
  // The console's files are the ones migrate will run: the hashes sent are theirs, compared
  // with the reviewer's own files first when --migrations names them.
  const pending = status.migrations.filter((m) => m.state === 'pending' && m.hash !== null).map((m) => ({ tag: m.tag, sha256: m.hash! }));
  if (pending.length === 0) throw new DbdeckError('usage', `nothing is pending in ${options.project} / ${options.environment}: there is nothing to decide on`);
  if (options.through !== undefined && !pending.some((m) => m.tag === options.through))
    usageError(
      `--through ${options.through}: not a pending migration of ${options.project} / ${options.environment} (pending: ${pending.map((m) => m.tag).join(', ')})`,
    );
  const chosen = options.through === undefined ? pending : pending.slice(0, pending.findIndex((m) => m.tag === options.through) + 1);
  const folder = options.migrations === undefined ? null : path.resolve(options.migrations);
  if (folder) boundToReviewedFiles(chosen, folder);
  const decision = options.reject ? 'rejected' : 'approved';
  const result = await callConsole<{ decided: { tag: string; sha256: string }[] }>(base, token, `${environmentPath}/approvals`, {
    method: 'POST',
    body: { decision, migrations: pending, ...(options.through ? { through: options.through } : {}), ...(options.comment ? { comment: options.comment } : {}) },
  });
  if (options.json)
    print({
      ok: true,
      decision,
      project: options.project,
      environment: options.environment,
      boundTo: folder ? 'reviewed-files' : 'console-files',
      decided: result.decided,
    });
  else {
    out.line(
      `${decision === 'approved' ? 'Approved' : 'Rejected'} ${result.decided.length} migration(s) for ${options.project} / ${options.environment}, bound to ${folder ? `your files in ${folder}, the same as the console's` : 'the files the console reports (pass --migrations DIR to bind to the files you reviewed)'}:`,
    );
    for (const m of result.decided) out.line(`  ${m.tag}  sha256 ${m.sha256.slice(0, 12)}…`);
  }
  return 0;
}
