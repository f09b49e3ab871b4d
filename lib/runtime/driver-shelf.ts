import type { Driver } from '../engine/drivers/types';

/** A driver taken from the shelf: give it back with `release`; `discard` closes it for everyone (a hung server). */
export interface ShelvedDriver {
  driver: Driver;
  release(): void;
  discard(): Promise<void>;
}

interface Entry {
  driver: Promise<Driver>;
  users: number;
  idle: NodeJS.Timeout | null;
}

/** Only servers across a network: a file or PGlite database costs nothing to open (and a reset may replace the file). */
export const isNetworkUrl = (url: string) => /^(postgres(ql)?|libsql|https?|wss?):\/\//i.test(url);

/**
 * The console's connections to environments' servers, kept between page requests: a page that
 * reads an environment's status or schema would otherwise connect each time — on PostgreSQL
 * four round trips (TCP, startup, SCRAM's two steps) and a key derivation before its one query,
 * on a remote libSQL server a version check. Only short reads take from it (status, schema);
 * operations (which hold locks and session settings) and table browsing (a long query would hold
 * up the others: a driver has one connection) open their own. A driver nobody has used for
 * `idleMs` is closed. Keys name everything the driver was opened with (its URL and credentials,
 * and the environment its messages name), so a changed variable opens a new one.
 */
export class DriverShelf {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly idleMs = 60_000) {}

  async take(key: string, open: () => Promise<Driver>): Promise<ShelvedDriver> {
    let entry = this.entries.get(key);
    if (!entry) {
      const opened: Entry = { driver: open(), users: 0, idle: null };
      // A failed open is not kept: the next request tries again.
      opened.driver.catch(() => this.forget(key, opened));
      this.entries.set(key, (entry = opened));
    }
    const taken = entry;
    taken.users++;
    if (taken.idle) clearTimeout(taken.idle);
    taken.idle = null;
    let driver: Driver;
    try {
      driver = await taken.driver;
    } catch (error) {
      taken.users--;
      throw error;
    }
    let returned = false;
    const giveBack = () => {
      if (returned) return false;
      returned = true;
      taken.users--;
      return true;
    };
    return {
      driver,
      release: () => {
        if (!giveBack() || taken.users > 0 || this.entries.get(key) !== taken) return;
        taken.idle = setTimeout(() => void this.close(key, taken), this.idleMs);
        taken.idle.unref();
      },
      discard: async () => {
        giveBack();
        await this.close(key, taken);
      },
    };
  }

  /** How many drivers are open on the shelf (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries].map(([key, entry]) => this.close(key, entry)));
  }

  private forget(key: string, entry: Entry): void {
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = null;
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private async close(key: string, entry: Entry): Promise<void> {
    this.forget(key, entry);
    const driver = await entry.driver.catch(() => null);
    await driver?.close().catch(() => {});
  }
}
