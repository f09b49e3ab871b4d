import { isDbdeckError, DbdeckError, rollbackDowns, type DownVersion, type Migration, type MigrationSet } from '../engine';
import { evaluateApplyGates, type ApplyScope, type ControlAccess, type GateOutcome } from './gates';

/**
 * Decisions and lint acknowledgements on a migration's drafted down SQL are recorded under this
 * name, beside the migration's own: approving a migration's up SQL says nothing about its draft.
 */
export const draftedDownTag = (tag: string) => `${tag}.down`;

/** A drafted down as the apply gates weigh a migration: its own name, its text, its hash. */
export function draftAsMigration(migration: Migration, version: DownVersion): Migration {
  return {
    ...migration,
    tag: draftedDownTag(migration.tag),
    file: version.file,
    sql: version.text,
    hash: version.hash,
    statements: version.statements,
    nonTransactional: null,
    down: null,
  };
}

export interface RollbackGates extends GateOutcome {
  /** sha256 by tag of each step's down SQL (file or draft): what the engine checks again under its lock. */
  hashes: Record<string, string>;
}

/**
 * A draft is SQL nobody wrote into a file: each drafted step meets Apply's gates for its draft
 * (approvals of its hash from people other than the one rolling back; on protected environments,
 * blocking lint findings acknowledged). Down files are the team's committed SQL and pass as they
 * always did. A step whose draft is incomplete is refused first, naming it; nothing has run.
 */
export async function rollbackGates(control: ControlAccess, scope: ApplyScope, set: MigrationSet, tags: string[]): Promise<RollbackGates> {
  const downs = await rollbackDowns(set, tags);
  const hashes = Object.fromEntries([...downs].map(([tag, down]) => [tag, down.hash]));
  const drafts = [...downs.values()]
    .filter((down) => down.kind === 'drafted')
    .map((down) =>
      draftAsMigration(
        set.migrations.find((m) => m.tag === down.tag)!,
        down,
      ),
    );
  if (drafts.length === 0) return { approvals: [], skippedApprovals: [], acceptedLint: [], acknowledgedInFile: [], hashes };
  try {
    return { ...(await evaluateApplyGates(control, scope, drafts)), hashes };
  } catch (error) {
    if (!isDbdeckError(error, 'refused')) throw error;
    throw new DbdeckError(
      'refused',
      `a drafted rollback meets the same gates as Apply, for each draft (approve it on the migration's page, under Down SQL, or with dbdeck approve --rollback): ${error.message.replace(/ ?Nothing was applied\./, ' Nothing was rolled back.')}`,
      error.details,
    );
  }
}
