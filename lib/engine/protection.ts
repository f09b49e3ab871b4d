/**
 * dbdeck's protection marker. Every protected environment's database carries it, and the engine
 * refuses to reset or seed a database that does, whatever the caller's configuration says: a
 * config that wrongly says `protected: false`, or another checkout whose URL points at
 * production, cannot wipe it.
 *
 * - PostgreSQL and PGlite: a schema `_dbdeck` holding a one-row table `protection` (who marked
 *   it, when). Resets never touch that schema.
 * - SQLite / libSQL: the file header's `application_id` set to {@link SQLITE_APPLICATION_ID}. It
 *   survives dropping every table and adds nothing the application can see. When the application
 *   uses application_id for itself (non-zero and not ours), or a server ignores the pragma, a
 *   table `_dbdeck_protection` carries the marker instead.
 *
 * Removing a marker is deliberate work by hand: `DROP SCHEMA "_dbdeck" CASCADE`, or
 * `PRAGMA application_id = 0` / `DROP TABLE "_dbdeck_protection"`.
 */
import type { Driver, SqlExecutor } from './drivers';

export const MARKER_SCHEMA = '_dbdeck';
export const SQLITE_MARKER_TABLE = '_dbdeck_protection';
/** "dbdk" in ASCII. */
export const SQLITE_APPLICATION_ID = 0x6462646b;

const PG_MARKER = `"${MARKER_SCHEMA}"."protection"`;

/** null when the server refuses the pragma (a remote libSQL may): the table then serves alone. */
async function applicationId(db: SqlExecutor): Promise<number | null> {
  try {
    const [row] = await db.query<{ application_id: unknown }>('PRAGMA application_id');
    return Number(row?.application_id ?? 0);
  } catch {
    return null;
  }
}

async function sqliteMarkerTableExists(db: SqlExecutor): Promise<boolean> {
  return (await db.query("select 1 from sqlite_master where type = 'table' and name = ?", [SQLITE_MARKER_TABLE])).length > 0;
}

/** Whether the database carries the marker. `db` may be one of the driver's transactions. */
export async function hasProtectionMarker(driver: Driver, db: SqlExecutor = driver): Promise<boolean> {
  if (driver.dialect === 'postgresql') {
    const [row] = await db.query<{ found: string | null }>('select to_regclass($1)::text as found', [PG_MARKER]);
    return row?.found != null;
  }
  return (await applicationId(db)) === SQLITE_APPLICATION_ID || (await sqliteMarkerTableExists(db));
}

/**
 * Marks the database as protected (idempotent: a marked database is left as it is). `environment`
 * is recorded beside the PostgreSQL marker, for the message a refusal shows. Returns whether
 * this call wrote the marker.
 */
export async function writeProtectionMarker(driver: Driver, options: { environment?: string } = {}): Promise<boolean> {
  if (await hasProtectionMarker(driver)) return false;
  if (driver.dialect === 'postgresql') {
    await driver.transaction(async (tx) => {
      await tx.run(`CREATE SCHEMA IF NOT EXISTS "${MARKER_SCHEMA}"`);
      await tx.run(
        `CREATE TABLE IF NOT EXISTS ${PG_MARKER} (
           "only_row" boolean PRIMARY KEY DEFAULT true CHECK ("only_row"),
           "environment" text,
           "marked_at" timestamptz NOT NULL DEFAULT now()
         )`,
      );
      await tx.run(`COMMENT ON TABLE ${PG_MARKER} IS 'dbdeck: this database belongs to a protected environment; dbdeck refuses to reset or seed it.'`);
      await tx.query(`INSERT INTO ${PG_MARKER} ("environment") VALUES ($1) ON CONFLICT DO NOTHING`, [options.environment ?? null]);
    });
    return true;
  }
  if ((await applicationId(driver)) === 0) {
    try {
      await driver.run(`PRAGMA application_id = ${SQLITE_APPLICATION_ID}`);
    } catch {
      // Refused by the server: the table below marks the database instead.
    }
    if ((await applicationId(driver)) === SQLITE_APPLICATION_ID) return true;
  }
  // The application's own application_id is not ours to overwrite; or the server ignored it.
  await driver.run(`CREATE TABLE IF NOT EXISTS "${SQLITE_MARKER_TABLE}" ("environment" text, "marked_at" text NOT NULL DEFAULT (datetime('now')))`);
  await driver.query(`INSERT INTO "${SQLITE_MARKER_TABLE}" ("environment") VALUES (?)`, [options.environment ?? null]);
  return true;
}

/** The database's own name: PostgreSQL's current database, SQLite's file. */
export async function databaseName(driver: Driver, db: SqlExecutor = driver): Promise<string> {
  if (driver.dialect === 'postgresql') {
    const [row] = await db.query<{ name: string }>('select current_database() as name');
    return row!.name;
  }
  const rows = await db.query<{ name: string; file: string | null }>('PRAGMA database_list');
  const main = rows.find((r) => r.name === 'main');
  return main?.file || 'main';
}

/** Why an operation on a marked database is refused, naming the database and who marked it. */
export async function protectedDatabaseMessage(driver: Driver, operation: string, db: SqlExecutor = driver): Promise<string> {
  const name = await databaseName(driver, db);
  let markedBy = '';
  if (driver.dialect === 'postgresql') {
    const [row] = await db.query<{ environment: string | null; marked_at: unknown }>(`select "environment", "marked_at" from ${PG_MARKER} limit 1`);
    if (row) markedBy = ` (marked${row.environment ? ` as ${row.environment}` : ''} on ${new Date(row.marked_at as string | Date).toISOString().slice(0, 10)})`;
  }
  const removal =
    driver.dialect === 'postgresql' ? `DROP SCHEMA "${MARKER_SCHEMA}" CASCADE` : `PRAGMA application_id = 0, or DROP TABLE "${SQLITE_MARKER_TABLE}"`;
  return (
    `database "${name}" carries dbdeck's protection marker${markedBy}: it belongs to a protected environment, so ${operation} is refused, whatever the configuration says. ` +
    `Check which database this environment's URL points at; nothing was changed. (Only if it really is not protected, remove the marker by hand: ${removal}.)`
  );
}
