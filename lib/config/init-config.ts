import path from 'node:path';
import type { DbdeckConfigInput } from './define-config';
import type { DrizzleConfigFacts } from './drizzle-config';

/** The variable drizzle's URL is assumed to come from when the config doesn't read one. */
export const DEFAULT_URL_VARIABLE = 'DATABASE_URL';

const ENVIRONMENTS = [
  { name: 'development', word: null, protected: false, requiredApprovals: 0 },
  { name: 'staging', word: 'STAGING', protected: false, requiredApprovals: 1 },
  { name: 'production', word: 'PRODUCTION', protected: true, requiredApprovals: 2 },
] as const;

const LOCAL_WORDS = ['DEV', 'DEVELOPMENT', 'LOCAL'];

/**
 * The variable of another environment, from the development one: its DEV/DEVELOPMENT/LOCAL part
 * replaced (`SHOP_DEV_URL` → `SHOP_PRODUCTION_URL`), else prefixed (`DATABASE_URL` →
 * `PRODUCTION_DATABASE_URL`).
 */
export function variableFor(development: string, word: string | null): string {
  if (word === null) return development;
  const parts = development.split('_');
  const local = parts.findIndex((part) => LOCAL_WORDS.includes(part.toUpperCase()));
  if (local === -1) return `${word}_${development}`;
  parts[local] = word;
  return parts.join('_');
}

/** A project name dbdeck accepts, from a package name (`@acme/Billing API` → `billing-api`). */
export function projectNameFrom(candidate: string): string | null {
  const name = candidate
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return name === '' ? null : name;
}

/** A path as the config writes it: `./drizzle`, never a bare `drizzle`. */
function relative(folder: string): string {
  return folder.startsWith('.') || path.isAbsolute(folder) ? folder : `./${folder}`;
}

/**
 * The dbdeck config for a drizzle project: development reads the variable drizzle-kit reads
 * (the developer's database), staging and production the same name prefixed; production is
 * protected and needs two approvals.
 */
export function configFromDrizzle(facts: DrizzleConfigFacts, project: string): DbdeckConfigInput {
  const url = facts.urlVariable ?? DEFAULT_URL_VARIABLE;
  const token = facts.authTokenVariable;
  return {
    projects: [
      {
        name: project,
        dialect: facts.dialect,
        migrations: relative(facts.out),
        ...(facts.schema ? { schema: facts.schema.length === 1 ? relative(facts.schema[0]!) : facts.schema.map(relative) } : {}),
        ...(facts.migrationsTable ? { migrationsTable: facts.migrationsTable } : {}),
        ...(facts.migrationsSchema && facts.dialect === 'postgresql' ? { migrationsSchema: facts.migrationsSchema } : {}),
        environments: ENVIRONMENTS.map((e) => ({
          name: e.name,
          url: { env: variableFor(url, e.word) },
          ...(token ? { authToken: { env: variableFor(token, e.word) } } : {}),
          protected: e.protected,
          requiredApprovals: e.requiredApprovals,
        })),
      },
    ],
  };
}

/**
 * The file's text. It imports only a type from dbdeck (erased when the file is compiled), so it
 * loads whether or not dbdeck is installed in the repository.
 */
export function renderConfig(config: DbdeckConfigInput, source: string): string {
  const q = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const projects = config.projects.map((project) => {
    const lines = [`name: ${q(project.name)}`, `dialect: ${q(project.dialect)}`, `migrations: ${q(project.migrations)}`];
    // The drizzle schema, which seeds a project without seeds (drizzle-seed; docs/seeds.md).
    if (project.schema) lines.push(`schema: ${Array.isArray(project.schema) ? `[${project.schema.map(q).join(', ')}]` : q(project.schema)}`);
    if (project.migrationsTable) lines.push(`migrationsTable: ${q(project.migrationsTable)}`);
    if (project.migrationsSchema) lines.push(`migrationsSchema: ${q(project.migrationsSchema)}`);
    const environments = project.environments.map((e) => {
      const token = e.authToken ? ` authToken: { env: ${q(e.authToken.env)} },` : '';
      return `        { name: ${q(e.name)}, url: { env: ${q(e.url.env)} },${token} protected: ${e.protected ?? false}, requiredApprovals: ${e.requiredApprovals ?? 0} },`;
    });
    return `    {\n${lines.map((line) => `      ${line},`).join('\n')}\n      environments: [\n${environments.join('\n')}\n      ],\n    },`;
  });
  return `import type { DbdeckConfigInput } from 'dbdeck/config';

/**
 * dbdeck's view of this repository, written by \`dbdeck init\` from ${source}.
 * Environments name the variables their URLs come from (never a URL): set them where dbdeck runs.
 * Folders are relative to this file. Reference: dbdeck's docs/configuration.md.
 */
export default {
  projects: [
${projects.join('\n')}
  ],
} satisfies DbdeckConfigInput;
`;
}
