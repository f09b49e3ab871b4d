import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readDrizzleConfig } from '../../lib/config/drizzle-config';
import { configFromDrizzle, DEFAULT_URL_VARIABLE, projectNameFrom, renderConfig } from '../../lib/config/init-config';
import { loadConfigFile } from '../../lib/config/load-config-file';
import { DbdeckError } from '../../lib/engine/errors';
import { readJournal } from '../../lib/engine/journal';
import type { HumanOutput } from '../output';
import { parseCommandOptions } from '../usage';

export const INIT_USAGE = `Usage: dbdeck init [--drizzle-config FILE] [--project NAME] [--json]

Reads your drizzle.config.ts (default ./drizzle.config.ts): its dialect, \`out\` folder,
\`schema\` (seed and reset generate rows from it with drizzle-seed), migrations.table /
migrations.schema and the environment variable dbCredentials.url comes from, and writes
dbdeck.config.ts beside it, with development, staging and production environments that name
environment variables (production protected, 2 approvals). Never overwrites.
The project is named after package.json's name beside it unless --project is given.`;

function initOptions(argv: string[]) {
  return parseCommandOptions(
    argv,
    {
      'drizzle-config': { type: 'string' },
      project: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    INIT_USAGE,
  );
}

function projectName(folder: string, given: string | undefined): string {
  if (given !== undefined) {
    if (!/^[a-z][a-z0-9_-]*$/.test(given))
      throw new DbdeckError('usage', `--project must be lowercase letters, digits, dashes and underscores, starting with a letter; got "${given}"`);
    return given;
  }
  const packageFile = path.join(folder, 'package.json');
  if (existsSync(packageFile)) {
    try {
      const name = projectNameFrom(String((JSON.parse(readFileSync(packageFile, 'utf8')) as { name?: unknown }).name ?? ''));
      if (name) return name;
    } catch {
      // An unreadable package.json only costs the name: the folder's is used instead.
    }
  }
  return projectNameFrom(path.basename(folder)) ?? 'app';
}

/** `dbdeck init`: a dbdeck.config.ts for an existing drizzle project, beside its drizzle.config.ts. */
export async function runInit(argv: string[], out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const options = initOptions(argv);
  if (options.help) {
    out.line(INIT_USAGE);
    return 0;
  }
  const drizzleFile = path.resolve(options['drizzle-config'] ?? 'drizzle.config.ts');
  if (!existsSync(drizzleFile)) {
    throw new DbdeckError('usage', `no drizzle config at ${drizzleFile}; run init in the folder of your drizzle.config.ts, or pass --drizzle-config FILE`, {
      file: drizzleFile,
    });
  }
  const folder = path.dirname(drizzleFile);
  const target = path.join(folder, 'dbdeck.config.ts');
  if (existsSync(target))
    throw new DbdeckError('refused', `${target} exists already; init never overwrites it (edit it, or move it away first)`, { file: target });

  const facts = await readDrizzleConfig(drizzleFile);
  const project = projectName(folder, options.project);
  const config = configFromDrizzle(facts, project);
  try {
    // `wx`: a file that appeared meanwhile is not overwritten either.
    writeFileSync(target, renderConfig(config, path.basename(drizzleFile)), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new DbdeckError('refused', `${target} exists already; init never overwrites it`, { file: target });
    throw error;
  }
  // What was written must load as every dbdeck process will load it; if not, nothing stays behind.
  let loaded;
  try {
    loaded = await loadConfigFile(target);
  } catch (error) {
    rmSync(target, { force: true });
    throw error;
  }

  const written = loaded.projects[0]!;
  const notes: string[] = [];
  if (!facts.urlVariable)
    notes.push(
      `${path.basename(drizzleFile)} doesn't read its URL from one environment variable (${facts.urlProblem}): dbdeck reads ${DEFAULT_URL_VARIABLE} for development; rename it in ${path.basename(target)} if you like`,
    );
  if (facts.schemaProblem)
    notes.push(
      `${path.basename(drizzleFile)}: ${facts.schemaProblem}: set \`schema\` in ${path.basename(target)} to the files or folders it names, so that seed and reset can generate rows from it`,
    );
  const schema = written.schema === undefined ? [] : Array.isArray(written.schema) ? written.schema : [written.schema];
  let migrations: number | null = null;
  try {
    migrations = readJournal(written.migrations).migrations.length;
  } catch {
    notes.push(`${written.migrations} holds no drizzle-kit migrations yet: run \`drizzle-kit generate\` first`);
  }
  const environments = written.environments.map((e) => ({
    name: e.name,
    urlVariable: e.url.env,
    authTokenVariable: e.authToken?.env ?? null,
    protected: e.protected,
    requiredApprovals: e.requiredApprovals,
  }));

  if (options.json) {
    print({ file: target, project, dialect: written.dialect, migrations: written.migrations, migrationCount: migrations, schema, environments, notes });
    return 0;
  }
  out.line(`wrote ${target}`);
  out.line(
    `  project ${project} (${written.dialect}), migrations ${path.relative(folder, written.migrations) || '.'}${migrations === null ? '' : `: ${migrations} in the journal`}`,
  );
  if (schema.length > 0)
    out.line(`  schema ${schema.map((file) => path.relative(folder, file)).join(', ')}: seed and reset generate rows from it (drizzle-seed)`);
  for (const e of environments) {
    out.line(
      `  ${e.name.padEnd(12)} URL from ${e.urlVariable}${e.authTokenVariable ? `, token from ${e.authTokenVariable}` : ''}${e.protected ? `, protected, ${e.requiredApprovals} approvals` : e.requiredApprovals ? `, ${e.requiredApprovals} approval` : ''}`,
    );
  }
  for (const note of notes) out.warn(note);
  out.line('');
  out.line('next: set those variables where dbdeck runs, then');
  out.line(`  DBDECK_CONFIG=${target} npx dbdeck status --project ${project} --env development`);
  return 0;
}
