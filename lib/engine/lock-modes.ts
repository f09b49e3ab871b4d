// No imports: the console's dialogs use these in the browser.

/** PostgreSQL's table-level lock modes, weakest first (the order of LOCKMODE, 1–8). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** What other sessions can no longer do on the table while the lock is held (PostgreSQL docs, "Explicit Locking"). */
export const LOCK_BLOCKS: Record<LockMode, string> = {
  'ACCESS EXCLUSIVE': 'blocks reads and writes',
  EXCLUSIVE: 'blocks writes; reads go on',
  'SHARE ROW EXCLUSIVE': 'blocks writes; reads go on',
  SHARE: 'blocks writes; reads go on',
  'SHARE UPDATE EXCLUSIVE': 'reads and writes go on; blocks other schema changes and VACUUM',
  'ROW EXCLUSIVE': 'reads and writes go on; blocks CREATE INDEX and stronger locks',
  'ROW SHARE': 'reads and writes go on',
  'ACCESS SHARE': 'blocks only ACCESS EXCLUSIVE',
};

export interface TableLock {
  /** `"orders"`, `"billing"."orders"`, or `index "orders_status_idx" and its table`. */
  target: string;
  mode: LockMode;
  blocks: string;
}

export const strongestLock = (a: LockMode, b: LockMode): LockMode => (LOCK_MODES.indexOf(a) >= LOCK_MODES.indexOf(b) ? a : b);
