import type { Dialect } from '../lib/engine/types';
import { defaultConfigFile, usage } from './usage';

/** What a command works on, as its options name it. */
export type Target =
  | { kind: 'config'; config: string; project: string; env: string }
  | {
      kind: 'adhoc';
      dialect: 'postgresql' | 'sqlite';
      /** As typed (`turso`, `pg`, …), for messages. */ dialectGiven: string;
      url: string;
      authToken?: string;
      migrations: string;
      migrationsTable?: string;
      migrationsSchema?: string;
    };

export interface TargetOptionValues {
  project?: string;
  env?: string;
  config?: string;
  dialect?: string;
  url?: string;
  'auth-token'?: string;
  migrations?: string;
  'migrations-table'?: string;
  'migrations-schema'?: string;
}

/** The database a command works on: an environment of the config, or an ad hoc URL and folder. */
export function parseTarget(values: TargetOptionValues): Target {
  const adhoc = values.url !== undefined || values.dialect !== undefined || values.migrations !== undefined;
  const fromConfig = values.project !== undefined || values.env !== undefined;
  if (adhoc && fromConfig) usage('give either --project/--env or --dialect/--url/--migrations, not both');
  if (adhoc) {
    if (!values.dialect || !values.url || !values.migrations) usage('an ad hoc target needs --dialect, --url and --migrations');
    const dialect = dialectOption(values.dialect);
    return {
      kind: 'adhoc',
      dialect,
      dialectGiven: values.dialect,
      url: values.url,
      authToken: values['auth-token'],
      migrations: values.migrations,
      migrationsTable: values['migrations-table'],
      migrationsSchema: values['migrations-schema'],
    };
  }
  if (!values.project || !values.env) usage('name the target: --project P --env E (or an ad hoc --dialect/--url/--migrations)');
  return { kind: 'config', config: values.config ?? defaultConfigFile(), project: values.project, env: values.env };
}

export function dialectOption(value: string): Dialect {
  if (value === 'postgresql' || value === 'pg') return 'postgresql';
  if (value === 'turso' || value === 'sqlite') return 'sqlite';
  usage(`--dialect must be postgresql or turso, got "${value}"`);
}
