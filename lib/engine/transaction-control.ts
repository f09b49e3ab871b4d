import { DbdeckError } from './errors';
import { parsePiece, statementKind, type ParsedStatement } from './lint/postgres-ast';
import { excerptOf } from './lint/rules';
import { isKeyword, splitTokenStatements, tokenize, type Token } from './lint/sqlite-tokens';
import type { Dialect } from './types';

/**
 * Transaction control written into a migration file (`BEGIN;` … `COMMIT;`, `ROLLBACK`,
 * savepoints), decided on the parser's reading before anything runs.
 *
 * dbdeck runs the pending set in one transaction of its own, as drizzle's migrator does. A COMMIT
 * sent inside it ends that transaction: what ran before is committed, the rest runs in autocommit,
 * and a dry run's final rollback undoes nothing. So: a BEGIN later closed by a COMMIT of the same
 * migration only delimits what is already one transaction, and is not sent; savepoints released or
 * rolled back to within the migration nest inside dbdeck's transaction and are sent as written;
 * anything else (ROLLBACK, a COMMIT without its BEGIN, a BEGIN never closed, nesting, two-phase
 * commit, a savepoint left open) is refused before anything runs.
 */

/** What one transaction-control statement does, whichever dialect wrote it. */
type Control =
  | { kind: 'begin' }
  | { kind: 'commit'; chain: boolean }
  | { kind: 'rollback' }
  | { kind: 'savepoint' | 'release' | 'rollback-to'; name: string }
  | { kind: 'two-phase' };

/** A transaction-control statement of a migration, and what dbdeck does with it. */
export interface TransactionControlStatement {
  /** 0-based breakpoint piece (the statement numbers of plan, lint and errors count from 1). */
  piece: number;
  /** The statement as the file writes it, whitespace collapsed: `BEGIN`, `END TRANSACTION`, `SAVEPOINT s1`. */
  text: string;
  /** Its leading keywords, upper-cased: `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK TO`, … */
  keyword: string;
  /**
   * `withheld`: a BEGIN or COMMIT that only delimits what dbdeck runs as one transaction anyway:
   * not sent. `sent`: a savepoint closed within the migration, nested in dbdeck's transaction.
   * `refused`: the migration is not run; `reason` says why.
   */
  verdict: 'withheld' | 'sent' | 'refused';
  reason?: string;
  /** Where the statement sits in its piece, in characters, its terminating `;` included. */
  start: number;
  end: number;
}

interface Located extends Omit<TransactionControlStatement, 'verdict' | 'reason'> {
  control: Control;
}

/** Every keyword a transaction-control statement can start with, in either dialect: pieces without one need no parse. */
const MAY_HOLD_CONTROL = /\b(BEGIN|START|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|PREPARE)\b/i;

const postgresControl = (fields: Record<string, unknown>): Control | null => {
  const name = String(fields.savepoint_name ?? '');
  switch (fields.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return { kind: 'begin' };
    case 'TRANS_STMT_COMMIT':
      return { kind: 'commit', chain: Boolean(fields.chain) };
    case 'TRANS_STMT_ROLLBACK':
      return { kind: 'rollback' };
    case 'TRANS_STMT_SAVEPOINT':
      return { kind: 'savepoint', name };
    case 'TRANS_STMT_RELEASE':
      return { kind: 'release', name };
    case 'TRANS_STMT_ROLLBACK_TO':
      return { kind: 'rollback-to', name };
    case 'TRANS_STMT_PREPARE':
    case 'TRANS_STMT_COMMIT_PREPARED':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      return { kind: 'two-phase' };
    default:
      return null;
  }
};

/** The first words of a statement, as a reader names it (`START TRANSACTION`, `ROLLBACK TO`). */
function keywordOf(text: string, control: Control): string {
  const words = text.replace(/\s+/g, ' ').trim().toUpperCase().split(' ');
  if (control.kind === 'rollback-to') return 'ROLLBACK TO';
  if (words[0] === 'START' || words[1] === 'PREPARED' || words[0] === 'PREPARE') return words.slice(0, 2).join(' ');
  return words[0]!.replace(/;$/, '');
}

/** A PostgreSQL piece's statements; null when the parser rejects it. */
async function postgresStatements(piece: string): Promise<ParsedStatement[] | null> {
  const parsed = await parsePiece(piece);
  return parsed.ok ? parsed.statements : null;
}

/** SQLite: BEGIN, COMMIT/END, ROLLBACK [TO], SAVEPOINT, RELEASE, read from the statement's tokens. */
function sqliteControl(tokens: Token[]): Control | null {
  const [first] = tokens;
  let at = 1;
  const skip = (keyword: string) => {
    if (isKeyword(tokens[at], keyword)) at++;
  };
  const name = () => (tokens[at]?.value ?? '').toLowerCase();
  if (isKeyword(first, 'BEGIN')) return { kind: 'begin' };
  if (isKeyword(first, 'COMMIT') || isKeyword(first, 'END')) return { kind: 'commit', chain: false };
  if (isKeyword(first, 'SAVEPOINT')) return { kind: 'savepoint', name: name() };
  if (isKeyword(first, 'RELEASE')) {
    skip('SAVEPOINT');
    return { kind: 'release', name: name() };
  }
  if (isKeyword(first, 'ROLLBACK')) {
    skip('TRANSACTION');
    if (!isKeyword(tokens[at], 'TO')) return { kind: 'rollback' };
    at++;
    skip('SAVEPOINT');
    return { kind: 'rollback-to', name: name() };
  }
  return null;
}

export type ControlReading = { ok: true; statements: Located[] } | { ok: false; piece: number; message: string };

/**
 * Finds the transaction-control statements of a migration's pieces with the dialect's parser,
 * every statement of every piece (a file without breakpoints is one piece of many statements).
 * A PostgreSQL piece the parser rejects is left alone: the server parses a whole piece before
 * running any of it, so none of it runs. SQLite runs a piece statement by statement up to the one
 * it can't read, so a piece the tokenizer can't read is an answer of its own.
 */
export async function readTransactionControl(pieces: string[], dialect: Dialect): Promise<ControlReading> {
  const found: Located[] = [];
  for (const [piece, text] of pieces.entries()) {
    if (!MAY_HOLD_CONTROL.test(text)) continue;
    if (dialect === 'postgresql') {
      for (const statement of (await postgresStatements(text)) ?? []) {
        const [kind, fields] = statementKind(statement.node);
        const control = kind === 'TransactionStmt' ? postgresControl(fields) : null;
        if (!control) continue;
        // The parser's length stops before the `;`, which sits right after it.
        const end = text[statement.end] === ';' ? statement.end + 1 : statement.end;
        const written = text.slice(statement.start, statement.end);
        found.push({ piece, control, text: excerptOf(written), keyword: keywordOf(written, control), start: statement.start, end });
      }
      continue;
    }
    const { tokens, error } = tokenize(text);
    if (error) return { ok: false, piece, message: `SQLite cannot read it: ${error.message}` };
    for (const statement of splitTokenStatements(tokens)) {
      const control = sqliteControl(statement);
      if (!control) continue;
      const last = statement.at(-1)!;
      const next = tokens[tokens.indexOf(last) + 1];
      const end = next?.kind === 'punct' && next.value === ';' ? next.end : last.end;
      const written = text.slice(statement[0]!.start, last.end);
      found.push({ piece, control, text: excerptOf(written), keyword: keywordOf(written, control), start: statement[0]!.start, end });
    }
  }
  return { ok: true, statements: found };
}

const at = (s: Located) => `statement ${s.piece + 1}`;

/**
 * Decides each statement found by {@link readTransactionControl}, in file order. `outside` names
 * why the migration runs outside a transaction (CREATE INDEX CONCURRENTLY…), when it does: there
 * dbdeck runs it statement by statement and can honour none of the file's own transaction control.
 */
export function judgeTransactionControl(found: Located[], outside: string | null): TransactionControlStatement[] {
  const judged = found.map((s): TransactionControlStatement & { control: Control } => ({ ...s, verdict: 'sent' }));
  const refuse = (s: TransactionControlStatement, reason: string) => {
    if (s.verdict !== 'refused') Object.assign(s, { verdict: 'refused', reason });
  };
  if (outside) {
    for (const s of judged)
      refuse(
        s,
        `${s.keyword} in a migration that runs outside a transaction (it holds ${outside}): dbdeck runs it one statement at a time and cannot honour the file's own transaction control. Move the ${outside} statement into a migration of its own`,
      );
    return judged;
  }
  let open: (typeof judged)[number] | null = null;
  /** Savepoints in the order they were set; `closed` once released or rolled back to. */
  const savepoints: { statement: (typeof judged)[number]; name: string; closed: boolean; insideBegin: boolean }[] = [];
  const unclosed = () => savepoints.filter((p) => !p.closed);
  for (const s of judged) {
    const control = s.control;
    switch (control.kind) {
      case 'begin': {
        const pending = unclosed()[0];
        if (open) refuse(s, `${s.keyword} inside the transaction the ${open.keyword} at ${at(open)} opened: transactions don't nest`);
        else if (pending) refuse(s, `${s.keyword} while SAVEPOINT ${pending.name} (${at(pending.statement)}) is open: transactions don't nest`);
        else open = s;
        break;
      }
      case 'commit': {
        const pending = unclosed().find((p) => p.insideBegin);
        if (control.chain) refuse(s, `${s.text} commits and starts a new transaction at once: it would commit every migration run before it`);
        else if (!open)
          refuse(
            s,
            `${s.keyword} without a BEGIN before it in this migration: it would commit every migration run before it (drizzle's migrator does just that), and what follows would run outside any transaction`,
          );
        else if (pending) refuse(s, `${s.keyword} while SAVEPOINT ${pending.name} (${at(pending.statement)}) is neither released nor rolled back to`);
        else {
          open.verdict = 'withheld';
          s.verdict = 'withheld';
          open = null;
          for (const p of savepoints) if (p.insideBegin) p.closed = true;
        }
        break;
      }
      case 'rollback':
        refuse(
          s,
          `${s.keyword} would undo every migration run before it in the transaction (drizzle's migrator does just that), and what follows would run outside any transaction`,
        );
        break;
      case 'two-phase':
        refuse(s, `${s.keyword} is two-phase commit, which ends the transaction the migrations run in`);
        break;
      case 'savepoint':
        savepoints.push({ statement: s, name: control.name, closed: false, insideBegin: open !== null });
        break;
      case 'release':
      case 'rollback-to': {
        const position = savepoints.findLastIndex((p) => p.name === control.name);
        if (position === -1) {
          refuse(s, `${s.keyword} ${control.name}: this migration sets no savepoint of that name before it`);
          break;
        }
        // Both end the savepoints set after it; RELEASE ends it too, ROLLBACK TO keeps it set.
        for (const p of savepoints.slice(position)) p.closed = true;
        savepoints.splice(control.kind === 'release' ? position : position + 1);
        break;
      }
    }
  }
  if (open) refuse(open, `${open.keyword} is never closed by a COMMIT in this migration, so dbdeck can't read where the file means its transaction to end`);
  for (const p of unclosed())
    refuse(p.statement, `SAVEPOINT ${p.name} is never released or rolled back to in this migration; close it with RELEASE SAVEPOINT ${p.name} where it ends`);
  return judged.map(({ control: _control, ...statement }) => statement);
}

/** What dbdeck sends of one migration: each piece as it runs, null for a piece that held only withheld statements. */
export interface SentPieces {
  pieces: (string | null)[];
  /** "BEGIN/COMMIT at statements 1, 3 not sent: dbdeck runs the set in one transaction", or null. */
  withheld: string | null;
}

export interface MigrationText {
  tag: string;
  file: string;
  statements: string[];
  nonTransactional: string | null;
}

function refusal(migration: MigrationText, piece: number, reason: string): DbdeckError {
  return new DbdeckError(
    'refused',
    `${migration.tag}: statement ${piece + 1}: ${reason}. dbdeck refuses to run it (${migration.file}); nothing was run or changed.`,
    { tag: migration.tag, file: migration.file, statementIndex: piece, statement: migration.statements[piece] },
  );
}

/** The kind and start of each statement of a piece: to check that taking some out left the others whole. */
async function statementsOf(text: string, dialect: Dialect): Promise<{ kind: string; start: number }[] | null> {
  if (dialect === 'postgresql') return (await postgresStatements(text))?.map((s) => ({ kind: statementKind(s.node)[0], start: s.start })) ?? null;
  const { tokens, error } = tokenize(text);
  return error ? null : splitTokenStatements(tokens).map((statement) => ({ kind: statement[0]!.value.toUpperCase(), start: statement[0]!.start }));
}

/**
 * The pieces dbdeck sends of a migration: its withheld BEGIN/COMMIT taken out (a piece that held
 * nothing else is not sent), everything else byte for byte. Throws a 'refused' DbdeckError naming
 * the migration and statement when the file's transaction control can't be read as delimiting one
 * transaction. Taking a statement out of a piece that holds others is checked by parsing what is
 * left: the same statements, minus those taken out, or the migration is refused.
 */
export async function decideTransactionControl(migration: MigrationText, dialect: Dialect): Promise<SentPieces> {
  const pieces: (string | null)[] = [...migration.statements];
  const reading = await readTransactionControl(migration.statements, dialect);
  if (!reading.ok) throw refusal(migration, reading.piece, `${reading.message}, so dbdeck cannot tell whether it ends the transaction`);
  if (reading.statements.length === 0) return { pieces, withheld: null };
  const judged = judgeTransactionControl(reading.statements, migration.nonTransactional);
  const refused = judged.filter((s) => s.verdict === 'refused').sort((a, b) => a.piece - b.piece)[0];
  if (refused) throw refusal(migration, refused.piece, refused.reason!);
  const withheld = judged.filter((s) => s.verdict === 'withheld');
  if (withheld.length === 0) return { pieces, withheld: null };

  for (const piece of new Set(withheld.map((s) => s.piece))) {
    const text = migration.statements[piece]!;
    const out = withheld.filter((s) => s.piece === piece).sort((a, b) => b.start - a.start);
    let kept = text;
    for (const s of out) kept = kept.slice(0, s.start) + kept.slice(s.end);
    const before = await statementsOf(text, dialect);
    const after = await statementsOf(kept, dialect);
    const expected = before?.filter((s) => !out.some((o) => o.start === s.start)).map((s) => s.kind);
    if (!expected || !after || expected.length !== before!.length - out.length || expected.join() !== after.map((s) => s.kind).join())
      throw refusal(
        migration,
        piece,
        `${out.map((s) => s.keyword).join(' and ')} share this piece with other statements and can't be taken out of it safely; put each on a piece of its own (--> statement-breakpoint)`,
      );
    pieces[piece] = after.length === 0 ? null : kept;
  }
  const keywords = [...new Set(withheld.map((s) => s.keyword))].join('/');
  const numbers = [...new Set(withheld.map((s) => s.piece + 1))];
  return {
    pieces,
    withheld: `${keywords} at statement${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')} not sent: dbdeck runs the set in one transaction`,
  };
}
