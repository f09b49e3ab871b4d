import type { Driver } from '../drivers';
import { DbdeckError, messageOf } from '../errors';
import type { Migration } from '../journal';
import { splitStatements } from '../sql-text';

export interface ReplayProgress {
  tag: string;
  position: number;
  total: number;
}

/**
 * Runs migrations into a scratch database, each in a transaction of its own as separate
 * `migrate` runs would have (a value added to an enum in one migration can be used by the next),
 * a migration PostgreSQL refuses inside a transaction statement by statement. A statement that
 * fails is a finding: the migrations no longer build the schema from scratch.
 */
export async function replayMigrations(driver: Driver, migrations: Migration[], onProgress?: (progress: ReplayProgress) => void): Promise<void> {
  for (const [position, migration] of migrations.entries()) {
    onProgress?.({ tag: migration.tag, position, total: migrations.length });
    if (migration.sql === null) {
      throw new DbdeckError('journal', `cannot replay ${migration.tag}: ${migration.file} does not exist`, { tag: migration.tag, file: migration.file });
    }
    const run = async (db: Pick<Driver, 'run'>, statements: string[]) => {
      for (const [index, statement] of statements.entries()) {
        try {
          await db.run(statement);
        } catch (error) {
          throw new DbdeckError(
            'migration',
            `replaying the applied migrations into a scratch database failed at ${migration.tag}, statement ${index + 1} of ${statements.length}: ${messageOf(error)}. The migrations no longer build the schema from scratch; fix that migration (or its predecessors).\n  ${statement.trim().slice(0, 400)}`,
            { tag: migration.tag, file: migration.file, statementIndex: index, statement, cause: error },
          );
        }
      }
    };
    if (migration.nonTransactional) await run(driver, migration.statements.flatMap((piece) => splitStatements(piece, driver.dialect)));
    else await driver.transaction((tx) => run(tx, migration.statements), { foreignKeysOff: true });
  }
}
