import path from 'node:path';
import { DbdeckError, type DbdeckErrorCode } from '../../lib/engine/errors';
import { readMigrations } from '../../lib/engine/read-migrations';
import type { HumanOutput } from '../output';
import { commandUsage, parseCommandOptions } from '../usage';

export const APPROVE_USAGE = `Usage: dbdeck approve --project P --env E [--through TAG] [--migrations DIR] [--acknowledge-lint]
                     [--reject --comment TEXT] [--json]
       dbdeck approve --project P --env E --rollback [--steps N] --migrations DIR [--acknowledge-lint] …

Approves (or, with --reject and a reason, rejects) the environment's pending set in one
decision: all of it, or everything up to and including --through TAG. It asks the console,
as an API token's holder: DBDECK_URL (the console's address) and DBDECK_TOKEN (a lead's or
an admin's API token). Each approval is recorded per migration, bound to a SHA-256 of its
file; a file the console reads differently refuses the whole decision, recording nothing.

  --migrations DIR    the migrations folder you reviewed (your checkout's): the decision is bound
                      to your files, and refused, naming each, where the console would run a file
                      that differs from yours or that you don't have. Without it the decision is
                      bound to the files the console reports, and says so.
  --rollback          decide on the down SQL drafted for the last --steps N (default 1) applied
                      migrations that have no down file: the drafts a rollback of them would run,
                      made from the snapshots in --migrations DIR (required) and refused where
                      the console drafts them differently. \`dbdeck down\` prints them.
  --acknowledge-lint  with an approval: acknowledge each one's blocking lint findings too (a
                      protected environment needs that before it runs them), bound to the same
                      hashes; the findings are listed.`;

const DECIDING_CODES: readonly string[] = ['usage', 'config', 'not-found', 'journal', 'connection', 'drift', 'migration', 'refused'];

interface ApproveOptions {
  project: string;
  environment: string;
  through?: string;
  migrations?: string;
  /** Steps of a rollback whose drafts to decide on; null: the pending set. */
  rollback: number | null;
  acknowledgeLint: boolean;
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
      rollback: { type: 'boolean', default: false },
      steps: { type: 'string' },
      'acknowledge-lint': { type: 'boolean', default: false },
      reject: { type: 'boolean', default: false },
      comment: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    APPROVE_USAGE,
  );
  if (values.help) return { project: '', environment: '', rollback: null, acknowledgeLint: false, reject: false, json: false, help: true };
  if (!values.project || !values.env) usageError('approve needs --project P --env E');
  if (values.reject && !values.comment?.trim()) usageError('a rejection needs --comment saying why');
  if (!values.reject && values.comment !== undefined) usageError('--comment goes with --reject');
  if (values.reject && values['acknowledge-lint']) usageError('--acknowledge-lint goes with an approval, not --reject');
  if (!values.rollback && values.steps !== undefined) usageError('--steps goes with --rollback');
  if (values.rollback && values.through !== undefined) usageError('--through chooses among pending migrations; a rollback decides on --steps N');
  if (values.rollback && values.migrations === undefined)
    usageError("--rollback needs --migrations DIR: the drafts are made from your folder's snapshots, the ones you reviewed");
  const steps = values.steps === undefined ? 1 : Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1 || steps > 100) usageError(`--steps must be a whole number from 1 to 100, got ${values.steps}`);
  return {
    project: values.project,
    environment: values.env,
    through: values.through,
    migrations: values.migrations,
    rollback: values.rollback ? steps : null,
    acknowledgeLint: values['acknowledge-lint'],
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
  migrations: { tag: string; hash: string | null; state: string; hasDown: boolean }[];
  rollbackOrder: string[];
}

interface Decided {
  decided: { tag: string; sha256: string }[];
  acknowledged: { tag: string; rules: string[] }[];
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

/**
 * The drafts a rollback of `steps` would run, as the reviewer's own folder drafts them: the last
 * applied migrations (in the console's rollback order) that have no down file.
 */
async function reviewedDrafts(status: StatusData, steps: number, folder: string, label: string): Promise<{ tag: string; sha256: string }[]> {
  if (status.rollbackOrder.length < steps) usageError(`--steps ${steps}: only ${status.rollbackOrder.length} migration(s) applied in ${label}`);
  const undone = status.rollbackOrder.slice(0, steps);
  const withDown = new Set(status.migrations.filter((m) => m.hasDown).map((m) => m.tag));
  const drafted = undone.filter((tag) => !withDown.has(tag));
  if (drafted.length === 0)
    throw new DbdeckError(
      'usage',
      `${undone.join(', ')} ${undone.length === 1 ? 'has a down file' : 'have down files'}: a rollback runs them, there is no draft to decide on`,
    );
  // Drafting loads drizzle-kit: only this mode pays for it.
  const { downVersionOf } = await import('../../lib/engine/down/down-version');
  const set = readMigrations(folder);
  const drafts: { tag: string; sha256: string }[] = [];
  for (const tag of drafted) {
    const migration = set.migrations.find((m) => m.tag === tag);
    if (!migration)
      throw new DbdeckError('refused', `${tag} is applied in ${label} but not in ${folder}: you cannot have reviewed its draft. Nothing was recorded.`, {
        tag,
      });
    if (migration.down)
      throw new DbdeckError(
        'refused',
        `${tag} has a down file in ${folder} but not on the console: its rollback would run a draft you did not review. Nothing was recorded.`,
        {
          tag,
        },
      );
    drafts.push({ tag, sha256: (await downVersionOf(set, migration)).hash });
  }
  return drafts;
}

/** `dbdeck approve`: one decision on the pending set (or on a rollback's drafts), through the console's API. */
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
  const label = `${options.project} / ${options.environment}`;
  const environmentPath = `/api/v1/environments/${encodeURIComponent(options.project)}/${encodeURIComponent(options.environment)}`;
  const status = await callConsole<StatusData>(base, token, `${environmentPath}/status`, { method: 'GET' });
  const folder = options.migrations === undefined ? null : path.resolve(options.migrations);
  let chosen: { tag: string; sha256: string }[];
  if (options.rollback !== null) {
    chosen = await reviewedDrafts(status, options.rollback, folder!, label);
  } else {
    // The console's files are the ones migrate will run: the hashes sent are theirs, compared
    // with the reviewer's own files first when --migrations names them.
    const pending = status.migrations.filter((m) => m.state === 'pending' && m.hash !== null).map((m) => ({ tag: m.tag, sha256: m.hash! }));
    if (pending.length === 0) throw new DbdeckError('usage', `nothing is pending in ${label}: there is nothing to decide on`);
    if (options.through !== undefined && !pending.some((m) => m.tag === options.through))
      usageError(`--through ${options.through}: not a pending migration of ${label} (pending: ${pending.map((m) => m.tag).join(', ')})`);
    chosen = options.through === undefined ? pending : pending.slice(0, pending.findIndex((m) => m.tag === options.through) + 1);
    if (folder) boundToReviewedFiles(chosen, folder);
  }
  const decision = options.reject ? 'rejected' : 'approved';
  const result = await callConsole<Decided>(base, token, `${environmentPath}/approvals`, {
    method: 'POST',
    body: {
      decision,
      migrations: chosen,
      ...(options.rollback !== null ? { subject: 'drafted-down' } : {}),
      ...(options.acknowledgeLint ? { acknowledgeLint: true } : {}),
      ...(options.comment ? { comment: options.comment } : {}),
    },
  });
  const what = options.rollback !== null ? 'the drafted down SQL of ' : '';
  if (options.json)
    print({
      ok: true,
      decision,
      project: options.project,
      environment: options.environment,
      subject: options.rollback !== null ? 'drafted-down' : 'up',
      boundTo: folder ? 'reviewed-files' : 'console-files',
      decided: result.decided,
      acknowledged: result.acknowledged,
    });
  else {
    const bound =
      options.rollback !== null
        ? `the drafts made from ${folder}, the same as the console's`
        : folder
          ? `your files in ${folder}, the same as the console's`
          : 'the files the console reports (pass --migrations DIR to bind to the files you reviewed)';
    out.line(`${decision === 'approved' ? 'Approved' : 'Rejected'} ${what}${result.decided.length} migration(s) for ${label}, bound to ${bound}:`);
    for (const m of result.decided) out.line(`  ${m.tag}  sha256 ${m.sha256.slice(0, 12)}…`);
    for (const a of result.acknowledged) out.line(`  acknowledged on ${a.tag}: ${a.rules.join(', ')}`);
  }
  return 0;
}
