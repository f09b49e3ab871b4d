import { firstNonTransactional } from '../journal';
import { judgeTransactionControl, readTransactionControl, type TransactionControlStatement } from '../transaction-control';
import type { Dialect } from '../types';
import { finding } from './rules';
import type { LintFinding } from './types';

function findingOf(s: TransactionControlStatement): LintFinding {
  switch (s.verdict) {
    case 'withheld':
      return finding(
        'transaction-control/begin-commit',
        s.piece,
        `${s.keyword} only delimits what already runs as one transaction: dbdeck does not send it (plan and migrate say so). drizzle's own migrator does, and there the COMMIT commits every migration of the set run before it, mid-set, and what follows runs outside any transaction. Remove the BEGIN and COMMIT: the migration runs in a transaction anyway.`,
        s.text,
      );
    case 'sent':
      return finding(
        'transaction-control/savepoint',
        s.piece,
        `${s.text} is closed within the migration, so it nests inside the transaction the set runs in: dbdeck sends it as written.`,
        s.text,
      );
    case 'refused':
      return finding(
        'transaction-control/refused',
        s.piece,
        `${s.reason}. dbdeck refuses to run this migration: plan and migrate stop before anything runs.`,
        s.text,
      );
  }
}

/**
 * Names the transaction-control statements of one migration, as migrate and plan will decide
 * them (the same reading and the same judgement). A SQLite piece the tokenizer can't read is the
 * syntax rule's finding, not this one's.
 */
export async function lintTransactionControl(pieces: string[], dialect: Dialect): Promise<LintFinding[]> {
  const reading = await readTransactionControl(pieces, dialect);
  if (!reading.ok) return [];
  return judgeTransactionControl(reading.statements, firstNonTransactional(pieces, dialect)).map(findingOf);
}
