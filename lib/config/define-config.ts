import { z } from 'zod';
import type { SeedModule } from '../engine/seed';
import { DURATION_HELP, parseDuration, PROTECTED_DEFAULTS, UNPROTECTED_DEFAULTS, type DurationInput } from './apply-safety-config';
import { lintConfigSchema } from './lint-config';

export type { SeedModule };

/**
 * dbdeck.config.ts names environment variables, never values: a URL or token written into
 * the config would end up in version control.
 */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const envRef = z
  .object({ env: envName }, { error: 'must name an environment variable, e.g. env("SHOP_PRODUCTION_URL"); never write a URL or token into the config' })
  .strict();

const seedLoader = z.custom<() => Promise<{ default: SeedModule }>>((value) => typeof value === 'function', 'must be a function returning import(…)');

/** A column's drizzle-seed generator: its name (`'email'`), or its name and arguments (`{ int: { minValue: 1 } }`). */
const columnGenerator = z.union([
  z.string().min(1),
  z.record(z.string(), z.record(z.string(), z.unknown())).refine((value) => Object.keys(value).length === 1, 'one generator: { name: { …arguments } }'),
]);

export const generatedSeedSchema = z
  .object({
    /** Rows per table. */
    count: z.number().int().min(0).max(1_000_000).default(10),
    /** drizzle-seed's seed number: the same number gives the same rows. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Rows of particular tables: `{ users: 50 }`. */
    counts: z.record(z.string(), z.number().int().min(0).max(1_000_000)).optional(),
    /** Generators per table and column: `{ users: { email: 'email' } }`. */
    refine: z.record(z.string(), z.record(z.string(), columnGenerator)).optional(),
    /** A module whose default export is drizzle-seed's refine function `(f) => ({ users: { count, columns, with } })`, relative to this config. */
    module: z.string().min(1).optional(),
  })
  .strict();

export type GeneratedSeedConfig = z.output<typeof generatedSeedSchema>;

export const environmentSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
    url: envRef,
    authToken: envRef.optional(),
    protected: z.boolean().default(false),
    /**
     * A protected environment's own consent to the embedded default when its variable is unset
     * (the demo's production): the config's `embedded: true` alone covers unprotected ones only.
     */
    embedded: z.boolean().optional(),
    /** The PostgreSQL server schema drift replays this environment's migrations on (overrides the project's). */
    scratchUrl: envRef.optional(),
    requiredApprovals: z.number().int().min(0).max(10).default(0),
    /** Longest wait for one lock on PostgreSQL (default 5 s on protected environments, else none). */
    lockTimeout: z.custom<DurationInput>().optional(),
    /** Longest run of one statement on PostgreSQL (default none). */
    statementTimeout: z.custom<DurationInput>().optional(),
    /** Retries of a set rolled back on the lock timeout (default 3 on protected environments, else 0). */
    lockRetries: z.custom<number>().optional(),
  })
  .strict()
  // Validated here, where the environment's name is known, so the error can name it.
  .transform((environment, ctx) => {
    const defaults = environment.protected ? PROTECTED_DEFAULTS : UNPROTECTED_DEFAULTS;
    const fail = (field: string, problem: string) => {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        input: environment[field as keyof typeof environment],
        message: `environment "${environment.name}": ${field}: ${problem}`,
      });
      return null;
    };
    const duration = (field: 'lockTimeout' | 'statementTimeout') => {
      const value = environment[field];
      if (value === undefined) return defaults[field];
      const parsed = parseDuration(value);
      return parsed.ok ? parsed.ms : fail(field, `${parsed.problem}; ${DURATION_HELP}`);
    };
    const lockTimeout = duration('lockTimeout');
    const statementTimeout = duration('statementTimeout');
    const retries = environment.lockRetries ?? defaults.lockRetries;
    const lockRetries =
      Number.isInteger(retries) && retries >= 0 && retries <= 100
        ? retries
        : fail('lockRetries', `${JSON.stringify(retries)} is not a whole number from 0 to 100`);
    if (ctx.issues.length > 0) return z.NEVER;
    return { ...environment, lockTimeout, statementTimeout, lockRetries: lockRetries as number };
  });

export const projectSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lowercase letters, digits, dashes and underscores'),
    title: z.string().optional(),
    dialect: z.enum(['postgresql', 'turso', 'sqlite']),
    migrations: z.string().min(1),
    seeds: z.string().min(1).optional(),
    /**
     * Loads the seed module: `seed: () => import('./seeds/shop')`. Without it, `<seeds>/index.ts`
     * (default export `defineSeed({ … })`) is loaded at run time, by the console and the CLI alike.
     * Or, for a project without seeds, how drizzle-seed generates rows from `schema`:
     * `{ count, seed, counts, refine, module }` (docs/seeds.md).
     */
    seed: z.union([seedLoader, generatedSeedSchema]).optional(),
    /**
     * The team's drizzle schema (drizzle.config.ts's `schema`: files or folders, relative to this
     * config). A project without seeds is seeded from it by drizzle-seed, as `seed` says.
     */
    schema: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /**
     * Personal columns that their names don't give away (`users.name`, or a bare `column`): masked
     * for support in the data browser, and replaced by stand-ins when data is copied with masking.
     */
    personalColumns: z.array(z.string().min(1)).optional(),
    /**
     * The data browser: `labels` names the column that says what a row of a table is
     * (`{ users: 'name' }`), shown beside every foreign key pointing at it. Tables left out get
     * their first non-personal text column; a column a table lacks is an error when browsing.
     */
    browse: z
      .object({ labels: z.record(z.string().min(1, 'a table name'), z.string().min(1, 'a column name')).optional() })
      .strict()
      .optional(),
    migrationsTable: z.string().min(1).optional(),
    migrationsSchema: z.string().min(1).optional(),
    /**
     * A PostgreSQL server whose role may create databases, where schema drift replays the applied
     * migrations (one with the extensions they create: pgvector, …). Default: the environment's own
     * server when its role may create databases, else the embedded server (configs with `embedded: true`).
     */
    scratchUrl: envRef.optional(),
    environments: z.array(environmentSchema).min(1),
    /** Lint rule settings for this project's migrations: `{ rules: { '<rule code>': 'off' | 'info' | 'warning' | 'error' } }`. */
    lint: lintConfigSchema.optional(),
  })
  .strict()
  .superRefine((project, ctx) => {
    // Settings of a generated seed that would never be used are a mistake, not a default.
    if (project.seed && typeof project.seed === 'object') {
      const problem = project.seeds
        ? `project "${project.name}": seed settings ({ count, seed, … }) are for rows generated from \`schema\`, and the project has a seeds folder`
        : !project.schema
          ? `project "${project.name}": seed settings ({ count, seed, … }) generate rows from the drizzle schema: set \`schema\` (drizzle.config.ts's schema)`
          : null;
      if (problem) ctx.addIssue({ code: 'custom', path: ['seed'], message: problem });
    }
    const names = project.environments.map((e) => e.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) ctx.addIssue({ code: 'custom', path: ['environments'], message: `environment "${duplicate}" is defined twice` });
  });

export const configSchema = z
  .object({
    /**
     * The embedded default (the demo, one machine): an unprotected environment whose variable is
     * unset is a database of dbdeck's embedded server (or a libSQL file) under the data folder.
     * Without it an unset variable is an error naming it, and nothing is created.
     */
    embedded: z.boolean().default(false),
    projects: z.array(projectSchema).min(1),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = config.projects.map((p) => p.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) ctx.addIssue({ code: 'custom', path: ['projects'], message: `project "${duplicate}" is defined twice` });
    // A production database must never be an embedded one by accident: asking takes two settings, and only on a protected environment.
    config.projects.forEach((project, p) =>
      project.environments.forEach((environment, e) => {
        if (!environment.embedded) return;
        const where = `project "${project.name}", environment "${environment.name}"`;
        const problem = !environment.protected
          ? 'embedded is for protected environments only; the config-level `embedded: true` covers the unprotected ones'
          : !config.embedded
            ? 'asks for the embedded default on a protected environment, and the config does not use the embedded default (`embedded: true` at its top, the demo only); set the variable instead'
            : null;
        if (problem) ctx.addIssue({ code: 'custom', path: ['projects', p, 'environments', e, 'embedded'], message: `${where}: ${problem}` });
      }),
    );
  });

export type DbdeckConfigInput = z.input<typeof configSchema>;
export type DbdeckConfig = z.output<typeof configSchema>;
export type ProjectConfig = z.output<typeof projectSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;

/** Typed helper for dbdeck.config.ts. Validation happens when the config is loaded. */
export function defineConfig(config: DbdeckConfigInput): DbdeckConfigInput {
  return config;
}

/** Refers to an environment variable: `url: env('SHOP_PRODUCTION_URL')`. */
export function env(name: string): { env: string } {
  return { env: name };
}
