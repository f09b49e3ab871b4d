import path from 'node:path';
import { connect } from '../../lib/engine/drivers';
import { assertDatabaseExists } from '../../lib/engine/drivers/location';
import { redactUrl } from '../../lib/engine/drivers/redact';
import { readMigrationsAs } from '../../lib/engine/read-migrations';
import { checkSchemaDrift, type SchemaDriftReport } from '../../lib/engine/schema/drift';
import { diffEnvironments, type EnvironmentDiff } from '../../lib/engine/schema/environment-diff';
import { bookkeepingTable } from '../../lib/engine/types';
import { openSchemaTarget, schemaCacheIn, scratchFor, workspaceScratch, type SchemaTarget } from '../../lib/runtime/schema-target';
import { EXIT } from '../exit-codes';
import type { HumanOutput } from '../output';
import type { SchemaArgs } from '../schema-args';
import { printDiff, printDrift } from '../schema-output';
import { cliWorkspace } from '../workspace';

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
      // No config, so no embedded default: nothing is started or written in the working directory.
      const scratch = await scratchFor(
        { driver, url: target.url, label },
        { scratchUrl: args.scratchUrl, setting: 'pass --scratch-url', embeddedServerUrl: null },
      );
      const table = bookkeepingTable({ schema: target.migrationsSchema, table: target.migrationsTable });
      const dataDir = process.env.DBDECK_DATA_DIR ? path.resolve(process.env.DBDECK_DATA_DIR) : null;
      const report = await checkSchemaDrift(driver, migrations, { scratch, cache: schemaCacheIn(dataDir), table, label });
      if (args.json) print(driftJson(label, report));
      else printDrift(label, report, (line) => out.line(line));
      return report.differences.length > 0 ? EXIT.drift : EXIT.ok;
    }

    const configFile = args.command === 'drift' ? (args.target as { config: string }).config : args.config;
    const workspace = await cliWorkspace(configFile, (message) => out.warn(message));
    closers.push(() => workspace.close());
    const open = async (project: string, env: string): Promise<SchemaTarget> => {
      const target = await openSchemaTarget(workspace, project, env);
      closers.push(() => target.close());
      return target;
    };
    if (args.command === 'drift') {
      const { project, env } = args.target as { project: string; env: string };
      const target = await open(project, env);
      const scratch = await workspaceScratch(workspace, target, args.scratchUrl);
      const report = await checkSchemaDrift(target.driver, target.migrations, {
        scratch,
        cache: schemaCacheIn(workspace.dataFolder()),
        table: target.table,
        label: target.label,
      });
      if (args.json) print(driftJson(target.label, report));
      else printDrift(target.label, report, (line) => out.line(line));
      return report.differences.length > 0 ? EXIT.drift : EXIT.ok;
    }
    const mine = await open(args.project, args.env);
    const theirs = await open(args.project, args.against);
    const scratch = await workspaceScratch(workspace, mine, args.scratchUrl);
    const diff = await diffEnvironments(
      mine.migrations,
      { label: args.env, driver: mine.driver, table: mine.table },
      { label: args.against, driver: theirs.driver, table: theirs.table },
      { scratch, cache: schemaCacheIn(workspace.dataFolder()) },
    );
    if (args.json) print(diffJson(diff));
    else printDiff(diff, (line) => out.line(line));
    return diff.differences.length > 0 ? EXIT.drift : EXIT.ok;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}
