import { applyPending, readMigrationStatus } from '../engine/migrate';
import { rollbackLast } from '../engine/rollback';
import { runSeed } from '../engine/seed';
import { loadSeed } from './seeds';
import type { Workspace } from './workspace';

/**
 * How far behind each demo environment is left on first start, and whether it is seeded:
 * development fully migrated and seeded, staging a migration behind, production further behind.
 */
const DEMO_STATE: Record<string, { behind: number; seed: boolean }> = {
  development: { behind: 0, seed: true },
  staging: { behind: 1, seed: true },
  production: { behind: 3, seed: false },
};

export interface DemoReport {
  project: string;
  environment: string;
  action: 'prepared' | 'kept' | 'not-embedded';
  applied: number;
  pending: number;
  seeded: number;
}

/**
 * Brings the embedded demo environments into a state worth looking at. Only databases of the
 * embedded default are touched, and only when they are new (no migration applied yet): a
 * restart keeps whatever was done to them since, and a real server is never written to.
 * Protected ones get dbdeck's protection marker (at every start: it is idempotent).
 */
export async function prepareDemo(workspace: Workspace): Promise<DemoReport[]> {
  const reports: DemoReport[] = [];
  for (const project of workspace.config.projects) {
    for (const environment of project.environments) {
      const resolved = workspace.resolve(project.name, environment.name);
      const base = { project: project.name, environment: environment.name };
      if (resolved.source.kind === 'variable' || resolved.source.kind === 'unset') {
        reports.push({ ...base, action: 'not-embedded', applied: 0, pending: 0, seeded: 0 });
        continue;
      }
      const open = await workspace.open(project.name, environment.name);
      try {
        const before = await readMigrationStatus(open.driver, open.migrations, open.table);
        let seeded = 0;
        let action: DemoReport['action'] = 'kept';
        if (before.highWaterMark === null) {
          action = 'prepared';
          const plan = DEMO_STATE[environment.name] ?? { behind: 0, seed: false };
          const total = open.migrations.migrations.length;
          const behind = Math.min(plan.behind, total - 1);
          if (plan.seed && project.seeds) {
            // Seeds speak the latest schema: seed at the head, then step back with the down files.
            await applyPending(open.driver, open.migrations, { table: open.table });
            const result = await runSeed(open.driver, await loadSeed(project));
            seeded = Object.values(result.inserted).reduce((a, b) => a + b, 0);
            if (behind > 0) await rollbackLast(open.driver, open.migrations, { table: open.table, steps: behind });
          } else {
            await applyPending(open.driver, open.migrations, { table: open.table, to: open.migrations.migrations[total - behind - 1]!.tag });
          }
        }
        const after = await readMigrationStatus(open.driver, open.migrations, open.table);
        reports.push({ ...base, action, applied: after.counts.applied, pending: after.counts.pending, seeded });
      } finally {
        await open.driver.close();
      }
    }
  }
  return reports;
}
