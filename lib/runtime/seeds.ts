import path from 'node:path';
import type { ProjectConfig } from '../config/define-config';
import { importUserModule } from '../config/user-module';
import { DbdeckError } from '../engine/errors';
import type { SeedModule } from '../engine/seed';

/**
 * Seed modules loaded from their folder, by file: compiled once per process (each run-time
 * import registers a compiler hook of its own; a long-running console must not add one per seed).
 */
const loadedSeeds = new Map<string, Promise<{ default?: SeedModule }>>();

/** The project's seed module: its `seed` loader, or else `<seeds>/index.ts` (default export `defineSeed({ … })`). */
export async function loadSeed(project: ProjectConfig): Promise<SeedModule> {
  if (project.seed) {
    const loaded = await project.seed();
    if (typeof loaded.default?.run !== 'function')
      throw new DbdeckError('config', `the seed of project "${project.name}" must export default defineSeed({ … })`);
    return loaded.default;
  }
  if (!project.seeds) throw new DbdeckError('config', `project "${project.name}" has no seeds folder in the config`);
  const file = path.join(project.seeds, 'index.ts');
  let loading = loadedSeeds.get(file);
  if (!loading) {
    loading = importUserModule(file) as Promise<{ default?: SeedModule }>;
    loadedSeeds.set(file, loading);
    loading.catch(() => loadedSeeds.delete(file));
  }
  const loaded = await loading;
  if (typeof loaded.default?.run !== 'function') throw new DbdeckError('config', `${file} must export default defineSeed({ … })`, { file });
  return loaded.default;
}
