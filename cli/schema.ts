import path from 'node:path';
import { loadConfigFile } from '../lib/config/load-config-file';
import { ensureEmbeddedPostgres, type EmbeddedServer } from '../lib/embedded/embedded-postgres';
import {
  assertDatabaseExists,
  bookkeepingTable,
  checkSchemaDrift,
  connect,
  diffEnvironments,
  readMigrationsAs,
  redactUrl,
  type EnvironmentDiff,
  type SchemaDriftReport,
} from '../lib/engine';
import { openSchemaTarget, schemaCacheIn, scratchFor, type SchemaTarget } from '../lib/runtime/schema-target';
import { DEFAULT_EMBEDDED_PORT, Workspace } from '../lib/runtime/workspace';
import type { HumanOutput } from './output';
import type { SchemaArgs } from './schema-args';
import { printDiff, printDrift } from './schema-output';

const EXIT = { ok: 0, drift: 3 } as const;

const dataDirOf = (root: string) => path.resolve(root, process.env.DBDECK_DATA_DIR ?? '.data');
const embeddedPort = () => (process.env.DBDECK_EMBEDDED_PORT ? Number(process.env.DBDECK_EMBEDDED_PORT) : DEFAULT_EMBEDDED_PORT);

function driftJson(label: string, report: SchemaDriftReport) {
  const count = (kind: string) => report.differences.filter((d) => d.kind === kind).length;
  return {
    target: label,
    applied: report.applied,
    cached: report.cached,
    scratch: report.scratch,
    caveats: report.caveats,
    counts: { extra: count('extra'), missing: count('missing'), changed: count('changed') },
    differences: report.differences.map(({ kind, objectType, schema, table, name, expected, actual, properties, parts }) => ({
      kind,
      objectType,
      schema,
      table,
      name,
      expected,
      actual,
      properties,
      ...(parts ? { parts } : {}),
    })),
    timings: report.timings,
  };
}

function diffJson(diff: EnvironmentDiff) {
  const { models: _models, ...rest } = diff;
  return rest;
}

/** `dbdeck drift` and `dbdeck diff`: they only read the environments; exit 3 when a difference is found. */
export async function runSchema(args: SchemaArgs, out: HumanOutput, print: (value: unknown) => void): Promise<number> {
  const started: { embedded: Promise<EmbeddedServer> | null } = { embedded: null };
  const closers: (() => Promise<void>)[] = [];
  try {
    if (args.command === 'drift' && args.target.kind === 'adhoc') {
      const { target } = args;
      const migrations = readMigrationsAs(target.migrations, target.dialect, `--dialect ${target.dialectGiven}`);
      const label = redactUrl(target.url);
      // A missing file: or pglite: database would be created, empty, and show "no drift".
      assertDatabaseExists(target.url);
      const driver = await connect({ url: target.url, authToken: target.authToken });
      closers.push(() => driver.close());
      const dataDir = dataDirOf(process.cwd());
      const scratch = await scratchFor(
        { driver, url: target.url, label },
        {
          scratchUrl: args.scratchUrl,
          embeddedServerUrl: async () => (await (started.embedded ??= ensureEmbeddedPostgres({ dir: dataDir, port: embeddedPort() }))).url('postgres'),
        },
      );
      const table = bookkeepingTable({ schema: target.migrationsSchema, table: target.migrationsTable });
      const report = await checkSchemaDrift(driver, migrations, { scratch, cache: schemaCacheIn(dataDir), table, label });
      if (args.json) print(driftJson(label, report));
      else printDrift(label, report, (line) => out.line(line));
      return report.differences.length > 0 ? EXIT.drift : EXIT.ok;
    }

    const config = await loadConfigFile(args.command === 'drift' ? (args.target as { config: string }).config : args.config);
    const workspace = new Workspace(config, {
      variables: process.env,
      dataDir: process.env.DBDECK_DATA_DIR,
      embeddedPort: embeddedPort(),
      onWarning: (message) => out.warn(message),
    });
    closers.push(() => workspace.close());
    const embeddedServerUrl = async () => (await workspace.embeddedServer()).url('postgres');
    const open = async (project: string, env: string): Promise<SchemaTarget> => {
      const target = await openSchemaTarget(workspace, project, env);
      closers.push(() => target.close());
      return target;
    };
    if (args.command === 'drift') {
      const { project, env } = args.target as { project: string; env: string };
      const target = await open(project, env);
      const scratch = await scratchFor(target, { scratchUrl: args.scratchUrl, embeddedServerUrl });
      const report = await checkSchemaDrift(target.driver, target.migrations, {
        scratch,
        cache: schemaCacheIn(workspace.dataDir),
        table: target.table,
        label: target.label,
      });
      if (args.json) print(driftJson(target.label, report));
      else printDrift(target.label, report, (line) => out.line(line));
      return report.differences.length > 0 ? EXIT.drift : EXIT.ok;
    }
    const mine = await open(args.project, args.env);
    const theirs = await open(args.project, args.against);
    const scratch = await scratchFor(mine, { scratchUrl: args.scratchUrl, embeddedServerUrl });
    const diff = await diffEnvironments(
      mine.migrations,
      { label: args.env, driver: mine.driver, table: mine.table },
      { label: args.against, driver: theirs.driver, table: theirs.table },
      { scratch, cache: schemaCacheIn(workspace.dataDir) },
    );
    if (args.json) print(diffJson(diff));
    else printDiff(diff, (line) => out.line(line));
    return diff.differences.length > 0 ? EXIT.drift : EXIT.ok;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    if (started.embedded) await (await started.embedded).stop();
  }
}
