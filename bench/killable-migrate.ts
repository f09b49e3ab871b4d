/**
 * Child of bench/killed-runner.ts: applies a migrations folder with the vanished-client check at
 * the given interval (0: off, as before dbdeck set it), and is killed mid-statement.
 *
 *   tsx bench/killable-migrate.ts URL FOLDER INTERVAL_MS
 */
import { applyPending, connect, readJournal } from '../lib/engine';

const [url, folder, interval] = process.argv.slice(2);
const driver = await connect({ url: url! });
await applyPending(driver, readJournal(folder!), {
  safety: { lockTimeoutMs: null, statementTimeoutMs: null, lockRetries: 0, connectionCheckIntervalMs: Number(interval) },
});
await driver.close();
