import path from 'node:path';
import type { ProjectConfig } from '../config/define-config';
import { importUserModule } from '../config/load-config-file';
import { DbdeckError, type SeedModule } from '../engine';

/** The project's seed module: its `seed` loader, or else `<seeds>/index.ts` (default export `defineSeed({ … })`). */
export async function loadSeed(project: ProjectConfig): Promise<SeedModule> {
  if (project.seed) {
    const module = await project.seed();
    if (typeof module.default?.run !== 'function') throw new DbdeckError('config', `the seed of project "${project.name}" must export default defineSeed({ … })`);
    return module.default;
  }
  if (!project.seeds) throw new DbdeckError('config', `project "${project.name}" has no seeds folder in the config`);
  const file = path.join(project.seeds, 'index.ts');
  const module = (await importUserModule(file)) as { default?: SeedModule };
  if (typeof module.default?.run !== 'function') throw new DbdeckError('config', `${file} must export default defineSeed({ … })`, { file });
  return module.default;
}
