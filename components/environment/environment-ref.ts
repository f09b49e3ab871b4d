import type { SafetyView } from '@/lib/server/environment-view';

/** The environment an operation dialog acts on, as the page knew it. */
export interface EnvironmentRef {
  project: string;
  environment: string;
  protected: boolean;
  /** PostgreSQL: the lock and statement limits an apply runs under (null on SQLite). */
  safety?: SafetyView | null;
  /** Differences between the live schema and its applied migrations (null: not checked). */
  schemaDrift?: number | null;
}
