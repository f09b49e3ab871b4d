import type { Driver } from '../drivers';
import { DbdeckError, messageOf } from '../errors';
import type { Migration } from '../journal';
import { splitStatements } from '../sql-text';
import { decideTransactionControl } from '../transaction-control';
import type { ScratchProvider } from './scratch';

export interface ReplayProgress {
  tag: string;
  position: number;
  total: number;
}

/**
 * A value added to an enum cannot be used before its transaction commits: a migration that adds
 * one ends its transaction, so the next migration (applied by a later `migrate` in real life) can
 * use the value, as it could when it ran.
 */
const ADDS_ENUM_VALUE = /\bALTER\s+TYPE\b[\s\S]*?\bADD\s+VALUE\b/i;

/**
 * What PostgreSQL answers to CREATE EXTENSION of an extension its host has not installed: 0A000
 * `extension "vector" is not available` (PostgreSQL 15 and later), 58P01 `could not open extension
 * control file` (before). The migration is fine; the scratch server is not the one it needs.
 */
const EXTENSION_NOT_INSTALLED = new Set(['0A000', '58P01']);

function missingExtension(error: unknown, statement: string): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  const creates = /\bCREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([\w-]+)"?/i.exec(statement);
  if (typeof code !== 'string' || !EXTENSION_NOT_INSTALLED.has(code) || !creates) return null;
  return /extension "([^"]+)"/.exec(messageOf(error))?.[1] ?? creates[1]!;
}

/** Consecutive transactional migrations share a transaction; a non-transactional one stands alone. */
function segments(migrations: Migration[]): Migration[][] {
  const result: Migration[][] = [];
  let open = false;
  for (const migration of migrations) {
    if (migration.nonTransactional || !open) result.push([migration]);
    else result.at(-1)!.push(migration);
    open = !migration.nonTransactional && !ADDS_ENUM_VALUE.test(migration.sql ?? '');
  }
  return result;
}

/**
 * A migration's pieces as migrate sends them: a BEGIN/COMMIT pair would end the replay's
 * transaction (and a nested BEGIN fails on SQLite). Transaction control migrate refuses may still
 * have been applied by another tool as written, so it is replayed as written.
 */
async function piecesToReplay(migration: Migration, driver: Driver): Promise<(string | null)[]> {
  try {
    return (await decideTransactionControl(migration, driver.dialect)).pieces;
  } catch {
    return migration.statements;
  }
}

/**
 * Runs migrations into a scratch database in as few transactions as give the same result as the
 * separate `migrate` runs that applied them (see {@link ADDS_ENUM_VALUE}); a migration PostgreSQL
 * refuses inside a transaction runs statement by statement. A statement that fails is a finding:
 * the migrations no longer build the schema from scratch — unless it creates an extension the
 * scratch server lacks, which is the scratch server's shortcoming, named with its setting.
 */
export async function replayMigrations(
  driver: Driver,
  migrations: Migration[],
  options: { onProgress?: (progress: ReplayProgress) => void; scratch?: Pick<ScratchProvider, 'label' | 'setting'> } = {},
): Promise<void> {
  const { onProgress, scratch } = options;
  let position = 0;
  const replay = async (db: Pick<Driver, 'run'>, migration: Migration, statements: (string | null)[]) => {
    onProgress?.({ tag: migration.tag, position: position++, total: migrations.length });
    for (const [index, statement] of statements.entries()) {
      if (statement === null) continue;
      try {
        await db.run(statement);
      } catch (error) {
        const extension = missingExtension(error, statement);
        if (extension)
          throw new DbdeckError(
            'config',
            `the scratch server (${scratch?.label ?? 'the scratch database'}) lacks the extension "${extension}" that ${migration.tag} creates: ${messageOf(error)}. The migration is not at fault: replay on a PostgreSQL server that has "${extension}" installed${scratch?.setting ? ` (${scratch.setting})` : ''}.`,
            { tag: migration.tag, file: migration.file, statementIndex: index, statement, cause: error },
          );
        throw new DbdeckError(
          'migration',
          `replaying the applied migrations into a scratch database failed at ${migration.tag}, statement ${index + 1} of ${statements.length}: ${messageOf(error)}. The migrations no longer build the schema from scratch; fix that migration (or its predecessors).\n  ${statement.trim().slice(0, 400)}`,
          { tag: migration.tag, file: migration.file, statementIndex: index, statement, cause: error },
        );
      }
    }
  };
  const missing = migrations.find((m) => m.sql === null);
  if (missing) throw new DbdeckError('journal', `cannot replay ${missing.tag}: ${missing.file} does not exist`, { tag: missing.tag, file: missing.file });
  for (const segment of segments(migrations)) {
    const first = segment[0]!;
    if (first.nonTransactional)
      await replay(
        driver,
        first,
        first.statements.flatMap((piece) => splitStatements(piece, driver.dialect)),
      );
    else {
      await driver.transaction(
        async (tx) => {
          for (const migration of segment) await replay(tx, migration, await piecesToReplay(migration, driver));
        },
        { foreignKeysOff: true },
      );
    }
  }
}
