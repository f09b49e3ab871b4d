import 'server-only';
import { shownError } from '@/lib/auth/server-paths';
import {
  checkSchemaDrift,
  diffEnvironments,
  isDbdeckError,
  type DraftSql,
  type EnvironmentDifference,
  type SchemaDifference,
  type SchemaModel,
} from '@/lib/engine';
import { openSchemaTarget, schemaCacheIn, workspaceScratch, type SchemaTarget } from '@/lib/runtime/schema-target';
import { getWorkspace } from '../runtime/console-workspace';

/** Schema drift as the console shows it: plain data for the page, errors as text without secrets. */
export type SchemaDriftView =
  | {
      ok: true;
      differences: SchemaDifference[];
      applied: number;
      cached: boolean;
      scratch: string;
      caveats: string[];
      expected: SchemaModel;
      actual: SchemaModel;
    }
  | { ok: false; error: string };

export interface EnvironmentDiffView {
  ok: true;
  environment: string;
  against: string;
  differences: EnvironmentDifference[];
  onlyIn: { environment: string[]; against: string[] };
  draft: DraftSql;
}

const errorText = (error: unknown) => shownError(error instanceof Error ? error.message : String(error));

async function withTargets<T>(project: string, environments: string[], fn: (targets: SchemaTarget[]) => Promise<T>): Promise<T> {
  const workspace = getWorkspace();
  const targets: SchemaTarget[] = [];
  try {
    for (const environment of environments) targets.push(await openSchemaTarget(workspace, project, environment, targets[0]?.migrations, { shared: true }));
    return await fn(targets);
  } finally {
    for (const target of targets) await target.close().catch(() => {});
  }
}

const scratchOf = (target: SchemaTarget) => workspaceScratch(getWorkspace(), target);

/**
 * Recent results per environment: the overview asks for every environment on each load, and a
 * check (warm: one introspection) is not free. A few seconds old is fresh enough to look at.
 */
const recent = new Map<string, { at: number; view: Promise<SchemaDriftView> }>();
const FRESH_MS = 5_000;

/** The live schema of an environment against its applied migrations, replayed (or cached). Only reads it. */
export function readSchemaDrift(project: string, environment: string, options: { fresh?: boolean } = {}): Promise<SchemaDriftView> {
  const key = `${project}\u0000${environment}`;
  const hit = recent.get(key);
  if (hit && !options.fresh && Date.now() - hit.at < FRESH_MS) return hit.view;
  const view = withTargets(project, [environment], async ([target]) => {
    const report = await checkSchemaDrift(target!.driver, target!.migrations, {
      scratch: await scratchOf(target!),
      cache: schemaCacheIn(getWorkspace().dataFolder()),
      table: target!.table,
      label: target!.label,
    });
    return {
      ok: true as const,
      differences: report.differences,
      applied: report.applied.length,
      cached: report.cached,
      scratch: report.scratch,
      caveats: report.caveats,
      expected: report.expected,
      actual: report.actual,
    };
  }).catch((error: unknown): SchemaDriftView => {
    if (!isDbdeckError(error)) console.error('[dbdeck] schema drift check failed', error);
    return { ok: false, error: errorText(error) };
  });
  recent.set(key, { at: Date.now(), view });
  return view;
}

/** One environment's schema against another's, with what migrations explain and drizzle-kit's draft. */
export async function readEnvironmentDiff(project: string, environment: string, against: string): Promise<EnvironmentDiffView | { ok: false; error: string }> {
  try {
    return await withTargets(project, [environment, against], async ([mine, theirs]) => {
      const diff = await diffEnvironments(
        mine!.migrations,
        { label: environment, driver: mine!.driver, table: mine!.table },
        { label: against, driver: theirs!.driver, table: theirs!.table },
        { scratch: await scratchOf(mine!), cache: schemaCacheIn(getWorkspace().dataFolder()) },
      );
      return { ok: true as const, environment, against, differences: diff.differences, onlyIn: diff.onlyIn, draft: diff.draft };
    });
  } catch (error) {
    if (!isDbdeckError(error)) console.error('[dbdeck] environment diff failed', error);
    return { ok: false, error: errorText(error) };
  }
}
